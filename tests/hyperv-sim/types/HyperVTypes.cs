// Stand-ins for the object model of the Hyper-V PowerShell module (Microsoft.HyperV.PowerShell.Objects.dll).
// Names, property names, property types and enum values follow the real module 2.0.0.0 (as captured by
// dsccommunity/HyperVDsc's generated stubs). Only the members nestvirt and its tests can meet are present.
// Properties are read-only from PowerShell, like the real live objects; the simulator fills them in
// NestvirtSim.Factory.
using System;
using System.Collections.Generic;

namespace Microsoft.HyperV.PowerShell
{
    public enum VMState
    {
        Other = 1, Running = 2, Off = 3, Stopping = 4, Saved = 6, Paused = 9, Starting = 10, Reset = 11,
        Saving = 32773, Pausing = 32776, Resuming = 32777, FastSaved = 32779, FastSaving = 32780,
        ForceShutdown = 32781, ForceReboot = 32782, Hibernated = 32783, ComponentServicing = 32784,
        RunningCritical = 32785, OffCritical = 32786, StoppingCritical = 32787, SavedCritical = 32788,
        PausedCritical = 32789, StartingCritical = 32790, ResetCritical = 32791, SavingCritical = 32792,
        PausingCritical = 32793, ResumingCritical = 32794, FastSavedCritical = 32795, FastSavingCritical = 32796,
    }

    public enum OnOffState { On = 0, Off = 1 }

    public enum VMSwitchType { Private = 0, Internal = 1, External = 2 }

    public enum VMSwitchBandwidthMode { Default = 0, Weight = 1, Absolute = 2, None = 3 }

    public enum CheckpointType { Disabled = 2, Production = 3, ProductionOnly = 4, Standard = 5 }

    public enum VMNetworkAdapterPortMirroringMode { None = 0, Destination = 1, Source = 2 }

    public enum IovInterruptModerationValue { Default = 0, Adaptive = 1, Off = 2, Low = 100, Medium = 200, High = 300 }

    public enum StartAction { Nothing = 2, StartIfRunning = 3, Start = 4 }

    public enum StopAction { TurnOff = 2, Save = 3, ShutDown = 4 }

    public enum CriticalErrorAction { None = 0, Pause = 1 }

    public enum VMHeartbeatStatus
    {
        Unknown = 0, Disabled = 1, NoContact = 2, Error = 3, LostCommunication = 4,
        OkApplicationsUnknown = 5, OkApplicationsHealthy = 6, OkApplicationsCritical = 7, Paused = 8,
    }

    public enum VMOperationalStatus
    {
        Ok = 2, Degraded = 3, PredictiveFailure = 5, InService = 11, Dormant = 15, SupportingEntityInError = 16,
    }

    public enum VMNetworkAdapterOperationalStatus
    {
        Unknown = 0, Other = 1, Ok = 2, Degraded = 3, Stressed = 4, PredictiveFailure = 5, Error = 6,
        NonRecoverableError = 7, Starting = 8, Stopping = 9, Stopped = 10, InService = 11, NoContact = 12,
        LostCommunication = 13, Aborted = 14, Dormant = 15, SupportingEntity = 16, Completed = 17, PowerMode = 18,
        ProtocolVersion = 32775,
    }

    /// <summary>Root of the real hierarchy: every Hyper-V object knows its host.</summary>
    public abstract class VirtualizationObject
    {
        public string ComputerName { get; internal set; }
        public bool IsDeleted { get; internal set; }
    }

    public abstract class VirtualMachineBase : VirtualizationObject
    {
        public string Name { get; internal set; }
        public Guid Id { get; internal set; }
        public VMState State { get; internal set; }
        public string Version { get; internal set; }
        public int Generation { get; internal set; }
        public long ProcessorCount { get; internal set; }
        public bool DynamicMemoryEnabled { get; internal set; }
        public long MemoryStartup { get; internal set; }
        public long MemoryMinimum { get; internal set; }
        public long MemoryMaximum { get; internal set; }
        public bool IsClustered { get; internal set; }
        public string Notes { get; internal set; }
        public Guid? ParentSnapshotId { get; internal set; }
        public string ParentSnapshotName { get; internal set; }
        public string Path { get; internal set; }
        public DateTime CreationTime { get; internal set; }
        public List<VMNetworkAdapter> NetworkAdapters { get; internal set; }
    }

