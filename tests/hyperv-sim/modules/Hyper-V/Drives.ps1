# Get-VMHardDiskDrive, Add-VMHardDiskDrive, Get-VMDvdDrive, Add-VMDvdDrive, Get-VMFirmware, Set-VMFirmware
# (docset/winserver2022-ps/hyper-v/<Cmdlet>.md; attributes as the module's generated stubs). A VM's
# drives are its hard_drives[] / dvd_drives[] entries, its firmware the firmware section (generation 2).

# The VMs of the VMName / VMObject / VMSnapshot / VMDriveController sets.
function script:Find-SimVMForDrives($ctx, [System.Management.Automation.PSCmdlet]$Cmdlet, $Bound) {
    switch ($Cmdlet.ParameterSetName) {
        'VMName' { return Find-SimVM $ctx -Name $Bound['VMName'] }
        'VMObject' { return Find-SimVM $ctx -VM $Bound['VM'] }
        'VMSnapshot' {
            Add-SimError $ctx -Message 'The simulator has no checkpoints.' -ErrorId ObjectNotFound -Category ObjectNotFound -Exception VirtualizationException
            return , [System.Collections.Generic.List[object]]::new()
        }
        'VMFirmware' {
            $refs = foreach ($o in $Bound['VMFirmware']) { [pscustomobject]@{ Id = $o.VMId; Name = $o.VMName } }
            return Find-SimVM $ctx -VM @($refs)
        }
        default {
            Add-SimError $ctx -Message 'Hyper-V simulator: drive controller objects (-VMDriveController) are not modelled; name the VM.' -ErrorId NotSupported -Category NotImplemented -Exception VirtualizationException
            return , [System.Collections.Generic.List[object]]::new()
        }
    }
}

function script:Test-SimDriveFilter($drive, $Bound) {
    if ($Bound.ContainsKey('ControllerType') -and $null -ne $Bound['ControllerType'] -and [string]$drive['controller_type'] -ne [string]$Bound['ControllerType']) { return $false }
    if ($Bound.ContainsKey('ControllerNumber') -and $null -ne $Bound['ControllerNumber'] -and [long]$drive['controller_number'] -ne [long]$Bound['ControllerNumber']) { return $false }
    if ($Bound.ContainsKey('ControllerLocation') -and $null -ne $Bound['ControllerLocation'] -and [long]$drive['controller_location'] -ne [long]$Bound['ControllerLocation']) { return $false }
    return $true
}

# A free slot: IDE has 2 controllers of 2 locations, SCSI 4 of 64. Returns @(number, location) or $null.
function script:Find-SimFreeSlot($machine, [string]$Type, $Number, $Location) {
    $used = @{}
    foreach ($key in 'hard_drives', 'dvd_drives') {
        foreach ($d in [NestvirtSim.Factory]::List($machine, $key)) {
            if ([string]$d['controller_type'] -eq $Type) { $used["$([long]$d['controller_number']):$([long]$d['controller_location'])"] = $true }
        }
    }
    $controllers = if ($Type -eq 'IDE') { 0..1 } else { 0..3 }
    $locations = if ($Type -eq 'IDE') { 0..1 } else { 0..63 }
    if ($null -ne $Number) { $controllers = @([int]$Number) }
    if ($null -ne $Location) { $locations = @([int]$Location) }
    foreach ($n in $controllers) { foreach ($l in $locations) { if (-not $used.ContainsKey("${n}:$l")) { return @([long]$n, [long]$l) } } }
    return $null
}

# A new drive goes at the end of a generation 2 VM's boot order (as Hyper-V appends new devices).
function script:Add-SimBootEntry($machine, $drive) {
    $fw = $machine['firmware']
    if ($fw -isnot [System.Collections.IDictionary]) { return }
    $order = [NestvirtSim.Factory]::BootOrder($machine)
    $order.Add([NestvirtSim.Factory]::BootReference($drive))
    $fw['boot_order'] = $order
}

