# Get-VM, Start-VM, Stop-VM, Remove-VMSavedState, Update-VMVersion.
# Parameter sets: docset/winserver2022-ps/hyper-v/<Cmdlet>.md (MicrosoftDocs/windows-powershell-docs).

function Get-VM {
    [CmdletBinding(DefaultParameterSetName = 'Name', PositionalBinding = $false)]
    [OutputType([Microsoft.HyperV.PowerShell.VirtualMachine])]
    param(
        [Parameter(ParameterSetName = 'Name', Position = 0, ValueFromPipeline = $true)]
        [Alias('VMName')]
        [ValidateNotNullOrEmpty()]
        [string[]] $Name,

        [Parameter(ParameterSetName = 'Id', Position = 0, ValueFromPipeline = $true, ValueFromPipelineByPropertyName = $true)]
        [guid] $Id,

        [Parameter(ParameterSetName = 'ClusterObject', Mandatory = $true, Position = 0, ValueFromPipeline = $true)]
        [psobject] $ClusterObject,

        [Parameter(ParameterSetName = 'Name')] [Parameter(ParameterSetName = 'Id')]
        [ValidateNotNullOrEmpty()]
        [Microsoft.Management.Infrastructure.CimSession[]] $CimSession,

        [Parameter(ParameterSetName = 'Name')] [Parameter(ParameterSetName = 'Id')]
        [ValidateNotNullOrEmpty()]
        [string[]] $ComputerName,

        [Parameter(ParameterSetName = 'Name')] [Parameter(ParameterSetName = 'Id')]
        [ValidateNotNullOrEmpty()]
        [pscredential[]] $Credential
    )
    process {
        $ctx = Open-SimCall $PSCmdlet -Access HyperV
        try {
            if ($ctx.Ok) {
                switch ($PSCmdlet.ParameterSetName) {
                    'ClusterObject' {
                        Add-SimError $ctx -Message 'The cluster object is not a virtual machine resource of a failover cluster.' -ErrorId InvalidParameter -Category InvalidArgument -Exception VirtualizationException
                    }
                    'Id' {
                        :machine foreach ($machine in $ctx.State['vms']) {
                            if (-not $PSBoundParameters.ContainsKey('Id') -or [string]$machine['id'] -eq [string]$Id) { Add-SimOutput $ctx ([NestvirtSim.Factory]::VirtualMachine($machine, $ctx.State)) }
                        }
                        if ($PSBoundParameters.ContainsKey('Id') -and $ctx.Output.Count -eq 0) {
                            Add-SimError $ctx -Message "Hyper-V was unable to find a virtual machine with id `"$Id`"." -ErrorId InvalidParameter -Category InvalidArgument -Target $Id -Exception VirtualizationException
                        }
                    }
                    default {
                        $vms = if ($PSBoundParameters.ContainsKey('Name')) { Find-SimVM $ctx -Name $Name -GetVM } else { $ctx.State['vms'] }
                        :machine foreach ($machine in $vms) { Add-SimOutput $ctx ([NestvirtSim.Factory]::VirtualMachine($machine, $ctx.State)) }
                    }
                }
            }
        }
        finally { Close-SimCall $ctx }
        Complete-SimCall $ctx
    }
}

function Start-VM {
    [CmdletBinding(DefaultParameterSetName = 'Name', SupportsShouldProcess = $true, PositionalBinding = $false)]
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

        [switch] $AsJob,
        [switch] $Passthru
    )
    process {
        $ctx = Open-SimCall $PSCmdlet -Access HyperV
        try {
            if ($ctx.Ok) {
                $vms = if ($PSCmdlet.ParameterSetName -eq 'VMObject') { Find-SimVM $ctx -VM $VM } else { Find-SimVM $ctx -Name $Name }
                :machine foreach ($machine in $vms) {
                    $machineName = [string]$machine['name']
                    if (-not (Test-SimShouldProcess $PSCmdlet @($machineName, 'Start-VM'))) { continue machine }
                    $state = Get-SimVMState $machine
                    $machineId = Get-SimVmIdText $machine
                    switch ($state) {
                        'Running' { $ctx.Warnings.Add('The virtual machine is already in the specified state.') }
                        'Paused' { Set-SimVMState $machine 'Running' }
                        { $_ -in 'Off', 'Saved' } {
                            if (-not (Test-SimTrue $ctx.HostInfo 'hypervisor_present' $true)) {
                                Add-SimError $ctx -ErrorId OperationFailed -Category NotSpecified -Exception VirtualizationException -Message (
                                    "'$machineName' failed to start.`nVirtual machine '$machineName' could not be started because the hypervisor is not running.`n" +
                                    "'$machineName' failed to start. (Virtual machine ID $machineId)`nVirtual machine '$machineName' could not be started because the hypervisor is not running. (Virtual machine ID $machineId)")
                                continue machine
                            }
                            $cpu = Get-SimSection $machine 'processor'
                            if ((Test-SimTrue $cpu 'expose_virtualization_extensions' $false) -and -not (Test-SimNestingSupported $ctx $machine)) {
                                Add-SimError $ctx -ErrorId OperationFailed -Category NotSpecified -Exception VirtualizationException -Message (
                                    "'$machineName' failed to start.`nThe virtual machine could not be started because this platform does not support nested virtualization.`n" +
                                    "'$machineName' failed to start. (Virtual machine ID $machineId)`nThe virtual machine could not be started because this platform does not support nested virtualization. (Virtual machine ID $machineId)")
                                continue machine
                            }
                            if (-not (Test-SimStartResources $ctx $machine $machineName $machineId)) { continue machine }
                            Set-SimVMState $machine 'Running'
                            # From Off the guest boots (guest.boot_seconds) what its disks hold (a new VM's:
                            # types/GuestSetup.cs); a saved VM resumes booted as it was.
                            if ($state -eq 'Off' -and [NestvirtSim.GuestSetup]::BeforeBoot($machine, $ctx.State)) { [NestvirtSim.Guest]::StartBoot($machine, 0, $false) }
                        }
                        default { Add-SimWrongState $ctx; continue machine }
                    }
                    if ($AsJob) { Add-SimOutput $ctx ([NestvirtSim.SimJob]::new("Start-VM -Name $machineName", "Start-VM ($machineName)", [string]$ctx.HostInfo['computer_name'], 0)) }
                    elseif ($Passthru) { Add-SimOutput $ctx ([NestvirtSim.Factory]::VirtualMachine($machine, $ctx.State)) }
                }
            }
        }
        finally { Close-SimCall $ctx }
        foreach ($o in $ctx.Output) { if ($o -is [System.Management.Automation.Job]) { $PSCmdlet.JobRepository.Add($o) } }
        Complete-SimCall $ctx
    }
}

