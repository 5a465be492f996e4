<#
.SYNOPSIS
Self-test of the Hyper-V simulator: binding, objects, errors, faults, the calls log, persistence.

.DESCRIPTION
Run it against a fresh intel-windows-server-2022 state:

  scripts/with-sim --state /tmp/x.json intel-windows-server-2022 -- build/pwsh-host/pwsh-host -NoProfile -NonInteractive -File tests/hyperv-sim/selftest.ps1

Plain asserts, no Pester. Prints one line per check and "N passed, M failed"; exits 1 on failure.
Some checks start other PowerShell processes (through NESTVIRT_POWERSHELL, or scripts/with-sim for
other scenarios), so the state's persistence across processes is tested for real.
#>
Set-StrictMode -Version 3.0
. (Join-Path $PSScriptRoot 'selftest-common.ps1')

Import-Module Hyper-V, NetNat, NetTCPIP, NetAdapter, DnsClient, CimCmdlets, ServerManager, Dism, Storage
Import-Module $env:NESTVIRT_SIM_PRELOAD   # the PowerShell Direct stand-in (Invoke-Command)

# ---- module resolution -------------------------------------------------------------------------

Test-Case 'Hyper-V\Get-VM resolves to the simulator module' {
    $cmd = Get-Command Hyper-V\Get-VM
    Assert-Equal 'Function' ([string]$cmd.CommandType) 'command type'
    Assert-True ($cmd.Module.ModuleBase -like '*Hyper-V*') "module base of Hyper-V\Get-VM ($($cmd.Module.ModuleBase))"
    $dir = [System.IO.DirectoryInfo]::new($cmd.Module.ModuleBase)
    $real = if ($null -ne $dir.ResolveLinkTarget($true)) { $dir.ResolveLinkTarget($true).FullName } else { $dir.FullName }
    Assert-Equal "$repo/tests/hyperv-sim/modules/Hyper-V" $real 'module folder'
}

Test-Case 'every manifest exports exactly the functions its module defines' {
    foreach ($name in 'Hyper-V', 'NetNat', 'NetTCPIP', 'NetAdapter', 'DnsClient', 'CimCmdlets', 'ServerManager', 'Dism', 'Storage', 'NestvirtSimDirect') {
        $module = Get-Module $name
        $manifest = Import-PowerShellDataFile (Join-Path $module.ModuleBase "$name.psd1")
        $defined = @($module.Invoke({ Get-ChildItem function: | Where-Object { $_.ScriptBlock.Module -eq $ExecutionContext.SessionState.Module -and $_.Name -notlike '*:*' -and $_.Name -match '^[A-Z][a-z]+-' -and $_.Name -notlike '*-Sim*' } | ForEach-Object Name }) | Sort-Object)
        Assert-Equal (@($manifest.FunctionsToExport | Sort-Object)) $defined "functions of $name"
        Assert-Equal (@($manifest.FunctionsToExport | Sort-Object)) (@($module.ExportedFunctions.Keys | Sort-Object)) "exported functions of $name"
    }
}

# ---- parameter binding -------------------------------------------------------------------------

Test-Case 'a misspelt parameter name is a ParameterBindingException' {
    $err = Assert-Error { Set-VMProcessor -VMName Lab1 -ExposeVirtualisationExtensions $true } -FullyQualifiedErrorId 'NamedParameterNotFound,Set-VMProcessor'
    Assert-True ($err.Exception -is [System.Management.Automation.ParameterBindingException]) 'ParameterBindingException'
    Assert-Equal "A parameter cannot be found that matches parameter name 'ExposeVirtualisationExtensions'." $err.Exception.Message 'message'
}

Test-Case 'a missing mandatory parameter fails non-interactively (in process)' {
    $err = Assert-Error { Set-VMProcessor -ExposeVirtualizationExtensions $true } -FullyQualifiedErrorId 'MissingMandatoryParameter,Set-VMProcessor'
    Assert-True ($err.Exception -is [System.Management.Automation.ParameterBindingException]) 'ParameterBindingException'
}

Test-Case 'a missing mandatory parameter fails non-interactively (child process, exit 1)' {
    $r = Invoke-Engine 'Hyper-V\Set-VMProcessor -ExposeVirtualizationExtensions $true'
    Assert-Equal 1 $r.ExitCode 'exit code'
    Assert-True ($r.Output -match 'missing mandatory parameters: VMName') "output mentions VMName: $($r.Output)"
}

Test-Case '-ExposeVirtualizationExtensions takes a Boolean, not a switch' {
    Assert-Error { Set-VMProcessor -VMName Lab1 -ExposeVirtualizationExtensions } -FullyQualifiedErrorId 'MissingArgument,Set-VMProcessor' | Out-Null
}

# Functions report conversion failures as ParameterArgumentTransformationError where compiled cmdlets
# say CannotConvertArgument(NoMessage): same exception type, different FQID (docs/simulator.md).
Test-Case 'Set-VMNetworkAdapter -VMName takes a single string' {
    $err = Get-FirstError { Set-VMNetworkAdapter -VMName Lab1, Web1 -MacAddressSpoofing On }
    Assert-True ($err.Exception -is [System.Management.Automation.ParameterBindingException]) 'ParameterBindingException'
    Assert-True ($err.Exception.Message -like "*parameter 'VMName'*") $err.Exception.Message
}

