// Stand-ins for the objects of the ServerManager (Get-/Install-WindowsFeature) and Dism
// (Get-/Enable-WindowsOptionalFeature) modules, as the simulated guests return them. Type, property
// and enum member names are the real ones; the enums' numeric values are the simulator's choice
// (nestvirt's scripts compare names). The simulator fills them in modules/ServerManager and Dism.
using System;

namespace Microsoft.Windows.ServerManager.Commands
{
    public enum InstallState { Available = 0, Installed = 1, InstallPending = 2, Removed = 3, UninstallPending = 4 }

    public enum RestartState { No = 0, Yes = 1, Maybe = 2 }

    public enum FeatureOperationExitCode
    {
        Success = 0, InvalidArgs = 87, Failed = 1000, FailedRestartRequired = 1001, NoChangeNeeded = 1003,
        SuccessRestartRequired = 3010,
    }

    public sealed class Feature
    {
        // -Name of Install-WindowsFeature is Feature[]: a string converts through this constructor.
        public Feature(string name) { Name = name; }

        internal Feature() { }

        public string Name { get; internal set; }
        public string DisplayName { get; internal set; }
        public string Description { get; internal set; }
        public bool Installed { get; internal set; }
        public InstallState InstallState { get; internal set; }
        public string FeatureType { get; internal set; }
        public string Path { get; internal set; }
        public int Depth { get; internal set; }
        public string[] DependsOn { get; internal set; }
        public string Parent { get; internal set; }
        public string[] SubFeatures { get; internal set; }
        public string[] SystemService { get; internal set; }
        public bool PostConfigurationNeeded { get; internal set; }

        public override string ToString() { return Name; }
    }

    public sealed class FeatureResult
    {
        public string DisplayName { get; internal set; }
        public int Id { get; internal set; }
        public string Message { get; internal set; }
        public string Name { get; internal set; }
        public bool RestartNeeded { get; internal set; }
        public string SkipReason { get; internal set; }
        public bool Success { get; internal set; }

        public override string ToString() { return DisplayName; }
    }

    public sealed class FeatureOperationResult
    {
        public bool Success { get; internal set; }
        public RestartState RestartNeeded { get; internal set; }
        public FeatureResult[] FeatureResult { get; internal set; }
        public FeatureOperationExitCode ExitCode { get; internal set; }
    }

    // Never registered as cmdlets: they give the error records the real FQID suffix
    // (Install-WindowsFeature is implemented by AddWindowsFeatureCommand; Add-WindowsFeature is its alias).
    public sealed class GetWindowsFeatureCommand : System.Management.Automation.PSCmdlet { }
    public sealed class AddWindowsFeatureCommand : System.Management.Automation.PSCmdlet { }
}

namespace Microsoft.Dism.Commands
{
    public enum FeatureState
    {
        Disabled = 0, Enabled = 1, DisablePending = 2, EnablePending = 3, DisabledWithPayloadRemoved = 4,
        Superseded = 5, PartiallyInstalled = 6,
    }

    public enum RestartType { No = 0, Possible = 1, Required = 2 }

    public enum LogLevel { Errors = 1, Warnings = 2, WarningsInfo = 3 }

    /// <summary>What Enable-WindowsOptionalFeature returns (and the base of FeatureObject).</summary>
    public class ImageObject
    {
        public string Path { get; internal set; }
        public bool Online { get; internal set; }
        public string WinPath { get; internal set; }
        public string SysDrivePath { get; internal set; }
        public bool RestartNeeded { get; internal set; }
        public string LogPath { get; internal set; }
        public string ScratchDirectory { get; internal set; }
        public LogLevel LogLevel { get; internal set; }
    }

    /// <summary>Get-WindowsOptionalFeature -FeatureName output.</summary>
    public sealed class FeatureObject : ImageObject
    {
        public string FeatureName { get; internal set; }
        public string DisplayName { get; internal set; }
        public string Description { get; internal set; }
        public RestartType RestartRequired { get; internal set; }
        public FeatureState State { get; internal set; }
        public object[] CustomProperties { get; internal set; }
    }

    /// <summary>Get-WindowsOptionalFeature without -FeatureName: the short form.</summary>
    public sealed class BasicFeatureObject : ImageObject
    {
        public string FeatureName { get; internal set; }
        public FeatureState State { get; internal set; }
    }

    public sealed class GetWindowsOptionalFeatureCommand : System.Management.Automation.PSCmdlet { }
    public sealed class EnableWindowsOptionalFeatureCommand : System.Management.Automation.PSCmdlet { }
}

namespace NestvirtSim
{
    using System.Collections.Generic;
    using Microsoft.Windows.ServerManager.Commands;
    using Microsoft.Dism.Commands;

