# Get-VMProcessor, Set-VMProcessor, Get-VMMemory, Set-VMMemory.

# Hosts before Windows 10 / Server 2016 have no -ExposeVirtualizationExtensions at all
# (hashicorp/vagrant#9962): host.hyperv_module_features.expose_virtualization_extensions = false.
$script:HasExposeVirtualizationExtensions = $true
try {
    $features = ([NestvirtSim.Store]::Read())['host']['hyperv_module_features']
    if ($features -is [System.Collections.IDictionary] -and $features['expose_virtualization_extensions'] -eq $false) {
        $script:HasExposeVirtualizationExtensions = $false
    }
}
catch {
    # No readable state yet: every cmdlet call will report that.
}

# Set-VMProcessor / Set-VMMemory parameter -> key of the VM's "processor" / "memory" section.
$script:ProcessorKeys = [ordered]@{
    Count = 'count'; ExposeVirtualizationExtensions = 'expose_virtualization_extensions'
    CompatibilityForMigrationEnabled = 'compatibility_for_migration'
    CompatibilityForOlderOperatingSystemsEnabled = 'compatibility_for_older_os'
    HwThreadCountPerCore = 'hw_thread_count_per_core'; Maximum = 'maximum'; Reserve = 'reserve'
    RelativeWeight = 'relative_weight'; MaximumCountPerNumaNode = 'maximum_count_per_numa_node'
    MaximumCountPerNumaSocket = 'maximum_count_per_numa_socket'
    EnableHostResourceProtection = 'enable_host_resource_protection'; Perfmon = 'perfmon'
}
$script:MemoryKeys = [ordered]@{
    Buffer = 'buffer'; DynamicMemoryEnabled = 'dynamic'; MaximumBytes = 'maximum'; StartupBytes = 'startup'
    MinimumBytes = 'minimum'; Priority = 'priority'; MaximumAmountPerNumaNodeBytes = 'maximum_per_numa_node'
}

# VM dictionaries for the VMName / VMObject / VMProcessor / VMMemory / VMSnapshot sets.
function script:Find-SimVMForSettings($ctx, [System.Management.Automation.PSCmdlet]$Cmdlet, $Bound) {
    switch ($Cmdlet.ParameterSetName) {
        'VMName' { return Find-SimVM $ctx -Name $Bound['VMName'] }
        'VMObject' { return Find-SimVM $ctx -VM $Bound['VM'] }
        'VMSnapshot' {
            Add-SimError $ctx -Message 'The simulator has no checkpoints.' -ErrorId ObjectNotFound -Category ObjectNotFound -Exception VirtualizationException
            return , [System.Collections.Generic.List[object]]::new()
        }
        default {
            # VMProcessor / ResourceObject (VMMemory): the objects name their VM by id.
            $objects = if ($Bound.ContainsKey('VMProcessor')) { $Bound['VMProcessor'] } else { $Bound['VMMemory'] }
            $refs = foreach ($o in $objects) { [pscustomobject]@{ Id = $o.VMId; Name = $o.VMName } }
            return Find-SimVM $ctx -VM @($refs)
        }
    }
}

function Get-VMProcessor {
    [CmdletBinding(DefaultParameterSetName = 'VMName', PositionalBinding = $false)]
    [OutputType([Microsoft.HyperV.PowerShell.VMProcessor])]
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

        [Parameter(ParameterSetName = 'VMSnapshot', Mandatory = $true, Position = 0, ValueFromPipeline = $true)]
        [Alias('VMCheckpoint')]
        [ValidateNotNull()]
        [Microsoft.HyperV.PowerShell.VMSnapshot] $VMSnapshot,

        [Parameter(ParameterSetName = 'VMObject', Mandatory = $true, Position = 0, ValueFromPipeline = $true)]
        [ValidateNotNullOrEmpty()]
        [Microsoft.HyperV.PowerShell.VirtualMachine[]] $VM
    )
    process {
        $ctx = Open-SimCall $PSCmdlet -Access HyperV
        try {
            if ($ctx.Ok) {
                :machine foreach ($machine in (Find-SimVMForSettings $ctx $PSCmdlet $PSBoundParameters)) {
                    Add-SimOutput $ctx ([NestvirtSim.Factory]::Processor($machine, $ctx.State))
                }
            }
        }
        finally { Close-SimCall $ctx }
        Complete-SimCall $ctx
    }
}

