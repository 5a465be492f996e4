// Builds the Hyper-V objects the cmdlets return from the JSON state (see docs/simulator.md).
using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.Specialized;
using System.Globalization;
using Microsoft.HyperV.PowerShell;

namespace NestvirtSim
{
    public static partial class Factory
    {
        private const string DefaultVmPath = @"C:\ProgramData\Microsoft\Windows\Hyper-V";

        // ---- small typed getters over the state dictionaries ------------------------------------
        public static string Str(IDictionary d, string key, string fallback = null)
        {
            if (d == null || !d.Contains(key) || d[key] == null) return fallback;
            return Convert.ToString(d[key], CultureInfo.InvariantCulture);
        }

        public static long Long(IDictionary d, string key, long fallback = 0)
        {
            if (d == null || !d.Contains(key) || d[key] == null) return fallback;
            return Convert.ToInt64(d[key], CultureInfo.InvariantCulture);
        }

        public static bool Bool(IDictionary d, string key, bool fallback = false)
        {
            if (d == null || !d.Contains(key) || d[key] == null) return fallback;
            return Convert.ToBoolean(d[key], CultureInfo.InvariantCulture);
        }

        public static OrderedDictionary Dict(IDictionary d, string key)
        {
            if (d == null) return null;
            return d[key] as OrderedDictionary;
        }

        public static List<object> List(IDictionary d, string key)
        {
            if (d == null) return new List<object>();
            object value = d[key];
            if (value is System.Management.Automation.PSObject pso) value = pso.BaseObject;
            if (value is List<object> list) return list;
            // An array a script put into the state (object[]) before it was written and read back.
            var result = new List<object>();
            if (value is IEnumerable seq && !(value is string) && !(value is IDictionary))
            {
                foreach (object o in seq) result.Add(o);
            }
            return result;
        }

        public static T Enum<T>(object value, T fallback) where T : struct
        {
            if (value == null) return fallback;
            if (value is string s)
            {
                T r;
                if (System.Enum.TryParse<T>(s, true, out r)) return r;
                return fallback;
            }
            try { return (T)System.Enum.ToObject(typeof(T), Convert.ToInt64(value, CultureInfo.InvariantCulture)); }
            catch (Exception) { return fallback; }
        }

        private static Guid ToGuid(object value)
        {
            Guid g;
            if (value != null && Guid.TryParse(Convert.ToString(value, CultureInfo.InvariantCulture), out g)) return g;
            return Guid.Empty;
        }

        private static string ComputerName(IDictionary root)
        {
            return Str(Dict(root, "host"), "computer_name", "HYPERV-HOST");
        }

        // ---- VM state ---------------------------------------------------------------------------

        /// <summary>The state a VM shows now: a pending transition shows its "during" state.</summary>
        public static VMState StateOf(IDictionary vm)
        {
            OrderedDictionary pending = Dict(vm, "pending");
            if (pending != null && pending["during"] != null) return Enum(pending["during"], VMState.Other);
            return Enum(vm["state"], VMState.Off);
        }