Test-Case 'New-VMSwitch -SwitchType accepts only Internal and Private' {
    Assert-Error { New-VMSwitch -Name X -SwitchType External } -FullyQualifiedErrorId 'ParameterArgumentValidationError,New-VMSwitch' | Out-Null
}

Test-Case 'an enum parameter rejects an unknown value' {
    $err = Get-FirstError { Set-VMNetworkAdapter -VMName Lab1 -MacAddressSpoofing Yes }
    Assert-True ($err.Exception -is [System.Management.Automation.ParameterBindingException]) 'ParameterBindingException'
    Assert-True ($err.Exception.Message -like '*OnOffState*On, Off*') $err.Exception.Message
}

Test-Case 'VM objects bind by pipeline (VirtualMachine[] parameters)' {
    $p = Get-VM -Name Lab1 | Get-VMProcessor
    Assert-True ($p -is [Microsoft.HyperV.PowerShell.VMProcessor]) 'VMProcessor'
    Assert-Equal 'Lab1' $p.VMName 'VMName'
    $vm = 'Lab1' | Get-VM
    Assert-Equal 'Lab1' $vm.Name 'a name piped to Get-VM binds -Name'
    Assert-Equal 'Name' (Get-LastCall 'Get-VM')['parameter_set'] 'parameter set'
    $stopped = Get-VM -Name Lab1 | Set-VMProcessor -Count 2 -Passthru
    Assert-Equal 'VMObject' (Get-LastCall 'Set-VMProcessor')['parameter_set'] 'VM objects bind -VM'
    Assert-Equal ([long]2) $stopped.Count 'Count'
    Set-VMProcessor -VMName Lab1 -Count 4
}

Test-Case 'Get-VMNetworkAdapter -VMName Lab1 | Set-VMNetworkAdapter -MacAddressSpoofing On' {
    Get-VMNetworkAdapter -VMName Lab1 | Set-VMNetworkAdapter -MacAddressSpoofing On
    $nic = Get-VMNetworkAdapter -VMName Lab1
    Assert-Equal ([Microsoft.HyperV.PowerShell.OnOffState]::On) $nic.MacAddressSpoofing 'MacAddressSpoofing'
    $call = Get-LastCall 'Set-VMNetworkAdapter'
    Assert-Equal 'ResourceObject' $call['parameter_set'] 'parameter set'
    Assert-Equal 'Lab1' $call['parameters']['VMNetworkAdapter']['VMName'] 'logged adapter'
    Assert-Equal 'On' $call['parameters']['MacAddressSpoofing'] 'logged value'
}

Test-Case 'Get-NetAdapter | New-NetIPAddress binds the interface by property name' {
    $null = New-VMSwitch -Name PipeSw -SwitchType Internal
    $ip = Get-NetAdapter 'vEthernet (PipeSw)' | New-NetIPAddress -IPAddress 192.168.77.1 -AddressFamily IPv4 -PrefixLength 24
    Assert-Equal 2 @($ip).Count 'objects (ActiveStore and PersistentStore)'
    Assert-Equal 'vEthernet (PipeSw)' $ip[0].InterfaceAlias 'InterfaceAlias'
    Assert-Equal 'ByInterfaceAlias' (Get-LastCall 'New-NetIPAddress')['parameter_set'] 'parameter set'
}

# ---- objects -----------------------------------------------------------------------------------

Test-Case 'Get-VM returns VirtualMachine objects with the real property types' {
    $vm = Get-VM -Name Lab1
    Assert-True ($vm -is [Microsoft.HyperV.PowerShell.VirtualMachine]) 'VirtualMachine'
    Assert-Equal ([string]) $vm.Version.GetType() 'Version type'
    Assert-Equal '10.0' $vm.Version 'Version'
    Assert-Equal ([guid]) $vm.Id.GetType() 'Id type'
    Assert-Equal ([long]) $vm.ProcessorCount.GetType() 'ProcessorCount type'
    Assert-Equal ([long]) $vm.MemoryStartup.GetType() 'MemoryStartup type'
    Assert-Equal ([int]) $vm.Generation.GetType() 'Generation type'
    Assert-Equal $true $vm.DynamicMemoryEnabled 'DynamicMemoryEnabled'
    Assert-Equal 1 $vm.NetworkAdapters.Count 'NetworkAdapters'
}

Test-Case 'enums: numbers in ConvertTo-Json, names as [string]' {
    $json = Get-VM -Name Lab1 | Select-Object Name, State | ConvertTo-Json -Compress
    Assert-Equal '{"Name":"Lab1","State":3}' $json 'JSON'
    Assert-Equal 'Off' ([string](Get-VM -Name Lab1).State) '[string]State'
    Assert-Equal 2 ([int](Get-VM -Name Web1).State) 'Running = 2'
    Assert-Equal 6 ([int](Get-VM -Name Db1).State) 'Saved = 6'
    $nic = Get-VMNetworkAdapter -VMName Web1
    Assert-Equal '{"MacAddressSpoofing":1}' ($nic | Select-Object MacAddressSpoofing | ConvertTo-Json -Compress) 'Off = 1'
    Assert-Equal 'Off' ([string]$nic.MacAddressSpoofing) '[string]MacAddressSpoofing'
    Assert-Equal '{"SwitchType":2}' (Get-VMSwitch -Name External | Select-Object SwitchType | ConvertTo-Json -Compress) 'External = 2'
}

