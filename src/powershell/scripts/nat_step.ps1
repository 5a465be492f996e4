# One step of net-nat: create or remove one thing, or report whether the switch's host adapter
# has appeared. Input: $In.action and the values it needs. The commands are the ones
# --dry-run shows (src/core/nat_plan_steps.cpp): keep them in step.
param($In)

switch ([string]$In.action) {
  'new-switch' {
    $s = Hyper-V\New-VMSwitch -Name ([string]$In.switch) -SwitchType Internal
    [ordered]@{ id = [string]$s.Id }
  }
  'adapter-present' {
    $present = $false
    foreach ($a in @(NetAdapter\Get-NetAdapter)) { if ([string]$a.Name -eq [string]$In.alias) { $present = $true } }
    [ordered]@{ present = $present }
  }
  'new-address' {
    $null = NetTCPIP\New-NetIPAddress -IPAddress ([string]$In.ip) -PrefixLength ([byte]$In.prefix_length) -InterfaceAlias ([string]$In.alias)
    [ordered]@{ ip = [string]$In.ip }
  }
  'new-nat' {
    $null = NetNat\New-NetNat -Name ([string]$In.nat) -InternalIPInterfaceAddressPrefix ([string]$In.prefix)
    [ordered]@{ nat = [string]$In.nat }
  }
  'connect' {
    $vm = Hyper-V\Get-VM -Id ([string]$In.vm_id)
    $nic = @(Hyper-V\Get-VMNetworkAdapter -VM $vm | Where-Object { [string]$_.Name -eq [string]$In.adapter }) | Select-Object -First 1
    if ($null -eq $nic) { throw "nestvirt: the VM has no adapter named '$($In.adapter)'" }
    if ([string]$In.switch -eq '') { $nic | Hyper-V\Disconnect-VMNetworkAdapter }
    else {
      # The switch object, found by exact name: -SwitchName would read [ ] * ? as wildcards.
      $sw = @(Hyper-V\Get-VMSwitch | Where-Object { [string]$_.Name -eq [string]$In.switch }) | Select-Object -First 1
      if ($null -eq $sw) { throw "nestvirt: no switch named '$($In.switch)'" }
      $nic | Hyper-V\Connect-VMNetworkAdapter -VMSwitch $sw
    }
    [ordered]@{ adapter = [string]$nic.Name }
  }
  'remove-nat' {
    # Always by name: Remove-NetNat without -Name removes every NAT on the host.
    NetNat\Remove-NetNat -Name ([string]$In.nat) -Confirm:$false
    [ordered]@{ nat = [string]$In.nat }
  }
  'remove-address' {
    NetTCPIP\Remove-NetIPAddress -IPAddress ([string]$In.ip) -InterfaceAlias ([string]$In.alias) -Confirm:$false
    [ordered]@{ ip = [string]$In.ip }
  }
  'remove-switch' {
    Hyper-V\Remove-VMSwitch -VMSwitch (Hyper-V\Get-VMSwitch -Id ([string]$In.id)) -Force
    [ordered]@{ id = [string]$In.id }
  }
  default { throw "nestvirt: unknown net-nat action '$($In.action)'" }
}