        public static VirtualMachine VirtualMachine(IDictionary vm, IDictionary root)
        {
            OrderedDictionary cpu = Dict(vm, "processor");
            OrderedDictionary mem = Dict(vm, "memory");
            VMState state = StateOf(vm);
            bool running = state == VMState.Running || state == VMState.Stopping || state == VMState.Paused;
            var m = new VirtualMachine();
            m.ComputerName = ComputerName(root);
            m.Name = Str(vm, "name", "");
            m.Id = ToGuid(vm["id"]);
            m.State = state;
            m.Version = Str(vm, "version", "");
            m.Generation = (int)Long(vm, "generation", 2);
            m.ProcessorCount = Long(cpu, "count", 1);
            m.DynamicMemoryEnabled = Bool(mem, "dynamic");
            m.MemoryStartup = Long(mem, "startup", 1073741824L);
            m.MemoryMinimum = Long(mem, "minimum", 536870912L);
            m.MemoryMaximum = Long(mem, "maximum", 1099511627776L);
            m.MemoryAssigned = running ? Long(vm, "memory_assigned", m.MemoryStartup) : 0;
            m.MemoryDemand = running ? m.MemoryAssigned / 2 : 0;
            m.MemoryStatus = "";
            m.Notes = Str(vm, "notes", "");
            Guid parent = ToGuid(vm["parent_snapshot_id"]);
            m.ParentSnapshotId = parent == Guid.Empty ? (Guid?)null : parent;
            m.ParentSnapshotName = Str(vm, "parent_snapshot_name");
            m.Path = Str(vm, "path", DefaultVmPath);
            m.ConfigurationLocation = m.Path;
            m.SnapshotFileLocation = Str(vm, "snapshot_file_location", m.Path);
            m.SmartPagingFilePath = Str(vm, "smart_paging_file_path", m.Path);
            m.CreationTime = Clock.ParseTime(vm["created"]) == DateTime.MinValue ? new DateTime(2024, 1, 1, 9, 0, 0, DateTimeKind.Utc) : Clock.ParseTime(vm["created"]);
            m.AutomaticStartAction = Enum(vm["automatic_start_action"], StartAction.StartIfRunning);
            m.AutomaticStopAction = Enum(vm["automatic_stop_action"], StopAction.Save);
            m.AutomaticStartDelay = (int)Long(vm, "automatic_start_delay", 0);
            m.AutomaticCriticalErrorAction = Enum(vm["automatic_critical_error_action"], CriticalErrorAction.Pause);
            m.LockOnDisconnect = Enum(vm["lock_on_disconnect"], OnOffState.Off);
            m.AutomaticCheckpointsEnabled = Bool(vm, "automatic_checkpoints", false);
            m.CheckpointType = Enum(vm["checkpoint_type"], CheckpointType.Production);
            m.CPUUsage = running ? (int)Long(vm, "cpu_usage", 0) : 0;
            // A guest that has not booted (booting, rebooting, never back) does not answer the heartbeat.
            m.Heartbeat = !running ? (VMHeartbeatStatus?)null
                : Bool(Dict(vm, "guest"), "booted", true) ? VMHeartbeatStatus.OkApplicationsHealthy : VMHeartbeatStatus.NoContact;
            m.IntegrationServicesState = running ? "Up to date" : "";
            m.IntegrationServicesVersion = null;
            DateTime started = Clock.ParseTime(vm["started_at"]);
            m.Uptime = running && started != DateTime.MinValue ? TimeSpan.FromSeconds(Math.Floor((DateTime.UtcNow - started).TotalSeconds)) : TimeSpan.Zero;
            m.OperationalStatus = new[] { VMOperationalStatus.Ok };
            m.PrimaryOperationalStatus = VMOperationalStatus.Ok;
            m.PrimaryStatusDescription = "Operating normally";
            m.Status = "Operating normally";
            m.NetworkAdapters = new List<VMNetworkAdapter>();
            foreach (object a in List(vm, "network_adapters"))
            {
                if (a is IDictionary ad) m.NetworkAdapters.Add(NetworkAdapter(vm, ad, root));
            }
            m.HardDrives = HardDiskDrives(vm, root);
            m.DVDDrives = DvdDrives(vm, root);
            return m;
        }

        // The six integration services of a VM (Get-VMIntegrationService), with the real ids.
        private static readonly string[][] IntegrationServices =
        {
            new[] { "Guest Service Interface", "6C09BB55-D683-4DA0-8931-C9BF705F6480" },
            new[] { "Heartbeat", "84EAAE65-2F2E-45F5-9BB5-0E857DC8EB47" },
            new[] { "Key-Value Pair Exchange", "2A34B1C2-FD73-4043-8A5B-DD2159BC743F" },
            new[] { "Shutdown", "9F8233AC-BE49-4C79-8EE3-E7E1985B2077" },
            new[] { "Time Synchronization", "2497F4DE-E9FA-4204-80E4-4B75C46419C0" },
            new[] { "VSS", "5CED1297-4598-4915-A5FC-AD21BB4D02A4" },
        };

