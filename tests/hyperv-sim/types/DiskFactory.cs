// Builds the disk, drive and firmware objects (types/DiskTypes.cs) from the state (docs/simulator.md,
// "Files, disks and images"): disks[] records and a VM's hard_drives[], dvd_drives[] and firmware.
using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.Specialized;
using System.Globalization;
using Microsoft.HyperV.PowerShell;
using Microsoft.Vhd.PowerShell;

namespace NestvirtSim
{
    public static partial class Factory
    {
        // The instance ids Hyper-V gives a VM's first IDE and SCSI controllers (the middle part of a drive's Id).
        private const string IdeControllerId = "83F8638B-8DCA-4152-9EDA-2CA8B33039B4";
        private const string ScsiControllerId = "D422512D-2BF2-4752-809D-7B82B5FCB1B4";

        private static readonly Dictionary<string, string> SecureBootTemplates = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            // Template ids as Msvm_VirtualSystemSettingData.SecureBootTemplateId reports them.
            { "MicrosoftWindows", "1734c6e8-3154-4dda-ba5f-a874cc483422" },
            { "MicrosoftUEFICertificateAuthority", "272e7447-90a4-4563-a4b9-8e4ab00526ce" },
            { "OpenSourceShieldedVM", "4292ae2b-ee2c-42b5-a969-dd8f8689f6f3" },
        };