# "Generation 1 virtual machines do not support the VMFirmware cmdlets." (hashicorp/vagrant#5419; two spaces as the module writes it)
function script:Test-SimFirmwareGeneration($ctx, $machine) {
    if ([NestvirtSim.Factory]::Long($machine, 'generation', 2) -ne 1) { return $true }
    Add-SimError $ctx -Message 'A parameter is invalid. Generation 1 virtual machines do not support the VMFirmware cmdlets.  Use Get-VMBios and Set-VMBios instead.' `
        -ErrorId InvalidParameter -Category InvalidArgument -Exception VirtualizationInvalidArgumentException
    return $false
}

function Get-VMHardDiskDrive {
    [CmdletBinding(DefaultParameterSetName = 'VMName', PositionalBinding = $false)]
    [OutputType([Microsoft.HyperV.PowerShell.HardDiskDrive])]
    param(
        [Parameter(ParameterSetName = 'VMName')] [ValidateNotNullOrEmpty()]
        [Microsoft.Management.Infrastructure.CimSession[]] $CimSession,
        [Parameter(ParameterSetName = 'VMName')] [ValidateNotNullOrEmpty()]
        [string[]] $ComputerName,
        [Parameter(ParameterSetName = 'VMName')] [ValidateNotNullOrEmpty()]
        [pscredential[]] $Credential,

        [Parameter(ParameterSetName = 'VMName', Mandatory = $true, Position = 0, ValueFromPipeline = $true)]
        [ValidateNotNullOrEmpty()]
        [string[]] $VMName,

        [Parameter(ParameterSetName = 'VMObject', Mandatory = $true, Position = 0, ValueFromPipeline = $true)]
        [ValidateNotNullOrEmpty()]
        [Microsoft.HyperV.PowerShell.VirtualMachine[]] $VM,

        [Parameter(ParameterSetName = 'VMSnapshot', Mandatory = $true, Position = 0, ValueFromPipeline = $true)]
        [Alias('VMCheckpoint')]
        [ValidateNotNull()]
        [Microsoft.HyperV.PowerShell.VMSnapshot] $VMSnapshot,

        [Parameter(ParameterSetName = 'VMDriveController', Mandatory = $true, Position = 0, ValueFromPipeline = $true)]
        [ValidateNotNullOrEmpty()]
        [Microsoft.HyperV.PowerShell.VMDriveController[]] $VMDriveController,

        [ValidateNotNull()] [System.Nullable[int]] $ControllerLocation,

        [Parameter(ParameterSetName = 'VMName')] [Parameter(ParameterSetName = 'VMObject')] [Parameter(ParameterSetName = 'VMSnapshot')]
        [ValidateNotNull()] [System.Nullable[int]] $ControllerNumber,

        [Parameter(ParameterSetName = 'VMName')] [Parameter(ParameterSetName = 'VMObject')] [Parameter(ParameterSetName = 'VMSnapshot')]
        [System.Nullable[Microsoft.HyperV.PowerShell.ControllerType]] $ControllerType
    )
    process {
        $ctx = Open-SimCall $PSCmdlet -Access HyperV
        try {
            if ($ctx.Ok) {
                foreach ($machine in (Find-SimVMForDrives $ctx $PSCmdlet $PSBoundParameters)) {
                    foreach ($d in [NestvirtSim.Factory]::List($machine, 'hard_drives')) {
                        if (Test-SimDriveFilter $d $PSBoundParameters) { Add-SimOutput $ctx ([NestvirtSim.Factory]::HardDiskDrive($machine, $d, $ctx.State)) }
                    }
                }
            }
        }
        finally { Close-SimCall $ctx }
        Complete-SimCall $ctx
    }
}

function Add-VMHardDiskDrive {
    [CmdletBinding(DefaultParameterSetName = 'VMName', SupportsShouldProcess = $true, ConfirmImpact = 'Medium', PositionalBinding = $false)]
    [OutputType([Microsoft.HyperV.PowerShell.HardDiskDrive])]
    param(
        [Parameter(ParameterSetName = 'VMName')] [ValidateNotNullOrEmpty()]
        [Microsoft.Management.Infrastructure.CimSession[]] $CimSession,
        [Parameter(ParameterSetName = 'VMName')] [ValidateNotNullOrEmpty()]
        [string[]] $ComputerName,
        [Parameter(ParameterSetName = 'VMName')] [ValidateNotNullOrEmpty()]
        [pscredential[]] $Credential,

        [Parameter(ParameterSetName = 'VMName', Mandatory = $true, Position = 0, ValueFromPipeline = $true)]
        [Alias('PSComputerName')]
        [ValidateNotNullOrEmpty()]
        [string[]] $VMName,

        [Parameter(ParameterSetName = 'VMObject', Mandatory = $true, Position = 0, ValueFromPipeline = $true)]
        [ValidateNotNullOrEmpty()]
        [Microsoft.HyperV.PowerShell.VirtualMachine[]] $VM,

        [Parameter(ParameterSetName = 'VMDriveController', Mandatory = $true, Position = 0, ValueFromPipeline = $true)]
        [ValidateNotNullOrEmpty()]
        [Microsoft.HyperV.PowerShell.VMDriveController] $VMDriveController,

        [Parameter(ParameterSetName = 'VMName', Position = 1)] [Parameter(ParameterSetName = 'VMObject', Position = 1)]
        [System.Nullable[Microsoft.HyperV.PowerShell.ControllerType]] $ControllerType,

        [Parameter(ParameterSetName = 'VMName', Position = 2)] [Parameter(ParameterSetName = 'VMObject', Position = 2)]
        [ValidateNotNull()] [System.Nullable[int]] $ControllerNumber,

        [Parameter(Position = 3)]
        [ValidateNotNull()] [System.Nullable[int]] $ControllerLocation,

        [Parameter(Position = 4)]
        [string] $Path,

        [Parameter(ValueFromPipelineByPropertyName = $true)]
        [Alias('Number')]
        [uint32] $DiskNumber,

        [ValidateNotNull()] [string] $ResourcePoolName,
        [Alias('ShareVirtualDisk')] [switch] $SupportPersistentReservations,
        [switch] $AllowUnverifiedPaths,
        [System.Nullable[uint64]] $MaximumIOPS,
        [System.Nullable[uint64]] $MinimumIOPS,
        [string] $QoSPolicyID,
        [ciminstance] $QoSPolicy,
        [switch] $Passthru,
        [System.Nullable[Microsoft.HyperV.PowerShell.CacheAttributes]] $OverrideCacheAttributes
    )
    process {
        $ctx = Open-SimCall $PSCmdlet -Access HyperV
        try {
            if ($ctx.Ok) {
                :machine foreach ($machine in (Find-SimVMForDrives $ctx $PSCmdlet $PSBoundParameters)) {
                    $machineName = [string]$machine['name']
                    $generation = [NestvirtSim.Factory]::Long($machine, 'generation', 2)
                    $type = if ($null -ne $ControllerType) { [string]$ControllerType } elseif ($generation -eq 1) { 'IDE' } else { 'SCSI' }
                    if ($generation -eq 2 -and $type -eq 'IDE') {
                        Add-SimError $ctx -Message 'Generation 2 virtual machines do not support IDE.' -ErrorId InvalidParameter -Category InvalidArgument -Exception VirtualizationInvalidArgumentException
                        continue machine
                    }
                    if (-not (Test-SimShouldProcess $PSCmdlet @($machineName, 'Add-VMHardDiskDrive'))) { continue machine }
                    # IDE drives cannot be added to a running VM; SCSI disks can (hot add).
                    $state = Get-SimVMState $machine
                    if ($state -ne [Microsoft.HyperV.PowerShell.VMState]::Off -and ($type -eq 'IDE' -or $state -ne [Microsoft.HyperV.PowerShell.VMState]::Running)) { Add-SimWrongState $ctx; continue machine }
                    $diskPath = $null
                    if ($Path) {
                        $win = Resolve-SimWindowsPath $PSCmdlet $Path
                        $disk = if ($win) { [NestvirtSim.SimFs]::FindDisk($ctx.State, $win) } else { $null }
                        if ($null -eq $disk) {
                            # Chosen: the attachment error of Hyper-V's messages.
                            Add-SimError $ctx -ErrorId ObjectNotFound -Category ObjectNotFound -Exception VirtualizationException -Message (
                                "Failed to add device 'Virtual Hard Disk'.`nThe system cannot find the file specified. (0x80070002).`n'$machineName' failed to add device 'Virtual Hard Disk'. (Virtual machine ID $(Get-SimVmIdText $machine))")
                            continue machine
                        }
                        $diskPath = [string]$disk['path']
                    }
                    elseif (-not $PSBoundParameters.ContainsKey('DiskNumber')) {
                        Add-SimError $ctx -Message 'Hyper-V simulator: give -Path (a virtual hard disk) or -DiskNumber (a pass-through disk).' -ErrorId InvalidParameter -Category InvalidArgument -Exception VirtualizationInvalidArgumentException
                        continue machine
                    }
                    $slot = Find-SimFreeSlot $machine $type $ControllerNumber $ControllerLocation
                    if ($null -eq $slot) {
                        # The text of hyperv lis-test#461 (an older module: FQID and exception chosen for 2.0).
                        Add-SimError $ctx -Message 'The specified location of the controller is not available.' -ErrorId OperationFailed -Category NotSpecified -Exception VirtualizationOperationFailedException
                        continue machine
                    }
                    $drive = [NestvirtSim.Json]::NewObject()
                    $drive['controller_type'] = $type
                    $drive['controller_number'] = $slot[0]
                    $drive['controller_location'] = $slot[1]
                    $drive['path'] = $diskPath
                    if ($PSBoundParameters.ContainsKey('DiskNumber')) { $drive['disk_number'] = [long]$DiskNumber }
                    $list = $machine['hard_drives']
                    if ($list -isnot [System.Collections.Generic.List[object]]) { $list = [NestvirtSim.Factory]::List($machine, 'hard_drives'); $machine['hard_drives'] = $list }
                    $list.Add($drive)
                    Add-SimBootEntry $machine $drive
                    if ($Passthru) { Add-SimOutput $ctx ([NestvirtSim.Factory]::HardDiskDrive($machine, $drive, $ctx.State)) }
                }
                [NestvirtSim.SimFs]::RefreshAttachments($ctx.State)
            }
        }
        finally { Close-SimCall $ctx }
        Complete-SimCall $ctx
    }
}

function Get-VMDvdDrive {
    [CmdletBinding(DefaultParameterSetName = 'VMName', PositionalBinding = $false)]
    [OutputType([Microsoft.HyperV.PowerShell.DvdDrive])]
    param(
        [Parameter(ParameterSetName = 'VMName')] [ValidateNotNullOrEmpty()]
        [Microsoft.Management.Infrastructure.CimSession[]] $CimSession,
        [Parameter(ParameterSetName = 'VMName')] [ValidateNotNullOrEmpty()]
        [string[]] $ComputerName,
        [Parameter(ParameterSetName = 'VMName')] [ValidateNotNullOrEmpty()]
        [pscredential[]] $Credential,

        [Parameter(ParameterSetName = 'VMName', Mandatory = $true, Position = 0, ValueFromPipeline = $true)]
        [ValidateNotNullOrEmpty()]
        [string[]] $VMName,

        [Parameter(ParameterSetName = 'VMObject', Mandatory = $true, Position = 0, ValueFromPipeline = $true)]
        [ValidateNotNullOrEmpty()]
        [Microsoft.HyperV.PowerShell.VirtualMachine[]] $VM,

        [ValidateNotNull()] [System.Nullable[int]] $ControllerLocation,

        [Parameter(ParameterSetName = 'VMName')] [Parameter(ParameterSetName = 'VMObject')] [Parameter(ParameterSetName = 'VMSnapshot')]
        [ValidateNotNull()] [System.Nullable[int]] $ControllerNumber,

        [Parameter(ParameterSetName = 'VMDriveController', Mandatory = $true, Position = 0, ValueFromPipeline = $true)]
        [ValidateNotNullOrEmpty()]
        [Microsoft.HyperV.PowerShell.VMDriveController[]] $VMDriveController,

        [Parameter(ParameterSetName = 'VMSnapshot', Mandatory = $true, Position = 0, ValueFromPipeline = $true)]
        [Alias('VMCheckpoint')]
        [ValidateNotNull()]
        [Microsoft.HyperV.PowerShell.VMSnapshot] $VMSnapshot
    )
    process {
        $ctx = Open-SimCall $PSCmdlet -Access HyperV
        try {
            if ($ctx.Ok) {
                foreach ($machine in (Find-SimVMForDrives $ctx $PSCmdlet $PSBoundParameters)) {
                    foreach ($d in [NestvirtSim.Factory]::List($machine, 'dvd_drives')) {
                        if (Test-SimDriveFilter $d $PSBoundParameters) { Add-SimOutput $ctx ([NestvirtSim.Factory]::DvdDrive($machine, $d, $ctx.State)) }
                    }
                }
            }
        }
        finally { Close-SimCall $ctx }
        Complete-SimCall $ctx
    }
}

function Add-VMDvdDrive {
    [CmdletBinding(DefaultParameterSetName = 'VMName', SupportsShouldProcess = $true, ConfirmImpact = 'Medium', PositionalBinding = $false)]
    [OutputType([Microsoft.HyperV.PowerShell.DvdDrive])]
    param(
        [Parameter(ParameterSetName = 'VMName')] [ValidateNotNullOrEmpty()]
        [Microsoft.Management.Infrastructure.CimSession[]] $CimSession,
        [Parameter(ParameterSetName = 'VMName')] [ValidateNotNullOrEmpty()]
        [string[]] $ComputerName,
        [Parameter(ParameterSetName = 'VMName')] [ValidateNotNullOrEmpty()]
        [pscredential[]] $Credential,

        [Parameter(ParameterSetName = 'VMName', Mandatory = $true, Position = 0, ValueFromPipeline = $true)]
        [ValidateNotNullOrEmpty()]
        [string[]] $VMName,

        [Parameter(ParameterSetName = 'VMObject', Mandatory = $true, Position = 0, ValueFromPipeline = $true)]
        [ValidateNotNullOrEmpty()]
        [Microsoft.HyperV.PowerShell.VirtualMachine[]] $VM,

        [Parameter(ParameterSetName = 'VMDriveController', Mandatory = $true, Position = 0, ValueFromPipeline = $true)]
        [ValidateNotNullOrEmpty()]
        [Microsoft.HyperV.PowerShell.VMDriveController[]] $VMDriveController,

        [Parameter(ParameterSetName = 'VMObject', Position = 2)] [Parameter(ParameterSetName = 'VMName', Position = 2)]
        [ValidateNotNull()] [System.Nullable[int]] $ControllerNumber,

        [Parameter(Position = 3)]
        [ValidateNotNull()] [System.Nullable[int]] $ControllerLocation,

        [Parameter(Position = 4)]
        [string] $Path,

        [ValidateNotNull()] [string] $ResourcePoolName,
        [switch] $AllowUnverifiedPaths,
        [switch] $Passthru
    )
    process {
        $ctx = Open-SimCall $PSCmdlet -Access HyperV
        try {
            if ($ctx.Ok) {
                :machine foreach ($machine in (Find-SimVMForDrives $ctx $PSCmdlet $PSBoundParameters)) {
                    $machineName = [string]$machine['name']
                    $generation = [NestvirtSim.Factory]::Long($machine, 'generation', 2)
                    $type = if ($generation -eq 1) { 'IDE' } else { 'SCSI' }
                    if (-not (Test-SimShouldProcess $PSCmdlet @($machineName, 'Add-VMDvdDrive'))) { continue machine }
                    if ((Get-SimVMState $machine) -ne [Microsoft.HyperV.PowerShell.VMState]::Off) { Add-SimWrongState $ctx; continue machine }
                    $iso = $null
                    if ($Path) {
                        $iso = Resolve-SimWindowsPath $PSCmdlet $Path
                        if (-not $iso -or -not [NestvirtSim.SimFs]::FileExists($iso)) {
                            # Chosen: the attachment error of Hyper-V's messages.
                            Add-SimError $ctx -ErrorId ObjectNotFound -Category ObjectNotFound -Exception VirtualizationException -Message (
                                "Failed to add device 'Virtual CD/DVD Disk'.`nThe system cannot find the file specified. (0x80070002).`n'$machineName' failed to add device 'Virtual CD/DVD Disk'. (Virtual machine ID $(Get-SimVmIdText $machine))")
                            continue machine
                        }
                    }
                    $slot = Find-SimFreeSlot $machine $type $ControllerNumber $ControllerLocation
                    if ($null -eq $slot) {
                        Add-SimError $ctx -Message 'The specified location of the controller is not available.' -ErrorId OperationFailed -Category NotSpecified -Exception VirtualizationOperationFailedException
                        continue machine
                    }
                    $drive = [NestvirtSim.Json]::NewObject()
                    $drive['controller_type'] = $type
                    $drive['controller_number'] = $slot[0]
                    $drive['controller_location'] = $slot[1]
                    $drive['path'] = $iso
                    $list = $machine['dvd_drives']
                    if ($list -isnot [System.Collections.Generic.List[object]]) { $list = [NestvirtSim.Factory]::List($machine, 'dvd_drives'); $machine['dvd_drives'] = $list }
                    $list.Add($drive)
                    Add-SimBootEntry $machine $drive
                    if ($Passthru) { Add-SimOutput $ctx ([NestvirtSim.Factory]::DvdDrive($machine, $drive, $ctx.State)) }
                }
            }
        }
        finally { Close-SimCall $ctx }
        Complete-SimCall $ctx
    }
}

function Get-VMFirmware {
    [CmdletBinding(DefaultParameterSetName = 'VMName', PositionalBinding = $false)]
    [OutputType([Microsoft.HyperV.PowerShell.VMFirmware])]
    param(
        [Parameter(ParameterSetName = 'VMName')] [ValidateNotNullOrEmpty()]
        [Microsoft.Management.Infrastructure.CimSession[]] $CimSession,
        [Parameter(ParameterSetName = 'VMName')] [ValidateNotNullOrEmpty()]
        [string[]] $ComputerName,
        [Parameter(ParameterSetName = 'VMName')] [ValidateNotNullOrEmpty()]
        [pscredential[]] $Credential,

        [Parameter(ParameterSetName = 'VMObject', Mandatory = $true, Position = 0, ValueFromPipeline = $true)]
        [ValidateNotNullOrEmpty()]
        [Microsoft.HyperV.PowerShell.VirtualMachine[]] $VM,

        [Parameter(ParameterSetName = 'VMSnapshot', Mandatory = $true, Position = 0, ValueFromPipeline = $true)]
        [Alias('VMCheckpoint')]
        [ValidateNotNull()]
        [Microsoft.HyperV.PowerShell.VMSnapshot] $VMSnapshot,

        [Parameter(ParameterSetName = 'VMName', Mandatory = $true, Position = 0, ValueFromPipeline = $true)]
        [ValidateNotNullOrEmpty()]
        [string[]] $VMName
    )
    process {
        $ctx = Open-SimCall $PSCmdlet -Access HyperV
        try {
            if ($ctx.Ok) {
                foreach ($machine in (Find-SimVMForDrives $ctx $PSCmdlet $PSBoundParameters)) {
                    if (Test-SimFirmwareGeneration $ctx $machine) { Add-SimOutput $ctx ([NestvirtSim.Factory]::Firmware($machine, $ctx.State)) }
                }
            }
        }
        finally { Close-SimCall $ctx }
        Complete-SimCall $ctx
    }
}

# The boot_order reference of a -FirstBootDevice / -BootOrder object of this VM, or $null.
function script:Get-SimBootReference($machine, $Device) {
    if ($null -eq $Device -or [string]$Device.VMId -ne [string]$machine['id']) { return $null }
    if ($Device -is [Microsoft.HyperV.PowerShell.VMNetworkAdapter]) {
        foreach ($a in [NestvirtSim.Factory]::List($machine, 'network_adapters')) { if (([string]$a['id']).ToUpperInvariant() -eq ([string]$Device.AdapterId).ToUpperInvariant()) { return "net:$($a['id'])" } }
        return $null
    }
    if ($Device -is [Microsoft.HyperV.PowerShell.Drive]) {
        $key = if ($Device -is [Microsoft.HyperV.PowerShell.DvdDrive]) { 'dvd_drives' } else { 'hard_drives' }
        foreach ($d in [NestvirtSim.Factory]::List($machine, $key)) {
            if ([string]$d['controller_type'] -eq [string]$Device.ControllerType -and [long]$d['controller_number'] -eq $Device.ControllerNumber -and [long]$d['controller_location'] -eq $Device.ControllerLocation) {
                return [NestvirtSim.Factory]::BootReference($d)
            }
        }
    }
    return $null
}

function Set-VMFirmware {
    [CmdletBinding(DefaultParameterSetName = 'VMName', SupportsShouldProcess = $true, ConfirmImpact = 'Medium', PositionalBinding = $false)]
    [OutputType([Microsoft.HyperV.PowerShell.VMFirmware])]
    param(
        [Parameter(ParameterSetName = 'VMName')] [ValidateNotNullOrEmpty()]
        [Microsoft.Management.Infrastructure.CimSession[]] $CimSession,
        [Parameter(ParameterSetName = 'VMName')] [ValidateNotNullOrEmpty()]
        [string[]] $ComputerName,
        [Parameter(ParameterSetName = 'VMName')] [ValidateNotNullOrEmpty()]
        [pscredential[]] $Credential,

        [Parameter(ParameterSetName = 'VMName', Mandatory = $true, Position = 0, ValueFromPipeline = $true)]
        [ValidateNotNullOrEmpty()]
        [string[]] $VMName,

        [Parameter(ParameterSetName = 'VMObject', Mandatory = $true, Position = 0, ValueFromPipeline = $true)]
        [ValidateNotNullOrEmpty()]
        [Microsoft.HyperV.PowerShell.VirtualMachine[]] $VM,

        [Parameter(ParameterSetName = 'VMFirmware', Mandatory = $true, Position = 0, ValueFromPipeline = $true)]
        [ValidateNotNullOrEmpty()]
        [Microsoft.HyperV.PowerShell.VMFirmware[]] $VMFirmware,

        [Microsoft.HyperV.PowerShell.VMComponentObject[]] $BootOrder,
        [Microsoft.HyperV.PowerShell.VMComponentObject] $FirstBootDevice,
        [System.Nullable[Microsoft.HyperV.PowerShell.OnOffState]] $EnableSecureBoot,
        [string] $SecureBootTemplate,
        [System.Nullable[guid]] $SecureBootTemplateId,
        [System.Nullable[Microsoft.HyperV.PowerShell.IPProtocolPreference]] $PreferredNetworkBootProtocol,
        [System.Nullable[Microsoft.HyperV.PowerShell.ConsoleModeType]] $ConsoleMode,
        [System.Nullable[Microsoft.HyperV.PowerShell.OnOffState]] $PauseAfterBootFailure,
        [switch] $Passthru
    )
    process {
        $ctx = Open-SimCall $PSCmdlet -Access HyperV
        try {
            if ($ctx.Ok) {
                :machine foreach ($machine in (Find-SimVMForDrives $ctx $PSCmdlet $PSBoundParameters)) {
                    $machineName = [string]$machine['name']
                    if (-not (Test-SimFirmwareGeneration $ctx $machine)) { continue machine }
                    if (-not (Test-SimShouldProcess $PSCmdlet @($machineName, 'Set-VMFirmware'))) { continue machine }
                    # Chosen: firmware settings change only while the VM is off.
                    if ((Get-SimVMState $machine) -ne [Microsoft.HyperV.PowerShell.VMState]::Off) { Add-SimWrongState $ctx; continue machine }
                    $template = $null
                    if ($PSBoundParameters.ContainsKey('SecureBootTemplate') -or $PSBoundParameters.ContainsKey('SecureBootTemplateId')) {
                        $wanted = if ($PSBoundParameters.ContainsKey('SecureBootTemplate')) { $SecureBootTemplate } else { [string]$SecureBootTemplateId }
                        $template = [NestvirtSim.Factory]::SecureBootTemplateName($wanted)
                        if (-not $template) {
                            # Invented wording; the names are MicrosoftWindows, MicrosoftUEFICertificateAuthority, OpenSourceShieldedVM.
                            Add-SimError $ctx -Message "The secure boot template '$wanted' could not be found." -ErrorId InvalidParameter -Category InvalidArgument -Target $wanted -Exception VirtualizationInvalidArgumentException
                            continue machine
                        }
                    }
                    $order = $null
                    if ($PSBoundParameters.ContainsKey('BootOrder') -or $PSBoundParameters.ContainsKey('FirstBootDevice')) {
                        $order = [System.Collections.Generic.List[object]]::new()
                        if ($PSBoundParameters.ContainsKey('BootOrder')) {
                            # Set-VMFirmware.md: entries not given are removed from the boot order.
                            foreach ($device in $BootOrder) {
                                $ref = Get-SimBootReference $machine $device
                                if ($null -eq $ref) { Add-SimBootDeviceError $ctx $machineName $device; continue machine }
                                if (-not $order.Contains($ref)) { $order.Add($ref) }
                            }
                        }
                        else { foreach ($r in [NestvirtSim.Factory]::BootOrder($machine)) { $order.Add($r) } }
                        if ($PSBoundParameters.ContainsKey('FirstBootDevice')) {
                            $ref = Get-SimBootReference $machine $FirstBootDevice
                            if ($null -eq $ref) { Add-SimBootDeviceError $ctx $machineName $FirstBootDevice; continue machine }
                            $null = $order.Remove($ref)
                            $order.Insert(0, $ref)
                        }
                    }
                    $fw = Get-SimSection $machine 'firmware'
                    if ($null -ne $order) { $fw['boot_order'] = $order }
                    if ($null -ne $template) { $fw['secure_boot_template'] = $template }
                    if ($null -ne $EnableSecureBoot) { $fw['secure_boot'] = [string]$EnableSecureBoot }
                    if ($null -ne $PreferredNetworkBootProtocol) { $fw['preferred_network_boot_protocol'] = [string]$PreferredNetworkBootProtocol }
                    if ($null -ne $ConsoleMode) { $fw['console_mode'] = [string]$ConsoleMode }
                    if ($null -ne $PauseAfterBootFailure) { $fw['pause_after_boot_failure'] = [string]$PauseAfterBootFailure }
                    if ($Passthru) { Add-SimOutput $ctx ([NestvirtSim.Factory]::Firmware($machine, $ctx.State)) }
                }
            }
        }
        finally { Close-SimCall $ctx }
        Complete-SimCall $ctx
    }
}

# Invented wording: a boot device that is not a device of this VM.
function script:Add-SimBootDeviceError($ctx, [string]$MachineName, $Device) {
    Add-SimError $ctx -Message "The boot device '$Device' is not a device of virtual machine '$MachineName'." -ErrorId InvalidParameter -Category InvalidArgument -Target $Device -Exception VirtualizationInvalidArgumentException
}
