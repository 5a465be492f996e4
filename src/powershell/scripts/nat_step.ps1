# One step of net-nat: create or remove one thing, then read back how many such things exist and
# what they look like, for nestvirt to compare with what it asked (core::verify). Input:
# $In.action and the values it needs. The change cmdlets are the ones --dry-run shows
# (src/core/nat_steps.cpp); tests/e2e/commands_match_test.cpp fails when the two drift apart.
# Removals and re-creations do nothing when there is nothing to do: they also undo steps whose
# outcome is unknown. Names are compared with -eq / -ceq, never used as patterns.
param($In)

function Get-NestvirtSwitches([string]$name) { @(Hyper-V\Get-VMSwitch | Where-Object { [string]$_.Name -eq $name }) }
function Get-NestvirtNats([string]$name) { @(NetNat\Get-NetNat | Where-Object { [string]$_.Name -ceq $name }) }
function Get-NestvirtAddresses([string]$ip, [string]$alias) {
  @(NetTCPIP\Get-NetIPAddress -AddressFamily IPv4 | Where-Object { [string]$_.IPAddress -eq $ip -and [string]$_.InterfaceAlias -ceq $alias })
}
function Get-NestvirtAdapter($In) {
  # By Id: Hyper-V names every added adapter "Network Adapter".
  $vm = Hyper-V\Get-VM -Id ([string]$In.vm_id)
  @(Hyper-V\Get-VMNetworkAdapter -VM $vm | Where-Object { [string]$_.Id -eq [string]$In.adapter_id }) | Select-Object -First 1
}

switch ([string]$In.action) {
  'adapter-present' {
    $found = @(NetAdapter\Get-NetAdapter | Where-Object { [string]$_.Name -eq [string]$In.alias })
    # Without its switch the adapter will never appear: the caller stops waiting at once.
    [ordered]@{ count = $found.Count; switch_present = (Get-NestvirtSwitches ([string]$In.switch)).Count -gt 0 }
  }
  'new-switch' {
    $new = Hyper-V\New-VMSwitch -Name ([string]$In.switch) -SwitchType Internal
    $back = @(Hyper-V\Get-VMSwitch | Where-Object { [string]$_.Id -eq [string]$new.Id }) | Select-Object -First 1
    [ordered]@{ count = (Get-NestvirtSwitches ([string]$In.switch)).Count; id = [string]$new.Id
      switch_type = [string]$back.SwitchType }
  }
  'remove-switch' {
    if ([string]$In.id -ne '') { $sw = @(Hyper-V\Get-VMSwitch | Where-Object { [string]$_.Id -eq [string]$In.id }) }
    else { $sw = Get-NestvirtSwitches ([string]$In.switch) }
    if ($sw.Count -gt 1) { throw "nestvirt: $($sw.Count) switches are named '$($In.switch)'; none was removed" }
    if ($sw.Count -eq 1) { Hyper-V\Remove-VMSwitch -VMSwitch $sw[0] -Force }
    if ([string]$In.id -ne '') { $left = @(Hyper-V\Get-VMSwitch | Where-Object { [string]$_.Id -eq [string]$In.id }) }
    else { $left = Get-NestvirtSwitches ([string]$In.switch) }
    [ordered]@{ count = $left.Count; id = [string]$In.id }
  }
  'new-address' {
    $have = Get-NestvirtAddresses ([string]$In.ip) ([string]$In.alias)
    if ($have.Count -eq 0) {
      $null = NetTCPIP\New-NetIPAddress -IPAddress ([string]$In.ip) -PrefixLength ([byte]$In.prefix_length) -InterfaceAlias ([string]$In.alias)
    }
    $back = Get-NestvirtAddresses ([string]$In.ip) ([string]$In.alias)
    $length = 0
    if ($back.Count -gt 0) { $length = [int]$back[0].PrefixLength }
    [ordered]@{ count = $back.Count; prefix_length = $length }
  }
  'remove-address' {
    $have = Get-NestvirtAddresses ([string]$In.ip) ([string]$In.alias)
    if ($have.Count -gt 1) { throw "nestvirt: $($have.Count) addresses $($In.ip) on '$($In.alias)'; none was removed" }
    if ($have.Count -eq 1) { $have[0] | NetTCPIP\Remove-NetIPAddress -Confirm:$false }
    [ordered]@{ count = (Get-NestvirtAddresses ([string]$In.ip) ([string]$In.alias)).Count }
  }
  'new-nat' {
    $have = Get-NestvirtNats ([string]$In.nat)
    if ($have.Count -eq 0) {
      $null = NetNat\New-NetNat -Name ([string]$In.nat) -InternalIPInterfaceAddressPrefix ([string]$In.prefix)
    }
    $back = Get-NestvirtNats ([string]$In.nat)
    $prefix = ''
    if ($back.Count -gt 0) { $prefix = [string]$back[0].InternalIPInterfaceAddressPrefix }
    [ordered]@{ count = $back.Count; prefix = $prefix }
  }
  'remove-nat' {
    # Exactly that NAT, always with -Name: without it Remove-NetNat removes every NAT on the
    # host. The name is escaped because -Name is a pattern ("Lab[1]" would not match itself).
    $have = Get-NestvirtNats ([string]$In.nat)
    if ($have.Count -gt 1) { throw "nestvirt: $($have.Count) NATs are named '$($In.nat)'; none was removed" }
    if ($have.Count -eq 1) {
      NetNat\Remove-NetNat -Name ([System.Management.Automation.WildcardPattern]::Escape([string]$In.nat)) -Confirm:$false
    }
    [ordered]@{ count = (Get-NestvirtNats ([string]$In.nat)).Count }
  }
  { $_ -eq 'connect' -or $_ -eq 'disconnect' } {
    $nic = Get-NestvirtAdapter $In
    if ($null -eq $nic) { throw "nestvirt: the VM has no adapter '$($In.adapter)' with id '$($In.adapter_id)'" }
    if ([string]$In.switch -eq '') {
      if ([string]$nic.SwitchName -ne '') { $nic | Hyper-V\Disconnect-VMNetworkAdapter }
    } else {
      # The switch object, found by exact name: -SwitchName would read [ ] * ? as wildcards.
      $sw = @(Get-NestvirtSwitches ([string]$In.switch)) | Select-Object -First 1
      if ($null -eq $sw) { throw "nestvirt: no switch named '$($In.switch)'" }
      $nic | Hyper-V\Connect-VMNetworkAdapter -VMSwitch $sw
    }
    $back = Get-NestvirtAdapter $In
    [ordered]@{ count = 1; adapter_present = ($null -ne $back); adapter_switch = [string]$back.SwitchName }
  }
  default { throw "nestvirt: unknown net-nat action '$($In.action)'" }
}