# What Start-VM needs besides the hypervisor: its disks' files, not in use on the host, and the memory.
function script:Test-SimStartResources($ctx, $machine, [string]$MachineName, [string]$MachineId) {
    foreach ($hd in [NestvirtSim.Factory]::List($machine, 'hard_drives')) {
        $path = [string]$hd['path']
        if (-not $path) { continue }
        $disk = [NestvirtSim.SimFs]::FindDisk($ctx.State, $path)
        if ($null -eq $disk) {
            # Chosen wording in the layout of the other Start-VM failures ("failed to open attachment").
            Add-SimError $ctx -ErrorId ObjectNotFound -Category ObjectNotFound -Exception VirtualizationException -Message (
                "'$MachineName' failed to start.`nFailed to open attachment '$path'. Error: 'The system cannot find the file specified.'.`n" +
                "'$MachineName' failed to start. (Virtual machine ID $MachineId)`n'$MachineName' failed to open attachment '$path'. Error: 'The system cannot find the file specified.' (0x80070002). (Virtual machine ID $MachineId)")
            return $false
        }
        if ($null -ne $disk['mounted'] -or @([NestvirtSim.SimFs]::Chain($ctx.State, $disk) | Where-Object { $null -ne $_['mounted'] }).Count -gt 0) {
            Add-SimError $ctx -ErrorId OperationFailed -Category NotSpecified -Exception VirtualizationException -Message (
                "'$MachineName' failed to start.`nFailed to open attachment '$path'. Error: 'The process cannot access the file because it is being used by another process.'.`n" +
                "'$MachineName' failed to start. (Virtual machine ID $MachineId)`n'$MachineName' failed to open attachment '$path'. Error: 'The process cannot access the file because it is being used by another process.' (0x80070020). (Virtual machine ID $MachineId)")
            return $false
        }
    }
    # host.memory_free_bytes: free memory with no VM running; running VMs take theirs (kubernetes/minikube#18049).
    $free = [NestvirtSim.Factory]::FreeMemory($ctx.State, $machine)
    $need = [NestvirtSim.Factory]::Long([NestvirtSim.Factory]::Dict($machine, 'memory'), 'startup', 1GB)
    if ($free -ge 0 -and $need -gt $free) {
        $mb = [long]($need / 1MB)
        $cause = 'Not enough memory resources are available to complete this operation. (0x8007000E).'
        Add-SimError $ctx -ErrorId OutOfMemory -Category ResourceUnavailable -Exception VirtualizationException -Message (
            "'$MachineName' failed to start.`nNot enough memory in the system to start the virtual machine $MachineName.`nCould not initialize memory: $cause`n" +
            "'$MachineName' failed to start. (Virtual machine ID $MachineId)`nNot enough memory in the system to start the virtual machine $MachineName with ram size $mb megabytes. (Virtual machine ID $MachineId)`n" +
            "'$MachineName' could not initialize memory: $cause (Virtual machine ID $MachineId)")
        return $false
    }
    return $true
}