    public sealed class VirtualMachine : VirtualMachineBase
    {
        // Alias properties that the real module's types.ps1xml adds.
        public string VMName { get { return Name; } }
        public Guid VMId { get { return Id; } }
        public Guid? ParentCheckpointId { get { return ParentSnapshotId; } }
        public string ParentCheckpointName { get { return ParentSnapshotName; } }

        public string ConfigurationLocation { get; internal set; }
        public string SnapshotFileLocation { get; internal set; }
        public StartAction AutomaticStartAction { get; internal set; }
        public StopAction AutomaticStopAction { get; internal set; }
        public CriticalErrorAction AutomaticCriticalErrorAction { get; internal set; }
        public bool AutomaticCheckpointsEnabled { get; internal set; }
        public CheckpointType CheckpointType { get; internal set; }
        public int CPUUsage { get; internal set; }
        public long MemoryAssigned { get; internal set; }
        public long MemoryDemand { get; internal set; }
        public string MemoryStatus { get; internal set; }
        public VMHeartbeatStatus? Heartbeat { get; internal set; }
        public string IntegrationServicesState { get; internal set; }
        public Version IntegrationServicesVersion { get; internal set; }
        public TimeSpan Uptime { get; internal set; }
        public VMOperationalStatus[] OperationalStatus { get; internal set; }
        public VMOperationalStatus? PrimaryOperationalStatus { get; internal set; }
        public string PrimaryStatusDescription { get; internal set; }
        public string Status { get; internal set; }
        public bool ResourceMeteringEnabled { get; internal set; }
        public int AutomaticStartDelay { get; internal set; }
        public string SmartPagingFilePath { get; internal set; }
        public OnOffState LockOnDisconnect { get; internal set; }
        public List<HardDiskDrive> HardDrives { get; internal set; }
        public List<DvdDrive> DVDDrives { get; internal set; }

        public override string ToString()
        {
            return "VirtualMachine (Name = '" + Name + "') [Id = '" + Id + "']";
        }
    }

    /// <summary>Only a parameter type here (-VMSnapshot); the simulator has no checkpoints.</summary>
    public sealed class VMSnapshot : VirtualMachineBase
    {
        public Guid VMId { get; internal set; }
        public string VMName { get; internal set; }
    }

    public sealed class VMProcessor : VirtualizationObject
    {
        public long Count { get; internal set; }
        public bool CompatibilityForMigrationEnabled { get; internal set; }
        public bool CompatibilityForOlderOperatingSystemsEnabled { get; internal set; }
        public long HwThreadCountPerCore { get; internal set; }
        public bool ExposeVirtualizationExtensions { get; internal set; }
        public bool EnablePerfmonPmu { get; internal set; }
        public bool EnablePerfmonLbr { get; internal set; }
        public bool EnablePerfmonPebs { get; internal set; }
        public bool EnablePerfmonIpt { get; internal set; }
        public bool EnableLegacyApicMode { get; internal set; }
        public long Maximum { get; internal set; }
        public long Reserve { get; internal set; }
        public int RelativeWeight { get; internal set; }
        public long MaximumCountPerNumaNode { get; internal set; }
        public long MaximumCountPerNumaSocket { get; internal set; }
        public bool EnableHostResourceProtection { get; internal set; }
        public string ResourcePoolName { get; internal set; }
        public string Name { get; internal set; }
        public string Id { get; internal set; }
        public Guid VMId { get; internal set; }
        public string VMName { get; internal set; }
        public Guid VMSnapshotId { get; internal set; }
        public string VMSnapshotName { get; internal set; }
    }

    public sealed class VMMemory : VirtualizationObject
    {
        public string ResourcePoolName { get; internal set; }
        public int Buffer { get; internal set; }
        public bool DynamicMemoryEnabled { get; internal set; }
        public long Maximum { get; internal set; }
        public long MaximumPerNumaNode { get; internal set; }
        public long Minimum { get; internal set; }
        public int Priority { get; internal set; }
        public long Startup { get; internal set; }
        public string Name { get; internal set; }
        public string Id { get; internal set; }
        public Guid VMId { get; internal set; }
        public string VMName { get; internal set; }
        public Guid VMSnapshotId { get; internal set; }
        public string VMSnapshotName { get; internal set; }
    }

