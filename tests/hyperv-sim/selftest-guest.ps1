<#
.SYNOPSIS
Self-test of the simulated guest OS: installing Hyper-V inside a guest (the issue 11 contract).

.DESCRIPTION
Run it against a fresh l1-guest-windows-server-2022 state:

  scripts/with-sim --state /tmp/g.json l1-guest-windows-server-2022 -- build/pwsh-host/pwsh-host -NoProfile -NonInteractive -File tests/hyperv-sim/selftest-guest.ps1

Every call of the contract goes through the real engine, as nestvirt's scripts make it: on the
host Get-VMIntegrationService and Get-CimInstance Msvm_KvpExchangeComponent, inside the guest
(PowerShell Direct) Win32_OperatingSystem, ServerManager, Dism, Get-Service, bcdedit.exe, the
HKLM: reboot-pending keys and shutdown.exe, with the boot model's timing (boot_seconds 1-2 s) for
real. Further guests (client, Home, Linux, a non-admin account...) are copies of Lab1 added to
the state; the Windows 11 Pro scenario runs in a nested with-sim. Prints one line per check and
"N passed, M failed"; exits 1 on failure.
#>
Set-StrictMode -Version 3.0
. (Join-Path $PSScriptRoot 'selftest-common.ps1')

Import-Module Hyper-V, CimCmdlets
Import-Module $env:NESTVIRT_SIM_PRELOAD   # the PowerShell Direct stand-in (Invoke-Command)

$password = 'L2-Lab1-pw!'   # Lab1's guest account in the l1-guest scenarios
$credential = [pscredential]::new('Administrator', (ConvertTo-SecureString $password -AsPlainText -Force))
$bootSeconds = 2
$directBroken = 'An error has occurred which Windows PowerShell cannot handle. A remote session might have ended.'
$rebootPendingKey = 'HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\Component Based Servicing\RebootPending'
$rebootRequiredKey = 'HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\WindowsUpdate\Auto Update\RebootRequired'

# ---- helpers -----------------------------------------------------------------------------------

# A VM's entry as the simulator sees it now (time-dependent steps applied, nothing logged).
function Get-VmEntry([string]$Name) {
    $entry = @([NestvirtSim.Store]::Read()['vms'] | Where-Object { $_['name'] -eq $Name })
    if ($entry.Count -ne 1) { throw "no VM $Name in the state" }
    return $entry[0]
}

function Set-GuestField([string]$VmName, [hashtable]$Fields) {
    Edit-State {
        param($s)
        foreach ($v in $s['vms']) {
            if ($v['name'] -ne $VmName) { continue }
            foreach ($key in $Fields.Keys) { $v['guest'][$key] = $Fields[$key] }
        }
    }
}

# A running copy of the scenario's Lab1 (its credentials and network; Windows Server 2022 with
# the Hyper-V features Available) with another name, id and guest fields. Another os without
# features: the edition's default features.
$lab1Template = [NestvirtSim.Json]::Serialize((Get-VmEntry Lab1), $false)
function New-GuestVm([string]$Name, [string]$Id, [hashtable]$Guest = @{}, [bool]$Expose = $true) {
    Edit-State {
        param($s)
        $copy = [NestvirtSim.Json]::Parse($lab1Template)
        if ($Guest.ContainsKey('os') -and -not $Guest.ContainsKey('features')) { $copy['guest'].Remove('features') }
        $copy['name'] = $Name
        $copy['id'] = $Id
        $copy['state'] = 'Running'
        $copy['started_at'] = [NestvirtSim.Clock]::Now()
        $copy.Remove('pending')
        $copy['processor']['expose_virtualization_extensions'] = $Expose
        $g = $copy['guest']
        foreach ($key in 'boot', 'services') { $g.Remove($key) }
        $g['booted'] = $true
        $g['boot_seconds'] = 1
        # (Through JSON: the state holds lists and ordered objects, as if read from the file.)
        foreach ($key in $Guest.Keys) { $g[$key] = [NestvirtSim.Json]::Parse([NestvirtSim.Json]::Serialize($Guest[$key], $false)) }
        $s['vms'].Add($copy)
    }
}

function Invoke-Guest([string]$Name, [scriptblock]$Block, [object[]]$ArgumentList = @()) {
    Invoke-Command -VMName $Name -Credential $credential -ScriptBlock $Block -ArgumentList $ArgumentList
}

function Get-Heartbeat([string]$Name) {
    (Hyper-V\Get-VMIntegrationService -VMName $Name -Name 'Heartbeat').PrimaryStatusDescription
}

function Wait-Booted([string]$Name, [double]$TimeoutSeconds = 20) {
    $giveUp = [datetime]::UtcNow.AddSeconds($TimeoutSeconds)
    while ((Get-Heartbeat $Name) -ne 'OK') {
        if ([datetime]::UtcNow -gt $giveUp) { throw "$Name did not boot within $TimeoutSeconds s" }
        Start-Sleep -Milliseconds 100
    }
}

