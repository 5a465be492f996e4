// Stand-ins for the disk, drive and firmware objects of the Hyper-V module (Microsoft.HyperV.PowerShell,
// Microsoft.Vhd.PowerShell), for New-VM, New-VHD, Mount-VHD, Get-VMHardDiskDrive, Get-VMFirmware...
// Names, property names, property types and enum values follow the real module 2.0.0.0 as captured by
// dsccommunity/HyperVDsc's generated stubs (tests/Unit/Stubs/Hyper-V.stubs.psm1); the class hierarchy is
// the real one (Drive : VMDevice : VMComponentObject), so that a drive is a -FirstBootDevice argument.
using System;

namespace Microsoft.HyperV.PowerShell
{
    public enum BootDevice { Floppy = 0, CD = 1, IDE = 2, LegacyNetworkAdapter = 3, NetworkAdapter = 4, VHD = 5 }

    public enum ControllerType { IDE = 0, SCSI = 1, PMEM = 2 }

    public enum DvdMediaType { None = 0, ISO = 1, PassThrough = 2 }

    public enum ConsoleModeType { Default = 0, COM1 = 1, COM2 = 2, None = 3 }

    public enum IPProtocolPreference { IPv4 = 0, IPv6 = 1 }

    public enum CacheAttributes { Default = 0, WriteCacheEnabled = 1, WriteCacheAndFUAEnabled = 2, WriteCacheDisabled = 3 }

    public enum EnhancedSessionTransportType { VMBus = 0, HvSocket = 1 }

    public enum VMBootSourceType { Drive = 0, Network = 1, File = 2 }

    /// <summary>A hard disk drive or DVD drive of a VM (Get-VMHardDiskDrive, Get-VMDvdDrive).</summary>
    public abstract class Drive : VMDevice
    {
        public string Path { get; internal set; }
        public int ControllerLocation { get; internal set; }
        public int ControllerNumber { get; internal set; }
        public ControllerType ControllerType { get; internal set; }
        public string PoolName { get; internal set; }
    }

    public sealed class HardDiskDrive : Drive
    {
        public int? DiskNumber { get; internal set; }
        public ulong? MaximumIOPS { get; internal set; }
        public ulong? MinimumIOPS { get; internal set; }
        public Guid? QoSPolicyID { get; internal set; }
        public bool? SupportPersistentReservations { get; internal set; }
        public CacheAttributes? WriteHardeningMethod { get; internal set; }

        public override string ToString()
        {
            return "HardDiskDrive (Name = '" + Name + "', VMName = '" + VMName + "') [Id = '" + Id + "']";
        }
    }

    public sealed class DvdDrive : Drive
    {
        public DvdMediaType DvdMediaType { get; internal set; }

        public override string ToString()
        {
            return "DvdDrive (Name = '" + Name + "', VMName = '" + VMName + "') [Id = '" + Id + "']";
        }
    }

    /// <summary>Only a parameter type here (-VMDriveController): the simulator has no controller objects.</summary>
    public abstract class VMDriveController : VMDevice
    {
        public int ControllerNumber { get; internal set; }
    }

    /// <summary>An entry of VMFirmware.BootOrder.</summary>
    public sealed class VMBootSource : VirtualizationObject
    {
        public VMBootSourceType BootType { get; internal set; }
        public string Description { get; internal set; }
        public string FirmwarePath { get; internal set; }
        public VMComponentObject Device { get; internal set; }
        public string VMName { get; internal set; }
        public Guid VMId { get; internal set; }

        public override string ToString()
        {
            return "VMBootSource (Description = '" + Description + "', VMName = '" + VMName + "')";
        }
    }

    /// <summary>Get-VMFirmware / Set-VMFirmware -Passthru (generation 2 VMs only).</summary>
    public sealed class VMFirmware : VirtualizationObject
    {
        public VMBootSource[] BootOrder { get; internal set; }
        public IPProtocolPreference PreferredNetworkBootProtocol { get; internal set; }
        public OnOffState SecureBoot { get; internal set; }
        public Guid? SecureBootTemplateId { get; internal set; }
        public string SecureBootTemplate { get; internal set; }
        public ConsoleModeType ConsoleMode { get; internal set; }
        public OnOffState PauseAfterBootFailure { get; internal set; }
        public Guid VMId { get; internal set; }
        public string VMName { get; internal set; }
        public Guid VMSnapshotId { get; internal set; }
        public string VMSnapshotName { get; internal set; }

        public override string ToString()
        {
            return "VMFirmware (VMName = '" + VMName + "') [VMId = '" + VMId + "']";
        }
    }
}

namespace Microsoft.Virtualization.Client.Management
{
    public enum VirtualHardDiskPmemAddressAbstractionType { None = 0, BTT = 1, Unknown = 65535 }
}

namespace Microsoft.Vhd.PowerShell
{
    public enum VhdFormat { Unknown = 0, VHD = 2, VHDX = 3, VHDSet = 4 }

    public enum VhdType { Unknown = 0, Fixed = 2, Dynamic = 3, Differencing = 4 }

    /// <summary>New-VHD, Get-VHD, Mount-VHD -Passthru, Dismount-VHD -Passthru.</summary>
    public sealed class VirtualHardDisk
    {
        public string ComputerName { get; internal set; }
        public string Path { get; internal set; }
        public VhdFormat VhdFormat { get; internal set; }
        public VhdType VhdType { get; internal set; }
        public ulong FileSize { get; internal set; }
        public ulong Size { get; internal set; }
        public ulong? MinimumSize { get; internal set; }
        public uint LogicalSectorSize { get; internal set; }
        public uint PhysicalSectorSize { get; internal set; }
        public uint BlockSize { get; internal set; }
        public string ParentPath { get; internal set; }
        public string DiskIdentifier { get; internal set; }
        public uint? FragmentationPercentage { get; internal set; }
        public uint Alignment { get; internal set; }
        public bool Attached { get; internal set; }
        public uint? DiskNumber { get; internal set; }
        public bool IsPMEMCompatible { get; internal set; }
        public Microsoft.Virtualization.Client.Management.VirtualHardDiskPmemAddressAbstractionType AddressAbstractionType { get; internal set; }

        public override string ToString()
        {
            return "VirtualHardDisk (Path = '" + Path + "')";
        }
    }
}

namespace Microsoft.Vhd.PowerShell.Cmdlets
{
    // Never registered: they give the VHD cmdlets' errors their real FQID suffix
    // ("OperationFailed,Microsoft.Vhd.PowerShell.Cmdlets.NewVhd", microsoft/MSLab#386).
    using System.Management.Automation;

    public sealed class NewVhd : PSCmdlet { }
    public sealed class GetVhd : PSCmdlet { }
    public sealed class MountVhd : PSCmdlet { }
    public sealed class DismountVhd : PSCmdlet { }
}

namespace Microsoft.HyperV.PowerShell.Commands
{
    using System.Management.Automation;

    public sealed class NewVM : PSCmdlet { }
    public sealed class RemoveVM : PSCmdlet { }
    public sealed class SetVM : PSCmdlet { }
    public sealed class GetVMFirmware : PSCmdlet { }
    public sealed class SetVMFirmware : PSCmdlet { }
    public sealed class AddVMDvdDrive : PSCmdlet { }
    public sealed class GetVMDvdDrive : PSCmdlet { }
    public sealed class AddVMHardDiskDrive : PSCmdlet { }
    public sealed class GetVMHardDiskDrive : PSCmdlet { }
}