    /// <summary>The real hierarchy: VMNetworkAdapterBase : VMDevice : VMComponentObject, so that an adapter is a
    /// Set-VMFirmware -FirstBootDevice / -BootOrder argument (Name, Id, VMId, VMName come from VMComponentObject).</summary>
    public abstract class VMNetworkAdapterBase : VMDevice
    {
        public bool IsManagementOs { get; internal set; }
        public bool IsExternalAdapter { get; internal set; }
        public string SwitchName { get; internal set; }
        public Guid? SwitchId { get; internal set; }
        public string MacAddress { get; internal set; }
        public string AdapterId { get; internal set; }
        public VMNetworkAdapterOperationalStatus[] Status { get; internal set; }
        public string[] StatusDescription { get; internal set; }
        public OnOffState MacAddressSpoofing { get; internal set; }
        public OnOffState DhcpGuard { get; internal set; }
        public OnOffState RouterGuard { get; internal set; }
        public VMNetworkAdapterPortMirroringMode PortMirroringMode { get; internal set; }
        public OnOffState IeeePriorityTag { get; internal set; }
        public uint VirtualSubnetId { get; internal set; }
        public uint DynamicIPAddressLimit { get; internal set; }
        public uint StormLimit { get; internal set; }
        public OnOffState AllowTeaming { get; internal set; }
        public OnOffState FixSpeed10G { get; internal set; }
        public uint VMQWeight { get; internal set; }
        public bool VrssEnabled { get; internal set; }
        public bool VmmqEnabled { get; internal set; }
        public uint BandwidthPercentage { get; internal set; }
        public bool IsTemplate { get; internal set; }
    }

    public sealed class VMNetworkAdapter : VMNetworkAdapterBase
    {
        public bool Connected { get; internal set; }
        public bool DynamicMacAddressEnabled { get; internal set; }
        public bool IsLegacy { get; internal set; }
        public bool IsSynthetic { get; internal set; }
        public string[] IPAddresses { get; internal set; }
        public OnOffState DeviceNaming { get; internal set; }
        public uint IovWeight { get; internal set; }
        public uint IovQueuePairsRequested { get; internal set; }
        public IovInterruptModerationValue IovInterruptModeration { get; internal set; }
        public string[] MandatoryFeatureId { get; internal set; }
        public string PoolName { get; internal set; }
        public string TestReplicaPoolName { get; internal set; }
        public string TestReplicaSwitchName { get; internal set; }
        public bool ClusterMonitored { get; internal set; }

        public override string ToString()
        {
            return "VMNetworkAdapter (Name = '" + Name + "', VMName = '" + VMName + "') [VMId = '" + VMId + "']";
        }
    }

    public sealed class VMInternalNetworkAdapter : VMNetworkAdapterBase
    {
        public string DeviceId { get; internal set; }

        public override string ToString()
        {
            return "VMInternalNetworkAdapter (Name = '" + Name + "') [Id = '" + Id + "']";
        }
    }

    public sealed class VMSwitch : VirtualizationObject
    {
        public string Name { get; internal set; }
        public Guid Id { get; internal set; }
        public string Notes { get; internal set; }
        public VMSwitchType SwitchType { get; internal set; }
        public bool AllowManagementOS { get; internal set; }
        public string NetAdapterInterfaceDescription { get; internal set; }
        public string[] NetAdapterInterfaceDescriptions { get; internal set; }
        public VMSwitchBandwidthMode BandwidthReservationMode { get; internal set; }
        public bool PacketDirectEnabled { get; internal set; }
        public bool EmbeddedTeamingEnabled { get; internal set; }
        public bool IovEnabled { get; internal set; }
        public bool IovSupport { get; internal set; }
        public string[] IovSupportReasons { get; internal set; }

        public override string ToString()
        {
            return "VMSwitch (Name = '" + Name + "') [Id = '" + Id + "']";
        }
    }