    /// <summary>Builds the ServerManager and Dism objects (their setters are internal, as the real ones are read-only).</summary>
    public static class FeatureFactory
    {
        private static readonly Dictionary<string, string[]> Known = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase)
        {
            // name -> display name, type, parent, description
            { "Hyper-V", new[] { "Hyper-V", "Role", null, "Hyper-V provides the services that you can use to create and manage virtual machines and their resources." } },
            { "RSAT-Hyper-V-Tools", new[] { "Hyper-V Management Tools", "Feature", null, "Includes GUI and command-line tools for managing Hyper-V." } },
            { "Hyper-V-Tools", new[] { "Hyper-V GUI Management Tools", "Feature", "RSAT-Hyper-V-Tools", "Includes the Hyper-V Manager snap-in and Virtual Machine Connection tool." } },
            { "Hyper-V-PowerShell", new[] { "Hyper-V Module for Windows PowerShell", "Feature", "RSAT-Hyper-V-Tools", "Includes Windows PowerShell cmdlets for managing Hyper-V." } },
            { "Microsoft-Hyper-V-All", new[] { "Hyper-V", null, null, "Hyper-V services and management tools." } },
            { "Microsoft-Hyper-V", new[] { "Hyper-V Platform", null, null, "Provides the services that you can use to create and manage virtual machines and their resources." } },
            { "Microsoft-Hyper-V-Tools-All", new[] { "Hyper-V Management Tools", null, null, "Includes GUI and command-line tools for managing Hyper-V." } },
            { "Microsoft-Hyper-V-Management-PowerShell", new[] { "Hyper-V Module for Windows PowerShell", null, null, "Includes Windows PowerShell cmdlets for managing Hyper-V." } },
            { "Microsoft-Hyper-V-Hypervisor", new[] { "Hyper-V Hypervisor", null, null, "Provides the Hyper-V Hypervisor." } },
            { "Microsoft-Hyper-V-Services", new[] { "Hyper-V Services", null, null, "Provides the services that you can use to create and manage virtual machines and their resources." } },
            { "Microsoft-Hyper-V-Management-Clients", new[] { "Hyper-V GUI Management Tools", null, null, "Includes the Hyper-V Manager snap-in and Virtual Machine Connection tool." } },
        };

        private static string[] Info(string name)
        {
            string[] info;
            return Known.TryGetValue(name, out info) ? info : new[] { name, "Feature", null, "" };
        }

        public static Feature ServerFeature(string name, string state)
        {
            string[] info = Info(name);
            var f = new Feature();
            f.Name = name;
            f.DisplayName = info[0];
            f.Description = info[3];
            f.InstallState = (InstallState)Enum.Parse(typeof(InstallState), Guest.ServerState(state), true);
            f.Installed = f.InstallState == InstallState.Installed;
            f.FeatureType = info[1] ?? "Feature";
            f.Parent = info[2];
            f.Depth = info[2] == null ? 1 : 2;
            f.Path = info[2] == null ? info[0] : Info(info[2])[0] + "\\" + info[0];
            f.DependsOn = new string[0];
            var subs = new List<string>();
            foreach (KeyValuePair<string, string[]> k in Known) if (string.Equals(k.Value[2], name, StringComparison.OrdinalIgnoreCase)) subs.Add(k.Key);
            f.SubFeatures = subs.ToArray();
            f.SystemService = string.Equals(name, "Hyper-V", StringComparison.OrdinalIgnoreCase) ? new[] { "vmms" } : new string[0];
            f.PostConfigurationNeeded = false;
            return f;
        }

        public static string DisplayName(string name) { return Info(name)[0]; }

        /// <summary>The known sub-features of a feature, recursively (-IncludeAllSubFeature).</summary>
        public static string[] SubFeatures(string name)
        {
            var result = new List<string>();
            foreach (KeyValuePair<string, string[]> k in Known)
            {
                if (string.Equals(k.Value[2], name, StringComparison.OrdinalIgnoreCase))
                {
                    result.Add(k.Key);
                    result.AddRange(SubFeatures(k.Key));
                }
            }
            return result.ToArray();
        }

        public static FeatureResult Result(string name, bool success, bool restartNeeded, string message)
        {
            var r = new FeatureResult();
            r.Name = name;
            r.DisplayName = Info(name)[0];
            r.Id = Math.Abs(StringComparer.OrdinalIgnoreCase.GetHashCode(name)) % 1000;
            r.Message = message ?? "";
            r.RestartNeeded = restartNeeded;
            r.SkipReason = "NotSkipped";
            r.Success = success;
            return r;
        }

        public static FeatureOperationResult OperationResult(bool success, string restartNeeded, string exitCode, FeatureResult[] results)
        {
            var o = new FeatureOperationResult();
            o.Success = success;
            o.RestartNeeded = (RestartState)Enum.Parse(typeof(RestartState), restartNeeded, true);
            o.ExitCode = (FeatureOperationExitCode)Enum.Parse(typeof(FeatureOperationExitCode), exitCode, true);
            o.FeatureResult = results ?? new FeatureResult[0];
            return o;
        }

        private static void Image<T>(T o, bool restartNeeded) where T : ImageObject
        {
            o.Path = "";
            o.Online = true;
            o.WinPath = null;
            o.SysDrivePath = null;
            o.RestartNeeded = restartNeeded;
            o.LogPath = @"C:\Windows\Logs\DISM\dism.log";
            o.ScratchDirectory = null;
            o.LogLevel = LogLevel.WarningsInfo;
        }

        public static FeatureObject ClientFeature(string name, string state)
        {
            var f = new FeatureObject();
            Image(f, false);
            string[] info = Info(name);
            f.FeatureName = name;
            f.DisplayName = info[0];
            f.Description = info[3];
            f.State = (FeatureState)Enum.Parse(typeof(FeatureState), Guest.ClientState(state), true);
            f.RestartRequired = name.StartsWith("Microsoft-Hyper-V", StringComparison.OrdinalIgnoreCase) ? RestartType.Possible : RestartType.No;
            f.CustomProperties = new object[0];
            return f;
        }

        public static BasicFeatureObject BasicClientFeature(string name, string state)
        {
            var f = new BasicFeatureObject();
            Image(f, false);
            f.FeatureName = name;
            f.State = (FeatureState)Enum.Parse(typeof(FeatureState), Guest.ClientState(state), true);
            return f;
        }

        public static ImageObject EnableResult(bool restartNeeded)
        {
            var o = new ImageObject();
            Image(o, restartNeeded);
            return o;
        }
    }
}