Test-Case 'Get-VMHostSupportedVersion: [version] Version, one default' {
    $all = @(Get-VMHostSupportedVersion)
    Assert-Equal 9 $all.Count 'versions on Server 2022'
    Assert-Equal ([version]) $all[0].Version.GetType() 'Version type'
    $default = Get-VMHostSupportedVersion -Default
    Assert-Equal ([version]'10.0') $default.Version 'default'
    Assert-Equal $true $default.IsDefault 'IsDefault'
}

Test-Case 'Get-CimInstance: per-socket Win32_Processor, string BuildNumber, uint32 ProductType' {
    $os = Get-CimInstance -ClassName Win32_OperatingSystem
    Assert-Equal '20348' $os.BuildNumber 'BuildNumber'
    Assert-Equal ([uint32]3) $os.ProductType 'ProductType'
    Assert-True ($os.PSObject.TypeNames[0] -eq 'Microsoft.Management.Infrastructure.CimInstance#root/cimv2/Win32_OperatingSystem') 'type name'
    $cpus = @(Get-CimInstance Win32_Processor)
    Assert-Equal 2 $cpus.Count 'sockets'
    Assert-Equal 'GenuineIntel' $cpus[0].Manufacturer 'Manufacturer'
    Assert-Equal $false $cpus[0].VirtualizationFirmwareEnabled 'flag hidden by the running hypervisor'
    Assert-Equal $true (Get-CimInstance Win32_ComputerSystem).HypervisorPresent 'HypervisorPresent'
    $q = @(Get-CimInstance -Query "SELECT DeviceID, Name FROM Win32_Processor WHERE DeviceID = 'CPU1'")
    Assert-Equal 1 $q.Count 'query result'
    Assert-Equal $null $q[0].Manufacturer 'unselected property'
    Assert-Error { Get-CimInstance Win32_Nothing } -Message 'Invalid class ' -FullyQualifiedErrorId 'HRESULT 0x80041010,Microsoft.Management.Infrastructure.CimCmdlets.GetCimInstanceCommand' -Category MetadataError | Out-Null
}

# ---- documented errors -------------------------------------------------------------------------

Test-Case 'Get-VM unknown name: InvalidArgument / InvalidParameter,...GetVM' {
    $err = Assert-Error { Get-VM -Name Nope } -Message 'Hyper-V was unable to find a virtual machine with name "Nope".' `
        -FullyQualifiedErrorId 'InvalidParameter,Microsoft.HyperV.PowerShell.Commands.GetVM' -Category InvalidArgument -Reason VirtualizationException
    Assert-Equal 'Nope' $err.TargetObject 'target'
    Assert-True ($err.Exception -is [Microsoft.HyperV.PowerShell.VirtualizationException]) 'VirtualizationException'
}

Test-Case 'Get-VM wildcard that matches nothing: no error' {
    Assert-Equal 0 @(Get-VM -Name 'Nothing*').Count 'result'
}

Test-Case 'VM names are wildcard patterns (escape them)' {
    $name = "O'Brien [test] `$(x) ``" + '"quoted" Ünïcødé'
    Assert-Equal 0 @(Get-VM -Name $name).Count 'unescaped name with [ ] matches nothing'
    Assert-Equal $name (Get-VM -Name ([System.Management.Automation.WildcardPattern]::Escape($name))).Name 'escaped name'
}

Test-Case 'Set-VMProcessor unknown VM: ObjectNotFound,...SetVMProcessor' {
    Assert-Error { Set-VMProcessor -VMName Nope -ExposeVirtualizationExtensions $true } -Message 'Hyper-V was unable to find a virtual machine with name "Nope".' `
        -FullyQualifiedErrorId 'ObjectNotFound,Microsoft.HyperV.PowerShell.Commands.SetVMProcessor' -Category ObjectNotFound | Out-Null
}

Test-Case 'Set-VMProcessor on a running VM: wrong state' {
    Assert-Error { Set-VMProcessor -VMName Web1 -ExposeVirtualizationExtensions $true } -Message 'The operation cannot be performed while the virtual machine is in its current state.' `
        -FullyQualifiedErrorId 'InvalidState,Microsoft.HyperV.PowerShell.Commands.SetVMProcessor' -Category InvalidOperation | Out-Null
    Assert-Equal $false (Get-VMProcessor -VMName Web1).ExposeVirtualizationExtensions 'unchanged'
}

Test-Case 'Set-VMProcessor on an Off VM works; -Passthru returns the processor' {
    $p = Set-VMProcessor -VMName Lab1 -ExposeVirtualizationExtensions $true -Passthru
    Assert-Equal $true $p.ExposeVirtualizationExtensions 'ExposeVirtualizationExtensions'
    Assert-Equal $true (Get-VMProcessor -VMName Lab1).ExposeVirtualizationExtensions 'persisted'
}

Test-Case 'Set-VMMemory: dynamic memory cannot change while running; static runtime resize can' {
    Assert-Error { Set-VMMemory -VMName Web1 -DynamicMemoryEnabled $true } -FullyQualifiedErrorId 'InvalidState,Microsoft.HyperV.PowerShell.Commands.SetVMMemory' | Out-Null
    Set-VMMemory -VMName Web1 -StartupBytes 4GB
    Assert-Equal 4GB (Get-VMMemory -VMName Web1).Startup 'resized'
    Set-VMMemory -VMName Lab1 -DynamicMemoryEnabled $false
    Assert-Equal $false (Get-VM -Name Lab1).DynamicMemoryEnabled 'Off VM'
}