    public sealed class VMHost : VirtualizationObject
    {
        public string Name { get; internal set; }
        public string FullyQualifiedDomainName { get; internal set; }
        public int LogicalProcessorCount { get; internal set; }
        public long MemoryCapacity { get; internal set; }
        public IReadOnlyList<string> SupportedVmVersions { get; internal set; }
        public string VirtualHardDiskPath { get; internal set; }
        public string VirtualMachinePath { get; internal set; }
        public string MacAddressMinimum { get; internal set; }
        public string MacAddressMaximum { get; internal set; }
        public bool NumaSpanningEnabled { get; internal set; }
        public bool EnableEnhancedSessionMode { get; internal set; }
        public bool VirtualMachineMigrationEnabled { get; internal set; }
        public uint MaximumStorageMigrations { get; internal set; }
        public uint MaximumVirtualMachineMigrations { get; internal set; }
        public bool IovSupport { get; internal set; }
        public List<VMInternalNetworkAdapter> InternalNetworkAdapters { get; internal set; }
    }

    public sealed class VMHostSupportedVersion : VirtualizationObject
    {
        public string Name { get; internal set; }
        public Version Version { get; internal set; }
        public bool IsDefault { get; internal set; }
    }

    public enum VMIntegrationComponentOperationalStatus
    {
        Ok = 2, Degraded = 3, Error = 6, NonRecoverableError = 7, NoContact = 12, LostCommunication = 13,
        ProtocolMismatch = 32775, ApplicationCritical = 32782, CommunicationTimedOut = 32783, CommunicationFailed = 32784,
        Disabled = 32896,
    }

    /// <summary>The real hierarchy: VMIntegrationComponent : VMDevice : VMComponentObject : VirtualizationObject.</summary>
    public abstract class VMComponentObject : VirtualizationObject
    {
        public string Name { get; internal set; }
        public string Id { get; internal set; }
        public Guid VMId { get; internal set; }
        public string VMName { get; internal set; }
        public Guid VMSnapshotId { get; internal set; }
        public string VMSnapshotName { get; internal set; }
        // Alias properties of the real module's types.ps1xml.
        public Guid VMCheckpointId { get { return VMSnapshotId; } }
        public string VMCheckpointName { get { return VMSnapshotName; } }
    }

    public abstract class VMDevice : VMComponentObject { }

    /// <summary>Get-VMIntegrationService output. Heartbeat, Time Synchronization and VSS are of this
    /// type; Key-Value Pair Exchange, Guest Service Interface and Shutdown of the subclasses below.</summary>
    public class VMIntegrationComponent : VMDevice
    {
        public bool Enabled { get; internal set; }
        public VMIntegrationComponentOperationalStatus[] OperationalStatus { get; internal set; }
        public string[] StatusDescription { get; internal set; }

        public VMIntegrationComponentOperationalStatus? PrimaryOperationalStatus
        {
            get { return OperationalStatus != null && OperationalStatus.Length > 0 ? OperationalStatus[0] : (VMIntegrationComponentOperationalStatus?)null; }
        }

        public string PrimaryStatusDescription
        {
            get { return StatusDescription != null && StatusDescription.Length > 0 ? StatusDescription[0] : null; }
        }

        public VMIntegrationComponentOperationalStatus? SecondaryOperationalStatus
        {
            get { return OperationalStatus != null && OperationalStatus.Length > 1 ? OperationalStatus[1] : (VMIntegrationComponentOperationalStatus?)null; }
        }

        public string SecondaryStatusDescription
        {
            get { return StatusDescription != null && StatusDescription.Length > 1 ? StatusDescription[1] : null; }
        }

        public override string ToString()
        {
            return "VMIntegrationComponent (Name = '" + Name + "', VMName = '" + VMName + "') [Id = '" + Id + "', VMId = '" + VMId + "']";
        }
    }

    public sealed class DataExchangeComponent : VMIntegrationComponent { }

    public sealed class GuestServiceInterfaceComponent : VMIntegrationComponent { }

    public sealed class ShutdownComponent : VMIntegrationComponent { }

    /// <summary>The exception type behind every Hyper-V cmdlet error ("..., VirtualizationException").</summary>
    public class VirtualizationException : Exception
    {
        public VirtualizationException(string message) : base(message) { }
        public VirtualizationException(string message, Exception inner) : base(message, inner) { }
    }