function Assert-DirectFails([string]$Name) {
    Assert-Error { Invoke-Command -VMName $Name -Credential $credential -ScriptBlock { 1 } } -Message $directBroken `
        -FullyQualifiedErrorId 'PSSessionStateBroken,Microsoft.PowerShell.Commands.InvokeCommandCommand' -Category OpenError | Out-Null
}

# GuestIntrinsicExchangeItems of a VM as name -> data (the embedded-instance XML parsed).
function Get-KvpItems([string]$Name, [string]$Namespace = 'root/virtualization/v2') {
    $id = (Hyper-V\Get-VM -Name $Name).Id
    $component = @(Get-CimInstance -Namespace $Namespace -ClassName Msvm_KvpExchangeComponent -Filter "SystemName='$id'")
    if ($component.Count -ne 1) { throw "expected one Msvm_KvpExchangeComponent for $Name, got $($component.Count)" }
    Assert-Equal $id.ToString().ToUpperInvariant() $component[0].SystemName 'SystemName'
    $items = [ordered]@{}
    foreach ($text in $component[0].GuestIntrinsicExchangeItems) {
        $xml = [xml]$text
        Assert-Equal 'Msvm_KvpExchangeDataItem' $xml.INSTANCE.CLASSNAME 'item class'
        $property = @{}
        foreach ($p in $xml.INSTANCE.PROPERTY) { $property[$p.NAME] = $p.VALUE }
        $items[$property['Name']] = $property['Data']
    }
    return $items
}

function Get-BootTime([string]$Name) { [NestvirtSim.Clock]::ParseTime((Get-VmEntry $Name)['guest']['boot_time']) }

# Lab1 exposes virtualization extensions (nestvirt's enable would set that) and boots in 2 s.
Set-VMProcessor -VMName Lab1 -ExposeVirtualizationExtensions $true
Set-GuestField Lab1 @{ boot_seconds = $bootSeconds }

# ---- host side: integration services, KVP --------------------------------------------------------

Test-Case 'Get-VMIntegrationService: the six services, real types; no status while the VM is off' {
    $all = @(Get-VMIntegrationService -VMName Lab1)
    Assert-Equal @('Guest Service Interface', 'Heartbeat', 'Key-Value Pair Exchange', 'Shutdown', 'Time Synchronization', 'VSS') @($all.Name) 'names'
    Assert-True ($all[1] -is [Microsoft.HyperV.PowerShell.VMIntegrationComponent]) 'VMIntegrationComponent'
    Assert-True ($all[2] -is [Microsoft.HyperV.PowerShell.DataExchangeComponent]) 'Key-Value Pair Exchange is a DataExchangeComponent'
    Assert-Equal @($false, $true, $true, $true, $true, $true) @($all.Enabled) 'Enabled (Guest Service Interface off, as on new VMs)'
    $heartbeat = Get-VMIntegrationService (Get-VM -Name Lab1) 'Heartbeat'   # -VM and -Name by position
    Assert-Equal $null $heartbeat.PrimaryStatusDescription 'Heartbeat of an Off VM'
    Assert-Equal 'Lab1' $heartbeat.VMName 'VMName'
    Assert-Equal ([guid]'7c2e5d10-4a3b-4c1d-9e8f-000000000001') $heartbeat.VMId 'VMId'
    Assert-Equal 'Microsoft:7C2E5D10-4A3B-4C1D-9E8F-000000000001\84EAAE65-2F2E-45F5-9BB5-0E857DC8EB47' $heartbeat.Id 'Id'
    Assert-Equal @('Key-Value Pair Exchange') @(Get-VM -Name Lab1 | Get-VMIntegrationService -Name 'Key-*' | ForEach-Object Name) 'pipeline and wildcard'
    Assert-Error { Get-VMIntegrationService -VMName Lab1 -Name 'Nope' } -FullyQualifiedErrorId 'InvalidParameter,Microsoft.HyperV.PowerShell.Commands.GetVMIntegrationService' -Category InvalidArgument | Out-Null
    Assert-Equal 0 @((Get-KvpItems Lab1).Keys).Count 'no KVP items while off'
    $call = Get-LastCall 'Get-VMIntegrationService'
    Assert-Equal 'VMName' $call['parameter_set'] 'parameter set logged'
}

Test-Case 'Start-VM boots the guest: No Contact and no PowerShell Direct for boot_seconds, then OK' {
    Start-VM -Name Lab1
    Assert-Equal 'No Contact' (Get-Heartbeat Lab1) 'Heartbeat while booting'
    Assert-Equal 'NoContact' ([string](Get-VM -Name Lab1).Heartbeat) 'VirtualMachine.Heartbeat while booting'
    Assert-DirectFails Lab1
    Assert-Equal 0 @((Get-KvpItems Lab1).Keys).Count 'no KVP items while booting'
    Wait-Booted Lab1
    $hb = Get-VMIntegrationService -VMName Lab1 -Name Heartbeat
    Assert-Equal 'OK' $hb.SecondaryStatusDescription 'application health'
    $entry = Get-VmEntry Lab1
    $late = (Get-BootTime Lab1) - [NestvirtSim.Clock]::ParseTime($entry['started_at']).AddSeconds($bootSeconds)
    Assert-True ([math]::Abs($late.TotalSeconds) -lt 0.5) "boot_time = start + boot_seconds (off by $late)" 
}

Test-Case 'Msvm_KvpExchangeComponent: what a booted Windows guest reports (both namespace spellings)' {
    $items = Get-KvpItems Lab1 'root\virtualization\v2'
    Assert-Equal @('FullyQualifiedDomainName', 'OSName', 'OSVersion', 'OSBuildNumber', 'OSMajorVersion', 'OSMinorVersion', 'ProductType', 'OSPlatformId') @($items.Keys) 'item names'
    Assert-Equal 'Windows Server 2022 Datacenter' $items['OSName'] 'OSName'
    Assert-Equal '10.0.20348' $items['OSVersion'] 'OSVersion'
    Assert-Equal '20348' $items['OSBuildNumber'] 'OSBuildNumber'
    Assert-Equal '3' $items['ProductType'] 'ProductType'
    Assert-Equal '2' $items['OSPlatformId'] 'OSPlatformId'
    Assert-Equal 'LAB1' $items['FullyQualifiedDomainName'] 'FullyQualifiedDomainName'
}

# ---- inside the guest: what nestvirt reads before installing ------------------------------------

Test-Case 'inside: Win32_OperatingSystem, features Available, no vmms, no launch type, no reboot pending' {
    $r = Invoke-Guest Lab1 {
        param($pendingKey, $requiredKey)
        $os = Get-CimInstance -ClassName Win32_OperatingSystem
        [pscustomobject]@{
            Os        = '{0}|{1}:{2}|{3}|{4}:{5}' -f $os.Caption, $os.ProductType, $os.ProductType.GetType().Name, $os.OperatingSystemSKU, $os.BuildNumber, $os.BuildNumber.GetType().Name
            Boot      = $os.LastBootUpTime.ToUniversalTime().ToString('o')
            Features  = @(ServerManager\Get-WindowsFeature -Name 'Hyper-V', 'Hyper-V-PowerShell', 'RSAT-Hyper-V-Tools' | ForEach-Object { '{0}={1}/{2}' -f $_.Name, $_.InstallState, $_.Installed })
            Vmms      = @(Get-Service -Name 'vmms' -ErrorAction SilentlyContinue).Count
            VmmsError = $(try { $null = Get-Service -Name 'vmms' -ErrorAction Stop; '' } catch { $_.FullyQualifiedErrorId + '|' + $_.Exception.Message })
            Bcd       = @(bcdedit.exe /enum '{current}')
            BcdExit   = $LASTEXITCODE
            Pending   = '{0}/{1}' -f (Test-Path -LiteralPath $pendingKey), (Test-Path -LiteralPath $requiredKey)
        }
    } -ArgumentList $rebootPendingKey, $rebootRequiredKey
    Assert-Equal 'Microsoft Windows Server 2022 Datacenter|3:UInt32|8|20348:String' $r.Os 'Win32_OperatingSystem'
    Assert-Equal (Get-BootTime Lab1).ToString('o') ([datetime]$r.Boot).ToUniversalTime().ToString('o') 'LastBootUpTime = guest boot_time'
    Assert-Equal @('Hyper-V=Available/False', 'Hyper-V-PowerShell=Available/False', 'RSAT-Hyper-V-Tools=Available/False') $r.Features 'features'
    Assert-Equal 0 $r.Vmms 'Get-Service vmms -ErrorAction SilentlyContinue: nothing'
    Assert-Equal "NoServiceFoundForGivenName,Microsoft.PowerShell.Commands.GetServiceCommand|Cannot find any service with service name 'vmms'." $r.VmmsError 'Get-Service error'
    Assert-Equal 0 $r.BcdExit 'bcdedit exit code'
    Assert-Equal @('', 'Windows Boot Loader', '-------------------', 'identifier              {current}') @($r.Bcd | Select-Object -First 4) 'bcdedit /enum {current}'
    Assert-True (@($r.Bcd | Where-Object { $_ -like 'hypervisorlaunchtype*' }).Count -eq 0) 'no hypervisorlaunchtype line while not set'
    Assert-True ($r.Bcd -contains 'description             Windows Server') 'description'
    Assert-Equal 'False/False' $r.Pending 'no reboot pending'
    Assert-Equal 'Lab1' (Get-LastCall 'Get-WindowsFeature')['guest'] 'guest calls are logged with their VM'
}

# ---- the server install, the reboot, the boot ----------------------------------------------------

Test-Case 'Install-WindowsFeature Hyper-V -IncludeManagementTools: InstallPending, tools Installed, Auto, reboot pending' {
    $r = Invoke-Guest Lab1 {
        param($pendingKey)
        $i = ServerManager\Install-WindowsFeature -Name 'Hyper-V' -IncludeManagementTools
        [pscustomobject]@{
            Result   = '{0}|{1}|{2}|{3}' -f $i.GetType().FullName, $i.Success, $i.RestartNeeded, $i.ExitCode
            Features = @($i.FeatureResult | ForEach-Object { '{0}/{1}/{2}' -f $_.Name, $_.Success, $_.RestartNeeded })
            States   = @(ServerManager\Get-WindowsFeature -Name 'Hyper-V', 'Hyper-V-PowerShell', 'RSAT-Hyper-V-Tools' | ForEach-Object { '{0}={1}' -f $_.Name, $_.InstallState })
            Launch   = @(bcdedit.exe /enum '{current}' | Where-Object { $_ -like 'hypervisorlaunchtype*' })
            Pending  = Test-Path -LiteralPath $pendingKey
            Vmms     = @(Get-Service -Name 'vmms' -ErrorAction SilentlyContinue).Count
        }
    } -ArgumentList $rebootPendingKey
    Assert-Equal 'Microsoft.Windows.ServerManager.Commands.FeatureOperationResult|True|Yes|SuccessRestartRequired' $r.Result 'result'
    Assert-Equal @('Hyper-V/True/True', 'RSAT-Hyper-V-Tools/True/False', 'Hyper-V-PowerShell/True/False') $r.Features 'FeatureResult'
    Assert-Equal @('Hyper-V=InstallPending', 'Hyper-V-PowerShell=Installed', 'RSAT-Hyper-V-Tools=Installed') $r.States 'states'
    Assert-Equal @('hypervisorlaunchtype    Auto') $r.Launch 'launch type Auto'
    Assert-Equal $true $r.Pending 'RebootPending key'
    Assert-Equal 0 $r.Vmms 'no vmms before the reboot'
    Assert-Equal 'ok' (Get-LastCall 'Install-WindowsFeature')['outcome'] 'logged'
}

Test-Case 'shutdown.exe /r: not booted, No Contact, Direct fails; after boot_seconds Installed, vmms Running, Auto, new LastBootUpTime' {
    $oldBoot = Get-BootTime Lab1
    $exit = Invoke-Guest Lab1 { shutdown.exe /r /t 0 /d p:4:2 /c 'nestvirt: Hyper-V installed, restarting'; $LASTEXITCODE }
    Assert-Equal 0 $exit 'shutdown.exe exit code'
    $entry = Get-VmEntry Lab1
    Assert-Equal $false $entry['guest']['booted'] 'guest.booted'
    $down = [NestvirtSim.Clock]::ParseTime($entry['guest']['boot']['down_at'])
    Assert-Equal 'No Contact' (Get-Heartbeat Lab1) 'Heartbeat while rebooting'
    Assert-DirectFails Lab1
    Assert-Equal 0 @((Get-KvpItems Lab1).Keys).Count 'no KVP items while rebooting'
    $call = Get-LastCall 'shutdown.exe'
    Assert-Equal 'Lab1' $call['guest'] 'shutdown.exe logged inside Lab1'
    Assert-Equal @('/r', '/t', '0', '/d', 'p:4:2', '/c', 'nestvirt: Hyper-V installed, restarting') @($call['parameters']['Arguments']) 'its arguments'
    Wait-Booted Lab1
    $r = Invoke-Guest Lab1 {
        param($pendingKey)
        $vmms = Get-Service -Name 'vmms'
        [pscustomobject]@{
            States  = @(ServerManager\Get-WindowsFeature -Name 'Hyper-V', 'Hyper-V-PowerShell', 'RSAT-Hyper-V-Tools' | ForEach-Object { '{0}={1}/{2}' -f $_.Name, $_.InstallState, $_.Installed })
            Vmms    = '{0}/{1}/{2}' -f $vmms.Name, $vmms.Status, $vmms.StartType
            Launch  = @(bcdedit.exe /enum '{current}' | Where-Object { $_ -like 'hypervisorlaunchtype*' })
            Boot    = (Get-CimInstance -ClassName Win32_OperatingSystem).LastBootUpTime.ToUniversalTime().ToString('o')
            Pending = Test-Path -LiteralPath $pendingKey
            Again   = ServerManager\Install-WindowsFeature -Name 'Hyper-V' -IncludeManagementTools | ForEach-Object { '{0}|{1}|{2}' -f $_.Success, $_.RestartNeeded, $_.ExitCode }
        }
    } -ArgumentList $rebootPendingKey
    Assert-Equal @('Hyper-V=Installed/True', 'Hyper-V-PowerShell=Installed/True', 'RSAT-Hyper-V-Tools=Installed/True') $r.States 'features after the boot'
    Assert-Equal 'vmms/Running/Automatic' $r.Vmms 'vmms'
    Assert-Equal @('hypervisorlaunchtype    Auto') $r.Launch 'launch type'
    Assert-Equal $false $r.Pending 'reboot pending cleared'
    Assert-Equal $down.AddSeconds($bootSeconds).ToString('o') ([datetime]$r.Boot).ToUniversalTime().ToString('o') 'LastBootUpTime = reboot + boot_seconds'
    Assert-True ([datetime]$r.Boot -gt $oldBoot) 'a new LastBootUpTime'
    Assert-Equal 'True|No|NoChangeNeeded' $r.Again 'installing again changes nothing'
}

Test-Case 'bcdedit /set {current} hypervisorlaunchtype off: vmms Stopped after the next boot; auto: Running again' {
    $out = Invoke-Guest Lab1 { bcdedit.exe /set '{current}' hypervisorlaunchtype off; "exit=$LASTEXITCODE"; shutdown.exe /r /t 0 }
    Assert-Equal @('The operation completed successfully.', 'exit=0') @($out) 'bcdedit /set output'
    Assert-Equal 'Off' (Get-VmEntry Lab1)['guest']['hypervisor_launch_type'] 'launch type in the state'
    Wait-Booted Lab1
    $status = Invoke-Guest Lab1 { [string](Get-Service -Name vmms).Status; bcdedit.exe /set '{current}' hypervisorlaunchtype auto; shutdown.exe /r /t 0 }
    Assert-Equal @('Stopped', 'The operation completed successfully.') @($status) 'vmms with launch type Off'
    Wait-Booted Lab1
    Assert-Equal 'Running' (Invoke-Guest Lab1 { [string](Get-Service -Name vmms).Status }) 'vmms with launch type Auto'
}

# ---- safety: the guest's shutdown is the simulator's ---------------------------------------------

Test-Case 'shutdown.exe inside a guest only changes the state file (never the test machine)' {
    # Decoys first on PATH: had the stand-ins not caught a name, a decoy (not the real program)
    # would run and leave its marker.
    $decoys = [System.IO.Directory]::CreateTempSubdirectory('nestvirt-decoy-').FullName
    $marker = Join-Path $decoys 'ran'
    foreach ($name in 'shutdown', 'shutdown.exe', 'reboot', 'poweroff', 'bcdedit.exe') {
        $path = Join-Path $decoys $name
        [System.IO.File]::WriteAllText($path, "#!/bin/sh`necho `"`$0 `$*`" >> '$marker'`n")
        [System.IO.File]::SetUnixFileMode($path, [System.IO.UnixFileMode]'UserRead, UserWrite, UserExecute')
    }
    $previousPath = $env:PATH
    $env:PATH = $decoys + [System.IO.Path]::PathSeparator + $env:PATH
    try {
        $r = Invoke-Guest Lab1 {
            param($decoys)
            $scheduled = shutdown.exe /r /t 600; $a = $LASTEXITCODE      # scheduled, not begun
            $again = shutdown.exe /r /t 0; $b = $LASTEXITCODE             # one is already scheduled
            $null = shutdown /a; $c = $LASTEXITCODE                       # without .exe: aborts it
            $none = & (Join-Path $decoys 'shutdown.exe') /a; $d = $LASTEXITCODE   # by path: nothing to abort
            $reboot = try { reboot; 'ran' } catch { $_.FullyQualifiedErrorId + ':' + $_.Exception.Message.Split("`n")[0] }
            $poweroff = try { & (Join-Path $decoys 'poweroff'); 'ran' } catch { $_.FullyQualifiedErrorId }
            $command = Get-Command shutdown.exe
            [pscustomobject]@{
                Command  = '{0}/{1}' -f $command.CommandType, $command.ModuleName
                Restart  = '{0}/{1}' -f (Get-Command Restart-Computer).CommandType, (Get-Command Restart-Computer).ModuleName
                Codes    = "$a/$b/$c/$d"
                Texts    = @(@($scheduled) + @($again) + @($none) | Where-Object { $_ })
                Reboot   = "$reboot/$poweroff"
            }
        } -ArgumentList $decoys
        Assert-Equal 'Function/NestvirtSimGuest' $r.Command 'shutdown.exe is the simulator function'
        # (A stub until the first of the guest's commands is called, then the module's function.)
        Assert-Equal 'Function/NestvirtSimGuest' $r.Restart 'Restart-Computer is the simulator function'
        Assert-Equal '0/1190/0/1116' $r.Codes 'exit codes: schedule, already scheduled, abort, nothing to abort'
        Assert-Equal @('A system shutdown has already been scheduled.(1190)', 'Unable to abort the system shutdown because no shutdown was in progress.(1116)') $r.Texts 'texts'
        Assert-Equal "CommandNotFoundException:The term 'reboot' is not recognized as a name of a cmdlet, function, script file, or executable program./CommandNotFoundException" $r.Reboot 'Linux power commands do not exist in a Windows guest'
        Assert-Equal 'OK' (Get-Heartbeat Lab1) 'still booted: the scheduled reboot was aborted'
        # The unqualified call of the contract, for real: only the state says the guest rebooted.
        $null = Invoke-Guest Lab1 { shutdown.exe /r /t 0 /d p:4:2 /c 'nestvirt: safety check' }
        Assert-Equal $false (Get-VmEntry Lab1)['guest']['booted'] 'the state: rebooting'
        Assert-True (-not (Test-Path -LiteralPath $marker)) "no program ran: $(if (Test-Path -LiteralPath $marker) { Get-Content -LiteralPath $marker })"
        Wait-Booted Lab1
    }
    finally {
        $env:PATH = $previousPath
        Remove-Item -LiteralPath $decoys -Recurse -Force
    }
}

