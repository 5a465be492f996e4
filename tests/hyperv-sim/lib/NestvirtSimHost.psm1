# The simulated host's own bcdedit.exe (docs/simulator.md, "The host's boot entry"): the {current}
# loader of the host, host.boot_entry = {"hypervisorlaunchtype", "hypervisorloadoptions"}, as
# Microsoft's Get-NestedVirtStatus.ps1 reads it (bcdedit /enum | Select-String hypervisorloadoptions;
# OFFERNESTEDVIRT=FALSE turns nesting off for every VM).
#
# Never imported by a name a script could find: the PowerShell Direct stand-in
# (modules/NestvirtSimDirect), preloaded into every engine under with-sim, gives the host runspace a
# PreCommandLookupAction that sends "bcdedit", "bcdedit.exe" and any path ending in them here,
# importing this module at the first such call. Logged with module '' and {"Arguments": [...]}, as a
# guest's native-command stand-ins are; faults work on it too.
Set-StrictMode -Version 3.0
$script:SimModuleName = ''
$script:SimCimClass = $null
$script:SimCimNamespace = $null
. (Join-Path $PSScriptRoot 'SimCore.ps1')
. (Join-Path $PSScriptRoot 'SimBcd.ps1')

function bcdedit.exe {
    $list = [System.Collections.Generic.List[object]]::new()
    foreach ($a in $args) { $list.Add([string]$a) }
    $ctx = Open-SimCall -CommandName 'bcdedit.exe' -Parameters ([ordered]@{ Arguments = $list.ToArray() })
    $result = $null
    try {
        if ($ctx.Ok) {
            $h = $ctx.HostInfo
            $os = [NestvirtSim.Factory]::Dict($h, 'os')
            $entry = [NestvirtSim.Factory]::Dict($h, 'boot_entry')
            # Not named: a host whose hypervisor runs has hypervisorlaunchtype Auto (the Hyper-V role
            # sets it), one whose hypervisor does not, Off.
            $launch = if ($null -ne $entry -and $entry.Contains('hypervisorlaunchtype')) { [NestvirtSim.Factory]::Str($entry, 'hypervisorlaunchtype', '') }
            elseif (Test-SimTrue $h 'hypervisor_present' $true) { 'Auto' } else { 'Off' }
            $build = [NestvirtSim.Factory]::Long($os, 'build', 20348)
            $view = @{
                Description = $(if ([NestvirtSim.Factory]::Long($os, 'product_type', 3) -ne 1) { 'Windows Server' } elseif ($build -ge 22000) { 'Windows 11' } else { 'Windows 10' })
                Efi         = [NestvirtSim.Factory]::Str($h, 'firmware', 'UEFI') -ne 'BIOS'
                LaunchType  = $launch
                LoadOptions = [NestvirtSim.Factory]::Str($entry, 'hypervisorloadoptions', '')
                Elevated    = Test-SimTrue $h 'elevated' $true
            }
            $hostInfo = $h
            $result = Invoke-SimBcdEdit $args $view {
                param([string]$Element, $Value)
                $store = [NestvirtSim.Factory]::Dict($hostInfo, 'boot_entry')
                if ($null -eq $store) { $store = [NestvirtSim.Json]::NewObject(); $hostInfo['boot_entry'] = $store }
                # The hypervisor keeps what it was started with until the host reboots (not modelled):
                # the first change keeps the booted entry in running_boot_entry, which the nesting rule reads.
                if ($null -eq $hostInfo['running_boot_entry']) {
                    $running = [NestvirtSim.Json]::NewObject()
                    foreach ($key in $store.Keys) { $running[$key] = $store[$key] }
                    $hostInfo['running_boot_entry'] = $running
                }
                if ($null -eq $Value) { if ($store.Contains($Element)) { $store.Remove($Element) } }
                else { $store[$Element] = $Value }
            }.GetNewClosure()
        }
    }
    finally { Close-SimCall $ctx }
    if ($null -ne $ctx.ExitCode) { [System.Environment]::Exit($ctx.ExitCode) }
    if ($ctx.WaitForever) { while ($true) { Start-Sleep -Seconds 3600 } }
    if ($ctx.Errors.Count -gt 0) {
        foreach ($e in $ctx.Errors) { $e.Exception.Message }
        $global:LASTEXITCODE = 1
        return
    }
    $result.Lines
    $global:LASTEXITCODE = $result.ExitCode
}

Export-ModuleMember -Function bcdedit.exe
