# Self-test checks of PowerShell Direct (the NestvirtSimDirect stand-in of Invoke-Command) and of
# the network inside guests. Dot-sourced by selftest.ps1, whose helpers (Test-Case, Assert-*,
# Edit-State, Read-State, Get-LastCall) and state it uses.

# ---- PowerShell Direct (Invoke-Command -VMName / -VMId) and the guest network ----------------

$web1Credential = [pscredential]::new('Administrator', (ConvertTo-SecureString 'Web1-S3cret!' -AsPlainText -Force))
function Set-SimVmState([string]$VmName, [string]$Wanted) {
    # (Not $State: Edit-State's own $state would shadow it inside the script block.)
    Edit-State { param($s) foreach ($v in $s['vms']) { if ($v['name'] -eq $VmName) { $v['state'] = $Wanted; $v.Remove('pending') } } }
}

Test-Case 'the stand-in replaces Invoke-Command; a child engine gets it through NESTVIRT_SIM_PRELOAD' {
    Assert-Equal 'Function' ([string](Get-Command Invoke-Command).CommandType) 'here (imported)'
    $encoded = [Convert]::ToBase64String([System.Text.Encoding]::Unicode.GetBytes('[string](Get-Command Invoke-Command).CommandType'))
    $out = & $engine -NoProfile -NonInteractive -EncodedCommand $encoded 2>&1 | ForEach-Object { "$_" }
    Assert-Equal 'Function' ($out -join '') 'child started with -EncodedCommand'
    $launch = @((Read-State)['calls'] | Where-Object { $_['type'] -eq 'launch' })[-1]
    Assert-Equal $encoded $launch['args'][-1] 'the launch is logged with the arguments as given'
    Assert-Equal 'inside' (Invoke-Command { 'inside' }) 'the InProcess set still works'
}

Test-Case 'Invoke-Command -VMName runs in the guest: its adapters, addresses, route, DNS; no caller variables' {
    Set-SimVmState Web1 Running
    $callerOnly = 'secret of the caller'
    $r = Invoke-Command -VMName Web1 -Credential $web1Credential -ArgumentList 'arg1', 7 -ScriptBlock {
        param($a, $n)
        [pscustomobject]@{
            Args = "$a/$n"; Caller = [string]$callerOnly
            Adapters = @(NetAdapter\Get-NetAdapter | ForEach-Object { $_.Name + ':' + $_.Status })
            Ips = @(NetTCPIP\Get-NetIPAddress -AddressFamily IPv4 | ForEach-Object { $_.IPAddress + '/' + $_.PrefixLength })
            Gateway = @(NetTCPIP\Get-NetRoute -DestinationPrefix '0.0.0.0/0' | ForEach-Object NextHop)
            Dns = @((DnsClient\Get-DnsClientServerAddress -InterfaceAlias Ethernet -AddressFamily IPv4).ServerAddresses)
        }
    }
    Assert-Equal 'arg1/7' $r.Args 'arguments by position'
    Assert-Equal '' $r.Caller 'a remote session sees no caller variable'
    Assert-Equal @('Ethernet:Up') $r.Adapters 'guest adapters'
    Assert-Equal @('10.0.0.31/24') $r.Ips 'guest addresses'
    Assert-Equal @('10.0.0.1') $r.Gateway 'guest default gateway'
    Assert-Equal @('10.0.0.1') $r.Dns 'guest DNS'
    Assert-Equal 'Web1' $r.PSComputerName 'PSComputerName'
    Assert-True ($r.PSObject.TypeNames[0] -like 'Deserialized.*') "deserialized result ($($r.PSObject.TypeNames[0]))"
    $call = Get-LastCall 'Invoke-Command'
    Assert-Equal 'Microsoft.PowerShell.Core' $call['module'] 'module'
    Assert-Equal 'VMName' $call['parameter_set'] 'parameter set'
    Assert-Equal 'Administrator' $call['parameters']['Credential']['UserName'] 'credential: user name only'
    Assert-True (-not ([System.IO.File]::ReadAllText($env:NESTVIRT_SIM_STATE).Replace('"password": "Web1-S3cret!"', '').Contains('Web1-S3cret!'))) 'no password in the log'
    Assert-Equal 'Web1' (Get-LastCall 'Get-NetRoute')['guest'] 'guest calls name their VM'
}

Test-Case 'a change inside a guest goes to its guest section, not the host' {
    $hostIps = @((Read-State)['ip_addresses']).Count
    $null = Invoke-Command -VMId (Get-VM -Name Web1).Id -Credential $web1Credential -ScriptBlock {
        NetTCPIP\New-NetIPAddress -InterfaceIndex (NetAdapter\Get-NetAdapter -Name Ethernet).ifIndex -IPAddress 192.168.100.9 -PrefixLength 24
        DnsClient\Set-DnsClientServerAddress -InterfaceAlias Ethernet -ServerAddresses 192.168.100.1, 1.1.1.1
    }
    $guest = @((Read-State)['vms'] | Where-Object { $_['name'] -eq 'Web1' })[0]['guest']['adapters'][0]
    Assert-Equal @('10.0.0.31', '192.168.100.9') @($guest['addresses'] | ForEach-Object { $_['ip'] }) 'guest addresses'
    Assert-Equal '10.0.0.1' $guest['gateway'] 'gateway kept'
    Assert-Equal @('192.168.100.1', '1.1.1.1') $guest['dns'] 'guest DNS'
    Assert-Equal $hostIps @((Read-State)['ip_addresses']).Count 'host addresses untouched'
    $gap = Get-FirstError { Invoke-Command -VMName Web1 -Credential $web1Credential -ScriptBlock { Hyper-V\Get-VM } }
    Assert-True ($gap.Exception.Message -like '*Hyper-V module is not modelled inside a guest*') "Hyper-V inside a guest: $($gap.Exception.Message)"
}