        /// <summary>The real name of a secure boot template (case as Hyper-V spells it), or null when unknown.</summary>
        public static string SecureBootTemplateName(string name)
        {
            foreach (string key in SecureBootTemplates.Keys) if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase)) return key;
            foreach (KeyValuePair<string, string> e in SecureBootTemplates) if (string.Equals(e.Value, name, StringComparison.OrdinalIgnoreCase)) return e.Key;
            return null;
        }

        public static string SecureBootTemplateId(string name)
        {
            string id;
            return name != null && SecureBootTemplates.TryGetValue(name, out id) ? id : null;
        }

        /// <summary>
        /// The host's free memory now: host.memory_free_bytes (free with no VM running) less the memory of
        /// every VM that runs (its startup memory, or memory_assigned). -1 when the scenario does not say.
        /// </summary>
        public static long FreeMemory(IDictionary root, IDictionary except = null)
        {
            OrderedDictionary host = Dict(root, "host");
            if (host == null || host["memory_free_bytes"] == null) return -1;
            long free = Long(host, "memory_free_bytes", 0);
            foreach (object o in List(root, "vms"))
            {
                if (!(o is IDictionary vm) || ReferenceEquals(vm, except)) continue;
                VMState state = StateOf(vm);
                if (state == VMState.Off || state == VMState.Saved) continue;
                free -= Long(vm, "memory_assigned", Long(Dict(vm, "memory"), "startup", 1073741824L));
            }
            return Math.Max(0, free);
        }

        public static VirtualHardDisk VirtualHardDisk(OrderedDictionary disk, OrderedDictionary root)
        {
            var v = new VirtualHardDisk();
            v.ComputerName = ComputerName(root);
            v.Path = SimFs.Normalize(Str(disk, "path")) ?? Str(disk, "path");
            string format = Str(disk, "format", SimFs.FormatOf(v.Path) ?? "VHDX");
            v.VhdFormat = Enum(format, VhdFormat.VHDX);
            v.VhdType = Enum(Str(disk, "type", Str(disk, "parent") != null ? "Differencing" : "Dynamic"), VhdType.Dynamic);
            ulong size = (ulong)SimFs.Size(root, disk);
            v.Size = size;
            // A dynamic or differencing file holds only what was written; a fixed one the whole disk.
            long fileSize = Long(disk, "file_size", 0);
            if (fileSize <= 0) fileSize = v.VhdType == VhdType.Fixed ? (long)size + 4194304L : (Dict(disk, "image") != null ? 9663676416L : 4194304L);
            v.FileSize = (ulong)fileSize;
            v.MinimumSize = SimFs.Partitions(root, disk).Count > 0 ? (ulong?)size : null;
            v.LogicalSectorSize = (uint)Long(disk, "logical_sector_size", 512);
            v.PhysicalSectorSize = (uint)Long(disk, "physical_sector_size", v.VhdFormat == VhdFormat.VHD ? 512 : 4096);
            v.BlockSize = (uint)Long(disk, "block_size", v.VhdFormat == VhdFormat.VHD ? 2097152 : 33554432);
            v.ParentPath = Str(disk, "parent") == null ? "" : (SimFs.Normalize(Str(disk, "parent")) ?? Str(disk, "parent"));
            v.DiskIdentifier = Str(disk, "id", Guid.Empty.ToString()).ToUpperInvariant();
            v.FragmentationPercentage = v.VhdType == VhdType.Fixed ? (uint?)0 : null;
            v.Alignment = 1;
            OrderedDictionary mounted = Dict(disk, "mounted");
            v.Attached = SimFs.InUse(root, disk) && (mounted != null || AttachedToRunningVm(root, disk));
            v.DiskNumber = mounted == null ? (uint?)null : (uint)Long(mounted, "number", 0);
            v.IsPMEMCompatible = false;
            v.AddressAbstractionType = Microsoft.Virtualization.Client.Management.VirtualHardDiskPmemAddressAbstractionType.None;
            return v;
        }

        private static bool AttachedToRunningVm(OrderedDictionary root, OrderedDictionary disk)
        {
            foreach (object v in List(root, "vms"))
            {
                if (!(v is IDictionary vm)) continue;
                VMState state = StateOf(vm);
                if (state == VMState.Off || state == VMState.Saved) continue;
                foreach (object hd in List(vm, "hard_drives"))
                {
                    if (hd is IDictionary h && SimFs.SamePath(Str(h, "path"), Str(disk, "path"))) return true;
                }
            }
            return false;
        }

        private static string DriveId(IDictionary vm, IDictionary drive, string kind)
        {
            string controller = Enum(drive["controller_type"], ControllerType.SCSI) == ControllerType.IDE ? IdeControllerId : ScsiControllerId;
            return "Microsoft:" + Str(vm, "id", "").ToUpperInvariant() + @"\" + controller + @"\" +
                Long(drive, "controller_number", 0).ToString(CultureInfo.InvariantCulture) + @"\" +
                Long(drive, "controller_location", 0).ToString(CultureInfo.InvariantCulture) + @"\" + kind;
        }

        private static void FillDrive(Drive d, IDictionary vm, IDictionary drive, IDictionary root, string kind)
        {
            d.ComputerName = ComputerName(root);
            d.ControllerType = Enum(drive["controller_type"], ControllerType.SCSI);
            d.ControllerNumber = (int)Long(drive, "controller_number", 0);
            d.ControllerLocation = (int)Long(drive, "controller_location", 0);
            string path = Str(drive, "path");
            d.Path = path == null ? null : (SimFs.Normalize(path) ?? path);
            d.PoolName = "Primordial";
            d.Id = DriveId(vm, drive, kind);
            d.VMId = ToGuid(vm["id"]);
            d.VMName = Str(vm, "name", "");
            d.VMSnapshotId = Guid.Empty;
            d.VMSnapshotName = "";
        }

        public static HardDiskDrive HardDiskDrive(IDictionary vm, IDictionary drive, IDictionary root)
        {
            var d = new HardDiskDrive();
            FillDrive(d, vm, drive, root, "D");
            d.Name = "Hard Drive on " + d.ControllerType + " controller number " + d.ControllerNumber + " at location " + d.ControllerLocation;
            d.DiskNumber = drive["disk_number"] == null ? (int?)null : (int)Long(drive, "disk_number", 0);
            d.SupportPersistentReservations = false;
            d.WriteHardeningMethod = CacheAttributes.Default;
            d.MaximumIOPS = 0;
            d.MinimumIOPS = 0;
            return d;
        }

        public static DvdDrive DvdDrive(IDictionary vm, IDictionary drive, IDictionary root)
        {
            var d = new DvdDrive();
            FillDrive(d, vm, drive, root, "L");
            d.Name = "DVD Drive on " + d.ControllerType + " controller number " + d.ControllerNumber + " at location " + d.ControllerLocation;
            d.DvdMediaType = d.Path == null ? DvdMediaType.None : DvdMediaType.ISO;
            return d;
        }

        public static List<HardDiskDrive> HardDiskDrives(IDictionary vm, IDictionary root)
        {
            var result = new List<HardDiskDrive>();
            foreach (object o in List(vm, "hard_drives")) if (o is IDictionary d) result.Add(HardDiskDrive(vm, d, root));
            return result;
        }

        public static List<DvdDrive> DvdDrives(IDictionary vm, IDictionary root)
        {
            var result = new List<DvdDrive>();
            foreach (object o in List(vm, "dvd_drives")) if (o is IDictionary d) result.Add(DvdDrive(vm, d, root));
            return result;
        }

        /// <summary>"drive:SCSI:0:1" (a hard drive or DVD drive) / "net:<adapter id>": how firmware.boot_order names a device.</summary>
        public static string BootReference(IDictionary drive)
        {
            return "drive:" + Enum(drive["controller_type"], ControllerType.SCSI) + ":" + Long(drive, "controller_number", 0).ToString(CultureInfo.InvariantCulture) +
                ":" + Long(drive, "controller_location", 0).ToString(CultureInfo.InvariantCulture);
        }

        /// <summary>The device a boot_order entry names (a drive or adapter dictionary of the VM), with its kind, or null.</summary>
        public static IDictionary BootDevice(IDictionary vm, string reference, out string kind)
        {
            kind = null;
            if (reference == null) return null;
            if (reference.StartsWith("net:", StringComparison.OrdinalIgnoreCase))
            {
                string id = reference.Substring(4);
                foreach (object o in List(vm, "network_adapters"))
                {
                    if (o is IDictionary a && string.Equals(Str(a, "id"), id, StringComparison.OrdinalIgnoreCase)) { kind = "net"; return a; }
                }
                return null;
            }
            foreach (string key in new[] { "hard_drives", "dvd_drives" })
            {
                foreach (object o in List(vm, key))
                {
                    if (o is IDictionary d && string.Equals(BootReference(d), reference, StringComparison.OrdinalIgnoreCase)) { kind = key == "hard_drives" ? "hdd" : "dvd"; return d; }
                }
            }
            return null;
        }

        public static VMFirmware Firmware(IDictionary vm, IDictionary root)
        {
            OrderedDictionary fw = Dict(vm, "firmware");
            var f = new VMFirmware();
            f.ComputerName = ComputerName(root);
            f.VMId = ToGuid(vm["id"]);
            f.VMName = Str(vm, "name", "");
            f.VMSnapshotId = Guid.Empty;
            f.VMSnapshotName = "";
            f.SecureBoot = Enum(fw == null ? null : fw["secure_boot"], OnOffState.On);
            f.SecureBootTemplate = Str(fw, "secure_boot_template", "MicrosoftWindows");
            string templateId = SecureBootTemplateId(f.SecureBootTemplate);
            f.SecureBootTemplateId = templateId == null ? (Guid?)null : new Guid(templateId);
            f.PreferredNetworkBootProtocol = Enum(fw == null ? null : fw["preferred_network_boot_protocol"], IPProtocolPreference.IPv4);
            f.ConsoleMode = Enum(fw == null ? null : fw["console_mode"], ConsoleModeType.Default);
            f.PauseAfterBootFailure = Enum(fw == null ? null : fw["pause_after_boot_failure"], OnOffState.Off);
            var order = new List<VMBootSource>();
            foreach (object o in BootOrder(vm))
            {
                string kind;
                IDictionary device = BootDevice(vm, Convert.ToString(o, CultureInfo.InvariantCulture), out kind);
                if (device == null) continue;
                var b = new VMBootSource();
                b.ComputerName = f.ComputerName;
                b.VMName = f.VMName;
                b.VMId = f.VMId;
                if (kind == "net")
                {
                    b.BootType = VMBootSourceType.Network;
                    b.Description = "EFI Network";
                    b.Device = NetworkAdapter(vm, device, root);
                    b.FirmwarePath = @"\AcpiEx(VMBus,0,0)\VenHw(9B17E5A2-0891-42DD-B653-80B5C22809BA," + Str(device, "id", "").ToUpperInvariant() + @")\MAC(" + Str(device, "mac", "000000000000") + ")";
                }
                else
                {
                    b.BootType = VMBootSourceType.Drive;
                    b.Description = "EFI SCSI Device";
                    b.Device = kind == "hdd" ? (VMComponentObject)HardDiskDrive(vm, device, root) : DvdDrive(vm, device, root);
                    b.FirmwarePath = @"\AcpiEx(VMBus,0,0)\VenHw(9B17E5A2-0891-42DD-B653-80B5C22809BA,D96361BAA104294DB60572E2FFB1DC7F" + ScsiControllerId.Replace("-", "") + @")\Scsi(" +
                        Long(device, "controller_number", 0).ToString(CultureInfo.InvariantCulture) + "," + Long(device, "controller_location", 0).ToString(CultureInfo.InvariantCulture) + ")";
                }
                order.Add(b);
            }
            f.BootOrder = order.ToArray();
            return f;
        }

        /// <summary>firmware.boot_order, or the order a new VM has: its drives (hard drives first), then its adapters.</summary>
        public static List<object> BootOrder(IDictionary vm)
        {
            OrderedDictionary fw = Dict(vm, "firmware");
            if (fw != null && fw["boot_order"] != null) return List(fw, "boot_order");
            var order = new List<object>();
            foreach (object o in List(vm, "hard_drives")) if (o is IDictionary d) order.Add(BootReference(d));
            foreach (object o in List(vm, "dvd_drives")) if (o is IDictionary d) order.Add(BootReference(d));
            foreach (object o in List(vm, "network_adapters")) if (o is IDictionary a) order.Add("net:" + Str(a, "id", ""));
            return order;
        }
    }
}