# ---- reboots that take longer ----------------------------------------------------------------

Test-Case 'extra_reboots: after the install the guest reboots itself once more, each boot a new LastBootUpTime' {
    New-GuestVm Srv2 '7c2e5d10-4a3b-4c1d-9e8f-000000000002' @{ extra_reboots = 1; boot_seconds = $bootSeconds }
    $r = Invoke-Guest Srv2 { ServerManager\Install-WindowsFeature -Name 'Hyper-V' -IncludeManagementTools -Restart | ForEach-Object { [string]$_.ExitCode } }
    Assert-Equal 'SuccessRestartRequired' $r '-Restart reboots at once'
    $entry = Get-VmEntry Srv2
    $boot = $entry['guest']['boot']
    $down = [NestvirtSim.Clock]::ParseTime($boot['down_at'])
    if ($boot.Contains('extra_left')) { $down = $down.AddSeconds(-$bootSeconds) }   # (read late: already the second boot)
    $b = $bootSeconds
    # The model at chosen instants (a copy of the entry): the first boot done, the second under way; then up.
    $copy = [NestvirtSim.Json]::Parse([NestvirtSim.Json]::Serialize($entry, $false))
    [NestvirtSim.Guest]::Resolve($copy, $down.AddSeconds(1.5 * $b))
    Assert-Equal $false $copy['guest']['booted'] 'rebooting again after 1.5 boot_seconds'
    Assert-Equal ([NestvirtSim.Clock]::Format($down.AddSeconds($b))) $copy['guest']['boot_time'] 'the first boot completed after boot_seconds'
    Assert-Equal 'Installed' $copy['guest']['features']['Hyper-V'] 'the install completed at the first boot'
    [NestvirtSim.Guest]::Resolve($copy, $down.AddSeconds(2 * $b))
    Assert-Equal $true $copy['guest']['booted'] 'booted after twice boot_seconds'
    Assert-Equal ([NestvirtSim.Clock]::Format($down.AddSeconds(2 * $b))) $copy['guest']['boot_time'] 'the second boot completed then'
    # And for real.
    Wait-Booted Srv2
    Assert-Equal $down.AddSeconds(2 * $b) (Get-BootTime Srv2) 'LastBootUpTime after both reboots'
    Assert-Equal 'Running' (Invoke-Guest Srv2 { [string](Get-Service vmms).Status }) 'vmms'
}

