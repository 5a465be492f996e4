// The guest operating system of a simulated VM: which OS it is, whether it has booted, and the boot
// model (docs/simulator.md, "guest"): Start-VM, a guest reboot (shutdown.exe /r) or an extra reboot
// after an install leave {"boot": {"down_at", "up_at", "extra_left"}} in the VM's guest section.
// Whoever reads the state (Store.Begin -> Clock.ResolvePending -> Guest.Resolve) sees the guest
// not booted from down_at and booted again at up_at, when the boot completes: pending feature
// states become final, reboot_pending clears, boot_time is up_at and the vmms service follows the
// Hyper-V feature. Time passes without any background process: it is evaluated at read time.
using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.Specialized;
using System.Globalization;
using Microsoft.HyperV.PowerShell;

namespace NestvirtSim
{
    public static class Guest
    {
        /// <summary>LastBootUpTime of a guest that has no boot_time and no started_at.</summary>
        public const string DefaultBootTime = "2026-11-24T08:00:30Z";

        public static OrderedDictionary Section(IDictionary vm)
        {
            return vm == null ? null : vm["guest"] as OrderedDictionary;
        }

        /// <summary>The VM runs (a pending transition's "during" state counts, as Get-VM shows it).</summary>
        public static bool IsRunning(IDictionary vm)
        {
            return Factory.StateOf(vm) == VMState.Running;
        }

        /// <summary>Running and the guest OS has booted (guest.booted, default true).</summary>
        public static bool IsBooted(IDictionary vm)
        {
            return IsRunning(vm) && Factory.Bool(Section(vm), "booted", true);
        }

        // ---- the guest OS ---------------------------------------------------------------------

        /// <summary>
        /// guest.os as a complete object: family (windows/linux), caption, product_type, sku, build
        /// (string), version. Absent: Windows Server 2022 Datacenter. A string (the informative
        /// "os" of older scenarios, e.g. "Windows 10") picks the matching defaults.
        /// </summary>
        public static OrderedDictionary Os(IDictionary vm)
        {
            OrderedDictionary g = Section(vm);
            object raw = g == null ? null : g["os"];
            var os = Json.NewObject();
            if (raw is IDictionary d)
            {
                string family = Factory.Str(d, "family", "windows").ToLowerInvariant();
                os["family"] = family;
                if (family == "linux")
                {
                    os["caption"] = Factory.Str(d, "caption", "Ubuntu 22.04.4 LTS");
                    os["version"] = Factory.Str(d, "version", "5.15.0-91-generic");
                    os["build"] = Factory.Str(d, "build", (string)os["version"]);
                    os["product_type"] = Factory.Long(d, "product_type", 0);
                    os["sku"] = Factory.Long(d, "sku", 0);
                    return os;
                }
                long productType = Factory.Long(d, "product_type", 3);
                os["product_type"] = productType;
                os["caption"] = Factory.Str(d, "caption", productType == 1 ? "Microsoft Windows 11 Pro" : "Microsoft Windows Server 2022 Datacenter");
                os["sku"] = Factory.Long(d, "sku", productType == 1 ? 48 : 8);
                os["build"] = Factory.Str(d, "build", productType == 1 ? "22631" : "20348");
                os["version"] = Factory.Str(d, "version", "10.0." + os["build"]);
                return os;
            }
            string text = raw as string ?? "";
            os["family"] = "windows";
            string build = "20348";
            long type = 3;
            string caption = "Microsoft Windows Server 2022 Datacenter";
            if (text.IndexOf("Server 2019", StringComparison.OrdinalIgnoreCase) >= 0) { build = "17763"; caption = "Microsoft Windows Server 2019 Datacenter"; }
            else if (text.IndexOf("Server 2016", StringComparison.OrdinalIgnoreCase) >= 0) { build = "14393"; caption = "Microsoft Windows Server 2016 Datacenter"; }
            else if (text.IndexOf("Windows 11", StringComparison.OrdinalIgnoreCase) >= 0) { build = "22631"; type = 1; caption = "Microsoft Windows 11 Pro"; }
            else if (text.IndexOf("Windows 10", StringComparison.OrdinalIgnoreCase) >= 0) { build = "19045"; type = 1; caption = "Microsoft Windows 10 Pro"; }
            else if (text.IndexOf("Windows 8.1", StringComparison.OrdinalIgnoreCase) >= 0) { build = "9600"; type = 1; caption = "Microsoft Windows 8.1 Pro"; }
            os["caption"] = caption;
            os["product_type"] = type;
            os["sku"] = type == 1 ? 48L : 8L;
            os["build"] = build;
            os["version"] = (build == "9600" ? "6.3." : "10.0.") + build;
            return os;
        }

