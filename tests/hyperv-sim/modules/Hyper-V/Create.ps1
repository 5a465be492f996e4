# New-VM, Remove-VM, Set-VM (docset/winserver2022-ps/hyper-v/<Cmdlet>.md; attributes as the module's
# generated stubs, dsccommunity/HyperVDsc). A new VM's guest boots what its disks hold (types/GuestSetup.cs).

# Set-VM's checkpoint parameters are missing on hosts older than the releases that added them
# (Packer, Vagrant and HyperVDsc probe (Get-Command Set-VM).Parameters first): -CheckpointType came
# with Windows 10 / Server 2016, -AutomaticCheckpointsEnabled with Windows 10 1709 (build 16299).
# host.hyperv_module_features.checkpoint_type / .automatic_checkpoints override the build rule.
$script:HasCheckpointType = $true
$script:HasAutomaticCheckpoints = $true
try {
    $simHost = ([NestvirtSim.Store]::Read())['host']
    $simBuild = [NestvirtSim.Factory]::Long([NestvirtSim.Factory]::Dict($simHost, 'os'), 'build', 20348)
    $simFeatures = [NestvirtSim.Factory]::Dict($simHost, 'hyperv_module_features')
    $script:HasCheckpointType = [NestvirtSim.Factory]::Bool($simFeatures, 'checkpoint_type', $simBuild -ge 10240)
    $script:HasAutomaticCheckpoints = [NestvirtSim.Factory]::Bool($simFeatures, 'automatic_checkpoints', $simBuild -ge 16299)
    Remove-Variable -Name simHost, simBuild, simFeatures
}
catch {
    # No readable state yet: every cmdlet call will report that.
}

function script:New-SimVmMac([string]$Id) {
    $hex = $Id.Replace('-', '').ToUpperInvariant()
    return '00155D' + $hex.Substring($hex.Length - 6)
}

# "Failed to create a new virtual machine. / '<VM>' failed to realize. (Virtual machine ID <ID>) / <cause>"
# (jamesstringer90/Easy-GPU-PV#406, #449).
function script:Add-SimNewVMError($ctx, [string]$Name, [string]$Id, [string]$Cause, [string]$ErrorId, [string]$Category, [string]$Action = 'failed to realize') {
    Add-SimError $ctx -ErrorId $ErrorId -Category $Category -Exception VirtualizationException -Message (
        "Failed to create a new virtual machine.`n'$Name' $Action. (Virtual machine ID $($Id.ToUpperInvariant()))`n$Cause")
}

function New-VM {
    [CmdletBinding(DefaultParameterSetName = 'No VHD', SupportsShouldProcess = $true, ConfirmImpact = 'Medium', PositionalBinding = $false)]
    [OutputType([Microsoft.HyperV.PowerShell.VirtualMachine])]
    param(
        [Parameter(Position = 0, ValueFromPipeline = $true, ValueFromPipelineByPropertyName = $true)]
        [Alias('VMName')]
        [ValidateNotNullOrEmpty()]
        [string] $Name,

        [Parameter(Position = 1)]
        [ValidateNotNull()]
        [System.Nullable[long]] $MemoryStartupBytes,

        [ValidateNotNullOrEmpty()]
        [System.Nullable[Microsoft.HyperV.PowerShell.BootDevice]] $BootDevice,

        [Parameter(ParameterSetName = 'No VHD')]
        [switch] $NoVHD,

        [ValidateNotNullOrEmpty()]
        [string] $SwitchName,

        [Parameter(ParameterSetName = 'New VHD', Mandatory = $true)]
        [ValidateNotNullOrEmpty()]
        [string] $NewVHDPath,

        [Parameter(ParameterSetName = 'New VHD', Mandatory = $true)]
        [ValidateNotNullOrEmpty()]
        [uint64] $NewVHDSizeBytes,

        [Parameter(ParameterSetName = 'Existing VHD', Mandatory = $true)]
        [ValidateNotNullOrEmpty()]
        [string] $VHDPath,

        [ValidateNotNullOrEmpty()]
        [string] $Path,

        [ValidateNotNull()]
        [version] $Version,

        [switch] $Prerelease,
        [switch] $Experimental,

        [Parameter(Position = 2)]
        [ValidateSet('1', '2')]
        [ValidateNotNullOrEmpty()]
        [System.Nullable[int16]] $Generation,

        [switch] $Force,
        [switch] $AsJob,
        [ValidateNotNullOrEmpty()] [Microsoft.Management.Infrastructure.CimSession[]] $CimSession,
        [ValidateNotNullOrEmpty()] [string[]] $ComputerName,
        [ValidateNotNullOrEmpty()] [pscredential[]] $Credential
    )
    process {
        $ctx = Open-SimCall $PSCmdlet -Access HyperV
        try {
            if ($ctx.Ok) { New-SimVM $ctx $PSCmdlet $PSBoundParameters }
        }
        finally { Close-SimCall $ctx }
        Register-SimDrives   # the first file-making call of an older scenario made the host's folder
        foreach ($o in $ctx.Output) { if ($o -is [System.Management.Automation.Job]) { $PSCmdlet.JobRepository.Add($o) } }
        Complete-SimCall $ctx
    }
}