Test-Case 'Remove-VMSavedState: Saved -> Off; elsewhere wrong state' {
    Remove-VMSavedState -VMName Db1
    Assert-Equal 'Off' ([string](Get-VM -Name Db1).State) 'state'
    Assert-Error { Remove-VMSavedState -VMName Lab1 } -FullyQualifiedErrorId 'InvalidState,Microsoft.HyperV.PowerShell.Commands.RemoveVMSavedState' | Out-Null
}

Test-Case 'Update-VMVersion: upgrades to the host default, not past it, and prompts without -Force' {
    Assert-Error { Update-VMVersion -Name Old1 } -Message 'PowerShell is in NonInteractive mode. Read and Prompt functionality is not available.' `
        -FullyQualifiedErrorId 'InvalidOperation,Microsoft.HyperV.PowerShell.Commands.UpdateVMVersion' -Category InvalidOperation | Out-Null
    Update-VMVersion -Name Old1 -Force
    Assert-Equal '10.0' (Get-VM -Name Old1).Version 'upgraded'
    $err = Assert-Error { Update-VMVersion -Name Lab1 -Force } -FullyQualifiedErrorId 'OperationFailed,Microsoft.HyperV.PowerShell.Commands.UpdateVMVersion'
    Assert-True ($err.Exception.Message -like '*already at version 10.0*') 'message'
    Assert-Error { Update-VMVersion -Name Web1 -Force } -FullyQualifiedErrorId 'InvalidState,Microsoft.HyperV.PowerShell.Commands.UpdateVMVersion' | Out-Null
}

Test-Case 'Start-VM on a running VM: warning, no error' {
    $warnings = $null
    Start-VM -Name Web1 -WarningVariable warnings -WarningAction SilentlyContinue
    Assert-Equal 'The virtual machine is already in the specified state.' ([string]$warnings[0]) 'warning'
}

Test-Case 'Stop-VM -TurnOff: Off at once; Stop-VM -Save: Saved' {
    Start-VM -Name Multi1
    Stop-VM -Name Multi1 -Save
    Assert-Equal 'Saved' ([string](Get-VM -Name Multi1).State) 'saved'
    Start-VM -Name Multi1
    Stop-VM -Name Multi1 -TurnOff -Force
    Assert-Equal 'Off' ([string](Get-VM -Name Multi1).State) 'off'
}

Test-Case 'Stop-VM (graceful) waits guest.shutdown_seconds' {
    Start-VM -Name Lab1
    $sw = [System.Diagnostics.Stopwatch]::StartNew()
    $vm = Stop-VM -Name Lab1 -Force -Passthru
    Assert-True ($sw.Elapsed.TotalSeconds -ge 0.9) "waited about 1 s ($($sw.Elapsed.TotalSeconds))"
    Assert-Equal 'Off' ([string]$vm.State) 'passthru state'
}

Test-Case 'Stop-VM -AsJob: Stopping until shutdown_seconds, seen from another process' {
    $job = Stop-VM -Name Web1 -AsJob
    Assert-True ($job -is [System.Management.Automation.Job]) 'a job'
    $r = Invoke-Engine '[string](Hyper-V\Get-VM -Name Web1).State'
    $first = ($r.Output -split "`n")[-1]
    Start-Sleep -Milliseconds 1200
    Assert-Equal 'Off' ([string](Get-VM -Name Web1).State) 'state after the delay'
    Assert-True ($first -in 'Stopping', 'Off') "state seen by another process right away: $first"
    $null = Wait-Job $job -Timeout 5
    Assert-Equal 'Completed' ([string]$job.State) 'job state'
}

Test-Case 'Stop-VM -AsJob of a guest that hangs: stays Running, job never completes' {
    $job = Stop-VM -Name Hang1 -AsJob
    Start-Sleep -Milliseconds 300
    Assert-Equal 'Running' ([string](Get-VM -Name Hang1).State) 'state'
    Assert-Equal 'Running' ([string]$job.State) 'job'
    Stop-VM -Name Hang1 -TurnOff
    Assert-Equal 'Off' ([string](Get-VM -Name Hang1).State) 'turned off'
}

Test-Case 'New-VMSwitch with an existing name creates a duplicate' {
    $a = New-VMSwitch -Name Dup -SwitchType Internal
    $b = New-VMSwitch -Name Dup -SwitchType Internal
    Assert-True ($a.Id -ne $b.Id) 'two ids'
    Assert-Equal 2 @(Get-VMSwitch -Name Dup).Count 'two switches'
    Assert-Equal 2 @(Get-NetAdapter -Name 'vEthernet (Dup)*').Count 'two vNICs'
    Remove-VMSwitch -Name Dup -Force
    Assert-Equal 0 @(Get-VMSwitch -Name 'Dup*').Count 'removed'
}

Test-Case 'Get-VMSwitch unknown name: InvalidParameter,...GetVMSwitch' {
    Assert-Error { Get-VMSwitch -Name Nope } -Message 'Hyper-V was unable to find a virtual switch with name "Nope".' -FullyQualifiedErrorId 'InvalidParameter,Microsoft.HyperV.PowerShell.Commands.GetVMSwitch' | Out-Null
}

