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
    # By Id: Hyper-V names every added adapter "Network Adapter".
    $nic = @(Hyper-V\Get-VMNetworkAdapter -VM $vm | Where-Object { [string]$_.Id -eq [string]$In.adapter_id }) | Select-Object -First 1
    if ($null -eq $nic) { throw "nestvirt: the VM has no adapter '$($In.adapter)' with id '$($In.adapter_id)'" }
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
    # Exactly that NAT, always with -Name: without it Remove-NetNat removes every NAT on the
    # host. The name is escaped because -Name is a pattern ("Lab[1]" would not match itself),
    # and it must match exactly one NAT first.
    $nat = @(NetNat\Get-NetNat | Where-Object { [string]$_.Name -ceq [string]$In.nat })
    if ($nat.Count -ne 1) { throw "nestvirt: expected one NAT named '$($In.nat)', found $($nat.Count)" }
    NetNat\Remove-NetNat -Name ([System.Management.Automation.WildcardPattern]::Escape([string]$In.nat)) -Confirm:$false
    [ordered]@{ nat = [string]$In.nat }
  }
  'remove-address' {
    $address = @(NetTCPIP\Get-NetIPAddress -AddressFamily IPv4 | Where-Object {
        [string]$_.IPAddress -eq [string]$In.ip -and [string]$_.InterfaceAlias -ceq [string]$In.alias })
    if ($address.Count -ne 1) { throw "nestvirt: expected $($In.ip) on '$($In.alias)', found $($address.Count)" }
    $address[0] | NetTCPIP\Remove-NetIPAddress -Confirm:$false
    [ordered]@{ ip = [string]$In.ip }
  }
  'remove-switch' {
    Hyper-V\Remove-VMSwitch -VMSwitch (Hyper-V\Get-VMSwitch -Id ([string]$In.id)) -Force
    [ordered]@{ id = [string]$In.id }
  }
  default { throw "nestvirt: unknown net-nat action '$($In.action)'" }
}