function script:New-SimVM($ctx, [System.Management.Automation.PSCmdlet]$Cmdlet, $Bound) {
    $null = [NestvirtSim.SimFs]::Prepare($ctx.State, $true)
    $h = $ctx.HostInfo
    $vmName = if ($Bound.ContainsKey('Name')) { [string]$Bound['Name'] } else { 'New Virtual Machine' }
    $id = [guid]::NewGuid().ToString()
    $generation = if ($Bound.ContainsKey('Generation')) { [int]$Bound['Generation'] } else { 1 }
    $client = [NestvirtSim.Factory]::Long([NestvirtSim.Factory]::Dict($h, 'os'), 'product_type', 1) -eq 1
    $build = [NestvirtSim.Factory]::Long([NestvirtSim.Factory]::Dict($h, 'os'), 'build', 20348)

    # Configuration version: -Version, -Prerelease (254.0), -Experimental (255.0), else the host's default.
    $supported = Get-SimHostVersions $ctx
    $version = if ($Bound['Prerelease']) { [version]'254.0' } elseif ($Bound['Experimental']) { [version]'255.0' }
    elseif ($Bound.ContainsKey('Version')) { [version]$Bound['Version'] } else { Get-SimDefaultVersion $ctx }
    $versionText = '{0}.{1}' -f $version.Major, [math]::Max(0, $version.Minor)
    if (-not ($supported | Where-Object { $_.Major -eq $version.Major -and $_.Minor -eq [math]::Max(0, $version.Minor) })) {
        # Invented wording: Microsoft documents no text for an unsupported -Version.
        Add-SimNewVMError $ctx $vmName $id "The configuration version $versionText is not supported by this host. Get-VMHostSupportedVersion lists the supported versions." InvalidParameter InvalidArgument
        return
    }
    $bootDevice = if ($Bound.ContainsKey('BootDevice') -and $null -ne $Bound['BootDevice']) { [string]$Bound['BootDevice'] } else { $null }
    if ($generation -eq 2 -and $bootDevice -in 'IDE', 'Floppy', 'LegacyNetworkAdapter') {
        # "Generation 2 virtual machines do not support IDE." (hashicorp/vagrant#6372); Floppy and the legacy adapter by analogy.
        $what = switch ($bootDevice) { 'IDE' { 'IDE' } 'Floppy' { 'floppy disk drives' } default { 'legacy network adapters' } }
        Add-SimError $ctx -Message "Generation 2 virtual machines do not support $what." -ErrorId InvalidParameter -Category InvalidArgument -Exception VirtualizationInvalidArgumentException
        return
    }
    if ($generation -eq 1) {
        # New-VM.md: on generation 1, VHD and NetworkAdapter mean IDE and LegacyNetworkAdapter.
        if ($bootDevice -eq 'VHD') { $bootDevice = 'IDE' } elseif ($bootDevice -eq 'NetworkAdapter') { $bootDevice = 'LegacyNetworkAdapter' }
    }
    $switch = $null
    if ($Bound.ContainsKey('SwitchName')) {
        $switch = [NestvirtSim.Factory]::FindSwitch($ctx.State, [string]$Bound['SwitchName'])
        if ($null -eq $switch) {
            Add-SimError $ctx -Message "Hyper-V was unable to find a virtual switch with name `"$($Bound['SwitchName'])`"." -ErrorId InvalidParameter -Category InvalidArgument -Target $Bound['SwitchName'] -Exception VirtualizationException
            return
        }
    }
    $startup = if ($Bound.ContainsKey('MemoryStartupBytes')) { [long]$Bound['MemoryStartupBytes'] } else { 512MB }
    if ($startup -lt 32MB -or $startup % 2MB -ne 0) {
        # Invented wording (as Set-VMMemory's): startup memory is a multiple of 2 MB, at least 32 MB.
        Add-SimNewVMError $ctx $vmName $id "Invalid startup memory for '$vmName': memory values must be a multiple of 2 MB and at least 32 MB." InvalidParameter InvalidArgument 'failed to modify device ''Memory'''
        return
    }

    # Where the configuration goes: -Path\<name>, else the host's VirtualMachinePath. The folder must exist.
    $vmRoot = if ($Bound.ContainsKey('Path')) { Resolve-SimWindowsPath $Cmdlet ([string]$Bound['Path']) } else { [NestvirtSim.Factory]::Str($h, 'virtual_machine_path', [NestvirtSim.SimFs]::DefaultVmPath) }
    if (-not $vmRoot -or -not [NestvirtSim.SimFs]::FolderExists($vmRoot)) {
        Add-SimNewVMError $ctx $vmName $id 'Failed to access configuration store: The system cannot find the path specified. (0x80070003).' ObjectNotFound ObjectNotFound
        return
    }
    $vmPath = if ($Bound.ContainsKey('Path')) { "$vmRoot\$vmName" } else { $vmRoot }

    # The disk: a new dynamic one (a bare file name goes to VirtualHardDiskPath), an existing one, or none.
    $disk = $null
    $newDisk = $null
    switch ($Cmdlet.ParameterSetName) {
        'New VHD' {
            $requested = [string]$Bound['NewVHDPath']
            if ($requested.IndexOfAny([char[]]@('\', '/', ':')) -lt 0) { $requested = [NestvirtSim.Factory]::Str($h, 'virtual_hard_disk_path', [NestvirtSim.SimFs]::DefaultVhdPath) + '\' + $requested }
            $newDisk = Resolve-SimWindowsPath $Cmdlet $requested
            if (-not $newDisk) { Add-SimPathNotModelled $ctx $requested; return }
            if (-not (Test-SimDiskForGeneration $ctx $newDisk $generation)) { return }
            if ($null -ne [NestvirtSim.SimFs]::FindDisk($ctx.State, $newDisk) -or [NestvirtSim.SimFs]::FileExists($newDisk)) {
                Add-SimVhdCreateError $ctx $newDisk $script:Win32FileExists
                return
            }
            # New-VM makes the disk's folder (chosen); a drive the host does not have fails as New-VHD does.
            if (-not [NestvirtSim.SimFs]::CreateFolder([NestvirtSim.SimFs]::ParentOf($newDisk))) {
                Add-SimVhdCreateError $ctx $newDisk $script:Win32PathNotFound
                return
            }
        }
        'Existing VHD' {
            $existing = Resolve-SimWindowsPath $Cmdlet ([string]$Bound['VHDPath'])
            $disk = if ($existing) { [NestvirtSim.SimFs]::FindDisk($ctx.State, $existing) } else { $null }
            if ($null -eq $disk) {
                # Chosen: the attachment error of Start-VM's messages, under New-VM's first line.
                Add-SimNewVMError $ctx $vmName $id "Failed to add device 'Virtual Hard Disk'.`nThe system cannot find the file specified. (0x80070002)." ObjectNotFound ObjectNotFound 'failed to add device ''Virtual Hard Disk'''
                return
            }
            if (-not (Test-SimDiskForGeneration $ctx ([string]$disk['path']) $generation)) { return }
        }
    }
    if (-not (Test-SimShouldProcess $Cmdlet @($vmName, 'New-VM'))) { return }

    if ($null -ne $newDisk) { $disk = [NestvirtSim.SimFs]::CreateDisk($ctx.State, $newDisk, 'Dynamic', [long]$Bound['NewVHDSizeBytes'], $null, 0, 0, 0) }
    $machine = [NestvirtSim.Json]::NewObject()
    $machine['name'] = $vmName
    $machine['id'] = $id
    $machine['state'] = 'Off'
    $machine['version'] = $versionText
    $machine['generation'] = [long]$generation
    $machine['created'] = [NestvirtSim.Clock]::Now()
    $machine['path'] = $vmPath
    $cpu = [NestvirtSim.Json]::NewObject()
    $cpu['count'] = 1L
    $cpu['expose_virtualization_extensions'] = $false
    $machine['processor'] = $cpu
    # Client Hyper-V makes VMs with dynamic memory, server Hyper-V with static (hashicorp/packer#5363, HyperVDsc#89).
    $mem = [NestvirtSim.Json]::NewObject()
    $mem['startup'] = $startup
    $mem['minimum'] = [math]::Min($startup, 512MB)
    $mem['maximum'] = 1TB
    $mem['dynamic'] = $client
    $mem['buffer'] = 20L
    $mem['priority'] = 50L
    $machine['memory'] = $mem
    $nic = [NestvirtSim.Json]::NewObject()
    $nic['name'] = 'Network Adapter'
    $nic['id'] = [guid]::NewGuid().ToString()
    $nic['switch'] = if ($null -ne $switch) { [string]$switch['name'] } else { $null }
    $nic['mac'] = New-SimVmMac $id
    $nic['dynamic_mac'] = $true
    $nic['mac_address_spoofing'] = 'Off'
    if ($bootDevice -eq 'LegacyNetworkAdapter') { $nic['legacy'] = $true }
    $machine['network_adapters'] = [System.Collections.Generic.List[object]]@(, $nic)
    $controller = if ($generation -eq 1) { 'IDE' } else { 'SCSI' }
    $hardDrives = [System.Collections.Generic.List[object]]::new()
    if ($null -ne $disk) {
        $hd = [NestvirtSim.Json]::NewObject()
        $hd['controller_type'] = $controller
        $hd['controller_number'] = 0L
        $hd['controller_location'] = 0L
        $hd['path'] = [string]$disk['path']
        $hardDrives.Add($hd)
    }
    $machine['hard_drives'] = $hardDrives
    $dvdDrives = [System.Collections.Generic.List[object]]::new()
    # A generation 1 VM gets a DVD drive at IDE 1:0; a generation 2 VM one only to boot from CD.
    if ($generation -eq 1 -or $bootDevice -eq 'CD') {
        $dvd = [NestvirtSim.Json]::NewObject()
        $dvd['controller_type'] = $controller
        $dvd['controller_number'] = if ($generation -eq 1) { 1L } else { 0L }
        $dvd['controller_location'] = if ($generation -eq 1) { 0L } else { [long]$hardDrives.Count }
        $dvd['path'] = $null
        $dvdDrives.Add($dvd)
    }
    $machine['dvd_drives'] = $dvdDrives
    if ($generation -eq 2) {
        $fw = [NestvirtSim.Json]::NewObject()
        $fw['secure_boot'] = 'On'
        $fw['secure_boot_template'] = 'MicrosoftWindows'
        $order = [System.Collections.Generic.List[object]]::new()
        $drives = @($hardDrives | ForEach-Object { [NestvirtSim.Factory]::BootReference($_) })
        $cds = @($dvdDrives | ForEach-Object { [NestvirtSim.Factory]::BootReference($_) })
        $nets = @("net:$($nic['id'])")
        $sequence = switch ($bootDevice) { 'CD' { $cds + $drives + $nets } 'NetworkAdapter' { $nets + $drives + $cds } default { $drives + $cds + $nets } }
        foreach ($r in $sequence) { $order.Add($r) }
        $fw['boot_order'] = $order
        $machine['firmware'] = $fw
    }
    elseif ($bootDevice) {
        $machine['bios_boot_device'] = $bootDevice
    }
    $machine['automatic_checkpoints'] = $client -and $build -ge 16299
    $machine['checkpoint_type'] = 'Production'
    $machine['automatic_start_action'] = 'StartIfRunning'
    $machine['automatic_stop_action'] = 'Save'
    $machine['notes'] = ''
    $guest = [NestvirtSim.Json]::NewObject()
    $guest['setup'] = 'pending'
    $guest['booted'] = $false
    $guest['shutdown'] = 'clean'
    $guest['shutdown_seconds'] = 1L
    $machine['guest'] = $guest
    # The configuration files Remove-VM deletes: <path>\Virtual Machines\<ID>.vmcx and .vmrs.
    $configs = [System.Collections.Generic.List[object]]::new()
    foreach ($ext in 'vmcx', 'vmrs') {
        $file = "$vmPath\Virtual Machines\$($id.ToUpperInvariant()).$ext"
        [NestvirtSim.SimFs]::CreateFile($ctx.State, $file, "nestvirt simulator: configuration of virtual machine '$vmName' ($id)`n")
        $configs.Add($file)
    }
    $machine['config_files'] = $configs
    $ctx.State['vms'].Add($machine)
    [NestvirtSim.SimFs]::RefreshAttachments($ctx.State)
    if ($Bound['AsJob']) { Add-SimOutput $ctx ([NestvirtSim.SimJob]::new("New-VM -Name $vmName", "New-VM ($vmName)", [string]$h['computer_name'], 0)) }
    else { Add-SimOutput $ctx ([NestvirtSim.Factory]::VirtualMachine($machine, $ctx.State)) }
}