function Set-VMProcessor {
    [CmdletBinding(DefaultParameterSetName = 'VMName', SupportsShouldProcess = $true, PositionalBinding = $false)]
    [OutputType([Microsoft.HyperV.PowerShell.VMProcessor])]
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

        [Parameter(ParameterSetName = 'VMProcessor', Mandatory = $true, Position = 0, ValueFromPipeline = $true)]
        [ValidateNotNullOrEmpty()]
        [Microsoft.HyperV.PowerShell.VMProcessor[]] $VMProcessor,

        [long] $Count,
        [bool] $CompatibilityForMigrationEnabled,
        [bool] $CompatibilityForOlderOperatingSystemsEnabled,
        [long] $HwThreadCountPerCore,
        [long] $Maximum,
        [long] $Reserve,
        [int] $RelativeWeight,
        [int] $MaximumCountPerNumaNode,
        [int] $MaximumCountPerNumaSocket,
        [string] $ResourcePoolName,
        [string] $Perfmon,
        [bool] $EnableHostResourceProtection,
        [switch] $Passthru
    )
    dynamicparam {
        if (-not $script:HasExposeVirtualizationExtensions) { return }
        $attribute = [System.Management.Automation.ParameterAttribute]::new()
        $parameter = [System.Management.Automation.RuntimeDefinedParameter]::new('ExposeVirtualizationExtensions', [bool],
            [System.Collections.ObjectModel.Collection[System.Attribute]]@($attribute))
        $dictionary = [System.Management.Automation.RuntimeDefinedParameterDictionary]::new()
        $dictionary.Add('ExposeVirtualizationExtensions', $parameter)
        return $dictionary
    }
    process {
        $ctx = Open-SimCall $PSCmdlet -Access HyperV
        try {
            if ($ctx.Ok) {
                $offOnly = 'Count', 'ExposeVirtualizationExtensions', 'CompatibilityForMigrationEnabled',
                'CompatibilityForOlderOperatingSystemsEnabled', 'HwThreadCountPerCore', 'MaximumCountPerNumaNode',
                'MaximumCountPerNumaSocket', 'Perfmon'
                $needsOff = $false
                foreach ($p in $offOnly) { if ($PSBoundParameters.ContainsKey($p)) { $needsOff = $true } }
                $hostCpu = $ctx.HostInfo['cpu']
                $logical = [long]$hostCpu['sockets'] * [long]$hostCpu['logical_processors_per_socket']
                :machine foreach ($machine in (Find-SimVMForSettings $ctx $PSCmdlet $PSBoundParameters)) {
                    $machineName = [string]$machine['name']
                    $machineId = Get-SimVmIdText $machine
                    if (-not (Test-SimShouldProcess $PSCmdlet @($machineName, 'Set-VMProcessor'))) { continue machine }
                    if ($needsOff -and (Get-SimVMState $machine) -ne [Microsoft.HyperV.PowerShell.VMState]::Off) { Add-SimWrongState $ctx; continue machine }
                    if ($PSBoundParameters.ContainsKey('Count') -and ($Count -lt 1 -or ($logical -gt 0 -and $Count -gt $logical))) {
                        Add-SimError $ctx -ErrorId InvalidParameter -Category InvalidArgument -Exception VirtualizationException -Message (
                            "Failed to modify device 'Processor'.`nThe number of virtual processors ($Count) must be between 1 and the number of logical processors of the host ($logical).`n" +
                            "'$machineName' failed to modify device 'Processor'. (Virtual machine ID $machineId)")
                        continue machine
                    }
                    if ($PSBoundParameters['ExposeVirtualizationExtensions'] -eq $true -and (Get-SimNestingFailurePoint $ctx) -eq 'set' -and -not (Test-SimNestingSupported $ctx $machine)) {
                        Add-SimError $ctx -ErrorId NotSupported -Category InvalidOperation -Exception VirtualizationException -Message (
                            "Failed to modify device 'Processor'.`nThis platform does not support nested virtualization.`n" +
                            "'$machineName' failed to modify device 'Processor'. (Virtual machine ID $machineId)`nThis platform does not support nested virtualization.")
                        continue machine
                    }
                    $cpu = Get-SimSection $machine 'processor'
                    foreach ($p in $script:ProcessorKeys.Keys) {
                        if ($PSBoundParameters.ContainsKey($p)) { $cpu[$script:ProcessorKeys[$p]] = $PSBoundParameters[$p] }
                    }
                    if ($Passthru) { Add-SimOutput $ctx ([NestvirtSim.Factory]::Processor($machine, $ctx.State)) }
                }
            }
        }
        finally { Close-SimCall $ctx }
        Complete-SimCall $ctx
    }
}

function Get-VMMemory {
    [CmdletBinding(DefaultParameterSetName = 'VMName', PositionalBinding = $false)]
    [OutputType([Microsoft.HyperV.PowerShell.VMMemory])]
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
                :machine foreach ($machine in (Find-SimVMForSettings $ctx $PSCmdlet $PSBoundParameters)) {
                    Add-SimOutput $ctx ([NestvirtSim.Factory]::Memory($machine, $ctx.State))
                }
            }
        }
        finally { Close-SimCall $ctx }
        Complete-SimCall $ctx
    }
}