        public static bool IsLinux(IDictionary vm)
        {
            return "linux".Equals(Os(vm)["family"] as string, StringComparison.Ordinal);
        }

        /// <summary>LastBootUpTime: guest.boot_time, else when the VM started, else a fixed time.</summary>
        public static DateTime BootTime(IDictionary vm)
        {
            DateTime t = Clock.ParseTime(Factory.Str(Section(vm), "boot_time"));
            if (t == DateTime.MinValue) t = Clock.ParseTime(vm["started_at"]);
            if (t == DateTime.MinValue) t = Clock.ParseTime(DefaultBootTime);
            return t;
        }

        // ---- features (ServerManager and Dism vocabularies over one guest.features object) ------

        public static bool IsInstalledState(string state)
        {
            return "Installed".Equals(state, StringComparison.OrdinalIgnoreCase) || "Enabled".Equals(state, StringComparison.OrdinalIgnoreCase);
        }

        public static bool IsPendingState(string state)
        {
            return "InstallPending".Equals(state, StringComparison.OrdinalIgnoreCase) || "EnablePending".Equals(state, StringComparison.OrdinalIgnoreCase);
        }

        public static bool IsPayloadRemovedState(string state)
        {
            return "Removed".Equals(state, StringComparison.OrdinalIgnoreCase) || "DisabledWithPayloadRemoved".Equals(state, StringComparison.OrdinalIgnoreCase);
        }

        /// <summary>A feature state as Get-WindowsFeature names it (Available/Installed/InstallPending/Removed/UninstallPending).</summary>
        public static string ServerState(string state)
        {
            if (IsInstalledState(state)) return "Installed";
            if (IsPendingState(state)) return "InstallPending";
            if (IsPayloadRemovedState(state)) return "Removed";
            if ("UninstallPending".Equals(state, StringComparison.OrdinalIgnoreCase) || "DisablePending".Equals(state, StringComparison.OrdinalIgnoreCase)) return "UninstallPending";
            return "Available";
        }

        /// <summary>The same as Get-WindowsOptionalFeature names it (Disabled/Enabled/EnablePending/DisabledWithPayloadRemoved/DisablePending).</summary>
        public static string ClientState(string state)
        {
            if (IsInstalledState(state)) return "Enabled";
            if (IsPendingState(state)) return "EnablePending";
            if (IsPayloadRemovedState(state)) return "DisabledWithPayloadRemoved";
            if ("UninstallPending".Equals(state, StringComparison.OrdinalIgnoreCase) || "DisablePending".Equals(state, StringComparison.OrdinalIgnoreCase)) return "DisablePending";
            return "Disabled";
        }