function Stop-VM {
    [CmdletBinding(DefaultParameterSetName = 'Name', SupportsShouldProcess = $true, PositionalBinding = $false)]
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

        [switch] $Save,
        [switch] $TurnOff,
        [switch] $Force,
        [switch] $AsJob,
        [switch] $Passthru
    )
    process {
        $ctx = Open-SimCall $PSCmdlet -Access HyperV
        try {
            if ($ctx.Ok) {
                $vms = if ($PSCmdlet.ParameterSetName -eq 'VMObject') { Find-SimVM $ctx -VM $VM } else { Find-SimVM $ctx -Name $Name }
                $waitIds = [System.Collections.Generic.List[string]]::new()
                :machine foreach ($machine in $vms) {
                    $machineName = [string]$machine['name']
                    $action = if ($Save) { 'save' } elseif ($TurnOff) { 'turn off' } else { 'shut down' }
                    if (-not (Test-SimShouldProcess $PSCmdlet @($machineName, "Stop-VM ($action)"))) { continue machine }
                    $state = Get-SimVMState $machine
                    $jobSeconds = 0
                    if ($Save) {
                        switch ($state) {
                            'Saved' { $ctx.Warnings.Add('The virtual machine is already in the specified state.') }
                            { $_ -in 'Running', 'Paused', 'Stopping' } { Set-SimVMState $machine 'Saved' }
                            default { Add-SimWrongState $ctx; continue machine }
                        }
                    }
                    elseif ($TurnOff) {
                        switch ($state) {
                            'Off' { $ctx.Warnings.Add('The virtual machine is already in the specified state.') }
                            { $_ -in 'Running', 'Paused', 'Stopping', 'Starting' } { Set-SimVMState $machine 'Off' }
                            default { Add-SimWrongState $ctx; continue machine }
                        }
                    }
                    else {
                        $guest = Get-SimSection $machine 'guest'
                        $pending = $machine['pending']
                        switch ($state) {
                            'Off' { $ctx.Warnings.Add('The virtual machine is already in the specified state.') }
                            { $_ -in 'Running', 'Stopping' } {
                                if ($pending -isnot [System.Collections.IDictionary]) {
                                    $pending = [NestvirtSim.Json]::NewObject()
                                    $pending['state'] = 'Off'
                                    $pending['requested'] = [NestvirtSim.Clock]::Now()
                                    if ([string]$guest['shutdown'] -eq 'hang') {
                                        $pending['at'] = if ($Force -and $null -ne $guest['force_seconds']) { [NestvirtSim.Clock]::After([double]$guest['force_seconds']) } else { $null }
                                        $pending['during'] = if ($guest['hang_state']) { [string]$guest['hang_state'] } else { 'Running' }
                                    }
                                    else {
                                        $seconds = if ($null -ne $guest['shutdown_seconds']) { [double]$guest['shutdown_seconds'] } else { 1.0 }
                                        $pending['at'] = [NestvirtSim.Clock]::After($seconds)
                                        $pending['during'] = 'Stopping'
                                    }
                                    $machine['pending'] = $pending
                                }
                                if ($null -eq $pending['at']) { $jobSeconds = -1 }
                                else { $jobSeconds = [math]::Max(0.001, ([NestvirtSim.Clock]::ParseTime($pending['at']) - [datetime]::UtcNow).TotalSeconds) }
                                if (-not $AsJob) {
                                    if ($jobSeconds -lt 0) { $ctx.WaitForever = $true }
                                    else {
                                        $until = [NestvirtSim.Clock]::ParseTime($pending['at'])
                                        if ($null -eq $ctx.WaitUntil -or $until -gt $ctx.WaitUntil) { $ctx.WaitUntil = $until }
                                        $waitIds.Add([string]$machine['id'])
                                    }
                                }
                            }
                            default { Add-SimWrongState $ctx; continue machine }
                        }
                    }
                    if ($AsJob) { Add-SimOutput $ctx ([NestvirtSim.SimJob]::new("Stop-VM -Name $machineName", "Stop-VM ($machineName)", [string]$ctx.HostInfo['computer_name'], $jobSeconds)) }
                    elseif ($Passthru) {
                        Add-SimOutput $ctx ([NestvirtSim.Factory]::VirtualMachine($machine, $ctx.State))
                        if (-not $waitIds.Contains([string]$machine['id'])) { $waitIds.Add([string]$machine['id']) }
                    }
                }
                if ($null -ne $ctx.WaitUntil -and $Passthru -and -not $AsJob) { $ctx.RefreshIds = $waitIds }
            }
        }
        finally { Close-SimCall $ctx }
        foreach ($o in $ctx.Output) { if ($o -is [System.Management.Automation.Job]) { $PSCmdlet.JobRepository.Add($o) } }
        Complete-SimCall $ctx
    }
}