function Set-VMMemory {
    [CmdletBinding(DefaultParameterSetName = 'VMName', SupportsShouldProcess = $true, PositionalBinding = $false)]
    [OutputType([Microsoft.HyperV.PowerShell.VMMemory])]
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

        [Parameter(ParameterSetName = 'ResourceObject', Mandatory = $true, Position = 0, ValueFromPipeline = $true)]
        [ValidateNotNullOrEmpty()]
        [Microsoft.HyperV.PowerShell.VMMemory[]] $VMMemory,

        [int] $Buffer,
        [bool] $DynamicMemoryEnabled,
        [long] $MaximumBytes,
        [long] $StartupBytes,
        [long] $MinimumBytes,
        [int] $Priority,
        [long] $MaximumAmountPerNumaNodeBytes,
        [string] $ResourcePoolName,
        [switch] $Passthru
    )
    process {
        $ctx = Open-SimCall $PSCmdlet -Access HyperV
        try {
            if ($ctx.Ok) {
                $twoMB = 2MB
                :machine foreach ($machine in (Find-SimVMForSettings $ctx $PSCmdlet $PSBoundParameters)) {
                    $machineName = [string]$machine['name']
                    $machineId = Get-SimVmIdText $machine
                    if (-not (Test-SimShouldProcess $PSCmdlet @($machineName, 'Set-VMMemory'))) { continue machine }
                    $mem = Get-SimSection $machine 'memory'
                    $cpu = Get-SimSection $machine 'processor'
                    $guest = Get-SimSection $machine 'guest'
                    $dynamicNow = Test-SimTrue $mem 'dynamic' $false
                    $dynamicAfter = if ($PSBoundParameters.ContainsKey('DynamicMemoryEnabled')) { $DynamicMemoryEnabled } else { $dynamicNow }
                    $state = Get-SimVMState $machine
                    if ($state -ne [Microsoft.HyperV.PowerShell.VMState]::Off) {
                        # Running: only what Hyper-V can change at run time (Microsoft, "What is nested virtualization?").
                        $allowed = [System.Collections.Generic.List[string]]@('Buffer', 'Priority', 'Passthru', 'VMName', 'VM', 'VMMemory',
                            'CimSession', 'ComputerName', 'Credential', 'ResourcePoolName')
                        $guestHyperV = if ($null -ne $guest['hyperv_running']) { [bool]$guest['hyperv_running'] } else { Test-SimTrue $cpu 'expose_virtualization_extensions' $false }
                        $running = $state -in 'Running', 'Stopping'
                        if ($running -and -not $guestHyperV) {
                            if ($dynamicNow) { $allowed.AddRange([string[]]@('MinimumBytes', 'MaximumBytes')) }
                            elseif ([long]$ctx.HostInfo['os']['build'] -ge 14393 -and [version][string]$machine['version'] -ge [version]'6.2') { $allowed.Add('StartupBytes') }
                        }
                        $changesDynamic = $PSBoundParameters.ContainsKey('DynamicMemoryEnabled') -and $DynamicMemoryEnabled -ne $dynamicNow
                        $forbidden = @($PSBoundParameters.Keys | Where-Object { $_ -notin $allowed -and $_ -notin [System.Management.Automation.Cmdlet]::CommonParameters -and $_ -notin [System.Management.Automation.Cmdlet]::OptionalCommonParameters -and $_ -ne 'DynamicMemoryEnabled' })
                        if (-not $running -or $changesDynamic -or $forbidden.Count -gt 0) { Add-SimWrongState $ctx; continue machine }
                    }
                    $startup = if ($PSBoundParameters.ContainsKey('StartupBytes')) { $StartupBytes } else { [long]$mem['startup'] }
                    $minimum = if ($PSBoundParameters.ContainsKey('MinimumBytes')) { $MinimumBytes } else { [long]$mem['minimum'] }
                    $maximum = if ($PSBoundParameters.ContainsKey('MaximumBytes')) { $MaximumBytes } else { [long]$mem['maximum'] }
                    foreach ($pair in @(@('StartupBytes', $startup), @('MinimumBytes', $minimum), @('MaximumBytes', $maximum))) {
                        if ($PSBoundParameters.ContainsKey($pair[0]) -and ($pair[1] -le 0 -or $pair[1] % $twoMB -ne 0)) {
                            Add-SimError $ctx -ErrorId InvalidParameter -Category InvalidArgument -Exception VirtualizationException -Message (
                                "Failed to modify device 'Memory'.`nInvalid memory value assigned for '$machineName'. Memory values must be a multiple of 2 MB.`n" +
                                "'$machineName' failed to modify device 'Memory'. (Virtual machine ID $machineId)")
                            continue machine
                        }
                    }
                    if ($dynamicAfter -and -not ($minimum -le $startup -and $startup -le $maximum)) {
                        Add-SimError $ctx -ErrorId InvalidParameter -Category InvalidArgument -Exception VirtualizationException -Message (
                            "Failed to modify device 'Memory'.`nThe minimum memory must be less than or equal to the startup memory, and the startup memory less than or equal to the maximum memory.`n" +
                            "'$machineName' failed to modify device 'Memory'. (Virtual machine ID $machineId)")
                        continue machine
                    }
                    foreach ($p in $script:MemoryKeys.Keys) {
                        if ($PSBoundParameters.ContainsKey($p)) { $mem[$script:MemoryKeys[$p]] = $PSBoundParameters[$p] }
                    }
                    if ($Passthru) { Add-SimOutput $ctx ([NestvirtSim.Factory]::Memory($machine, $ctx.State)) }
                }
            }
        }
        finally { Close-SimCall $ctx }
        Complete-SimCall $ctx
    }
}