        /// <summary>
        /// guest.features, or the edition's defaults when the scenario names none (not written to the
        /// state until a cmdlet changes a feature): a server has Hyper-V, Hyper-V-PowerShell,
        /// RSAT-Hyper-V-Tools Available; a client other than Home the Microsoft-Hyper-V* optional
        /// features Disabled; Home and Linux none.
        /// </summary>
        public static OrderedDictionary Features(IDictionary vm)
        {
            OrderedDictionary g = Section(vm);
            if (g != null && g["features"] is OrderedDictionary f) return f;
            var d = Json.NewObject();
            OrderedDictionary os = Os(vm);
            if (IsLinux(vm)) return d;
            if (Convert.ToInt64(os["product_type"], CultureInfo.InvariantCulture) != 1)
            {
                d["Hyper-V"] = "Available";
                d["Hyper-V-PowerShell"] = "Available";
                d["RSAT-Hyper-V-Tools"] = "Available";
                return d;
            }
            if (IsHome(os)) return d;
            foreach (string name in new[] { "Microsoft-Hyper-V-All", "Microsoft-Hyper-V", "Microsoft-Hyper-V-Tools-All",
                "Microsoft-Hyper-V-Management-PowerShell", "Microsoft-Hyper-V-Hypervisor", "Microsoft-Hyper-V-Services",
                "Microsoft-Hyper-V-Management-Clients" })
            {
                d[name] = "Disabled";
            }
            return d;
        }

        public static bool IsHome(IDictionary os)
        {
            long sku = Factory.Long(os, "sku", 0);
            return sku == 101 || sku == 100 || sku == 98 || sku == 99
                || Factory.Str(os, "caption", "").IndexOf(" Home", StringComparison.OrdinalIgnoreCase) >= 0;
        }

        /// <summary>guest.features for writing: the defaults are materialized on the first change.</summary>
        public static OrderedDictionary FeaturesForWrite(IDictionary vm)
        {
            OrderedDictionary g = Section(vm);
            if (g == null) { g = Json.NewObject(); vm["guest"] = g; }
            if (g["features"] is OrderedDictionary f) return f;
            f = Features(vm);
            g["features"] = f;
            return f;
        }

        // ---- the boot model ---------------------------------------------------------------------

        /// <summary>
        /// Starts a boot: the guest stops being booted <paramref name="delaySeconds"/> from now and is
        /// booted again guest.boot_seconds after that. A reboot (not a Start-VM) of a guest with
        /// never_returns never completes. A VM without a guest section boots at once (nothing to do).
        /// </summary>
        public static void StartBoot(IDictionary vm, double delaySeconds, bool reboot)
        {
            OrderedDictionary g = Section(vm);
            if (g == null) return;
            DateTime now = DateTime.UtcNow;
            StartBootAt(g, now.AddSeconds(Math.Max(0, delaySeconds)), reboot, -1);
            Resolve(vm, now);
        }

        /// <summary>A reboot is scheduled (shutdown.exe /t N) but the guest still runs.</summary>
        public static bool ShutdownScheduled(IDictionary vm)
        {
            OrderedDictionary b = Factory.Dict(Section(vm), "boot");
            return b != null && DateTime.UtcNow < Clock.ParseTime(b["down_at"]);
        }

        /// <summary>shutdown.exe /a: cancels a reboot that has not begun. False when none was scheduled.</summary>
        public static bool AbortShutdown(IDictionary vm)
        {
            if (!ShutdownScheduled(vm)) return false;
            Section(vm).Remove("boot");
            return true;
        }

        /// <summary>The VM was turned off: a boot in progress ends with it.</summary>
        public static void PoweredOff(IDictionary vm)
        {
            OrderedDictionary g = Section(vm);
            if (g != null && g.Contains("boot")) g.Remove("boot");
        }

        private static void StartBootAt(OrderedDictionary g, DateTime downAt, bool reboot, long extraLeft)
        {
            double seconds = g["boot_seconds"] == null ? 0 : Convert.ToDouble(g["boot_seconds"], CultureInfo.InvariantCulture);
            bool never = reboot && Factory.Bool(g, "never_returns", false);
            var b = Json.NewObject();
            b["down_at"] = Clock.Format(downAt);
            b["up_at"] = never ? null : Clock.Format(downAt.AddSeconds(Math.Max(0, seconds)));
            if (extraLeft >= 0) b["extra_left"] = extraLeft;
            g["boot"] = b;
        }