    public class VirtualizationInvalidArgumentException : VirtualizationException
    {
        public VirtualizationInvalidArgumentException(string message) : base(message) { }
    }

    public class VirtualizationOperationFailedException : VirtualizationException
    {
        public VirtualizationOperationFailedException(string message) : base(message) { }
    }
}

namespace Microsoft.HyperV.PowerShell.Commands
{
    // Never registered as cmdlets. They exist so that the simulator's error records carry the real
    // FullyQualifiedErrorId suffix ("ObjectNotFound,Microsoft.HyperV.PowerShell.Commands.SetVMProcessor"),
    // which PowerShell derives from the implementing type of the command in the record's InvocationInfo.
    using System.Management.Automation;

    public sealed class GetVM : PSCmdlet { }
    public sealed class StartVM : PSCmdlet { }
    public sealed class StopVM : PSCmdlet { }
    public sealed class UpdateVMVersion : PSCmdlet { }
    public sealed class RemoveVMSavedState : PSCmdlet { }
    public sealed class GetVMProcessor : PSCmdlet { }
    public sealed class SetVMProcessor : PSCmdlet { }
    public sealed class GetVMMemory : PSCmdlet { }
    public sealed class SetVMMemory : PSCmdlet { }
    public sealed class GetVMNetworkAdapter : PSCmdlet { }
    public sealed class SetVMNetworkAdapter : PSCmdlet { }
    public sealed class ConnectVMNetworkAdapter : PSCmdlet { }
    public sealed class DisconnectVMNetworkAdapter : PSCmdlet { }
    public sealed class GetVMHost : PSCmdlet { }
    public sealed class GetVMHostSupportedVersion : PSCmdlet { }
    public sealed class NewVMSwitch : PSCmdlet { }
    public sealed class GetVMSwitch : PSCmdlet { }
    public sealed class RemoveVMSwitch : PSCmdlet { }
    public sealed class GetVMIntegrationService : PSCmdlet { }
}

namespace Microsoft.Management.Infrastructure.CimCmdlets
{
    // Same purpose for Get-CimInstance (the real CimCmdlets assembly ships for Windows only).
    public sealed class GetCimInstanceCommand : System.Management.Automation.PSCmdlet { }
}

namespace Microsoft.PowerShell.Commands
{
    // Get-Service inside a simulated guest (PowerShell on Linux has no service cmdlets).
    public sealed class GetServiceCommand : System.Management.Automation.PSCmdlet { }

    public class ServiceCommandException : SystemException
    {
        public ServiceCommandException(string message) : base(message) { }
    }
}

namespace Microsoft.PowerShell.Cmdletization.Cim
{
    /// <summary>What CDXML cmdlets (NetAdapter, NetTCPIP...) report for "no object matched the query".</summary>
    public class CimJobException : SystemException
    {
        public CimJobException(string message) : base(message) { }
    }
}

namespace Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetIPAddress
{
    // Enum parameter types of the NetTCPIP CDXML cmdlets (values of MSFT_NetIPAddress).
    public enum AddressFamily : ushort { IPv4 = 2, IPv6 = 23 }
    public enum Type : byte { Unicast = 1, Anycast = 2 }
    public enum PrefixOrigin : uint { Other = 0, Manual = 1, WellKnown = 2, Dhcp = 3, RouterAdvertisement = 4 }
    public enum SuffixOrigin : uint { Other = 0, Manual = 1, WellKnown = 2, Dhcp = 3, Link = 4, Random = 5 }
    public enum AddressState : uint { Invalid = 0, Tentative = 1, Duplicate = 2, Deprecated = 3, Preferred = 4 }
    public enum Store : byte { PersistentStore = 0, ActiveStore = 1 }
}

namespace Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetIPInterface
{
    // Enum parameter types of Get-/Set-NetIPInterface (values of MSFT_NetIPInterface).
    public enum AddressFamily : ushort { IPv4 = 2, IPv6 = 23 }
    public enum Dhcp : byte { Disabled = 0, Enabled = 1 }
}

namespace Microsoft.PowerShell.Cmdletization.GeneratedTypes.DnsClientServerAddress
{
    public enum AddressFamily : ushort { IPv4 = 2, IPv6 = 23 }
}
