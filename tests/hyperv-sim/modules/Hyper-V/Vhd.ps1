# New-VHD, Get-VHD, Mount-VHD, Dismount-VHD (the Hyper-V module's Microsoft.Vhd.PowerShell cmdlets).
# Parameter sets: docset/winserver2022-ps/hyper-v/<Cmdlet>.md; attributes as the module's generated stubs
# (dsccommunity/HyperVDsc). The disks are disks[] records with real files (types/SimFs.cs).

# A path as the cmdlet would take it: a drive path as it is, a relative one from the current location.
# $null: not on a drive of the simulated host (UNC, a Linux folder): the simulator cannot name it.
function script:Resolve-SimWindowsPath([System.Management.Automation.PSCmdlet]$Cmdlet, [string]$Path) {
    $n = [NestvirtSim.SimFs]::Normalize($Path)
    if ($n) { return $n }
    if (-not $Path -or $Path.StartsWith('\\')) { return $null }
    try { $full = $Cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath($Path) } catch { return $null }
    return [NestvirtSim.SimFs]::Normalize($full)
}

function script:Add-SimPathNotModelled($ctx, [string]$Path) {
    Add-SimError $ctx -Message "Hyper-V simulator: '$Path' is not a path on a drive of the simulated host (write it as D:\folder\file, on one of the scenario's host.volumes)." `
        -ErrorId InvalidParameter -Category InvalidArgument -Target $Path -Exception VirtualizationInvalidArgumentException
}

# "Failed to create the virtual hard disk. / The system failed to create '<path>'. / ...: <cause>"
# (AutomatedLab/AutomatedLab#266, microsoft/MSLab#386).
function script:Add-SimVhdCreateError($ctx, [string]$Path, [string]$Cause, [string]$ErrorId = 'OperationFailed', [string]$Category = 'NotSpecified') {
    Add-SimError $ctx -ErrorId $ErrorId -Category $Category -Exception VirtualizationException -Message (
        "Failed to create the virtual hard disk.`nThe system failed to create '$Path'.`nFailed to create the virtual hard disk.`nThe system failed to create '$Path': $Cause")
}

# "'<path>' is not an existing virtual hard disk file." (pluralsight/PS-AutoLab-Env#159, openzfsonwindows/openzfs#381)
function script:Add-SimVhdNotFound($ctx, [string]$Path) {
    Add-SimError $ctx -Message "'$Path' is not an existing virtual hard disk file." -ErrorId InvalidParameter -Category InvalidArgument -Target $Path -Exception VirtualizationException
}

function script:Add-SimVhdNotMountedNumber($ctx, [long]$Number) {
    Add-SimError $ctx -Message "Disk number $Number is not a mounted virtual hard disk." -ErrorId InvalidParameter -Category InvalidArgument -Target $Number -Exception VirtualizationInvalidArgumentException
}

$script:Win32FileExists = 'The file exists. (0x80070050).'
$script:Win32PathNotFound = 'The system cannot find the path specified. (0x80070003).'
$script:Win32FileNotFound = 'The system cannot find the file specified. (0x80070002).'
$script:Win32InUse = 'The process cannot access the file because it is being used by another process. (0x80070020).'