        /// <summary>
        /// Get-VMIntegrationService: every service of the VM. While the VM runs and its guest has
        /// booted each reports OK (Heartbeat: "OK", "OK" for the applications); running but not
        /// booted: No Contact; not running: no status. Enabled: vm.integration_services[name]
        /// (default true, Guest Service Interface false, as new VMs have them).
        /// </summary>
        public static List<VMIntegrationComponent> IntegrationComponents(IDictionary vm, IDictionary root)
        {
            Guid id = ToGuid(vm["id"]);
            OrderedDictionary enabled = Dict(vm, "integration_services");
            bool running = StateOf(vm) == VMState.Running;
            bool booted = running && Bool(Dict(vm, "guest"), "booted", true);
            var result = new List<VMIntegrationComponent>();
            foreach (string[] service in IntegrationServices)
            {
                string name = service[0];
                VMIntegrationComponent c;
                switch (name)
                {
                    case "Guest Service Interface": c = new GuestServiceInterfaceComponent(); break;
                    case "Key-Value Pair Exchange": c = new DataExchangeComponent(); break;
                    case "Shutdown": c = new ShutdownComponent(); break;
                    default: c = new VMIntegrationComponent(); break;
                }
                c.ComputerName = ComputerName(root);
                c.Name = name;
                c.Id = "Microsoft:" + id.ToString().ToUpperInvariant() + @"\" + service[1];
                c.VMId = id;
                c.VMName = Str(vm, "name", "");
                c.VMSnapshotId = Guid.Empty;
                c.VMSnapshotName = "";
                c.Enabled = Bool(enabled, name, name != "Guest Service Interface");
                if (!running)
                {
                    c.OperationalStatus = new VMIntegrationComponentOperationalStatus[0];
                    c.StatusDescription = new string[0];
                }
                else if (!booted)
                {
                    c.OperationalStatus = new[] { VMIntegrationComponentOperationalStatus.NoContact };
                    c.StatusDescription = new[] { "No Contact" };
                }
                else if (name == "Heartbeat")
                {
                    c.OperationalStatus = new[] { VMIntegrationComponentOperationalStatus.Ok, VMIntegrationComponentOperationalStatus.Ok };
                    c.StatusDescription = new[] { "OK", "OK" };
                }
                else
                {
                    c.OperationalStatus = new[] { VMIntegrationComponentOperationalStatus.Ok };
                    c.StatusDescription = new[] { "OK" };
                }
                result.Add(c);
            }
            return result;
        }

        public static VMProcessor Processor(IDictionary vm, IDictionary root)
        {
            OrderedDictionary cpu = Dict(vm, "processor");
            Guid id = ToGuid(vm["id"]);
            var p = new VMProcessor();
            p.ComputerName = ComputerName(root);
            p.Count = Long(cpu, "count", 1);
            p.ExposeVirtualizationExtensions = Bool(cpu, "expose_virtualization_extensions");
            p.CompatibilityForMigrationEnabled = Bool(cpu, "compatibility_for_migration");
            p.CompatibilityForOlderOperatingSystemsEnabled = Bool(cpu, "compatibility_for_older_os");
            p.HwThreadCountPerCore = Long(cpu, "hw_thread_count_per_core", 0);
            p.Maximum = Long(cpu, "maximum", 100);
            p.Reserve = Long(cpu, "reserve", 0);
            p.RelativeWeight = (int)Long(cpu, "relative_weight", 100);
            p.MaximumCountPerNumaNode = Long(cpu, "maximum_count_per_numa_node", 64);
            p.MaximumCountPerNumaSocket = Long(cpu, "maximum_count_per_numa_socket", 1);
            p.EnableHostResourceProtection = Bool(cpu, "enable_host_resource_protection");
            p.ResourcePoolName = "Primordial";
            p.Name = "Processor";
            p.Id = "Microsoft:" + id.ToString().ToUpperInvariant() + @"\b637f346-6a0e-4dec-af52-bd70cb80a21d\0";
            p.VMId = id;
            p.VMName = Str(vm, "name", "");
            return p;
        }