Test-Case 'NAT: a second NAT or an overlapping prefix is "The parameter is incorrect."' {
    $nat = New-NetNat -Name LocalNAT -InternalIPInterfaceAddressPrefix '192.168.100.0/24'
    Assert-Equal 'LocalNAT' $nat.Name 'created'
    Assert-True ($nat.PSObject.TypeNames[0] -eq 'Microsoft.Management.Infrastructure.CimInstance#ROOT/StandardCimv2/MSFT_NetNat') 'type name'
    $err = Assert-Error { New-NetNat -Name Second -InternalIPInterfaceAddressPrefix '192.168.200.0/24' } -Message 'The parameter is incorrect.' `
        -FullyQualifiedErrorId 'Windows System Error 87,New-NetNat' -Category InvalidArgument -Reason CimException
    Assert-Equal 'MSFT_NetNat' $err.CategoryInfo.TargetName 'target name'
    Assert-Equal 'root/StandardCimv2/MSFT_NetNat' $err.CategoryInfo.TargetType 'target type'
    Get-NetNat | Remove-NetNat -Confirm:$false
    Assert-Equal 0 @(Get-NetNat).Count 'removed'
}

Test-Case 'New-NetIPAddress: address already there / adapter not there' {
    $null = New-VMSwitch -Name IpSw -SwitchType Internal
    $null = New-NetIPAddress -InterfaceAlias 'vEthernet (IpSw)' -IPAddress 192.168.88.1 -PrefixLength 24
    Assert-Error { New-NetIPAddress -InterfaceAlias 'vEthernet (IpSw)' -IPAddress 192.168.88.1 -PrefixLength 24 } -Message 'Instance MSFT_NetIPAddress already exists' `
        -FullyQualifiedErrorId 'Windows System Error 87,New-NetIPAddress' -Category InvalidArgument | Out-Null
    Assert-Error { New-NetIPAddress -InterfaceAlias 'vEthernet (Missing)' -IPAddress 192.168.89.1 -PrefixLength 24 } -Message 'Element not found.' `
        -FullyQualifiedErrorId 'Windows System Error 1168,New-NetIPAddress' -Category ObjectNotFound | Out-Null
    Assert-Equal 0 @(Get-NetIPAddress -InterfaceAlias 'vEthernet (IpSw)' -AddressFamily IPv4 | Where-Object IPAddress -like '169.254.*').Count 'APIPA address gone'
}

Test-Case 'the vNIC of a new switch appears after host.vnic_lag calls' {
    Edit-State { param($s) $s['host']['vnic_lag'] = [ordered]@{ calls = 1; seconds = 0 } }
    $null = New-VMSwitch -Name LagSw -SwitchType Internal
    Assert-Error { New-NetIPAddress -InterfaceAlias 'vEthernet (LagSw)' -IPAddress 192.168.90.1 -PrefixLength 24 } -FullyQualifiedErrorId 'Windows System Error 1168,New-NetIPAddress' | Out-Null
    $null = New-NetIPAddress -InterfaceAlias 'vEthernet (LagSw)' -IPAddress 192.168.90.1 -PrefixLength 24
    Edit-State { param($s) $s['host']['vnic_lag'] = [ordered]@{ calls = 0; seconds = 0 } }
}

Test-Case 'Get-NetAdapter unknown name: CmdletizationQuery_NotFound_Name' {
    Assert-Error { Get-NetAdapter -Name 'vEthernet (Nope)' } -Message "No MSFT_NetAdapter objects found with property 'Name' equal to 'vEthernet (Nope)'.  Verify the value of the property and retry." `
        -FullyQualifiedErrorId 'CmdletizationQuery_NotFound_Name,Get-NetAdapter' -Category ObjectNotFound -Reason CimJobException | Out-Null
}

Test-Case 'DNS server addresses persist' {
    Set-DnsClientServerAddress -InterfaceAlias 'vEthernet (IpSw)' -ServerAddresses 192.168.88.1, 1.1.1.1
    $dns = Get-DnsClientServerAddress -InterfaceAlias 'vEthernet (IpSw)' -AddressFamily IPv4
    Assert-Equal @('192.168.88.1', '1.1.1.1') $dns.ServerAddresses 'servers'
}