function New-VHD {
    [CmdletBinding(DefaultParameterSetName = 'DynamicWithoutSource', SupportsShouldProcess = $true, ConfirmImpact = 'Medium', PositionalBinding = $false)]
    [OutputType([Microsoft.Vhd.PowerShell.VirtualHardDisk])]
    param(
        [Parameter(Mandatory = $true, Position = 0, ValueFromPipeline = $true, ValueFromPipelineByPropertyName = $true)]
        [ValidateNotNullOrEmpty()]
        [string[]] $Path,

        [Parameter(ParameterSetName = 'Differencing', Mandatory = $true, Position = 1)]
        [ValidateNotNullOrEmpty()]
        [string] $ParentPath,

        [Parameter(ParameterSetName = 'FixedWithoutSource', Mandatory = $true, Position = 1)]
        [Parameter(ParameterSetName = 'DynamicWithoutSource', Mandatory = $true, Position = 1)]
        [Parameter(ParameterSetName = 'Differencing', Position = 2)]
        [ValidateNotNullOrEmpty()]
        [uint64] $SizeBytes,

        [Parameter(ParameterSetName = 'FixedWithSource', Mandatory = $true, ValueFromPipelineByPropertyName = $true)]
        [Parameter(ParameterSetName = 'DynamicWithSource', Mandatory = $true, ValueFromPipelineByPropertyName = $true)]
        [Alias('Number')]
        [ValidateNotNullOrEmpty()]
        [uint32] $SourceDisk,

        [Parameter(ParameterSetName = 'DynamicWithSource', Mandatory = $true)]
        [Parameter(ParameterSetName = 'DynamicWithoutSource')]
        [switch] $Dynamic,

        [Parameter(ParameterSetName = 'FixedWithSource', Mandatory = $true)]
        [Parameter(ParameterSetName = 'FixedWithoutSource', Mandatory = $true)]
        [switch] $Fixed,

        [Parameter(ParameterSetName = 'Differencing')]
        [switch] $Differencing,

        [ValidateNotNullOrEmpty()]
        [uint32] $BlockSizeBytes,

        [Parameter(ParameterSetName = 'FixedWithoutSource')]
        [Parameter(ParameterSetName = 'DynamicWithoutSource')]
        [ValidateSet('512', '4096')]
        [uint32] $LogicalSectorSizeBytes,

        [Parameter(ParameterSetName = 'Differencing')]
        [Parameter(ParameterSetName = 'FixedWithoutSource')]
        [Parameter(ParameterSetName = 'DynamicWithoutSource')]
        [ValidateSet('512', '4096')]
        [uint32] $PhysicalSectorSizeBytes,

        [switch] $AsJob,
        [ValidateNotNullOrEmpty()] [Microsoft.Management.Infrastructure.CimSession[]] $CimSession,
        [ValidateNotNullOrEmpty()] [string[]] $ComputerName,
        [ValidateNotNullOrEmpty()] [pscredential[]] $Credential
    )
    process {
        $ctx = Open-SimCall $PSCmdlet -Access HyperV
        try {
            if ($ctx.Ok) {
                $null = [NestvirtSim.SimFs]::Prepare($ctx.State, $true)
                $set = $PSCmdlet.ParameterSetName
                :disk foreach ($p in $Path) {
                    $win = Resolve-SimWindowsPath $PSCmdlet $p
                    if (-not $win) { Add-SimPathNotModelled $ctx $p; continue disk }
                    if (-not (Test-SimShouldProcess $PSCmdlet @($win, 'New-VHD'))) { continue disk }
                    if ($set -like '*WithSource') {
                        Add-SimError $ctx -Message 'Hyper-V simulator: New-VHD -SourceDisk (a copy of a physical disk) is not modelled.' -ErrorId NotSupported -Category NotImplemented -Exception VirtualizationException
                        continue disk
                    }
                    $format = [NestvirtSim.SimFs]::FormatOf($win)
                    if (-not $format) {
                        # Invented wording: the extension decides the format (New-VHD.md), others fail.
                        Add-SimVhdCreateError $ctx $win 'The file name extension is not that of a virtual hard disk (.vhd or .vhdx).' InvalidParameter InvalidArgument
                        continue disk
                    }
                    if ($null -ne [NestvirtSim.SimFs]::FindDisk($ctx.State, $win) -or [NestvirtSim.SimFs]::FileExists($win)) {
                        Add-SimVhdCreateError $ctx $win $script:Win32FileExists
                        continue disk
                    }
                    if (-not [NestvirtSim.SimFs]::FolderExists([NestvirtSim.SimFs]::ParentOf($win))) {
                        Add-SimVhdCreateError $ctx $win $script:Win32PathNotFound
                        continue disk
                    }
                    $parent = $null
                    $type = if ($set -eq 'Differencing') { 'Differencing' } elseif ($Fixed) { 'Fixed' } else { 'Dynamic' }
                    $size = [long]$SizeBytes
                    if ($set -eq 'Differencing') {
                        $parentWin = Resolve-SimWindowsPath $PSCmdlet $ParentPath
                        $parent = if ($parentWin) { [NestvirtSim.SimFs]::FindDisk($ctx.State, $parentWin) } else { $null }
                        if ($null -eq $parent) {
                            Add-SimVhdCreateError $ctx $win $script:Win32FileNotFound ObjectNotFound ObjectNotFound
                            continue disk
                        }
                        $parentSize = [NestvirtSim.SimFs]::Size($ctx.State, $parent)
                        if (-not $PSBoundParameters.ContainsKey('SizeBytes')) { $size = $parentSize }
                        elseif ($size -lt $parentSize) {
                            # Invented wording: a differencing disk may be larger than its parent, never smaller.
                            Add-SimVhdCreateError $ctx $win "The size of a differencing disk ($size bytes) cannot be smaller than the size of its parent ($parentSize bytes)." InvalidParameter InvalidArgument
                            continue disk
                        }
                        if ([NestvirtSim.SimFs]::FormatOf([string]$parent['path']) -ne $format) {
                            Add-SimVhdCreateError $ctx $win 'The format of a differencing disk must be that of its parent.' InvalidParameter InvalidArgument
                            continue disk
                        }
                    }
                    $max = if ($format -eq 'VHD') { 2040GB } else { 64TB }
                    if ($size -le 0 -or $size -gt $max) {
                        # Invented wording; the limits are the formats' (2040 GB for VHD, 64 TB for VHDX).
                        Add-SimVhdCreateError $ctx $win "The size $size bytes is outside what a $format file can hold (1 MB to $([long]($max / 1GB)) GB)." InvalidParameter InvalidArgument
                        continue disk
                    }
                    $disk = [NestvirtSim.SimFs]::CreateDisk($ctx.State, $win, $type, $size, $parent, [long]$BlockSizeBytes, [long]$LogicalSectorSizeBytes, [long]$PhysicalSectorSizeBytes)
                    if ($AsJob) { Add-SimOutput $ctx ([NestvirtSim.SimJob]::new("New-VHD -Path $win", "New-VHD ($win)", [string]$ctx.HostInfo['computer_name'], 0)) }
                    else { Add-SimOutput $ctx ([NestvirtSim.Factory]::VirtualHardDisk($disk, $ctx.State)) }
                }
            }
        }
        finally { Close-SimCall $ctx }
        Register-SimDrives   # the first file-making call of an older scenario made the host's folder
        foreach ($o in $ctx.Output) { if ($o -is [System.Management.Automation.Job]) { $PSCmdlet.JobRepository.Add($o) } }
        Complete-SimCall $ctx
    }
}