Test-Case 'PowerShell Direct failures: off, wrong password, no such VM, a name that is a pattern' {
    Assert-Error { Invoke-Command -VMName Lab1 -Credential $web1Credential -ScriptBlock { 1 } } `
        -Message 'An error has occurred which Windows PowerShell cannot handle. A remote session might have ended.' `
        -FullyQualifiedErrorId 'PSSessionStateBroken,Microsoft.PowerShell.Commands.InvokeCommandCommand' -Category OpenError | Out-Null
    $bad = [pscredential]::new('Administrator', (ConvertTo-SecureString 'nope' -AsPlainText -Force))
    Assert-Error { Invoke-Command -VMName Web1 -Credential $bad -ScriptBlock { 1 } } -Message 'The credential is invalid.' `
        -FullyQualifiedErrorId 'InvalidCredential,Microsoft.PowerShell.Commands.InvokeCommandCommand' | Out-Null
    Assert-Error { Invoke-Command -VMName Nope -Credential $web1Credential -ScriptBlock { 1 } } `
        -Message 'The input VMName parameter does not resolve to any virtual machine.' `
        -FullyQualifiedErrorId 'InvalidVMNameNotSingle,Microsoft.PowerShell.Commands.InvokeCommandCommand' -Category InvalidArgument | Out-Null
    Assert-Error { Invoke-Command -VMId ([guid]::Empty) -Credential $web1Credential -ScriptBlock { 1 } } `
        -FullyQualifiedErrorId 'InvalidVMIdNotSingle,Microsoft.PowerShell.Commands.InvokeCommandCommand' | Out-Null
    $name = "O'Brien [test] `$(x) ``" + '"quoted" Ünïcødé'
    Set-SimVmState $name Running
    $hostile = [pscredential]::new('.\administrator', (ConvertTo-SecureString 'Hostile-Guest-Pw1' -AsPlainText -Force))
    # -VMName goes through Get-VM -Name, a wildcard pattern: this name does not match itself.
    Assert-Error { Invoke-Command -VMName $name -Credential $hostile -ScriptBlock { 1 } } -FullyQualifiedErrorId 'InvalidVMNameNotSingle,Microsoft.PowerShell.Commands.InvokeCommandCommand' | Out-Null
    Assert-Equal 'Ethernet' (Invoke-Command -VMId (Get-VM | Where-Object Name -EQ $name).Id -Credential $hostile -ScriptBlock { (NetAdapter\Get-NetAdapter).Name }) 'by id it works'
    Set-SimVmState $name Off
    Assert-Error { Invoke-Command -VMName Web1 -ScriptBlock { 1 } } -FullyQualifiedErrorId 'MissingMandatoryParameter,Invoke-Command' | Out-Null
}

Test-Case 'PowerShell Direct without Hyper-V rights: the VM name does not resolve' {
    Edit-State { param($s) $s['host']['elevated'] = $false; $s['host']['hyperv_admin'] = $false }
    try {
        Assert-Error { Invoke-Command -VMName Web1 -Credential $web1Credential -ScriptBlock { 1 } } `
            -Message 'The input VMName parameter does not resolve to any virtual machine.' | Out-Null
    }
    finally { Edit-State { param($s) $s['host']['elevated'] = $true; $s['host']['hyperv_admin'] = $true } }
}

Test-Case 'Get-NetRoute / New-NetRoute: default routes' {
    $null = New-VMSwitch -Name RouteSw -SwitchType Internal
    $null = New-NetIPAddress -InterfaceAlias 'vEthernet (RouteSw)' -IPAddress 192.168.199.1 -PrefixLength 24
    Assert-Error { Get-NetRoute -InterfaceAlias 'vEthernet (RouteSw)' -DestinationPrefix '0.0.0.0/0' } -FullyQualifiedErrorId 'CmdletizationQuery_NotFound,Get-NetRoute' | Out-Null
    $made = @(New-NetRoute -InterfaceAlias 'vEthernet (RouteSw)' -DestinationPrefix '0.0.0.0/0' -NextHop 192.168.199.254)
    Assert-Equal 2 $made.Count 'ActiveStore and PersistentStore'
    Assert-Equal '192.168.199.254' (Get-NetRoute -InterfaceAlias 'vEthernet (RouteSw)' -DestinationPrefix '0.0.0.0/0').NextHop 'next hop'
    Assert-Error { New-NetRoute -InterfaceAlias 'vEthernet (RouteSw)' -DestinationPrefix '0.0.0.0/0' -NextHop 192.168.199.253 } -Message 'Instance MSFT_NetRoute already exists' | Out-Null
    Remove-VMSwitch -Name RouteSw -Force
}