        public static VMMemory Memory(IDictionary vm, IDictionary root)
        {
            OrderedDictionary mem = Dict(vm, "memory");
            Guid id = ToGuid(vm["id"]);
            var m = new VMMemory();
            m.ComputerName = ComputerName(root);
            m.Startup = Long(mem, "startup", 1073741824L);
            m.Minimum = Long(mem, "minimum", 536870912L);
            m.Maximum = Long(mem, "maximum", 1099511627776L);
            m.DynamicMemoryEnabled = Bool(mem, "dynamic");
            m.Buffer = (int)Long(mem, "buffer", 20);
            m.Priority = (int)Long(mem, "priority", 50);
            m.MaximumPerNumaNode = Long(mem, "maximum_per_numa_node", 1048576);
            m.ResourcePoolName = "Primordial";
            m.Name = "Memory";
            m.Id = "Microsoft:" + id.ToString().ToUpperInvariant() + @"\4764334d-e001-4176-82ee-5594ec9b530e";
            m.VMId = id;
            m.VMName = Str(vm, "name", "");
            return m;
        }

        /// <summary>The first switch of that name (names may repeat: New-VMSwitch allows duplicates).</summary>
        public static IDictionary FindSwitch(IDictionary root, string name)
        {
            if (name == null) return null;
            foreach (object o in List(root, "switches"))
            {
                if (o is IDictionary s && string.Equals(Str(s, "name"), name, StringComparison.OrdinalIgnoreCase)) return s;
            }
            return null;
        }

        public static VMNetworkAdapter NetworkAdapter(IDictionary vm, IDictionary a, IDictionary root)
        {
            Guid vmId = ToGuid(vm["id"]);
            string switchName = Str(a, "switch");
            IDictionary sw = FindSwitch(root, switchName);
            VMState state = StateOf(vm);
            bool running = state == VMState.Running || state == VMState.Stopping;
            var n = new VMNetworkAdapter();
            n.ComputerName = ComputerName(root);
            n.Name = Str(a, "name", "Network Adapter");
            string adapterId = Str(a, "id", "00000000-0000-0000-0000-000000000000").ToUpperInvariant();
            n.Id = "Microsoft:" + vmId.ToString().ToUpperInvariant() + @"\" + adapterId;
            n.AdapterId = adapterId;
            n.VMId = vmId;
            n.VMName = Str(vm, "name", "");
            n.SwitchName = switchName;
            n.SwitchId = sw == null ? (Guid?)null : ToGuid(sw["id"]);
            n.Connected = switchName != null && sw != null;
            n.DynamicMacAddressEnabled = Bool(a, "dynamic_mac", true);
            n.MacAddress = Str(a, "mac", "000000000000");
            n.MacAddressSpoofing = Enum(a["mac_address_spoofing"], OnOffState.Off);
            n.DhcpGuard = Enum(a["dhcp_guard"], OnOffState.Off);
            n.RouterGuard = Enum(a["router_guard"], OnOffState.Off);
            n.PortMirroringMode = Enum(a["port_mirroring"], VMNetworkAdapterPortMirroringMode.None);
            n.IeeePriorityTag = Enum(a["ieee_priority_tag"], OnOffState.Off);
            n.AllowTeaming = Enum(a["allow_teaming"], OnOffState.Off);
            n.FixSpeed10G = Enum(a["fix_speed_10g"], OnOffState.Off);
            n.DeviceNaming = Enum(a["device_naming"], OnOffState.Off);
            n.VirtualSubnetId = (uint)Long(a, "virtual_subnet_id", 0);
            n.DynamicIPAddressLimit = (uint)Long(a, "dynamic_ip_address_limit", 0);
            n.StormLimit = (uint)Long(a, "storm_limit", 0);
            n.VMQWeight = (uint)Long(a, "vmq_weight", 100);
            n.IovWeight = (uint)Long(a, "iov_weight", 0);
            n.IovQueuePairsRequested = (uint)Long(a, "iov_queue_pairs_requested", 1);
            n.IovInterruptModeration = Enum(a["iov_interrupt_moderation"], IovInterruptModerationValue.Default);
            n.VrssEnabled = Bool(a, "vrss_enabled", true);
            n.VmmqEnabled = Bool(a, "vmmq_enabled", false);
            n.IsLegacy = Bool(a, "legacy", false);
            n.IsSynthetic = !n.IsLegacy;
            n.IsManagementOs = false;
            n.IsExternalAdapter = false;
            var ips = new List<string>();
            if (running) foreach (object ip in List(a, "ip_addresses")) ips.Add(Convert.ToString(ip, CultureInfo.InvariantCulture));
            n.IPAddresses = ips.ToArray();
            n.MandatoryFeatureId = new string[0];
            n.PoolName = "";
            n.Status = running ? new[] { VMNetworkAdapterOperationalStatus.Ok } : new VMNetworkAdapterOperationalStatus[0];
            n.StatusDescription = running ? new[] { "OK" } : new string[0];
            return n;
        }