function Get-VHD {
    [CmdletBinding(DefaultParameterSetName = 'Path', PositionalBinding = $false)]
    [OutputType([Microsoft.Vhd.PowerShell.VirtualHardDisk])]
    param(
        [Parameter(ParameterSetName = 'Disk', Mandatory = $true, Position = 0, ValueFromPipelineByPropertyName = $true)]
        [Alias('Number')]
        [ValidateNotNullOrEmpty()]
        [uint32] $DiskNumber,

        [Parameter(ParameterSetName = 'Path', Mandatory = $true, Position = 0, ValueFromPipeline = $true, ValueFromPipelineByPropertyName = $true)]
        [Alias('FullName')]
        [ValidateNotNullOrEmpty()]
        [string[]] $Path,

        [Parameter(ParameterSetName = 'VMId', Mandatory = $true, Position = 0, ValueFromPipeline = $true, ValueFromPipelineByPropertyName = $true)]
        [Alias('Id')]
        [ValidateNotNullOrEmpty()]
        [guid[]] $VMId,

        [ValidateNotNullOrEmpty()] [Microsoft.Management.Infrastructure.CimSession[]] $CimSession,
        [ValidateNotNullOrEmpty()] [string[]] $ComputerName,
        [ValidateNotNullOrEmpty()] [pscredential[]] $Credential
    )
    process {
        $ctx = Open-SimCall $PSCmdlet -Access HyperV
        try {
            if ($ctx.Ok) {
                switch ($PSCmdlet.ParameterSetName) {
                    'Disk' {
                        $disk = [NestvirtSim.SimFs]::MountedByNumber($ctx.State, [long]$DiskNumber)
                        if ($null -eq $disk) { Add-SimVhdNotMountedNumber $ctx $DiskNumber }
                        else { Add-SimOutput $ctx ([NestvirtSim.Factory]::VirtualHardDisk($disk, $ctx.State)) }
                    }
                    'VMId' {
                        foreach ($id in $VMId) {
                            $machine = @($ctx.State['vms'] | Where-Object { [string]$_['id'] -eq [string]$id })
                            if ($machine.Count -eq 0) {
                                Add-SimError $ctx -Message "Hyper-V was unable to find a virtual machine with id `"$id`"." -ErrorId InvalidParameter -Category InvalidArgument -Target $id -Exception VirtualizationException
                                continue
                            }
                            foreach ($hd in [NestvirtSim.Factory]::List($machine[0], 'hard_drives')) {
                                $disk = [NestvirtSim.SimFs]::FindDisk($ctx.State, [string]$hd['path'])
                                if ($null -ne $disk) { Add-SimOutput $ctx ([NestvirtSim.Factory]::VirtualHardDisk($disk, $ctx.State)) }
                            }
                        }
                    }
                    default {
                        foreach ($p in $Path) {
                            $win = Resolve-SimWindowsPath $PSCmdlet $p
                            $disk = if ($win) { [NestvirtSim.SimFs]::FindDisk($ctx.State, $win) } else { $null }
                            if ($null -eq $disk) { Add-SimVhdNotFound $ctx $p; continue }
                            Add-SimOutput $ctx ([NestvirtSim.Factory]::VirtualHardDisk($disk, $ctx.State))
                        }
                    }
                }
            }
        }
        finally { Close-SimCall $ctx }
        Complete-SimCall $ctx
    }
}

function Mount-VHD {
    [CmdletBinding(SupportsShouldProcess = $true, ConfirmImpact = 'Medium', PositionalBinding = $false)]
    [OutputType([Microsoft.Vhd.PowerShell.VirtualHardDisk])]
    param(
        [Parameter(Mandatory = $true, Position = 0, ValueFromPipeline = $true, ValueFromPipelineByPropertyName = $true)]
        [Alias('FullName')]
        [ValidateNotNullOrEmpty()]
        [string[]] $Path,

        [switch] $NoDriveLetter,
        [switch] $ReadOnly,

        [Parameter(ValueFromPipelineByPropertyName = $true)]
        [System.Nullable[guid]] $SnapshotId,

        [switch] $Passthru,
        [ValidateNotNullOrEmpty()] [Microsoft.Management.Infrastructure.CimSession[]] $CimSession,
        [ValidateNotNullOrEmpty()] [string[]] $ComputerName,
        [ValidateNotNullOrEmpty()] [pscredential[]] $Credential
    )
    process {
        $ctx = Open-SimCall $PSCmdlet -Access HyperV
        try {
            if ($ctx.Ok) {
                $automount = Test-SimTrue $ctx.HostInfo 'automount' $true
                :disk foreach ($p in $Path) {
                    $win = Resolve-SimWindowsPath $PSCmdlet $p
                    $disk = if ($win) { [NestvirtSim.SimFs]::FindDisk($ctx.State, $win) } else { $null }
                    if ($null -eq $disk) { Add-SimVhdNotFound $ctx $p; continue disk }
                    if (-not (Test-SimShouldProcess $PSCmdlet @($win, 'Mount-VHD'))) { continue disk }
                    if ([NestvirtSim.SimFs]::InUse($ctx.State, $disk)) {
                        # Layout: dsccommunity/NetworkingDsc#312; the cause is Windows' sharing-violation text (chosen).
                        Add-SimError $ctx -ErrorId OperationFailed -Category NotSpecified -Exception VirtualizationException -Message (
                            "Failed to mount the virtual disk.`nThe system failed to mount '$win'.`nFailed to mount the virtual disk.`nThe system failed to mount '$win': $script:Win32InUse")
                        continue disk
                    }
                    $mounted = [NestvirtSim.Json]::NewObject()
                    $mounted['number'] = [NestvirtSim.SimFs]::NextDiskNumber($ctx.State)
                    $mounted['read_only'] = [bool]$ReadOnly
                    $mounted['letters'] = [NestvirtSim.Json]::NewObject()
                    $disk['mounted'] = $mounted
                    [NestvirtSim.SimFs]::EnsureContent($ctx.State, $disk)
                    if (-not $NoDriveLetter -and $automount) {
                        # The mount manager gives a letter to each data partition (GPT basic data, MBR IFS).
                        foreach ($part in [NestvirtSim.SimFs]::Partitions($ctx.State, $disk)) {
                            if ([string]$part['type'] -notin 'Basic', 'IFS') { continue }
                            $letter = [NestvirtSim.SimFs]::NextFreeLetter($ctx.State)
                            if ($letter) { [NestvirtSim.SimFs]::AssignLetter($ctx.State, $disk, [long]$part['number'], $letter) }
                        }
                    }
                    if ($Passthru) { Add-SimOutput $ctx ([NestvirtSim.Factory]::VirtualHardDisk($disk, $ctx.State)) }
                }
            }
        }
        finally { Close-SimCall $ctx }
        Register-SimDrives
        Complete-SimCall $ctx
    }
}

function Dismount-VHD {
    [CmdletBinding(DefaultParameterSetName = 'Path', SupportsShouldProcess = $true, ConfirmImpact = 'Medium', PositionalBinding = $false)]
    [OutputType([Microsoft.Vhd.PowerShell.VirtualHardDisk])]
    param(
        [Parameter(ParameterSetName = 'Disk', Mandatory = $true, Position = 0, ValueFromPipelineByPropertyName = $true)]
        [Alias('Number')]
        [ValidateNotNullOrEmpty()]
        [uint32] $DiskNumber,

        [Parameter(ParameterSetName = 'Path', Mandatory = $true, Position = 0, ValueFromPipeline = $true, ValueFromPipelineByPropertyName = $true)]
        [Alias('FullName')]
        [ValidateNotNullOrEmpty()]
        [string[]] $Path,

        [Parameter(ParameterSetName = 'Path', ValueFromPipelineByPropertyName = $true)]
        [System.Nullable[guid]] $SnapshotId,

        [switch] $Passthru,
        [ValidateNotNullOrEmpty()] [Microsoft.Management.Infrastructure.CimSession[]] $CimSession,
        [ValidateNotNullOrEmpty()] [string[]] $ComputerName,
        [ValidateNotNullOrEmpty()] [pscredential[]] $Credential
    )
    process {
        $ctx = Open-SimCall $PSCmdlet -Access HyperV
        try {
            if ($ctx.Ok) {
                $disks = [System.Collections.Generic.List[object]]::new()
                if ($PSCmdlet.ParameterSetName -eq 'Disk') {
                    $disk = [NestvirtSim.SimFs]::MountedByNumber($ctx.State, [long]$DiskNumber)
                    if ($null -eq $disk) { Add-SimVhdNotMountedNumber $ctx $DiskNumber } else { $disks.Add($disk) }
                }
                else {
                    foreach ($p in $Path) {
                        $win = Resolve-SimWindowsPath $PSCmdlet $p
                        $disk = if ($win) { [NestvirtSim.SimFs]::FindDisk($ctx.State, $win) } else { $null }
                        if ($null -eq $disk) { Add-SimVhdNotFound $ctx $p; continue }
                        if ($null -eq $disk['mounted']) {
                            # Invented wording (layout of Mount-VHD's errors).
                            Add-SimError $ctx -ErrorId InvalidParameter -Category InvalidArgument -Exception VirtualizationException -Message (
                                "Failed to dismount the virtual disk.`nThe system failed to dismount '$win'.`nThe virtual disk is not mounted.")
                            continue
                        }
                        $disks.Add($disk)
                    }
                }
                foreach ($disk in $disks) {
                    if (-not (Test-SimShouldProcess $PSCmdlet @([string]$disk['path'], 'Dismount-VHD'))) { continue }
                    [NestvirtSim.SimFs]::RemoveMounts($disk)
                    if ($Passthru) { Add-SimOutput $ctx ([NestvirtSim.Factory]::VirtualHardDisk($disk, $ctx.State)) }
                }
            }
        }
        finally { Close-SimCall $ctx }
        Register-SimDrives
        Complete-SimCall $ctx
    }
}