# A generation 2 VM takes only VHDX files: HyperVDsc's own message (DSC_VMHyperV.strings.psd1), as
# Microsoft documents none. A path that is no VHD/VHDX at all: New-VHD's message (invented).
function script:Test-SimDiskForGeneration($ctx, [string]$DiskPath, [int]$Generation) {
    $format = [NestvirtSim.SimFs]::FormatOf($DiskPath)
    if (-not $format) {
        Add-SimVhdCreateError $ctx $DiskPath 'The file name extension is not that of a virtual hard disk (.vhd or .vhdx).' InvalidParameter InvalidArgument
        return $false
    }
    if ($Generation -eq 2 -and $format -eq 'VHD') {
        Add-SimError $ctx -Message 'Generation 2 virtual machines do not support the .VHD virtual disk extension.' -ErrorId InvalidParameter -Category InvalidArgument -Exception VirtualizationInvalidArgumentException
        return $false
    }
    return $true
}

function Remove-VM {
    [CmdletBinding(DefaultParameterSetName = 'Name', SupportsShouldProcess = $true, ConfirmImpact = 'Medium', PositionalBinding = $false)]
    [OutputType([Microsoft.HyperV.PowerShell.VirtualMachine])]
    param(
        [Parameter(ParameterSetName = 'Name')] [ValidateNotNullOrEmpty()]
        [Microsoft.Management.Infrastructure.CimSession[]] $CimSession,
        [Parameter(ParameterSetName = 'Name')] [ValidateNotNullOrEmpty()]
        [string[]] $ComputerName,
        [Parameter(ParameterSetName = 'Name')] [ValidateNotNullOrEmpty()]
        [pscredential[]] $Credential,

        [Parameter(ParameterSetName = 'Name', Mandatory = $true, Position = 0, ValueFromPipeline = $true)]
        [Alias('VMName')]
        [ValidateNotNullOrEmpty()]
        [string[]] $Name,

        [Parameter(ParameterSetName = 'VMObject', Mandatory = $true, Position = 0, ValueFromPipeline = $true)]
        [ValidateNotNullOrEmpty()]
        [Microsoft.HyperV.PowerShell.VirtualMachine[]] $VM,

        [switch] $Force,
        [switch] $AsJob,
        [switch] $Passthru
    )
    process {
        $ctx = Open-SimCall $PSCmdlet -Access HyperV
        try {
            if ($ctx.Ok) {
                $vms = if ($PSCmdlet.ParameterSetName -eq 'VMObject') { Find-SimVM $ctx -VM $VM } else { Find-SimVM $ctx -Name $Name }
                :machine foreach ($machine in @($vms)) {
                    $machineName = [string]$machine['name']
                    if (-not (Test-SimShouldProcess $PSCmdlet @($machineName, 'Remove-VM'))) { continue machine }
                    # Remove-VM.md, example 1: without -Force the cmdlet asks.
                    if (-not $Force -and -not (Test-SimShouldContinue $PSCmdlet @("Are you sure you want to remove virtual machine `"$machineName`"?", 'Confirm'))) { continue machine }
                    $state = Get-SimVMState $machine
                    if ($state -in 'Stopping', 'Starting', 'Saving', 'Pausing', 'Resuming') {
                        # taliesins/terraform-provider-hyperv#275 (a VM stuck in Stopping); FQID and category chosen.
                        Add-SimError $ctx -ErrorId InvalidState -Category InvalidOperation -Exception VirtualizationException -Message (
                            "Deleting '$machineName' failed.`nThe operation cannot be performed while the object is in its current state.")
                        continue machine
                    }
                    # A running, paused or saved VM is turned off and deleted (chosen, as Hyper-V Manager's Delete does).
                    if ($state -ne 'Off') { Set-SimVMState $machine 'Off' }
                    $before = [NestvirtSim.Factory]::VirtualMachine($machine, $ctx.State)
                    # The configuration goes; the virtual hard disks stay (Remove-VM.md).
                    foreach ($file in [NestvirtSim.Factory]::List($machine, 'config_files')) { [NestvirtSim.SimFs]::DeleteFile($ctx.State, [string]$file) }
                    $null = $ctx.State['vms'].Remove($machine)
                    if ($AsJob) { Add-SimOutput $ctx ([NestvirtSim.SimJob]::new("Remove-VM -Name $machineName", "Remove-VM ($machineName)", [string]$ctx.HostInfo['computer_name'], 0)) }
                    elseif ($Passthru) { Add-SimOutput $ctx $before }
                }
                if ([NestvirtSim.SimFs]::UsesFs($ctx.State)) { [NestvirtSim.SimFs]::RefreshAttachments($ctx.State) }
            }
        }
        finally { Close-SimCall $ctx }
        foreach ($o in $ctx.Output) { if ($o -is [System.Management.Automation.Job]) { $PSCmdlet.JobRepository.Add($o) } }
        Complete-SimCall $ctx
    }
}

function Set-VM {
    [CmdletBinding(DefaultParameterSetName = 'Name', SupportsShouldProcess = $true, ConfirmImpact = 'Medium', PositionalBinding = $false)]
    [OutputType([Microsoft.HyperV.PowerShell.VirtualMachine])]
    param(
        [Parameter(ParameterSetName = 'Name')] [ValidateNotNullOrEmpty()]
        [Microsoft.Management.Infrastructure.CimSession[]] $CimSession,
        [Parameter(ParameterSetName = 'Name')] [ValidateNotNullOrEmpty()]
        [string[]] $ComputerName,
        [Parameter(ParameterSetName = 'Name')] [ValidateNotNullOrEmpty()]
        [pscredential[]] $Credential,

        [Parameter(ParameterSetName = 'VMObject', Mandatory = $true, Position = 0, ValueFromPipeline = $true)]
        [ValidateNotNullOrEmpty()]
        [Microsoft.HyperV.PowerShell.VirtualMachine[]] $VM,

        [Parameter(ParameterSetName = 'Name', Mandatory = $true, Position = 0, ValueFromPipeline = $true)]
        [Alias('VMName')]
        [ValidateNotNullOrEmpty()]
        [string[]] $Name,

        [bool] $GuestControlledCacheTypes,
        [uint32] $LowMemoryMappedIoSpace,
        [uint64] $HighMemoryMappedIoSpace,
        [ValidateNotNull()] [System.Nullable[long]] $ProcessorCount,
        [switch] $DynamicMemory,
        [switch] $StaticMemory,
        [ValidateNotNull()] [System.Nullable[long]] $MemoryMinimumBytes,
        [ValidateNotNull()] [System.Nullable[long]] $MemoryMaximumBytes,
        [ValidateNotNull()] [System.Nullable[long]] $MemoryStartupBytes,
        [System.Nullable[Microsoft.HyperV.PowerShell.StartAction]] $AutomaticStartAction,
        [System.Nullable[Microsoft.HyperV.PowerShell.StopAction]] $AutomaticStopAction,
        [ValidateNotNull()] [System.Nullable[int]] $AutomaticStartDelay,
        [System.Nullable[Microsoft.HyperV.PowerShell.CriticalErrorAction]] $AutomaticCriticalErrorAction,
        [ValidateNotNull()] [System.Nullable[int]] $AutomaticCriticalErrorActionTimeout,
        [ValidateNotNull()] [System.Nullable[Microsoft.HyperV.PowerShell.OnOffState]] $LockOnDisconnect,
        [ValidateNotNull()] [string] $Notes,
        [string] $NewVMName,
        [string] $SnapshotFileLocation,
        [string] $SmartPagingFilePath,
        [System.Nullable[Microsoft.HyperV.PowerShell.EnhancedSessionTransportType]] $EnhancedSessionTransportType,
        [switch] $Passthru,
        [switch] $AllowUnverifiedPaths
    )
    dynamicparam {
        $dictionary = [System.Management.Automation.RuntimeDefinedParameterDictionary]::new()
        if ($script:HasAutomaticCheckpoints) {
            $attributes = [System.Collections.ObjectModel.Collection[System.Attribute]]@([System.Management.Automation.ParameterAttribute]::new(), [System.Management.Automation.ValidateNotNullAttribute]::new())
            $dictionary.Add('AutomaticCheckpointsEnabled', [System.Management.Automation.RuntimeDefinedParameter]::new('AutomaticCheckpointsEnabled', [System.Nullable[bool]], $attributes))
        }
        if ($script:HasCheckpointType) {
            $attributes = [System.Collections.ObjectModel.Collection[System.Attribute]]@([System.Management.Automation.ParameterAttribute]::new())
            $dictionary.Add('CheckpointType', [System.Management.Automation.RuntimeDefinedParameter]::new('CheckpointType', [System.Nullable[Microsoft.HyperV.PowerShell.CheckpointType]], $attributes))
        }
        return $dictionary
    }
    process {
        $ctx = Open-SimCall $PSCmdlet -Access HyperV
        try {
            if ($ctx.Ok) {
                $b = $PSBoundParameters
                # What needs the VM Off (chosen: as Set-VMProcessor/Set-VMMemory for processor and memory).
                $offOnly = 'ProcessorCount', 'DynamicMemory', 'StaticMemory', 'MemoryMinimumBytes', 'MemoryMaximumBytes', 'MemoryStartupBytes',
                'AutomaticStopAction', 'LowMemoryMappedIoSpace', 'HighMemoryMappedIoSpace', 'GuestControlledCacheTypes', 'SmartPagingFilePath'
                $needsOff = @($offOnly | Where-Object { $b.ContainsKey($_) }).Count -gt 0
                $hostCpu = $ctx.HostInfo['cpu']
                $logical = [long]$hostCpu['sockets'] * [long]$hostCpu['logical_processors_per_socket']
                $vms = if ($PSCmdlet.ParameterSetName -eq 'VMObject') { Find-SimVM $ctx -VM $VM } else { Find-SimVM $ctx -Name $Name }
                :machine foreach ($machine in $vms) {
                    $machineName = [string]$machine['name']
                    $machineId = Get-SimVmIdText $machine
                    if (-not (Test-SimShouldProcess $PSCmdlet @($machineName, 'Set-VM'))) { continue machine }
                    if ($needsOff -and (Get-SimVMState $machine) -ne [Microsoft.HyperV.PowerShell.VMState]::Off) { Add-SimWrongState $ctx; continue machine }
                    if ($DynamicMemory -and $StaticMemory) {
                        # Invented wording.
                        Add-SimError $ctx -ErrorId InvalidParameter -Category InvalidArgument -Exception VirtualizationInvalidArgumentException -Message 'The DynamicMemory and StaticMemory parameters cannot be used together.'
                        continue machine
                    }
                    if ($b.ContainsKey('ProcessorCount') -and ($ProcessorCount -lt 1 -or ($logical -gt 0 -and $ProcessorCount -gt $logical))) {
                        Add-SimError $ctx -ErrorId InvalidParameter -Category InvalidArgument -Exception VirtualizationException -Message (
                            "Failed to modify device 'Processor'.`nThe number of virtual processors ($ProcessorCount) must be between 1 and the number of logical processors of the host ($logical).`n" +
                            "'$machineName' failed to modify device 'Processor'. (Virtual machine ID $machineId)")
                        continue machine
                    }
                    $mem = Get-SimSection $machine 'memory'
                    $dynamic = if ($DynamicMemory) { $true } elseif ($StaticMemory) { $false } else { Test-SimTrue $mem 'dynamic' $false }
                    $startup = if ($b.ContainsKey('MemoryStartupBytes')) { [long]$MemoryStartupBytes } else { [NestvirtSim.Factory]::Long($mem, 'startup', 1GB) }
                    $minimum = if ($b.ContainsKey('MemoryMinimumBytes')) { [long]$MemoryMinimumBytes } else { [NestvirtSim.Factory]::Long($mem, 'minimum', 512MB) }
                    $maximum = if ($b.ContainsKey('MemoryMaximumBytes')) { [long]$MemoryMaximumBytes } else { [NestvirtSim.Factory]::Long($mem, 'maximum', 1TB) }
                    foreach ($pair in @(@('MemoryStartupBytes', $startup), @('MemoryMinimumBytes', $minimum), @('MemoryMaximumBytes', $maximum))) {
                        if ($b.ContainsKey($pair[0]) -and ($pair[1] -le 0 -or $pair[1] % 2MB -ne 0)) {
                            Add-SimError $ctx -ErrorId InvalidParameter -Category InvalidArgument -Exception VirtualizationException -Message (
                                "Failed to modify device 'Memory'.`nInvalid memory value assigned for '$machineName'. Memory values must be a multiple of 2 MB.`n" +
                                "'$machineName' failed to modify device 'Memory'. (Virtual machine ID $machineId)")
                            continue machine
                        }
                    }
                    if ($dynamic -and -not ($minimum -le $startup -and $startup -le $maximum)) {
                        Add-SimError $ctx -ErrorId InvalidParameter -Category InvalidArgument -Exception VirtualizationException -Message (
                            "Failed to modify device 'Memory'.`nThe minimum memory must be less than or equal to the startup memory, and the startup memory less than or equal to the maximum memory.`n" +
                            "'$machineName' failed to modify device 'Memory'. (Virtual machine ID $machineId)")
                        continue machine
                    }
                    if ($b.ContainsKey('ProcessorCount')) { (Get-SimSection $machine 'processor')['count'] = [long]$ProcessorCount }
                    if ($DynamicMemory -or $StaticMemory) { $mem['dynamic'] = $dynamic }
                    if ($b.ContainsKey('MemoryStartupBytes')) { $mem['startup'] = $startup }
                    if ($b.ContainsKey('MemoryMinimumBytes')) { $mem['minimum'] = $minimum }
                    if ($b.ContainsKey('MemoryMaximumBytes')) { $mem['maximum'] = $maximum }
                    $keys = [ordered]@{
                        AutomaticStartAction = 'automatic_start_action'; AutomaticStopAction = 'automatic_stop_action'; AutomaticStartDelay = 'automatic_start_delay'
                        AutomaticCriticalErrorAction = 'automatic_critical_error_action'; AutomaticCriticalErrorActionTimeout = 'automatic_critical_error_action_timeout'
                        AutomaticCheckpointsEnabled = 'automatic_checkpoints'; CheckpointType = 'checkpoint_type'; LockOnDisconnect = 'lock_on_disconnect'
                        Notes = 'notes'; SnapshotFileLocation = 'snapshot_file_location'; SmartPagingFilePath = 'smart_paging_file_path'
                        GuestControlledCacheTypes = 'guest_controlled_cache_types'; LowMemoryMappedIoSpace = 'low_memory_mapped_io_space'
                        HighMemoryMappedIoSpace = 'high_memory_mapped_io_space'; EnhancedSessionTransportType = 'enhanced_session_transport_type'
                    }
                    foreach ($p in $keys.Keys) {
                        if (-not $b.ContainsKey($p)) { continue }
                        $value = $b[$p]
                        $machine[$keys[$p]] = if ($value -is [enum]) { [string]$value } elseif ($p -like '*Location' -or $p -eq 'SmartPagingFilePath') { [string]$value } else { $value }
                    }
                    if ($b.ContainsKey('NewVMName') -and $NewVMName) { $machine['name'] = $NewVMName }
                    if ($Passthru) { Add-SimOutput $ctx ([NestvirtSim.Factory]::VirtualMachine($machine, $ctx.State)) }
                }
            }
        }
        finally { Close-SimCall $ctx }
        Complete-SimCall $ctx
    }
}
