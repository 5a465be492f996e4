# Reads what net-nat needs to decide: the switches of that name, every switch's name and type
# (for "did you mean" and for finding the switch of a NAT), every NAT, every IPv4 address of
# the host, whether the switch's host adapter exists, and which VM adapters use the switch.
# Read-only. Input: $In.switch (name as typed). Names are compared, never used as patterns:
# Get-VMSwitch -Name and Get-NetAdapter -Name would treat [ ] * ? as wildcards.
param($In)

$switchName = [string]$In.switch
$alias = 'vEthernet (' + $switchName + ')'
$errors = New-Object System.Collections.ArrayList
function Add-NetProbeError($probe, $record) {
  [void]$errors.Add([ordered]@{ probe = $probe; message = [string]$record.Exception.Message
    fqid = [string]$record.FullyQualifiedErrorId })
}

$switches = New-Object System.Collections.ArrayList
$allSwitches = New-Object System.Collections.ArrayList
try {
  foreach ($s in @(Hyper-V\Get-VMSwitch)) {
    [void]$allSwitches.Add([ordered]@{ name = [string]$s.Name; id = [string]$s.Id; switch_type = [string]$s.SwitchType })
    if ([string]$s.Name -eq $switchName) {
      [void]$switches.Add([ordered]@{ name = [string]$s.Name; id = [string]$s.Id; switch_type = [string]$s.SwitchType })
    }
  }
} catch { Add-NetProbeError 'Get-VMSwitch' $_ }

$nats = New-Object System.Collections.ArrayList
try {
  foreach ($n in @(NetNat\Get-NetNat)) {
    [void]$nats.Add([ordered]@{ name = [string]$n.Name
      internal_prefix = [string]$n.InternalIPInterfaceAddressPrefix
      external_prefix = [string]$n.ExternalIPInterfaceAddressPrefix })
  }
} catch { Add-NetProbeError 'Get-NetNat' $_ }

$addresses = New-Object System.Collections.ArrayList
try {
  foreach ($a in @(NetTCPIP\Get-NetIPAddress -AddressFamily IPv4)) {
    [void]$addresses.Add([ordered]@{ ip = [string]$a.IPAddress; prefix_length = [int]$a.PrefixLength
      interface_alias = [string]$a.InterfaceAlias; interface_index = [int]$a.InterfaceIndex })
  }
} catch { Add-NetProbeError 'Get-NetIPAddress' $_ }

$adapterPresent = $false
try {
  foreach ($a in @(NetAdapter\Get-NetAdapter)) {
    if ([string]$a.Name -eq $alias) { $adapterPresent = $true }
  }
} catch { Add-NetProbeError 'Get-NetAdapter' $_ }

$connected = New-Object System.Collections.ArrayList
try {
  foreach ($nic in @(Hyper-V\Get-VMNetworkAdapter -All)) {
    if (-not $nic.IsManagementOs -and [string]$nic.SwitchName -eq $switchName) {
      [void]$connected.Add([ordered]@{ vm_name = [string]$nic.VMName; vm_id = [string]$nic.VMId; adapter = [string]$nic.Name; adapter_id = [string]$nic.Id })
    }
  }
} catch { Add-NetProbeError 'Get-VMNetworkAdapter' $_ }

[ordered]@{
  switches = @($switches); all_switches = @($allSwitches); nats = @($nats); addresses = @($addresses)
  host_adapter = $alias; host_adapter_present = $adapterPresent
  connected = @($connected); errors = @($errors)
}