        /// <summary>The host-side vNIC of a switch (Get-VMNetworkAdapter -ManagementOS).</summary>
        public static VMInternalNetworkAdapter InternalAdapter(IDictionary netAdapter, IDictionary root)
        {
            string switchName = Str(netAdapter, "switch");
            IDictionary sw = FindSwitch(root, switchName);
            string mac = Str(netAdapter, "mac", "00-15-5D-00-00-00").Replace("-", "").ToUpperInvariant();
            string guid = Str(netAdapter, "guid", Guid.Empty.ToString()).ToUpperInvariant();
            var n = new VMInternalNetworkAdapter();
            n.ComputerName = ComputerName(root);
            n.Name = Str(netAdapter, "vm_adapter_name", switchName);
            n.Id = "Microsoft:" + guid;
            n.AdapterId = guid;
            n.DeviceId = "Microsoft:" + guid;
            n.VMName = "";
            n.SwitchName = switchName;
            n.SwitchId = sw == null ? (Guid?)null : ToGuid(sw["id"]);
            n.MacAddress = mac;
            n.IsManagementOs = true;
            n.IsExternalAdapter = false;
            n.MacAddressSpoofing = Enum(netAdapter["mac_address_spoofing"], OnOffState.Off);
            n.DhcpGuard = Enum(netAdapter["dhcp_guard"], OnOffState.Off);
            n.RouterGuard = Enum(netAdapter["router_guard"], OnOffState.Off);
            n.PortMirroringMode = Enum(netAdapter["port_mirroring"], VMNetworkAdapterPortMirroringMode.None);
            n.IeeePriorityTag = Enum(netAdapter["ieee_priority_tag"], OnOffState.Off);
            n.AllowTeaming = Enum(netAdapter["allow_teaming"], OnOffState.Off);
            n.FixSpeed10G = Enum(netAdapter["fix_speed_10g"], OnOffState.Off);
            n.VMQWeight = (uint)Long(netAdapter, "vmq_weight", 100);
            n.Status = new[] { VMNetworkAdapterOperationalStatus.Ok };
            n.StatusDescription = new[] { "OK" };
            return n;
        }

        public static VMSwitch Switch(IDictionary s, IDictionary root)
        {
            var w = new VMSwitch();
            w.ComputerName = ComputerName(root);
            w.Name = Str(s, "name", "");
            w.Id = ToGuid(s["id"]);
            w.Notes = Str(s, "notes", "");
            w.SwitchType = Enum(s["type"], VMSwitchType.Internal);
            w.AllowManagementOS = Bool(s, "allow_management_os", w.SwitchType != VMSwitchType.Private);
            string desc = Str(s, "net_adapter_description");
            w.NetAdapterInterfaceDescription = desc;
            w.NetAdapterInterfaceDescriptions = desc == null ? new string[0] : new[] { desc };
            w.BandwidthReservationMode = Enum(s["bandwidth_mode"], VMSwitchBandwidthMode.Absolute);
            w.EmbeddedTeamingEnabled = Bool(s, "embedded_teaming", false);
            w.IovEnabled = Bool(s, "iov", false);
            w.IovSupport = false;
            w.IovSupportReasons = new[] { "This network adapter does not support SR-IOV." };
            return w;
        }

