# Simulated Storage module: Get-Disk, Get-Partition, Set-Partition, Get-Volume, Add-PartitionAccessPath
# (docset/winserver2022-ps/storage/<Cmdlet>.md), over the host's volumes and the VHDs Mount-VHD mounted
# (types/SimFs.cs; docs/simulator.md, "Files, disks and images"). CDXML cmdlets: their errors end in the
# cmdlet name, the CIM objects are MSFT_Disk, MSFT_Partition, MSFT_Volume of ROOT/Microsoft/Windows/Storage.
$script:SimModuleName = 'Storage'
$script:SimCimClass = 'MSFT_Partition'
$script:SimCimNamespace = 'ROOT/Microsoft/Windows/Storage'
$simLib = [System.IO.DirectoryInfo]::new($PSScriptRoot)
if ($null -ne $simLib.ResolveLinkTarget($true)) { $simLib = [System.IO.DirectoryInfo]::new($simLib.ResolveLinkTarget($true).FullName) }
$simLib = Join-Path $simLib.Parent.Parent.FullName 'lib'
. (Join-Path $simLib 'SimCore.ps1')
. (Join-Path $simLib 'SimDrives.ps1')
Remove-Variable -Name simLib
$script:StorageNs = 'ROOT/Microsoft/Windows/Storage'
try { $null = [NestvirtSim.Store]::Read() } catch { }   # makes the host's folder of a fresh state
Register-SimDrives

# ---- the disks the host sees ---------------------------------------------------------------------

function script:New-SimStableGuid([string]$Text) {
    $bytes = [System.Security.Cryptography.SHA256]::HashData([System.Text.Encoding]::UTF8.GetBytes($Text))
    [guid]::new([byte[]]$bytes[0..15]).ToString()
}

# A partition of Get-SimStorageDisks, every field present (strict mode).
function script:New-SimStoragePart([hashtable]$Fields) {
    $p = [ordered]@{ Number = 0; Type = 'Basic'; Offset = 0; Size = 0; GptType = $null; MbrType = 0; Letter = $null; Active = $false
        FileSystem = $null; Label = ''; Free = $null; IsBoot = $false; IsSystem = $false }
    foreach ($key in $Fields.Keys) { $p[$key] = $Fields[$key] }
    return [pscustomobject]$p
}

# One entry per disk: the host's (one per volume: number, system partitions on the first) and each
# mounted VHD. Partitions: @{ Number; Type; Offset; Size; GptType; MbrType; Letter; Active; FileSystem; Label; Free }.
function script:Get-SimStorageDisks($ctx) {
    $result = [System.Collections.Generic.List[object]]::new()
    $volumes = [NestvirtSim.SimFs]::Volumes($ctx.State)
    $mb = 1MB
    for ($i = 0; $i -lt $volumes.Count; $i++) {
        $v = $volumes[$i]
        $letter = ([string]$v['letter']).Substring(0, 1).ToUpperInvariant()
        $size = [NestvirtSim.Factory]::Long($v, 'size', 512GB)
        $free = [NestvirtSim.Factory]::Long($v, 'free', [long]($size / 2))
        $parts = [System.Collections.Generic.List[object]]::new()
        if ($i -eq 0) {
            $parts.Add((New-SimStoragePart @{ Number = 1; Type = 'System'; Offset = $mb; Size = 100 * $mb; GptType = '{c12a7328-f81f-11d2-ba4b-00a0c93ec93b}'; FileSystem = 'FAT32'; IsSystem = $true }))
            $parts.Add((New-SimStoragePart @{ Number = 2; Type = 'Reserved'; Offset = 101 * $mb; Size = 16 * $mb; GptType = '{e3c9e316-0b5c-4db8-817d-f92df00215ae}' }))
            $parts.Add((New-SimStoragePart @{ Number = 3; Type = 'Basic'; Offset = 117 * $mb; Size = $size; GptType = '{ebd0a0a2-b9e5-4433-87c0-68b6b72699c7}'; Letter = $letter; FileSystem = 'NTFS'; Label = [NestvirtSim.Factory]::Str($v, 'label', ''); Free = $free; IsBoot = $true }))
            $parts.Add((New-SimStoragePart @{ Number = 4; Type = 'Recovery'; Offset = 117 * $mb + $size; Size = 600 * $mb; GptType = '{de94bba4-06d1-4d40-a16a-bfd50179d6ac}'; FileSystem = 'NTFS' }))
        }
        else {
            $parts.Add((New-SimStoragePart @{ Number = 1; Type = 'Reserved'; Offset = 17408; Size = 16 * $mb; GptType = '{e3c9e316-0b5c-4db8-817d-f92df00215ae}' }))
            $parts.Add((New-SimStoragePart @{ Number = 2; Type = 'Basic'; Offset = 17 * $mb; Size = $size; GptType = '{ebd0a0a2-b9e5-4433-87c0-68b6b72699c7}'; Letter = $letter; FileSystem = 'NTFS'; Label = [NestvirtSim.Factory]::Str($v, 'label', ''); Free = $free }))
        }
        $result.Add([pscustomobject]@{
                Kind = 'host'; Number = [long]$i; Record = $v; Id = (New-SimStableGuid "host-disk-$i")
                FriendlyName = [NestvirtSim.Factory]::Str($v, 'disk_name', 'NVMe Disk'); BusType = 'NVMe'
                Location = "PCI Slot $i : Bus $i : Device 0 : Function 0 : Adapter 0"
                Size = $size + 1GB; Style = 'GPT'; ReadOnly = $false; Partitions = $parts; IsSystem = ($i -eq 0)
            })
    }
    foreach ($d in [NestvirtSim.Factory]::List($ctx.State, 'disks')) {
        if ($d['mounted'] -isnot [System.Collections.IDictionary]) { continue }
        $letters = $d['mounted']['letters']
        $style = [NestvirtSim.SimFs]::PartitionStyle($ctx.State, $d)
        $parts = [System.Collections.Generic.List[object]]::new()
        foreach ($p in [NestvirtSim.SimFs]::Partitions($ctx.State, $d)) {
            $number = [long]$p['number']
            $letter = if ($letters -is [System.Collections.IDictionary]) { [NestvirtSim.Factory]::Str($letters, [string]$number) } else { $null }
            $type = [string]$p['type']
            $fs = switch ($type) { 'System' { 'FAT32' } 'Reserved' { $null } default { 'NTFS' } }
            $psize = [long]$p['size']
            $parts.Add((New-SimStoragePart @{ Number = $number; Type = $type; Offset = [long]$p['offset']; Size = $psize; GptType = [NestvirtSim.Factory]::Str($p, 'gpt_type')
                    MbrType = [NestvirtSim.Factory]::Long($p, 'mbr_type', 0); Active = (Test-SimTrue $p 'active' $false); Letter = $letter; FileSystem = $fs
                    Label = $(if ($type -eq 'Recovery') { 'Recovery' } else { '' }); Free = [long]($psize * 0.7)
                }))
        }
        $result.Add([pscustomobject]@{
                Kind = 'vhd'; Number = [long]$d['mounted']['number']; Record = $d; Id = ([string]$d['id']).ToLowerInvariant()
                FriendlyName = 'Msft Virtual Disk'; BusType = 'File Backed Virtual'; Location = [string]$d['path']
                Size = [NestvirtSim.SimFs]::Size($ctx.State, $d); Style = $style; ReadOnly = (Test-SimTrue $d['mounted'] 'read_only' $false)
                Partitions = $parts; IsSystem = $false
            })
    }
    return , $result
}