        /// <summary>Applies every boot step that is due at <paramref name="now"/> (Clock.ResolvePending).</summary>
        public static void Resolve(IDictionary vm, DateTime now)
        {
            OrderedDictionary g = Section(vm);
            if (g == null) return;
            for (int guard = 0; guard < 10000; guard++)
            {
                OrderedDictionary b = Factory.Dict(g, "boot");
                if (b == null) return;
                // Only a running VM boots (a saved or paused one resumes where it was).
                if (Factory.Enum(vm["state"], VMState.Off) != VMState.Running) return;
                if (now < Clock.ParseTime(b["down_at"])) return;
                if (!(g["booted"] is bool booted) || booted) g["booted"] = false;
                if (b["up_at"] == null) return;   // never returns
                DateTime up = Clock.ParseTime(b["up_at"]);
                if (now < up) return;
                Complete(vm, g, b, up);
            }
        }

        private static void Complete(IDictionary vm, OrderedDictionary g, OrderedDictionary b, DateTime up)
        {
            g.Remove("boot");
            g["booted"] = true;
            g["boot_time"] = Clock.Format(up);
            bool finished = false;
            if (g["features"] is OrderedDictionary features)
            {
                var names = new List<string>();
                foreach (DictionaryEntry e in features) names.Add(Convert.ToString(e.Key, CultureInfo.InvariantCulture));
                foreach (string name in names)
                {
                    string state = features[name] as string;
                    if ("InstallPending".Equals(state, StringComparison.OrdinalIgnoreCase)) { features[name] = "Installed"; finished = true; }
                    else if ("EnablePending".Equals(state, StringComparison.OrdinalIgnoreCase)) { features[name] = "Enabled"; finished = true; }
                    else if ("UninstallPending".Equals(state, StringComparison.OrdinalIgnoreCase)) features[name] = "Available";
                    else if ("DisablePending".Equals(state, StringComparison.OrdinalIgnoreCase)) features[name] = "Disabled";
                }
            }
            if (g["reboot_pending"] is OrderedDictionary pending)
            {
                var keys = new List<object>();
                foreach (DictionaryEntry e in pending) keys.Add(e.Key);
                foreach (object k in keys) pending[k] = false;
            }
            ApplyVmmsRule(vm, g);
            long extraLeft = b.Contains("extra_left") ? Factory.Long(b, "extra_left", 0) : (finished ? Factory.Long(g, "extra_reboots", 0) : 0);
            if (extraLeft > 0)
            {
                double delay = g["extra_reboot_delay_seconds"] == null ? 0 : Convert.ToDouble(g["extra_reboot_delay_seconds"], CultureInfo.InvariantCulture);
                StartBootAt(g, up.AddSeconds(Math.Max(0, delay)), true, extraLeft - 1);
            }
        }

        /// <summary>
        /// At boot: vmms Running when the Hyper-V feature is installed, the launch type is Auto and the
        /// VM exposes virtualization extensions; Stopped when installed but one of the two does not
        /// hold; absent when not installed. Only for guests whose scenario names features.
        /// </summary>
        private static void ApplyVmmsRule(IDictionary vm, OrderedDictionary g)
        {
            if (!(g["features"] is OrderedDictionary features)) return;
            string key = features.Contains("Hyper-V") ? "Hyper-V" : features.Contains("Microsoft-Hyper-V") ? "Microsoft-Hyper-V" : null;
            if (key == null) return;
            OrderedDictionary services = Factory.Dict(g, "services");
            if (!IsInstalledState(features[key] as string))
            {
                if (services != null && services.Contains("vmms")) services.Remove("vmms");
                return;
            }
            bool auto = "Auto".Equals(Factory.Str(g, "hypervisor_launch_type"), StringComparison.OrdinalIgnoreCase);
            bool expose = Factory.Bool(Factory.Dict(vm, "processor"), "expose_virtualization_extensions", false);
            string status = auto && expose ? "Running" : "Stopped";
            if (services == null) { services = Json.NewObject(); g["services"] = services; }
            if (services["vmms"] is OrderedDictionary svc) svc["status"] = status;
            else services["vmms"] = status;
        }
    }
}