function Remove-VMSavedState {
    [CmdletBinding(DefaultParameterSetName = 'VMName', SupportsShouldProcess = $true, PositionalBinding = $false)]
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
        [Microsoft.HyperV.PowerShell.VMSnapshot] $VMSnapshot
    )
    process {
        $ctx = Open-SimCall $PSCmdlet -Access HyperV
        try {
            if ($ctx.Ok) {
                if ($PSCmdlet.ParameterSetName -eq 'VMSnapshot') {
                    Add-SimError $ctx -Message 'The simulator has no checkpoints.' -ErrorId ObjectNotFound -Category ObjectNotFound -Exception VirtualizationException
                }
                else {
                    $vms = if ($PSCmdlet.ParameterSetName -eq 'VMObject') { Find-SimVM $ctx -VM $VM } else { Find-SimVM $ctx -Name $VMName }
                    :machine foreach ($machine in $vms) {
                        if (-not (Test-SimShouldProcess $PSCmdlet @([string]$machine['name'], 'Remove-VMSavedState'))) { continue machine }
                        if ((Get-SimVMState $machine) -ne [Microsoft.HyperV.PowerShell.VMState]::Saved) { Add-SimWrongState $ctx; continue machine }
                        Set-SimVMState $machine 'Off'
                    }
                }
            }
        }
        finally { Close-SimCall $ctx }
        Complete-SimCall $ctx
    }
}

function Update-VMVersion {
    [CmdletBinding(DefaultParameterSetName = 'Name', SupportsShouldProcess = $true, PositionalBinding = $false)]
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
                $target = Get-SimDefaultVersion $ctx
                :machine foreach ($machine in $vms) {
                    $machineName = [string]$machine['name']
                    # -Force only skips this prompt; -Confirm:$false does not (as with the real cmdlet).
                    if (-not (Test-SimShouldProcess $PSCmdlet @($machineName, 'Update-VMVersion'))) { continue machine }
                    if (-not $Force -and -not (Test-SimShouldContinue $PSCmdlet @(
                            "Updating the configuration version of virtual machine '$machineName' to $target cannot be undone. The virtual machine will no longer start on hosts that do not support version $target.",
                            'Update-VMVersion'))) { continue machine }
                    if ((Get-SimVMState $machine) -ne [Microsoft.HyperV.PowerShell.VMState]::Off) { Add-SimWrongState $ctx; continue machine }
                    $current = [version][string]$machine['version']
                    if ($current -ge $target) {
                        Add-SimError $ctx -ErrorId OperationFailed -Category InvalidOperation -Exception VirtualizationException -Message (
                            "Failed to update the configuration version of virtual machine '$machineName'.`n" +
                            "The virtual machine is already at version $current; the highest version this host supports is $target.")
                        continue machine
                    }
                    $machine['version'] = $target.ToString()
                    if ($AsJob) { Add-SimOutput $ctx ([NestvirtSim.SimJob]::new("Update-VMVersion -Name $machineName", "Update-VMVersion ($machineName)", [string]$ctx.HostInfo['computer_name'], 0)) }
                    elseif ($Passthru) { Add-SimOutput $ctx ([NestvirtSim.Factory]::VirtualMachine($machine, $ctx.State)) }
                }
            }
        }
        finally { Close-SimCall $ctx }
        foreach ($o in $ctx.Output) { if ($o -is [System.Management.Automation.Job]) { $PSCmdlet.JobRepository.Add($o) } }
        Complete-SimCall $ctx
    }
}