        public static VMHost Host(IDictionary root)
        {
            OrderedDictionary host = Dict(root, "host");
            OrderedDictionary cpu = Dict(host, "cpu");
            var h = new VMHost();
            h.ComputerName = ComputerName(root);
            h.Name = h.ComputerName;
            h.FullyQualifiedDomainName = Str(host, "domain", "WORKGROUP");
            h.LogicalProcessorCount = (int)(Long(cpu, "sockets", 1) * Long(cpu, "logical_processors_per_socket", 8));
            h.MemoryCapacity = Long(host, "memory_bytes", 34359738368L);
            var versions = new List<string>();
            foreach (object v in List(host, "supported_versions")) versions.Add(VersionText(v));
            h.SupportedVmVersions = versions.AsReadOnly();
            h.VirtualHardDiskPath = Str(host, "virtual_hard_disk_path", @"C:\ProgramData\Microsoft\Windows\Virtual Hard Disks");
            h.VirtualMachinePath = Str(host, "virtual_machine_path", DefaultVmPath);
            h.MacAddressMinimum = "00155D010200";
            h.MacAddressMaximum = "00155D0102FF";
            h.NumaSpanningEnabled = true;
            h.EnableEnhancedSessionMode = Long(Dict(host, "os"), "product_type", 1) == 1;
            h.MaximumStorageMigrations = 2;
            h.MaximumVirtualMachineMigrations = 2;
            h.InternalNetworkAdapters = new List<VMInternalNetworkAdapter>();
            foreach (object o in List(root, "net_adapters"))
            {
                if (o is IDictionary na && na["switch"] != null) h.InternalNetworkAdapters.Add(InternalAdapter(na, root));
            }
            return h;
        }

        public static string VersionText(object v)
        {
            if (v is IDictionary d) return Str(d, "version", "");
            return Convert.ToString(v, CultureInfo.InvariantCulture);
        }

        private static readonly Dictionary<string, string> VersionNames = new Dictionary<string, string>
        {
            { "5.0", "Microsoft Windows 8.1/Windows Server 2012 R2" },
            { "6.2", "Microsoft Windows 10 1507/Windows Server 2016 Technical Preview 3" },
            { "7.0", "Microsoft Windows 10 1511/Windows Server 2016 Technical Preview 4" },
            { "7.1", "Microsoft Windows Server 2016 Technical Preview 5" },
            { "8.0", "Microsoft Windows 10 Anniversary Update/Windows Server 2016" },
            { "8.1", "Microsoft Windows 10 Creators Update" },
            { "8.2", "Microsoft Windows 10 Fall Creators Update/Windows Server 1709" },
            { "8.3", "Microsoft Windows 10 April 2018 Update/Windows Server 1803" },
            { "9.0", "Microsoft Windows 10 October 2018 Update/Windows Server 2019" },
            { "9.1", "Microsoft Windows 10 May 2019 Update/Windows Server 1903" },
            { "9.2", "Microsoft Windows 10 May 2020 Update/Windows Server 2004" },
            { "9.3", "Microsoft Windows Server 2022 Preview" },
            { "10.0", "Microsoft Windows Server 2022/Windows 11 21H2" },
            { "10.5", "Microsoft Windows 11 22H2 Preview" },
            { "11.0", "Microsoft Windows 11 22H2" },
            { "12.0", "Microsoft Windows 11 24H2/Windows Server 2025" },
        };

        public static List<VMHostSupportedVersion> SupportedVersions(IDictionary root)
        {
            OrderedDictionary host = Dict(root, "host");
            string def = Str(host, "default_version");
            var result = new List<VMHostSupportedVersion>();
            foreach (object v in List(host, "supported_versions"))
            {
                string text = VersionText(v);
                string name = v is IDictionary d ? Str(d, "name") : null;
                string known;
                if (name == null) name = VersionNames.TryGetValue(text, out known) ? known : "Microsoft Windows (configuration version " + text + ")";
                var s = new VMHostSupportedVersion();
                s.ComputerName = ComputerName(root);
                s.Name = name;
                s.Version = System.Version.Parse(text);
                s.IsDefault = text == def;
                result.Add(s);
            }
            return result;
        }
    }
}