function script:Get-SimDiskDevicePath($disk) {
    if ($disk.Kind -eq 'vhd') { return "\\?\scsi#disk&ven_msft&prod_virtual_disk#2&1f4adffe&0&00000$($disk.Number)#{53f56307-b6bf-11d0-94f2-00a0c91efb8b}" }
    return "\\?\scsi#disk&ven_nvme&prod_disk#4&2c3b4d5e&0&0$($disk.Number)0000#{53f56307-b6bf-11d0-94f2-00a0c91efb8b}"
}

function script:Get-SimVolumePath($disk, $part) { "\\?\Volume{$(New-SimStableGuid "volume-$($disk.Id)-$($part.Number)")}\" }

function script:ConvertTo-SimDiskCim($ctx, $disk) {
    $unique = if ($disk.Kind -eq 'vhd') { '60022480' + $disk.Id.Replace('-', '').Substring(0, 24).ToUpperInvariant() } else { 'eui.' + $disk.Id.Replace('-', '').Substring(0, 16).ToUpperInvariant() }
    $props = [ordered]@{
        Number             = [uint32]$disk.Number
        FriendlyName       = $disk.FriendlyName
        SerialNumber       = $(if ($disk.Kind -eq 'vhd') { '' } else { $disk.Id.Substring(0, 8).ToUpperInvariant() })
        UniqueId           = $unique
        Path               = Get-SimDiskDevicePath $disk
        Location           = $disk.Location
        Manufacturer       = $(if ($disk.Kind -eq 'vhd') { 'Msft' } else { '' })
        Model              = $(if ($disk.Kind -eq 'vhd') { 'Virtual Disk' } else { $disk.FriendlyName })
        BusType            = $disk.BusType
        Size               = [uint64]$disk.Size
        AllocatedSize      = [uint64]$(if ($disk.Style -eq 'RAW') { 0 } else { $disk.Size })
        LogicalSectorSize  = [uint32]512
        PhysicalSectorSize = [uint32]4096
        PartitionStyle     = $disk.Style
        NumberOfPartitions = [uint32]$disk.Partitions.Count
        Guid               = $(if ($disk.Style -eq 'GPT') { '{' + (New-SimStableGuid "gpt-$($disk.Id)") + '}' } else { $null })
        IsOffline          = $false
        IsReadOnly         = [bool]$disk.ReadOnly
        IsSystem           = [bool]$disk.IsSystem
        IsBoot             = [bool]$disk.IsSystem
        IsClustered        = $false
        BootFromDisk       = [bool]$disk.IsSystem
        OperationalStatus  = 'Online'
        HealthStatus       = 'Healthy'
        ProvisioningType   = $(if ($disk.Kind -eq 'vhd') { 'Thin' } else { 'Fixed' })
        ObjectId           = "{1}\\$([string]$ctx.HostInfo['computer_name'])\root/Microsoft/Windows/Storage/Providers_v2\WSP_Disk.ObjectId=`"{$($disk.Id)}:DI:\\?\$($disk.Id)`""
    }
    [NestvirtSim.SimCim]::Create('MSFT_Disk', $script:StorageNs, [string[]]@('ObjectId'), $null, $props)
}

function script:ConvertTo-SimPartitionCim($ctx, $disk, $part) {
    $letter = if ($part.Letter) { [char]$part.Letter } else { [char]0 }
    $access = [System.Collections.Generic.List[string]]::new()
    if ($part.Letter) { $access.Add("$($part.Letter):\") }
    if ($part.FileSystem) { $access.Add((Get-SimVolumePath $disk $part)) }
    $devicePath = Get-SimDiskDevicePath $disk
    $props = [ordered]@{
        DiskNumber           = [uint32]$disk.Number
        PartitionNumber      = [uint32]$part.Number
        DriveLetter          = $letter
        AccessPaths          = [string[]]$access.ToArray()
        Offset               = [uint64]$part.Offset
        Size                 = [uint64]$part.Size
        Type                 = $part.Type
        GptType              = $(if ($disk.Style -eq 'GPT') { $part.GptType } else { $null })
        MbrType              = $(if ($disk.Style -eq 'MBR') { [uint16]$part.MbrType } else { $null })
        Guid                 = $(if ($disk.Style -eq 'GPT') { '{' + (New-SimStableGuid "partition-$($disk.Id)-$($part.Number)") + '}' } else { $null })
        IsActive             = [bool]$part.Active
        IsBoot               = [bool]$part.IsBoot
        IsSystem             = [bool]$part.IsSystem
        IsHidden             = $false
        IsReadOnly           = [bool]$disk.ReadOnly
        IsOffline            = $false
        IsShadowCopy         = $false
        IsDAX                = $false
        NoDefaultDriveLetter = [bool]($part.Type -in 'System', 'Reserved', 'Recovery')
        DiskId               = $devicePath
        DiskPath             = $devicePath
        UniqueId             = "{00000000-0000-0000-0000-$('{0:x12}' -f [long]$part.Offset)}$($disk.Id)"
        OperationalStatus    = 'Online'
        TransitionState      = [uint16]1
        ObjectId             = "{1}\\$([string]$ctx.HostInfo['computer_name'])\root/Microsoft/Windows/Storage/Providers_v2\WSP_Partition.ObjectId=`"{$($disk.Id)}:PR:{$($part.Number)}`""
    }
    [NestvirtSim.SimCim]::Create('MSFT_Partition', $script:StorageNs, [string[]]@('ObjectId'), $null, $props)
}

function script:ConvertTo-SimVolumeCim($ctx, $disk, $part) {
    $path = Get-SimVolumePath $disk $part
    $props = [ordered]@{
        DriveLetter         = $(if ($part.Letter) { [char]$part.Letter } else { $null })
        DriveType           = 'Fixed'
        FileSystem          = $part.FileSystem
        FileSystemType      = $part.FileSystem
        FileSystemLabel     = $(if ($null -ne $part.Label) { $part.Label } else { '' })
        HealthStatus        = 'Healthy'
        OperationalStatus   = 'OK'
        Path                = $path
        UniqueId            = $path
        Size                = [uint64]$part.Size
        SizeRemaining       = [uint64]$(if ($null -ne $part.Free) { $part.Free } else { [long]($part.Size / 2) })
        AllocationUnitSize  = [uint32]4096
        DedupMode           = 'NotAvailable'
        ObjectId            = "{1}\\$([string]$ctx.HostInfo['computer_name'])\root/Microsoft/Windows/Storage/Providers_v2\WSP_Volume.ObjectId=`"{$($disk.Id)}:VO:$path`""
    }
    [NestvirtSim.SimCim]::Create('MSFT_Volume', $script:StorageNs, [string[]]@('ObjectId'), $null, $props)
}

# The disk and partition a partition CIM object names (by DiskNumber/PartitionNumber), or $null.
function script:Find-SimPartition($ctx, [long]$DiskNumber, [long]$PartitionNumber) {
    foreach ($disk in (Get-SimStorageDisks $ctx)) {
        if ($disk.Number -ne $DiskNumber) { continue }
        foreach ($part in $disk.Partitions) { if ($part.Number -eq $PartitionNumber) { return [pscustomobject]@{ Disk = $disk; Partition = $part } } }
    }
    return $null
}

# "No MSFT_Partition objects found with property 'DiskNumber' equal to '5'.  Verify the value of the property and retry."
function script:Add-SimStorageNotFound($ctx, [string]$ClassName, [string]$Property, $Value) {
    Add-SimError $ctx -Message "No $ClassName objects found with property '$Property' equal to '$Value'.  Verify the value of the property and retry." `
        -ErrorId "CmdletizationQuery_NotFound_$Property" -Category ObjectNotFound -Target $Value -Exception CimJobException
}

function script:Add-SimStorageQueryNotFound($ctx, [string]$ClassName, [System.Collections.IDictionary]$Query) {
    $clauses = foreach ($key in $Query.Keys) { '(' + (@($Query[$key] | ForEach-Object { "($key = $_)" }) -join ' OR ') + ')' }
    Add-SimError $ctx -Message ("No matching $ClassName objects found by CIM query for instances of the $script:StorageNs/$ClassName class on the  CIM server: " +
        "SELECT * FROM $ClassName  WHERE $($clauses -join ' AND '). Verify query parameters and retry.") -ErrorId 'CmdletizationQuery_NotFound' -Category ObjectNotFound -Exception CimJobException
}

# Storage's own errors: "StorageWMI <code>,<cmdlet>", target StorageWMI (FFU#95, StorageDsc#85).
function script:Add-SimStorageWmiError($ctx, [string]$Message, [int]$Code, [string]$Category = 'NotSpecified', [string]$ClassName = 'MSFT_Partition') {
    Add-SimError $ctx -Message $Message -ErrorId "StorageWMI $Code" -Category $Category -Exception CimException -TargetName 'StorageWMI' -TargetType "$script:StorageNs/$ClassName"
}

# Changing letters needs an elevated session ("Access denied", StorageWMI 40001: rbalsleyMSFT/FFU#95).
function script:Test-SimStorageAdmin($ctx, [string]$ClassName = 'MSFT_Partition') {
    if (Test-SimTrue $ctx.HostInfo 'elevated' $true) { return $true }
    Add-SimStorageWmiError $ctx 'Access denied' 40001 PermissionDenied $ClassName
    $ctx.Ok = $false
    return $false
}

# Reading the Storage classes needs one too (chosen: MI_RESULT_ACCESS_DENIED's text).
function script:Test-SimStorageRead($ctx) {
    if (Test-SimTrue $ctx.HostInfo 'elevated' $true) { return $true }
    Add-SimError $ctx -Message 'Access to a CIM resource was not available to the client.' -ErrorId 'MI RESULT 2' -Category PermissionDenied -Exception CimException
    $ctx.Ok = $false
    return $false
}

# Gives a mounted VHD's partition a letter: free, not a volume's or another partition's ("The requested
# access path is already in use.", StorageWMI 42002); the host's own partitions keep theirs.
function script:Set-SimPartitionLetter($ctx, $target, [string]$Letter) {
    $Letter = $Letter.ToUpperInvariant()
    if ($target.Disk.Kind -ne 'vhd') {
        Add-SimError $ctx -Message "Hyper-V simulator: changing the access paths of the host's own partitions (disk $($target.Disk.Number)) is not modelled." -ErrorId 'StorageWMI 1' -Category NotImplemented -Exception CimException
        return $false
    }
    if ($Letter -notmatch '^[A-Z]$') {
        Add-SimStorageWmiError $ctx 'The access path is not valid.' 42007 InvalidArgument
        return $false
    }
    if ($target.Partition.Letter -eq $Letter) { return $true }
    if ([NestvirtSim.SimFs]::LettersInUse($ctx.State).Contains($Letter)) {
        Add-SimStorageWmiError $ctx 'The requested access path is already in use.' 42002
        return $false
    }
    [NestvirtSim.SimFs]::AssignLetter($ctx.State, $target.Disk.Record, [long]$target.Partition.Number, $Letter)
    return $true
}

# ---- the cmdlets ---------------------------------------------------------------------------------

function Get-Disk {
    [CmdletBinding(DefaultParameterSetName = 'ByNumber', PositionalBinding = $false)]
    [OutputType('Microsoft.Management.Infrastructure.CimInstance#ROOT/Microsoft/Windows/Storage/MSFT_Disk')]
    param(
        [Parameter(ParameterSetName = 'ByNumber', Position = 0, ValueFromPipelineByPropertyName = $true)]
        [Alias('DeviceId')]
        [ValidateNotNull()]
        [uint32[]] $Number,

        [Parameter(ParameterSetName = 'ByUniqueId')] [Alias('Id')] [ValidateNotNull()] [string[]] $UniqueId,
        [Parameter(ParameterSetName = 'ByName')] [ValidateNotNull()] [string[]] $FriendlyName,
        [Parameter(ParameterSetName = 'ByName')] [ValidateNotNull()] [string[]] $SerialNumber,

        [Parameter(ParameterSetName = 'ByPath', ValueFromPipelineByPropertyName = $true)]
        [ValidateNotNull()]
        [string[]] $Path,

        [Parameter(ParameterSetName = 'ByPartition', ValueFromPipeline = $true)]
        [PSTypeName('Microsoft.Management.Infrastructure.CimInstance#MSFT_Partition')]
        [ValidateNotNull()]
        [NestvirtSim.SimCimInstance] $Partition,

        [Parameter(ParameterSetName = 'ByVirtualDisk', ValueFromPipeline = $true)] [PSTypeName('Microsoft.Management.Infrastructure.CimInstance#MSFT_VirtualDisk')] [NestvirtSim.SimCimInstance] $VirtualDisk,
        [Parameter(ParameterSetName = 'ByiSCSISession', ValueFromPipeline = $true)] [PSTypeName('Microsoft.Management.Infrastructure.CimInstance#MSFT_iSCSISession')] [NestvirtSim.SimCimInstance] $iSCSISession,
        [Parameter(ParameterSetName = 'ByiSCSIConnection', ValueFromPipeline = $true)] [PSTypeName('Microsoft.Management.Infrastructure.CimInstance#MSFT_iSCSIConnection')] [NestvirtSim.SimCimInstance] $iSCSIConnection,
        [Parameter(ParameterSetName = 'ByStorageSubSystem', ValueFromPipeline = $true)] [PSTypeName('Microsoft.Management.Infrastructure.CimInstance#MSFT_StorageSubSystem')] [NestvirtSim.SimCimInstance] $StorageSubSystem,
        [Parameter(ParameterSetName = 'ByStorageNode', ValueFromPipeline = $true)] [PSTypeName('Microsoft.Management.Infrastructure.CimInstance#MSFT_StorageNode')] [NestvirtSim.SimCimInstance] $StorageNode,
        [Parameter(ParameterSetName = 'ByStorageJob', ValueFromPipeline = $true)] [PSTypeName('Microsoft.Management.Infrastructure.CimInstance#MSFT_StorageJob')] [NestvirtSim.SimCimInstance] $StorageJob,

        [Alias('Session')] [ValidateNotNullOrEmpty()] [Microsoft.Management.Infrastructure.CimSession[]] $CimSession,
        [int] $ThrottleLimit,
        [switch] $AsJob
    )
    process {
        $script:SimCimClass = 'MSFT_Disk'
        $ctx = Open-SimCall $PSCmdlet -Access Any
        try {
            if ($ctx.Ok -and (Test-SimStorageRead $ctx)) {
                $disks = Get-SimStorageDisks $ctx
                switch ($PSCmdlet.ParameterSetName) {
                    'ByNumber' {
                        if (-not $PSBoundParameters.ContainsKey('Number')) { foreach ($d in $disks) { Add-SimOutput $ctx (ConvertTo-SimDiskCim $ctx $d) } }
                        else {
                            foreach ($n in $Number) {
                                $found = @($disks | Where-Object { $_.Number -eq [long]$n })
                                if ($found.Count -eq 0) { Add-SimStorageNotFound $ctx 'MSFT_Disk' 'Number' $n }
                                foreach ($d in $found) { Add-SimOutput $ctx (ConvertTo-SimDiskCim $ctx $d) }
                            }
                        }
                    }
                    'ByPath' {
                        # A VHD's MSFT_Disk is found by its device path or, as Mount-VHD -Passthru | Get-Disk
                        # needs (Mount-VHD.md, example 3), by the VHD file's path (its Location).
                        foreach ($p in $Path) {
                            $found = @($disks | Where-Object { (Get-SimDiskDevicePath $_) -eq $p -or ($_.Kind -eq 'vhd' -and [NestvirtSim.SimFs]::SamePath($_.Location, $p)) })
                            if ($found.Count -eq 0) { Add-SimStorageNotFound $ctx 'MSFT_Disk' 'Path' $p }
                            foreach ($d in $found) { Add-SimOutput $ctx (ConvertTo-SimDiskCim $ctx $d) }
                        }
                    }
                    'ByPartition' {
                        $owner = [NestvirtSim.SimCim]::OwnerOf($Partition)
                        foreach ($d in $disks) { if ($d.Number -eq [long]$owner.DiskNumber) { Add-SimOutput $ctx (ConvertTo-SimDiskCim $ctx $d) } }
                    }
                    { $_ -in 'ByUniqueId', 'ByName' } {
                        foreach ($d in $disks) {
                            $cim = ConvertTo-SimDiskCim $ctx $d
                            if ($UniqueId -and -not @($UniqueId | Where-Object { (New-SimPattern $_).IsMatch($cim.UniqueId) }).Count) { continue }
                            if ($FriendlyName -and -not @($FriendlyName | Where-Object { (New-SimPattern $_).IsMatch($cim.FriendlyName) }).Count) { continue }
                            if ($SerialNumber -and -not @($SerialNumber | Where-Object { (New-SimPattern $_).IsMatch($cim.SerialNumber) }).Count) { continue }
                            Add-SimOutput $ctx $cim
                        }
                        if ($ctx.Output.Count -eq 0) {
                            if ($UniqueId) { Add-SimStorageNotFound $ctx 'MSFT_Disk' 'UniqueId' $UniqueId[0] }
                            elseif ($FriendlyName) { Add-SimStorageNotFound $ctx 'MSFT_Disk' 'FriendlyName' $FriendlyName[0] }
                            elseif ($SerialNumber) { Add-SimStorageNotFound $ctx 'MSFT_Disk' 'SerialNumber' $SerialNumber[0] }
                        }
                    }
                    default { }   # virtual disks, iSCSI, storage subsystems, nodes and jobs: none in the simulator
                }
            }
        }
        finally { Close-SimCall $ctx }
        Complete-SimCall $ctx
    }
}

function Get-Partition {
    [CmdletBinding(DefaultParameterSetName = 'ByUniqueId', PositionalBinding = $false)]
    [OutputType('Microsoft.Management.Infrastructure.CimInstance#ROOT/Microsoft/Windows/Storage/MSFT_Partition')]
    param(
        [Parameter(ParameterSetName = 'ByUniqueId', ValueFromPipelineByPropertyName = $true)]
        [Alias('Id')]
        [ValidateNotNull()]
        [string[]] $UniqueId,

        [Parameter(ParameterSetName = 'ById', Mandatory = $true, ValueFromPipelineByPropertyName = $true)]
        [Alias('DiskPath')]
        [ValidateNotNull()]
        [string[]] $DiskId,

        [Parameter(ParameterSetName = 'ById', ValueFromPipelineByPropertyName = $true)]
        [ValidateNotNull()]
        [uint64[]] $Offset,

        [Parameter(ParameterSetName = 'ByNumber', Position = 0, ValueFromPipelineByPropertyName = $true)]
        [ValidateNotNull()]
        [uint32[]] $DiskNumber,

        [Parameter(ParameterSetName = 'ByNumber', Position = 1)]
        [Alias('Number')]
        [ValidateNotNull()]
        [uint32[]] $PartitionNumber,

        [Parameter(ParameterSetName = 'ByDriveLetter', ValueFromPipelineByPropertyName = $true)]
        [ValidateNotNull()]
        [char[]] $DriveLetter,

        [Parameter(ParameterSetName = 'ByDisk', ValueFromPipeline = $true)]
        [PSTypeName('Microsoft.Management.Infrastructure.CimInstance#MSFT_Disk')]
        [ValidateNotNull()]
        [NestvirtSim.SimCimInstance] $Disk,

        [Parameter(ParameterSetName = 'ByVolume', ValueFromPipeline = $true)]
        [PSTypeName('Microsoft.Management.Infrastructure.CimInstance#MSFT_Volume')]
        [ValidateNotNull()]
        [NestvirtSim.SimCimInstance] $Volume,

        [Parameter(ParameterSetName = 'ByStorageSubSystem', ValueFromPipeline = $true)]
        [PSTypeName('Microsoft.Management.Infrastructure.CimInstance#MSFT_StorageSubSystem')]
        [ValidateNotNull()]
        [NestvirtSim.SimCimInstance] $StorageSubSystem,

        [Alias('Session')] [ValidateNotNullOrEmpty()] [Microsoft.Management.Infrastructure.CimSession[]] $CimSession,
        [int] $ThrottleLimit,
        [switch] $AsJob
    )
    process {
        $script:SimCimClass = 'MSFT_Partition'
        $ctx = Open-SimCall $PSCmdlet -Access Any
        try {
            if ($ctx.Ok -and (Test-SimStorageRead $ctx)) {
                $all = foreach ($d in (Get-SimStorageDisks $ctx)) { foreach ($p in $d.Partitions) { [pscustomobject]@{ Disk = $d; Partition = $p } } }
                $all = @($all)
                $selected = switch ($PSCmdlet.ParameterSetName) {
                    'ByNumber' {
                        $found = @($all | Where-Object { (-not $DiskNumber -or $DiskNumber -contains [uint32]$_.Disk.Number) -and (-not $PartitionNumber -or $PartitionNumber -contains [uint32]$_.Partition.Number) })
                        if ($found.Count -eq 0 -and ($DiskNumber -or $PartitionNumber)) {
                            if ($DiskNumber -and $PartitionNumber) { Add-SimStorageQueryNotFound $ctx 'MSFT_Partition' ([ordered]@{ DiskNumber = $DiskNumber; PartitionNumber = $PartitionNumber }) }
                            elseif ($DiskNumber) { Add-SimStorageNotFound $ctx 'MSFT_Partition' 'DiskNumber' $DiskNumber[0] }
                            else { Add-SimStorageNotFound $ctx 'MSFT_Partition' 'PartitionNumber' $PartitionNumber[0] }
                        }
                        $found
                    }
                    'ByDriveLetter' {
                        foreach ($l in $DriveLetter) {
                            $found = @($all | Where-Object { $_.Partition.Letter -and $_.Partition.Letter -eq ([string]$l).ToUpperInvariant() })
                            if ($found.Count -eq 0) { Add-SimStorageNotFound $ctx 'MSFT_Partition' 'DriveLetter' $l }
                            $found
                        }
                    }
                    'ById' {
                        $found = @($all | Where-Object { $DiskId -contains (Get-SimDiskDevicePath $_.Disk) -and (-not $Offset -or $Offset -contains [uint64]$_.Partition.Offset) })
                        if ($found.Count -eq 0) { Add-SimStorageNotFound $ctx 'MSFT_Partition' 'DiskId' $DiskId[0] }
                        $found
                    }
                    'ByDisk' {
                        $n = [long]([NestvirtSim.SimCim]::OwnerOf($Disk)).Number
                        @($all | Where-Object { $_.Disk.Number -eq $n })
                    }
                    'ByVolume' {
                        $path = [string]([NestvirtSim.SimCim]::OwnerOf($Volume)).Path
                        @($all | Where-Object { $_.Partition.FileSystem -and (Get-SimVolumePath $_.Disk $_.Partition) -eq $path })
                    }
                    'ByStorageSubSystem' { @() }
                    default {
                        if ($UniqueId) {
                            $found = @($all | Where-Object { $UniqueId -contains (ConvertTo-SimPartitionCim $ctx $_.Disk $_.Partition).UniqueId })
                            if ($found.Count -eq 0) { Add-SimStorageNotFound $ctx 'MSFT_Partition' 'UniqueId' $UniqueId[0] }
                            $found
                        }
                        else { $all }
                    }
                }
                foreach ($s in @($selected)) { if ($null -ne $s) { Add-SimOutput $ctx (ConvertTo-SimPartitionCim $ctx $s.Disk $s.Partition) } }
            }
        }
        finally { Close-SimCall $ctx }
        Complete-SimCall $ctx
    }
}

function Get-Volume {
    [CmdletBinding(DefaultParameterSetName = 'ByDriveLetter', PositionalBinding = $false)]
    [OutputType('Microsoft.Management.Infrastructure.CimInstance#ROOT/Microsoft/Windows/Storage/MSFT_Volume')]
    param(
        [Parameter(ParameterSetName = 'ByDriveLetter', Position = 0, ValueFromPipelineByPropertyName = $true)]
        [ValidateNotNull()]
        [char[]] $DriveLetter,

        [Parameter(ParameterSetName = 'ById', ValueFromPipelineByPropertyName = $true)] [Alias('Id')] [ValidateNotNull()] [string[]] $ObjectId,
        [Parameter(ParameterSetName = 'ByUniqueId', ValueFromPipelineByPropertyName = $true)] [ValidateNotNull()] [string[]] $UniqueId,
        [Parameter(ParameterSetName = 'ByPaths', ValueFromPipelineByPropertyName = $true)] [ValidateNotNull()] [string[]] $Path,
        [Parameter(ParameterSetName = 'ByLabel', ValueFromPipelineByPropertyName = $true)] [ValidateNotNull()] [string[]] $FileSystemLabel,

        [Parameter(ParameterSetName = 'ByPartition', ValueFromPipeline = $true)]
        [PSTypeName('Microsoft.Management.Infrastructure.CimInstance#MSFT_Partition')]
        [ValidateNotNull()]
        [NestvirtSim.SimCimInstance] $Partition,

        [Parameter(ParameterSetName = 'ByDiskImage', ValueFromPipeline = $true)] [PSTypeName('Microsoft.Management.Infrastructure.CimInstance#MSFT_DiskImage')] [NestvirtSim.SimCimInstance] $DiskImage,
        [Parameter(ParameterSetName = 'ByStorageSubSystem', ValueFromPipeline = $true)] [PSTypeName('Microsoft.Management.Infrastructure.CimInstance#MSFT_StorageSubSystem')] [NestvirtSim.SimCimInstance] $StorageSubSystem,
        [Parameter(ParameterSetName = 'ByStoragePool', ValueFromPipeline = $true)] [PSTypeName('Microsoft.Management.Infrastructure.CimInstance#MSFT_StoragePool')] [NestvirtSim.SimCimInstance] $StoragePool,
        [Parameter(ParameterSetName = 'ByStorageNode', ValueFromPipeline = $true)] [PSTypeName('Microsoft.Management.Infrastructure.CimInstance#MSFT_StorageNode')] [NestvirtSim.SimCimInstance] $StorageNode,
        [Parameter(ParameterSetName = 'ByStorageFileServer', ValueFromPipeline = $true)] [PSTypeName('Microsoft.Management.Infrastructure.CimInstance#MSFT_StorageFileServer')] [NestvirtSim.SimCimInstance] $StorageFileServer,
        [Parameter(ParameterSetName = 'ByFileShare', ValueFromPipeline = $true)] [PSTypeName('Microsoft.Management.Infrastructure.CimInstance#MSFT_FileShare')] [NestvirtSim.SimCimInstance] $FileShare,
        [Parameter(ParameterSetName = 'ByStorageJob', ValueFromPipeline = $true)] [PSTypeName('Microsoft.Management.Infrastructure.CimInstance#MSFT_StorageJob')] [NestvirtSim.SimCimInstance] $StorageJob,

        [Parameter(ParameterSetName = 'ByFilePath', ValueFromPipelineByPropertyName = $true)]
        [Alias('FullName')]
        [ValidateNotNull()]
        [string] $FilePath,

        [Alias('Session')] [ValidateNotNullOrEmpty()] [Microsoft.Management.Infrastructure.CimSession[]] $CimSession,
        [int] $ThrottleLimit,
        [switch] $AsJob
    )
    process {
        $script:SimCimClass = 'MSFT_Volume'
        $ctx = Open-SimCall $PSCmdlet -Access Any
        try {
            if ($ctx.Ok -and (Test-SimStorageRead $ctx)) {
                $all = @(foreach ($d in (Get-SimStorageDisks $ctx)) { foreach ($p in $d.Partitions) { if ($p.FileSystem) { [pscustomobject]@{ Disk = $d; Partition = $p } } } })
                $selected = switch ($PSCmdlet.ParameterSetName) {
                    'ByDriveLetter' {
                        if (-not $PSBoundParameters.ContainsKey('DriveLetter')) { $all }
                        else {
                            foreach ($l in $DriveLetter) {
                                $found = @($all | Where-Object { $_.Partition.Letter -eq ([string]$l).ToUpperInvariant() })
                                if ($found.Count -eq 0) { Add-SimStorageNotFound $ctx 'MSFT_Volume' 'DriveLetter' $l }
                                $found
                            }
                        }
                    }
                    'ByPartition' {
                        $owner = [NestvirtSim.SimCim]::OwnerOf($Partition)
                        @($all | Where-Object { $_.Disk.Number -eq [long]$owner.DiskNumber -and $_.Partition.Number -eq [long]$owner.PartitionNumber })
                    }
                    { $_ -in 'ByPaths', 'ByUniqueId' } {
                        $wanted = if ($Path) { $Path } else { $UniqueId }
                        $found = @($all | Where-Object { $p = Get-SimVolumePath $_.Disk $_.Partition; $wanted -contains $p -or ($_.Partition.Letter -and $wanted -contains "$($_.Partition.Letter):\") })
                        if ($found.Count -eq 0) { Add-SimStorageNotFound $ctx 'MSFT_Volume' $(if ($Path) { 'Path' } else { 'UniqueId' }) $wanted[0] }
                        $found
                    }
                    'ByLabel' {
                        $found = @($all | Where-Object { $l = [string]$_.Partition.Label; @($FileSystemLabel | Where-Object { (New-SimPattern $_).IsMatch($l) }).Count -gt 0 })
                        if ($found.Count -eq 0) { Add-SimStorageNotFound $ctx 'MSFT_Volume' 'FileSystemLabel' $FileSystemLabel[0] }
                        $found
                    }
                    'ByFilePath' {
                        $letter = [NestvirtSim.SimFs]::Letter($FilePath)
                        @($all | Where-Object { $letter -and $_.Partition.Letter -eq $letter })
                    }
                    default { @() }
                }
                foreach ($s in @($selected)) { if ($null -ne $s) { Add-SimOutput $ctx (ConvertTo-SimVolumeCim $ctx $s.Disk $s.Partition) } }
            }
        }
        finally { Close-SimCall $ctx }
        Complete-SimCall $ctx
    }
}

function Set-Partition {
    [CmdletBinding(DefaultParameterSetName = 'ByNumberAttributes', SupportsShouldProcess = $true, ConfirmImpact = 'Medium', PositionalBinding = $false)]
    param(
        [Parameter(ParameterSetName = 'ByIdAttributes', Mandatory = $true, ValueFromPipelineByPropertyName = $true)]
        [Parameter(ParameterSetName = 'ByIdAccessPath', Mandatory = $true, ValueFromPipelineByPropertyName = $true)]
        [Parameter(ParameterSetName = 'ById', Mandatory = $true, ValueFromPipelineByPropertyName = $true)]
        [string] $DiskId,

        [Parameter(ParameterSetName = 'ByIdAttributes', Mandatory = $true, ValueFromPipelineByPropertyName = $true)]
        [Parameter(ParameterSetName = 'ByIdAccessPath', Mandatory = $true, ValueFromPipelineByPropertyName = $true)]
        [Parameter(ParameterSetName = 'ById', Mandatory = $true, ValueFromPipelineByPropertyName = $true)]
        [uint64] $Offset,

        [Parameter(ParameterSetName = 'ByNumberAttributes', Mandatory = $true, Position = 0, ValueFromPipelineByPropertyName = $true)]
        [Parameter(ParameterSetName = 'ByNumberAccessPath', Mandatory = $true, Position = 0, ValueFromPipelineByPropertyName = $true)]
        [Parameter(ParameterSetName = 'ByNumber', Mandatory = $true, Position = 0, ValueFromPipelineByPropertyName = $true)]
        [uint32] $DiskNumber,

        [Parameter(ParameterSetName = 'ByNumberAttributes', Mandatory = $true, Position = 1)]
        [Parameter(ParameterSetName = 'ByNumberAccessPath', Mandatory = $true, Position = 1)]
        [Parameter(ParameterSetName = 'ByNumber', Mandatory = $true, Position = 1)]
        [Alias('Number')]
        [uint32] $PartitionNumber,

        [Parameter(ParameterSetName = 'ByDriveLetterAttributes', Mandatory = $true, ValueFromPipelineByPropertyName = $true)]
        [Parameter(ParameterSetName = 'ByDriveLetterAccessPath', Mandatory = $true, ValueFromPipelineByPropertyName = $true)]
        [Parameter(ParameterSetName = 'ByDriveLetter', Mandatory = $true, ValueFromPipelineByPropertyName = $true)]
        [char] $DriveLetter,

        [Parameter(ParameterSetName = 'ByObjectAccessPath', Mandatory = $true, ValueFromPipeline = $true)]
        [Parameter(ParameterSetName = 'ByObject', Mandatory = $true, ValueFromPipeline = $true)]
        [Parameter(ParameterSetName = 'ByObjectAttributes', Mandatory = $true, ValueFromPipeline = $true)]
        [PSTypeName('Microsoft.Management.Infrastructure.CimInstance#MSFT_Partition')]
        [NestvirtSim.SimCimInstance[]] $InputObject,

        [Parameter(ParameterSetName = 'ByObjectAccessPath')] [Parameter(ParameterSetName = 'ByIdAccessPath')]
        [Parameter(ParameterSetName = 'ByDriveLetterAccessPath')] [Parameter(ParameterSetName = 'ByNumberAccessPath')]
        [char] $NewDriveLetter,

        [Parameter(ParameterSetName = 'ByObject')] [Parameter(ParameterSetName = 'ById')]
        [Parameter(ParameterSetName = 'ByDriveLetter')] [Parameter(ParameterSetName = 'ByNumber')]
        [bool] $IsOffline,

        [Parameter(ParameterSetName = 'ByNumberAttributes')] [Parameter(ParameterSetName = 'ByObjectAttributes')]
        [Parameter(ParameterSetName = 'ByDriveLetterAttributes')] [Parameter(ParameterSetName = 'ByIdAttributes')]
        [bool] $IsReadOnly,
        [Parameter(ParameterSetName = 'ByNumberAttributes')] [Parameter(ParameterSetName = 'ByObjectAttributes')]
        [Parameter(ParameterSetName = 'ByDriveLetterAttributes')] [Parameter(ParameterSetName = 'ByIdAttributes')]
        [bool] $NoDefaultDriveLetter,
        [Parameter(ParameterSetName = 'ByNumberAttributes')] [Parameter(ParameterSetName = 'ByObjectAttributes')]
        [Parameter(ParameterSetName = 'ByDriveLetterAttributes')] [Parameter(ParameterSetName = 'ByIdAttributes')]
        [bool] $IsActive,
        [Parameter(ParameterSetName = 'ByNumberAttributes')] [Parameter(ParameterSetName = 'ByObjectAttributes')]
        [Parameter(ParameterSetName = 'ByDriveLetterAttributes')] [Parameter(ParameterSetName = 'ByIdAttributes')]
        [bool] $IsHidden,
        [Parameter(ParameterSetName = 'ByNumberAttributes')] [Parameter(ParameterSetName = 'ByObjectAttributes')]
        [Parameter(ParameterSetName = 'ByDriveLetterAttributes')] [Parameter(ParameterSetName = 'ByIdAttributes')]
        [bool] $IsShadowCopy,
        [Parameter(ParameterSetName = 'ByNumberAttributes')] [Parameter(ParameterSetName = 'ByObjectAttributes')]
        [Parameter(ParameterSetName = 'ByDriveLetterAttributes')] [Parameter(ParameterSetName = 'ByIdAttributes')]
        [bool] $IsDAX,
        [Parameter(ParameterSetName = 'ByNumberAttributes')] [Parameter(ParameterSetName = 'ByObjectAttributes')]
        [Parameter(ParameterSetName = 'ByDriveLetterAttributes')] [Parameter(ParameterSetName = 'ByIdAttributes')]
        [uint16] $MbrType,
        [Parameter(ParameterSetName = 'ByNumberAttributes')] [Parameter(ParameterSetName = 'ByObjectAttributes')]
        [Parameter(ParameterSetName = 'ByDriveLetterAttributes')] [Parameter(ParameterSetName = 'ByIdAttributes')]
        [string] $GptType,

        [Alias('Session')] [ValidateNotNullOrEmpty()] [Microsoft.Management.Infrastructure.CimSession[]] $CimSession,
        [int] $ThrottleLimit,
        [switch] $AsJob
    )
    process {
        $script:SimCimClass = 'MSFT_Partition'
        $ctx = Open-SimCall $PSCmdlet -Access Any
        try {
            if ($ctx.Ok -and (Test-SimStorageAdmin $ctx)) {
                $targets = Resolve-SimPartitionTargets $ctx $PSCmdlet.ParameterSetName $PSBoundParameters
                foreach ($t in $targets) {
                    if (-not (Test-SimShouldProcess $PSCmdlet @("$($t.Disk.Number):$($t.Partition.Number)", 'Set-Partition'))) { continue }
                    # Only the drive letter changes anything; the attribute and offline settings are accepted as they are.
                    if ($PSBoundParameters.ContainsKey('NewDriveLetter')) { $null = Set-SimPartitionLetter $ctx $t ([string]$NewDriveLetter) }
                }
            }
        }
        finally { Close-SimCall $ctx }
        Register-SimDrives
        Complete-SimCall $ctx
    }
}

# The partitions Set-Partition / Add-PartitionAccessPath address (by object, number, letter or id);
# a partition that does not exist is the CDXML "not found" error.
function script:Resolve-SimPartitionTargets($ctx, [string]$Set, $Bound) {
    $result = [System.Collections.Generic.List[object]]::new()
    $all = @(foreach ($d in (Get-SimStorageDisks $ctx)) { foreach ($p in $d.Partitions) { [pscustomobject]@{ Disk = $d; Partition = $p } } })
    if ($Bound.ContainsKey('InputObject')) {
        foreach ($o in $Bound['InputObject']) {
            $owner = [NestvirtSim.SimCim]::OwnerOf($o)
            $t = Find-SimPartition $ctx ([long]$owner.DiskNumber) ([long]$owner.PartitionNumber)
            if ($null -eq $t) { Add-SimStorageNotFound $ctx 'MSFT_Partition' 'DiskNumber' $owner.DiskNumber } else { $result.Add($t) }
        }
    }
    elseif ($Bound.ContainsKey('DiskNumber')) {
        foreach ($n in @($Bound['DiskNumber'])) {
            foreach ($pn in @($Bound['PartitionNumber'])) {
                $t = Find-SimPartition $ctx ([long]$n) ([long]$pn)
                if ($null -eq $t) { Add-SimStorageQueryNotFound $ctx 'MSFT_Partition' ([ordered]@{ DiskNumber = $n; PartitionNumber = $pn }) } else { $result.Add($t) }
            }
        }
    }
    elseif ($Bound.ContainsKey('DriveLetter')) {
        foreach ($l in @($Bound['DriveLetter'])) {
            $found = @($all | Where-Object { $_.Partition.Letter -eq ([string]$l).ToUpperInvariant() })
            if ($found.Count -eq 0) { Add-SimStorageNotFound $ctx 'MSFT_Partition' 'DriveLetter' $l } else { $result.Add($found[0]) }
        }
    }
    elseif ($Bound.ContainsKey('DiskId')) {
        $found = @($all | Where-Object { @($Bound['DiskId']) -contains (Get-SimDiskDevicePath $_.Disk) -and @($Bound['Offset']) -contains [uint64]$_.Partition.Offset })
        if ($found.Count -eq 0) { Add-SimStorageQueryNotFound $ctx 'MSFT_Partition' ([ordered]@{ DiskId = "'$(@($Bound['DiskId'])[0])'"; Offset = @($Bound['Offset'])[0] }) }
        foreach ($f in $found) { $result.Add($f) }
    }
    return , $result
}

function Add-PartitionAccessPath {
    [CmdletBinding(DefaultParameterSetName = 'ByUniqueId', SupportsShouldProcess = $true, ConfirmImpact = 'Medium', PositionalBinding = $false)]
    [OutputType('Microsoft.Management.Infrastructure.CimInstance#ROOT/Microsoft/Windows/Storage/MSFT_Partition')]
    param(
        [Parameter(ParameterSetName = 'ById', Mandatory = $true, ValueFromPipelineByPropertyName = $true)]
        [ValidateNotNull()]
        [string[]] $DiskId,

        [Parameter(ParameterSetName = 'ById', Mandatory = $true, ValueFromPipelineByPropertyName = $true)]
        [ValidateNotNull()]
        [uint64[]] $Offset,

        [Parameter(ParameterSetName = 'ByNumber', Mandatory = $true, Position = 0, ValueFromPipelineByPropertyName = $true)]
        [ValidateNotNull()]
        [uint32[]] $DiskNumber,

        [Parameter(ParameterSetName = 'ByNumber', Mandatory = $true, Position = 1)]
        [Alias('Number')]
        [ValidateNotNull()]
        [uint32[]] $PartitionNumber,

        [Parameter(ParameterSetName = 'ByDriveLetter', Mandatory = $true, ValueFromPipelineByPropertyName = $true)]
        [ValidateNotNull()]
        [char[]] $DriveLetter,

        [Parameter(ParameterSetName = 'InputObject (cdxml)', Mandatory = $true, ValueFromPipeline = $true)]
        [PSTypeName('Microsoft.Management.Infrastructure.CimInstance#MSFT_Partition')]
        [ValidateNotNull()]
        [NestvirtSim.SimCimInstance[]] $InputObject,

        [Parameter(ParameterSetName = 'ById', Position = 2)] [Parameter(ParameterSetName = 'ByNumber', Position = 2)]
        [Parameter(ParameterSetName = 'ByDriveLetter', Position = 2)] [Parameter(ParameterSetName = 'InputObject (cdxml)', Position = 2)]
        [string] $AccessPath,

        [Parameter(ParameterSetName = 'ById')] [Parameter(ParameterSetName = 'ByNumber')]
        [Parameter(ParameterSetName = 'ByDriveLetter')] [Parameter(ParameterSetName = 'InputObject (cdxml)')]
        [switch] $AssignDriveLetter,

        [Parameter(ParameterSetName = 'ById')] [Parameter(ParameterSetName = 'ByNumber')]
        [Parameter(ParameterSetName = 'ByDriveLetter')] [Parameter(ParameterSetName = 'InputObject (cdxml)')]
        [Alias('Session')] [ValidateNotNullOrEmpty()] [Microsoft.Management.Infrastructure.CimSession[]] $CimSession,
        [Parameter(ParameterSetName = 'ById')] [Parameter(ParameterSetName = 'ByNumber')]
        [Parameter(ParameterSetName = 'ByDriveLetter')] [Parameter(ParameterSetName = 'InputObject (cdxml)')]
        [int] $ThrottleLimit,
        [Parameter(ParameterSetName = 'ById')] [Parameter(ParameterSetName = 'ByNumber')]
        [Parameter(ParameterSetName = 'ByDriveLetter')] [Parameter(ParameterSetName = 'InputObject (cdxml)')]
        [switch] $AsJob,
        [Parameter(ParameterSetName = 'ById')] [Parameter(ParameterSetName = 'ByNumber')]
        [Parameter(ParameterSetName = 'ByDriveLetter')] [Parameter(ParameterSetName = 'InputObject (cdxml)')]
        [switch] $PassThru
    )
    process {
        $script:SimCimClass = 'MSFT_Partition'
        $ctx = Open-SimCall $PSCmdlet -Access Any
        $done = [System.Collections.Generic.List[object]]::new()
        try {
            if ($ctx.Ok -and (Test-SimStorageAdmin $ctx)) {
                $targets = Resolve-SimPartitionTargets $ctx $PSCmdlet.ParameterSetName $PSBoundParameters
                foreach ($t in $targets) {
                    if (-not (Test-SimShouldProcess $PSCmdlet @("$($t.Disk.Number):$($t.Partition.Number)", 'Add-PartitionAccessPath'))) { continue }
                    $letter = $null
                    if ($AssignDriveLetter) {
                        $letter = if ($t.Partition.Letter) { $t.Partition.Letter } else { [NestvirtSim.SimFs]::NextFreeLetter($ctx.State) }
                    }
                    elseif ($AccessPath -match '^([A-Za-z]):\\?$') { $letter = $Matches[1] }
                    elseif ($AccessPath) {
                        Add-SimError $ctx -Message "Hyper-V simulator: folder access paths ('$AccessPath') are not modelled; give a drive letter (X: or -AssignDriveLetter)." -ErrorId 'StorageWMI 1' -Category NotImplemented -Exception CimException
                        continue
                    }
                    else {
                        Add-SimStorageWmiError $ctx 'The access path is not valid.' 42007 InvalidArgument
                        continue
                    }
                    if ($letter -and (Set-SimPartitionLetter $ctx $t $letter)) { $done.Add(@($t.Disk.Number, $t.Partition.Number)) }
                }
            }
        }
        finally { Close-SimCall $ctx }
        Register-SimDrives
        if ($PassThru -and $done.Count -gt 0) {
            $state = [NestvirtSim.Store]::Read()
            $view = [pscustomobject]@{ State = $state; HostInfo = $state['host'] }
            foreach ($d in $done) {
                $t = Find-SimPartition $view $d[0] $d[1]
                if ($null -ne $t) { $ctx.Output.Add((ConvertTo-SimPartitionCim $view $t.Disk $t.Partition)) }
            }
        }
        Complete-SimCall $ctx
    }
}