Test-Case 'not elevated, not Hyper-V administrator: authorization error; NetNat: access denied' {
    Edit-State { param($s) $s['host']['elevated'] = $false; $s['host']['hyperv_admin'] = $false }
    try {
        Assert-Error { Get-VM } -Message "You do not have the required permission to complete this task. Contact the administrator of the authorization policy for the computer 'HV-SRV22'." `
            -FullyQualifiedErrorId 'AccessDenied,Microsoft.HyperV.PowerShell.Commands.GetVM' -Category PermissionDenied | Out-Null
        Assert-Error { New-NetNat -Name X -InternalIPInterfaceAddressPrefix '10.9.0.0/24' } -FullyQualifiedErrorId 'Windows System Error 5,New-NetNat' -Category PermissionDenied | Out-Null
        Edit-State { param($s) $s['host']['hyperv_admin'] = $true }
        Assert-Equal 'Lab1' (Get-VM -Name Lab1).Name 'Hyper-V Administrators member may use Hyper-V'
    }
    finally {
        Edit-State { param($s) $s['host']['elevated'] = $true; $s['host']['hyperv_admin'] = $true }
    }
}

Test-Case 'Connect / Disconnect-VMNetworkAdapter; management OS adapters' {
    Disconnect-VMNetworkAdapter -VMName Multi1 -Name 'Network Adapter'
    $nic = Get-VMNetworkAdapter -VMName Multi1 -Name 'Network Adapter'
    Assert-Equal $false $nic.Connected 'disconnected'
    Assert-Equal $null $nic.SwitchName 'no switch'
    Connect-VMNetworkAdapter -VMName Multi1 -Name 'Network Adapter' -SwitchName External
    Assert-Equal 'External' (Get-VMNetworkAdapter -VMName Multi1 -Name 'Network Adapter').SwitchName 'connected'
    Get-VMNetworkAdapter -VMName Multi1 -Name Storage | Connect-VMNetworkAdapter -SwitchName IpSw
    Assert-Equal 'IpSw' (Get-VMNetworkAdapter -VMName Multi1 -Name Storage).SwitchName 'connected by pipeline'
    Assert-Error { Connect-VMNetworkAdapter -VMName Multi1 -SwitchName NoSuchSwitch } -Message 'Hyper-V was unable to find a virtual switch with name "NoSuchSwitch".' `
        -FullyQualifiedErrorId 'InvalidParameter,Microsoft.HyperV.PowerShell.Commands.ConnectVMNetworkAdapter' | Out-Null
    $host0 = @(Get-VMNetworkAdapter -ManagementOS)
    Assert-True ($host0.Count -ge 2) 'management OS adapters'
    Assert-True ($host0[0] -is [Microsoft.HyperV.PowerShell.VMInternalNetworkAdapter]) 'VMInternalNetworkAdapter'
    $all = @(Get-VMNetworkAdapter -All)
    Assert-Equal ($host0.Count + @(Get-VM | ForEach-Object { $_.NetworkAdapters }).Count) $all.Count '-All'
}

Test-Case 'Get-VMHost' {
    $h = Get-VMHost
    Assert-Equal 'HV-SRV22' $h.Name 'Name'
    Assert-Equal 240 $h.LogicalProcessorCount 'LogicalProcessorCount'
    Assert-Equal '10.0' $h.SupportedVmVersions[-1] 'SupportedVmVersions'
}

Test-Case 'New-VMSwitch on a NIC already bound: ObjectInUse' {
    Assert-Error { New-VMSwitch -Name Ext2 -NetAdapterName Ethernet } -FullyQualifiedErrorId 'ObjectInUse,Microsoft.HyperV.PowerShell.Commands.NewVMSwitch' -Category ResourceBusy | Out-Null
}

Test-Case 'Remove-NetIPAddress: by query (needs -Confirm:$false non-interactively) and by pipeline' {
    Assert-Error { Remove-NetIPAddress -IPAddress 192.168.88.1 } -FullyQualifiedErrorId 'InvalidOperation,Remove-NetIPAddress' -Category InvalidOperation | Out-Null
    Get-NetIPAddress -IPAddress 192.168.90.1 | Remove-NetIPAddress -Confirm:$false
    Assert-Equal 'InputObject (cdxml)' (Get-LastCall 'Remove-NetIPAddress')['parameter_set'] 'pipeline binds InputObject'
    Remove-NetIPAddress -IPAddress 192.168.88.1 -Confirm:$false
    Assert-Equal 0 @(Get-NetIPAddress -IPAddress '192.168.88.1', '192.168.90.1' -ErrorAction SilentlyContinue).Count 'removed'
    Assert-Error { Remove-NetIPAddress -IPAddress 192.168.88.1 -Confirm:$false } -FullyQualifiedErrorId 'CmdletizationQuery_NotFound_IPAddress,Remove-NetIPAddress' | Out-Null
}

# ---- PowerShell Direct (Invoke-Command -VMName / -VMId) and the guest network ----------------

. (Join-Path $PSScriptRoot 'selftest-direct.ps1')

# ---- the host's boot entry (bcdedit.exe on the host) ----------------------------------------

Test-Case 'bcdedit on the host: the {current} loader, every spelling, logged; access denied unless elevated' {
    $out = @(bcdedit /enum '{current}')
    Assert-Equal 0 $LASTEXITCODE 'exit code'
    Assert-Equal 'Windows Boot Loader' $out[1] 'layout'
    Assert-True ($out -contains 'hypervisorlaunchtype    Auto') "hypervisorlaunchtype: $($out -join '|')"
    Assert-Equal 0 @($out | Select-String 'hypervisorloadoptions').Count 'no load options'
    Assert-True (@(& 'C:\Windows\System32\bcdedit.exe' /enum) -contains 'Windows Boot Manager') 'a path names the same command'
    $call = Get-LastCall 'bcdedit.exe'
    Assert-Equal '' $call['module'] 'module'
    Assert-Equal @('/enum') $call['parameters']['Arguments'] 'arguments'
    Edit-State { param($s) $s['host']['elevated'] = $false }
    try {
        $denied = @(bcdedit.exe /enum)
        Assert-Equal 1 $LASTEXITCODE 'exit code when not elevated'
        Assert-Equal @('The boot configuration data store could not be opened.', 'Access is denied.') $denied 'access denied'
    }
    finally { Edit-State { param($s) $s['host']['elevated'] = $true } }
}

Test-Case 'intel-windows-server-2022-nonested-bcd: OFFERNESTEDVIRT=FALSE, as Get-NestedVirtStatus.ps1 reads it; nesting VMs fail to start' {
    $script = '$o = bcdedit /enum | Select-String "hypervisorloadoptions"; "[" + $o.Line + "]"; "match=" + ($o.Line -match "OFFERNESTEDVIRT=FALSE"); ' +
    'try { Hyper-V\Start-VM -Name Nested1 -ErrorAction Stop } catch { $_.FullyQualifiedErrorId; $_.Exception.Message }; ' +
    'bcdedit /deletevalue "{current}" hypervisorloadoptions; try { Hyper-V\Start-VM -Name Nested1 -ErrorAction Stop; "started" } catch { "still " + $_.FullyQualifiedErrorId }'
    $r = Invoke-Engine "Import-Module `$env:NESTVIRT_SIM_PRELOAD; $script" -Prefix @($withSim, 'intel-windows-server-2022-nonested-bcd', '--')
    Assert-True ($r.Output -match '\[hypervisorloadoptions   OFFERNESTEDVIRT=FALSE\]') "bcdedit line: $($r.Output)"
    Assert-True ($r.Output -match 'match=True') 'the script''s match'
    Assert-True ($r.Output -match 'OperationFailed,Microsoft.HyperV.PowerShell.Commands.StartVM') 'Start-VM fails'
    Assert-True ($r.Output -match 'does not support nested virtualization') 'message'
    Assert-True ($r.Output -match 'The operation completed successfully.') 'deletevalue'
    Assert-True ($r.Output -match 'still OperationFailed') 'the running hypervisor keeps the options it booted with'
}

# ---- faults ------------------------------------------------------------------------------------

Test-Case 'a fault fires on the Nth call of a cmdlet, and only then' {
    $n = @((Read-State)['calls'] | Where-Object { $_['type'] -eq 'cmdlet' -and $_['name'] -eq 'Get-VMMemory' }).Count
    Edit-State {
        param($s)
        $s['faults'].Add([ordered]@{ cmdlet = 'Get-VMMemory'; call = $n + 2; message = 'Simulated memory failure.'; fqid = 'OperationFailed'; category = 'NotSpecified' })
    }
    $null = Get-VMMemory -VMName Lab1
    Assert-Error { Get-VMMemory -VMName Lab1 } -Message 'Simulated memory failure.' -FullyQualifiedErrorId 'OperationFailed,Microsoft.HyperV.PowerShell.Commands.GetVMMemory' -Category NotSpecified | Out-Null
    $null = Get-VMMemory -VMName Lab1
    $call = (Read-State)['calls'] | Where-Object { $_['type'] -eq 'cmdlet' -and $_['name'] -eq 'Get-VMMemory' } | Select-Object -Last 2 | Select-Object -First 1
    Assert-Equal 'error' $call['outcome'] 'logged outcome'
    Assert-True ($null -ne $call['fault']) 'logged fault index'
}

Test-Case 'a fault with action exit ends the process with its code (the call is logged)' {
    Edit-State { param($s) $s['faults'].Add([ordered]@{ cmdlet = 'Get-VMHost'; action = 'exit'; exit_code = 7 }) }
    $r = Invoke-Engine 'Hyper-V\Get-VMHost; "not reached"'
    Assert-Equal 7 $r.ExitCode 'exit code'
    Assert-True ($r.Output -notmatch 'not reached') 'stopped'
    Assert-Equal 'Get-VMHost' (Get-LastCall 'Get-VMHost')['name'] 'logged'
    Edit-State { param($s) $s['faults'].Clear() }
}

Test-Case 'a killed process leaves the log complete up to its last call (fault action hang)' {
    Edit-State { param($s) $s['faults'].Add([ordered]@{ cmdlet = 'Get-VMSwitch'; action = 'hang' }) }
    $process = Start-Process -FilePath $engine -ArgumentList '-NoProfile', '-NonInteractive', '-Command', 'Hyper-V\Get-VM -Name Lab1 | Out-Null; Hyper-V\Get-VMSwitch' -PassThru
    try {
        $deadline = [datetime]::UtcNow.AddSeconds(30)
        do { Start-Sleep -Milliseconds 200; $logged = @((Read-State)['calls'] | Where-Object { $_['type'] -eq 'cmdlet' -and $_['name'] -eq 'Get-VMSwitch' -and $_['pid'] -eq $process.Id }).Count }
        until ($logged -gt 0 -or [datetime]::UtcNow -gt $deadline)
        Assert-True (-not $process.HasExited) 'still hanging'
    }
    finally {
        $process.Kill()
        $process.WaitForExit()
    }
    Assert-Equal 1 $logged 'hanging call logged before the kill'
    Edit-State { param($s) $s['faults'].Clear() }
    Assert-Equal 'External' (Get-VMSwitch -Name External).Name 'state still readable'
}

# ---- the calls log and persistence -------------------------------------------------------------

Test-Case 'calls are logged with their bound parameters' {
    $null = Set-VMProcessor -VMName Nested1 -Count 6
    $call = Get-LastCall 'Set-VMProcessor'
    Assert-Equal 'Hyper-V' $call['module'] 'module'
    Assert-Equal 'VMName' $call['parameter_set'] 'parameter set'
    Assert-Equal @('Nested1') $call['parameters']['VMName'] 'VMName'
    Assert-Equal ([long]6) $call['parameters']['Count'] 'Count'
    Assert-Equal 'ok' $call['outcome'] 'outcome'
    Assert-True (@((Read-State)['calls'] | Where-Object { $_['type'] -eq 'launch' }).Count -ge 1) 'pwsh-host logs its launches'
}

Test-Case 'state persists across processes' {
    $r = Invoke-Engine 'Hyper-V\Set-VMProcessor -VMName Big1 -ExposeVirtualizationExtensions $true; [string](Hyper-V\Get-VMProcessor -VMName Big1).ExposeVirtualizationExtensions'
    Assert-Equal 0 $r.ExitCode "child exit code ($($r.Output))"
    Assert-Equal $true (Get-VMProcessor -VMName Big1).ExposeVirtualizationExtensions 'seen here'
    Set-VMProcessor -VMName Big1 -ExposeVirtualizationExtensions $false
    $r = Invoke-Engine '[string](Hyper-V\Get-VMProcessor -VMName Big1).ExposeVirtualizationExtensions'
    Assert-Equal 'False' (($r.Output -split "`n")[-1]) 'seen there'
}

# ---- other scenarios ---------------------------------------------------------------------------

Test-Case 'no-hyperv-module: Hyper-V is absent, the other modules are there' {
    $r = Invoke-Engine '"[" + (@(Get-Module -ListAvailable Hyper-V).Count) + "/" + (@(Get-Module -ListAvailable NetNat).Count) + "]"; try { Hyper-V\Get-VM } catch { $_.Exception.GetType().Name + " " + $_.FullyQualifiedErrorId }; Get-VM' -Prefix @($withSim, 'no-hyperv-module', '--')
    Assert-True ($r.Output -match '\[0/1\]') "module counts: $($r.Output)"
    Assert-True ($r.Output -match 'CommandNotFoundException CouldNotAutoLoadModule') "Hyper-V\Get-VM: $($r.Output)"
    Assert-True ($r.Output -match "The term 'Get-VM' is not recognized") 'Get-VM not recognized'
    Assert-Equal 1 $r.ExitCode 'exit code'
}

Test-Case 'amd-windows10-22h2: the extensions can be set, the VM then fails to start' {
    $r = Invoke-Engine 'Hyper-V\Set-VMProcessor -VMName Lab1 -ExposeVirtualizationExtensions $true; try { Hyper-V\Start-VM -Name Lab1 -ErrorAction Stop } catch { $_.FullyQualifiedErrorId; $_.Exception.Message }; [string](Hyper-V\Get-VM -Name Lab1).State' -Prefix @($withSim, 'amd-windows10-22h2', '--')
    Assert-True ($r.Output -match 'OperationFailed,Microsoft.HyperV.PowerShell.Commands.StartVM') "FQID: $($r.Output)"
    Assert-True ($r.Output -match 'this platform does not support nested virtualization') 'message'
    Assert-True ($r.Output -match 'Off$') 'still Off'
}

Test-Case 'intel-windows10-1607: hypervisor not running, flags visible, Start-VM fails' {
    $r = Invoke-Engine '"{0}/{1}" -f (Get-CimInstance Win32_ComputerSystem).HypervisorPresent, (Get-CimInstance Win32_Processor).VirtualizationFirmwareEnabled; try { Hyper-V\Start-VM -Name Lab1 -ErrorAction Stop } catch { $_.FullyQualifiedErrorId; $_.Exception.Message }' -Prefix @($withSim, 'intel-windows10-1607', '--')
    Assert-True ($r.Output -match 'False/True') "flags: $($r.Output)"
    Assert-True ($r.Output -match 'could not be started because the hypervisor is not running') 'Start-VM message'
}

Test-Case 'a host whose Hyper-V module predates nesting has no -ExposeVirtualizationExtensions' {
    $path = Join-Path ([System.IO.Path]::GetTempPath()) "selftest-old-host-$PID.json"
    $old = Get-Content -LiteralPath (Join-Path $PSScriptRoot 'scenarios/intel-windows10-1511.json') -Raw | ConvertFrom-Json -AsHashtable
    $old['host']['hyperv_module_features'] = @{ expose_virtualization_extensions = $false }
    [System.IO.File]::WriteAllText($path, ($old | ConvertTo-Json -Depth 20))
    try {
        $r = Invoke-Engine 'try { Hyper-V\Set-VMProcessor -VMName Lab1 -ExposeVirtualizationExtensions $true } catch { $_.FullyQualifiedErrorId; $_.Exception.Message }' -Prefix @($withSim, $path, '--')
        Assert-True ($r.Output -match 'NamedParameterNotFound,Set-VMProcessor') "FQID: $($r.Output)"
        Assert-True ($r.Output -match "A parameter cannot be found that matches parameter name 'ExposeVirtualizationExtensions'") 'message'
    }
    finally { Remove-Item -LiteralPath $path -ErrorAction SilentlyContinue }
}

Write-Host ''
Write-Host "$($script:passed) passed, $($script:failed) failed"
if ($script:failed -gt 0) { exit 1 }
exit 0
