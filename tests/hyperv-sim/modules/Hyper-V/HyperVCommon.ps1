# Private helpers of the simulated Hyper-V module: finding VMs, the Hyper-V error texts, the rules.

$script:WrongStateMessage = 'The operation cannot be performed while the virtual machine is in its current state.'

# VM dictionaries for -VMName/-Name patterns or -VM objects; missing names become errors.
# Hyper-V resolves VM names as wildcard patterns (so 'a[1]' matches 'a1', not 'a[1]'); a name
# without wildcard characters that matches nothing is an error, a pattern that matches nothing is not.
function script:Find-SimVM {
    param($ctx, [string[]] $Name, [object[]] $VM, [switch] $GetVM)
    $result = [System.Collections.Generic.List[object]]::new()
    $vms = $ctx.State['vms']
    if ($PSBoundParameters.ContainsKey('VM')) {
        foreach ($o in $VM) {
            $machineId = [string]$o.Id
            $match = $null
            foreach ($v in $vms) { if ([string]$v['id'] -eq $machineId) { $match = $v; break } }
            if ($null -ne $match) { if (-not $result.Contains($match)) { $result.Add($match) } }
            else { Add-SimVMNotFound $ctx ([string]$o.Name) -GetVM:$GetVM }
        }
        return , $result
    }
    foreach ($n in $Name) {
        $pattern = New-SimPattern $n
        $found = $false
        foreach ($v in $vms) {
            if ($pattern.IsMatch([string]$v['name'])) {
                $found = $true
                if (-not $result.Contains($v)) { $result.Add($v) }
            }
        }
        if (-not $found -and -not (Test-SimWildcard $n)) { Add-SimVMNotFound $ctx $n -GetVM:$GetVM }
    }
    return , $result
}

function script:Add-SimVMNotFound($ctx, [string]$Name, [switch]$GetVM) {
    $message = "Hyper-V was unable to find a virtual machine with name `"$Name`"."
    if ($GetVM) {
        Add-SimError $ctx -Message $message -ErrorId InvalidParameter -Category InvalidArgument -Target $Name -Exception VirtualizationException
    }
    else {
        Add-SimError $ctx -Message $message -ErrorId ObjectNotFound -Category ObjectNotFound -Exception VirtualizationException
    }
}

function script:Add-SimWrongState($ctx) {
    Add-SimError $ctx -Message $script:WrongStateMessage -ErrorId InvalidState -Category InvalidOperation -Exception VirtualizationException
}

function script:Get-SimVMState($machine) { [NestvirtSim.Factory]::StateOf($machine) }

function script:Set-SimVMState($machine, [string]$State) {
    $previous = Get-SimVMState $machine
    $machine['state'] = $State
    $machine.Remove('pending')
    if ($State -eq 'Running') {
        if ($previous -ne [Microsoft.HyperV.PowerShell.VMState]::Running -or -not $machine['started_at']) { $machine['started_at'] = [NestvirtSim.Clock]::Now() }
    }
    elseif ($State -ne 'Paused') {
        $machine['started_at'] = $null
    }
    if ($State -eq 'Off') { [NestvirtSim.Guest]::PoweredOff($machine) }   # a boot in progress ends
}

function script:Get-SimSection($Dictionary, [string]$Key) {
    $section = $Dictionary[$Key]
    if ($section -isnot [System.Collections.Specialized.OrderedDictionary]) {
        $section = [NestvirtSim.Json]::NewObject()
        $Dictionary[$Key] = $section
    }
    return $section
}

# Can this host run this VM with virtualization extensions exposed? (Microsoft, "Run Hyper-V in a Virtual Machine with Nested Virtualization")
function script:Test-SimNestingSupported($ctx, $machine) {
    $h = $ctx.HostInfo
    $nested = $h['nested']
    if ($nested -is [System.Collections.IDictionary] -and $null -ne $nested['supported']) { return [bool]$nested['supported'] }
    # The hypervisor was started with OFFERNESTEDVIRT=FALSE in its load options (bcdedit; Microsoft's
    # Get-NestedVirtStatus.ps1): no VM is offered nesting. The entry it booted with, not a later bcdedit /set.
    $booted = if ($h['running_boot_entry'] -is [System.Collections.IDictionary]) { $h['running_boot_entry'] } else { $h['boot_entry'] }
    if ([NestvirtSim.Factory]::Str($booted, 'hypervisorloadoptions', '') -match 'OFFERNESTEDVIRT\s*=\s*FALSE') { return $false }
    $vendor = [string]$h['cpu']['manufacturer']
    $build = [long]$h['os']['build']
    $productType = [long]$h['os']['product_type']
    $version = [version][string]$machine['version']
    switch ($vendor) {
        'GenuineIntel' { return ($build -ge 14393) -and ($version -ge [version]'8.0') }
        'AuthenticAMD' {
            $hostOk = if ($productType -eq 1) { $build -ge 22000 } else { $build -ge 20348 }
            return $hostOk -and ($version -ge [version]'9.3')
        }
        default { return $false }
    }
}

# Where an unsupported nesting request fails: at Start-VM (what real hosts do, VVV#2534,
# Easy-GPU-PV#7) or already at Set-VMProcessor (host.nested.failure_at = "set").
function script:Get-SimNestingFailurePoint($ctx) {
    $nested = $ctx.HostInfo['nested']
    if ($nested -is [System.Collections.IDictionary] -and $nested['failure_at'] -eq 'set') { return 'set' }
    return 'start'
}

function script:Get-SimVmIdText($machine) { ([string]$machine['id']).ToUpperInvariant() }

function script:Get-SimHostVersions($ctx) {
    $list = [System.Collections.Generic.List[version]]::new()
    foreach ($v in $ctx.HostInfo['supported_versions']) { $list.Add([version][NestvirtSim.Factory]::VersionText($v)) }
    return , $list
}

function script:Get-SimDefaultVersion($ctx) {
    $def = [string]$ctx.HostInfo['default_version']
    if ($def) { return [version]$def }
    $versions = Get-SimHostVersions $ctx
    return ($versions | Sort-Object | Select-Object -Last 1)
}