Test-Case 'never_returns: a reboot never completes; turning the VM off and on boots it' {
    New-GuestVm Stuck1 '7c2e5d10-4a3b-4c1d-9e8f-000000000003' @{ never_returns = $true; boot_seconds = 1 }
    $null = Invoke-Guest Stuck1 { shutdown.exe /r /t 0 }
    Start-Sleep -Milliseconds 1500
    Assert-Equal 'No Contact' (Get-Heartbeat Stuck1) 'Heartbeat after boot_seconds'
    Assert-Equal $null (Get-VmEntry Stuck1)['guest']['boot']['up_at'] 'no end to the boot'
    Assert-DirectFails Stuck1
    Stop-VM -Name Stuck1 -TurnOff
    Assert-Equal $null (Get-Heartbeat Stuck1) 'Off: no heartbeat status'
    Start-VM -Name Stuck1
    Wait-Booted Stuck1 5
}

# ---- failures of the install ---------------------------------------------------------------------

Test-Case 'payload removed: Install-WindowsFeature fails without -Source, installs from a known -Source' {
    New-GuestVm Srv3 '7c2e5d10-4a3b-4c1d-9e8f-000000000004' @{
        features        = [ordered]@{ 'Hyper-V' = 'Removed'; 'Hyper-V-PowerShell' = 'Removed'; 'RSAT-Hyper-V-Tools' = 'Removed' }
        install_sources = @('D:\sources\sxs')
    }
    $message = 'Installation of one or more roles, role services, or features failed. The source files could not be found. ' +
    'Use the "Source" option to specify the location of the files that are required to install the role, role service, or feature. ' +
    'For more information on specifying a source location, see http://go.microsoft.com/fwlink/?LinkId=243077. Error: 0x800f081f'
    $fqid = 'DISMAPI_Error__Cbs_Download_Failure,Microsoft.Windows.ServerManager.Commands.AddWindowsFeatureCommand'
    Assert-Error { Invoke-Guest Srv3 { ServerManager\Install-WindowsFeature -Name 'Hyper-V' -IncludeManagementTools } } -Message $message -FullyQualifiedErrorId $fqid | Out-Null
    Assert-Error { Invoke-Guest Srv3 { ServerManager\Install-WindowsFeature -Name 'Hyper-V' -IncludeManagementTools -Source 'E:\elsewhere' } } -FullyQualifiedErrorId $fqid | Out-Null
    Assert-Equal 'Removed' (Invoke-Guest Srv3 { [string](ServerManager\Get-WindowsFeature -Name 'Hyper-V').InstallState }) 'still Removed'
    $r = Invoke-Guest Srv3 { ServerManager\Install-WindowsFeature -Name 'Hyper-V' -IncludeManagementTools -Source 'D:\sources\sxs\' | ForEach-Object { [string]$_.ExitCode }; [string](ServerManager\Get-WindowsFeature -Name 'Hyper-V').InstallState }
    Assert-Equal @('SuccessRestartRequired', 'InstallPending') @($r) 'installed from the source'
}

Test-Case 'payload removed (client): Enable-WindowsOptionalFeature fails without -Source, enables with -Source -LimitAccess' {
    New-GuestVm Client3 '7c2e5d10-4a3b-4c1d-9e8f-000000000005' @{
        os              = [ordered]@{ family = 'windows'; caption = 'Microsoft Windows 11 Pro'; product_type = 1; sku = 48; build = '22631'; version = '10.0.22631' }
        features        = [ordered]@{ 'Microsoft-Hyper-V-All' = 'DisabledWithPayloadRemoved'; 'Microsoft-Hyper-V' = 'DisabledWithPayloadRemoved' }
        install_sources = @('\\depot\sxs')
    }
    $err = Assert-Error { Invoke-Guest Client3 { Dism\Enable-WindowsOptionalFeature -Online -FeatureName 'Microsoft-Hyper-V' -All -NoRestart } } `
        -Message "The source files could not be found.`nUse the `"Source`" option to specify the location of the files that are required to restore the feature. For more information on specifying a source location, see http://go.microsoft.com/fwlink/?LinkId=243077." `
        -FullyQualifiedErrorId 'Microsoft.Dism.Commands.EnableWindowsOptionalFeatureCommand'
    Assert-Equal ([int]-2146498529) $err.Exception.HResult 'HRESULT 0x800f081f'
    Assert-True ($err.Exception -is [System.Runtime.InteropServices.COMException]) 'COMException'
    $r = Invoke-Guest Client3 {
        $e = Dism\Enable-WindowsOptionalFeature -Online -FeatureName 'Microsoft-Hyper-V' -All -NoRestart -Source '\\depot\sxs' -LimitAccess
        '{0}/{1}' -f $e.Online, $e.RestartNeeded
        [string](Dism\Get-WindowsOptionalFeature -Online -FeatureName 'Microsoft-Hyper-V').State
    }
    Assert-Equal @('True/True', 'EnablePending') @($r) 'enabled from the source'
}

Test-Case 'nesting not exposed: Install-WindowsFeature and Enable-WindowsOptionalFeature refuse' {
    $message = 'Hyper-V cannot be installed: The processor does not have required virtualization capabilities.'
    New-GuestVm Srv4 '7c2e5d10-4a3b-4c1d-9e8f-000000000006' @{} $false
    Assert-Error { Invoke-Guest Srv4 { ServerManager\Install-WindowsFeature -Name 'Hyper-V' -IncludeManagementTools } } -Message $message `
        -FullyQualifiedErrorId 'Alteration_PrerequisiteCheck_Failed,Microsoft.Windows.ServerManager.Commands.AddWindowsFeatureCommand' | Out-Null
    Assert-Equal 'Available' (Invoke-Guest Srv4 { [string](ServerManager\Get-WindowsFeature -Name 'Hyper-V').InstallState }) 'nothing installed'
    New-GuestVm Client4 '7c2e5d10-4a3b-4c1d-9e8f-000000000007' @{
        os = [ordered]@{ family = 'windows'; caption = 'Microsoft Windows 11 Pro'; product_type = 1; sku = 48; build = '22631'; version = '10.0.22631' }
    } $false
    Assert-Error { Invoke-Guest Client4 { Dism\Enable-WindowsOptionalFeature -Online -FeatureName 'Microsoft-Hyper-V' -All -NoRestart } } -Message $message `
        -FullyQualifiedErrorId 'Microsoft.Dism.Commands.EnableWindowsOptionalFeatureCommand' | Out-Null
}

Test-Case 'faults: Install-WindowsFeature fails with a terminating error (the script goes on), shutdown.exe with exit code 1' {
    New-GuestVm Srv5 '7c2e5d10-4a3b-4c1d-9e8f-000000000008'
    $n = @((Read-State)['calls'] | Where-Object { $_['type'] -eq 'cmdlet' -and $_['name'] -eq 'Install-WindowsFeature' }).Count + 1
    Edit-State { param($s) $s['faults'].Add([ordered]@{ cmdlet = 'Install-WindowsFeature'; call = @($n, ($n + 1)); message = 'Injected install failure.' }) }
    $fqid = 'DISMAPI_Error__Failed_To_Enable_Updates,Microsoft.Windows.ServerManager.Commands.AddWindowsFeatureCommand'
    $r = Invoke-Command -VMName Srv5 -Credential $credential -ErrorAction SilentlyContinue -ErrorVariable remoteErrors -ScriptBlock {
        $first = try { ServerManager\Install-WindowsFeature -Name 'Hyper-V' -ErrorAction Stop; 'no error' } catch { '{0}|{1}' -f $_.FullyQualifiedErrorId, $_.Exception.Message }
        ServerManager\Install-WindowsFeature -Name 'Hyper-V'   # statement-terminating: the next statement runs
        'next statement'
        $first
    }
    Assert-Equal @('next statement', "$fqid|Injected install failure.") @($r) 'caught inside, and the script went on'
    Assert-Equal @($fqid) @($remoteErrors | ForEach-Object FullyQualifiedErrorId) 'the uncaught one reaches the caller as an error'
    $call = @((Read-State)['calls'] | Where-Object { $_['type'] -eq 'cmdlet' -and $_['name'] -eq 'Install-WindowsFeature' })[-2]
    Assert-Equal 'error' $call['outcome'] 'the call is logged as an error'
    Assert-Equal ([long]0) $call['fault'] 'with its fault'
    # A native command's fault: its message as output, exit code 1, nothing done. DISM's: its type as FQID.
    Edit-State {
        param($s)
        $s['faults'].Clear()
        $s['faults'].Add([ordered]@{ cmdlet = 'shutdown.exe'; message = 'Injected shutdown failure.' })
        $s['faults'].Add([ordered]@{ cmdlet = 'Get-WindowsOptionalFeature' })
    }
    try {
        $r = Invoke-Guest Srv5 {
            shutdown.exe /r /t 0
            "exit=$LASTEXITCODE"
            try { $null = Dism\Get-WindowsOptionalFeature -Online -ErrorAction Stop } catch { '{0}|{1}' -f $_.FullyQualifiedErrorId, $_.Exception.GetType().Name }
        }
        Assert-Equal @('Injected shutdown failure.', 'exit=1', 'Microsoft.Dism.Commands.GetWindowsOptionalFeatureCommand|COMException') @($r) 'native and DISM faults'
        Assert-Equal 'OK' (Get-Heartbeat Srv5) 'no reboot'
    }
    finally { Edit-State { param($s) $s['faults'].Clear() } }
}

# ---- client editions, Linux, a non-admin account -------------------------------------------------

Test-Case 'l1-guest-windows11-pro: Enable-WindowsOptionalFeature Microsoft-Hyper-V -All, reboot, Enabled and vmms Running' {
    $command = @'
Import-Module $env:NESTVIRT_SIM_PRELOAD
$c = [pscredential]::new('Administrator', (ConvertTo-SecureString 'L2-Lab1-pw!' -AsPlainText -Force))
Hyper-V\Set-VMProcessor -VMName Lab1 -ExposeVirtualizationExtensions $true
Hyper-V\Start-VM -Name Lab1
Invoke-Command -VMName Lab1 -Credential $c -ScriptBlock {
    $os = Get-CimInstance -ClassName Win32_OperatingSystem
    $f = Dism\Get-WindowsOptionalFeature -Online -FeatureName 'Microsoft-Hyper-V'
    $e = Dism\Enable-WindowsOptionalFeature -Online -FeatureName 'Microsoft-Hyper-V' -All -NoRestart
    $g = Dism\Get-WindowsOptionalFeature -Online -FeatureName 'Microsoft-Hyper-V'
    $sm = try { ServerManager\Get-WindowsFeature -Name 'Hyper-V'; 'found' } catch { $_.FullyQualifiedErrorId }
    "os=$($os.Caption)|$($os.ProductType)|$($os.OperatingSystemSKU)|$($os.BuildNumber)"
    "before=$($f.FeatureName)|$($f.State)|$($f.GetType().Name)"
    "enable=$($e.Online)|$($e.RestartNeeded)|$($e.GetType().Name)"
    "after=$($g.State)"
    "others=" + ((Dism\Get-WindowsOptionalFeature -Online | ForEach-Object { [string]$_.State } | Sort-Object -Unique) -join ',')
    "servermanager=$sm"
    "pending=" + (Test-Path -LiteralPath 'HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\Component Based Servicing\RebootPending')
    shutdown.exe /r /t 0
}
Invoke-Command -VMName Lab1 -Credential $c -ScriptBlock {
    "rebooted=$((Dism\Get-WindowsOptionalFeature -Online -FeatureName 'Microsoft-Hyper-V').State)|$((Get-Service -Name vmms).Status)"
}
'@
    $r = Invoke-Engine $command -Prefix @($withSim, 'l1-guest-windows11-pro', '--')
    Assert-Equal 0 $r.ExitCode "exit code ($($r.Output))"
    $lines = @($r.Output -split "`n")
    Assert-Equal @(
        'os=Microsoft Windows 11 Pro|1|48|22631'
        'before=Microsoft-Hyper-V|Disabled|FeatureObject'
        'enable=True|True|ImageObject'
        'after=EnablePending'
        'others=EnablePending'
        'servermanager=CouldNotAutoLoadModule'
        'pending=True'
        'rebooted=Enabled|Running'
    ) $lines 'the client install'
}

Test-Case 'Home edition: Microsoft-Hyper-V is unknown' {
    New-GuestVm Home1 '7c2e5d10-4a3b-4c1d-9e8f-000000000009' @{
        os = [ordered]@{ family = 'windows'; caption = 'Microsoft Windows 11 Home'; product_type = 1; sku = 101; build = '22631'; version = '10.0.22631' }
    }
    $err = Assert-Error { Invoke-Guest Home1 { Dism\Get-WindowsOptionalFeature -Online -FeatureName 'Microsoft-Hyper-V' } } `
        -Message 'Feature name Microsoft-Hyper-V is unknown.' -FullyQualifiedErrorId 'Microsoft.Dism.Commands.GetWindowsOptionalFeatureCommand'
    Assert-True ($err.Exception -is [System.Runtime.InteropServices.COMException]) 'COMException'
    Assert-Error { Invoke-Guest Home1 { Dism\Enable-WindowsOptionalFeature -Online -FeatureName 'Microsoft-Hyper-V' -All -NoRestart } } `
        -Message 'Feature name Microsoft-Hyper-V is unknown.' -FullyQualifiedErrorId 'Microsoft.Dism.Commands.EnableWindowsOptionalFeatureCommand' | Out-Null
}

Test-Case 'Linux guest: heartbeat OK, KVP as hv_kvp_daemon reports it, no PowerShell Direct' {
    New-GuestVm Linux1 '7c2e5d10-4a3b-4c1d-9e8f-00000000000a' @{
        os = [ordered]@{ family = 'linux'; caption = 'Ubuntu 22.04.4 LTS'; version = '5.15.0-91-generic' }
        computer_name = 'linux1'
    }
    Assert-Equal 'OK' (Get-Heartbeat Linux1) 'Heartbeat'
    $items = Get-KvpItems Linux1
    Assert-Equal '100' $items['OSPlatformId'] 'OSPlatformId'
    Assert-Equal 'Ubuntu 22.04.4 LTS' $items['OSName'] 'OSName'
    Assert-Equal '5.15.0-91-generic' $items['OSVersion'] 'OSVersion'
    Assert-True (-not $items.Contains('ProductType')) 'no ProductType from Linux'
    Assert-DirectFails Linux1
}

Test-Case 'a non-admin guest account: bcdedit cannot open the store (exit 1), DISM needs elevation' {
    New-GuestVm User1 '7c2e5d10-4a3b-4c1d-9e8f-00000000000b' @{
        credentials = [ordered]@{ user = 'Administrator'; password = $password; admin = $false }
    }
    $r = Invoke-Guest User1 { bcdedit.exe /enum '{current}'; "exit=$LASTEXITCODE"; bcdedit.exe /set '{current}' hypervisorlaunchtype auto; "exit=$LASTEXITCODE" }
    Assert-Equal @('The boot configuration data store could not be opened.', 'Access is denied.', 'exit=1',
        'The boot configuration data store could not be opened.', 'Access is denied.', 'exit=1') @($r) 'bcdedit as a non-admin'
    Assert-Equal $null (Get-VmEntry User1)['guest']['hypervisor_launch_type'] 'nothing set'
    Assert-Error { Invoke-Guest User1 { Dism\Get-WindowsOptionalFeature -Online -FeatureName 'Microsoft-Hyper-V' } } -Message 'The requested operation requires elevation.' | Out-Null
}

Test-Case 'ServerManager and Dism are modelled inside guests only' {
    $err = Get-FirstError { ServerManager\Get-WindowsFeature -Name 'Hyper-V' }
    Assert-True ($err.Exception.Message -like '*modelled only inside a guest*') "on the host: $($err.Exception.Message)"
}

Write-Host ''
Write-Host "$($script:passed) passed, $($script:failed) failed"
if ($script:failed -gt 0) { exit 1 }
exit 0
