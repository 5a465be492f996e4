# One step of enable/disable on one VM, named by id. Input: $In.vm_id and $In.action, plus
# $In.value / $In.adapters for the setters. Every action reads the VM back afterwards, so the
# caller sees what Hyper-V really holds rather than what it was asked to hold.
# The change cmdlets here are the ones --dry-run shows (src/core/plan_steps.cpp);
# tests/e2e/commands_match_test.cpp fails when the two drift apart.
param($In)

$vm = Hyper-V\Get-VM -Id ([string]$In.vm_id)
$changed = New-Object System.Collections.ArrayList
switch ([string]$In.action) {
  'remove-saved-state' { Hyper-V\Remove-VMSavedState -VM $vm }
  # -AsJob: the caller polls the state itself, so it can time out and show progress.
  'stop' {
    # -Force only with nestvirt's --force: it makes Hyper-V force the guest off after 5 minutes.
    if ([bool]$In.force) { $null = Hyper-V\Stop-VM -VM $vm -Force -AsJob }
    else { $null = Hyper-V\Stop-VM -VM $vm -AsJob }
  }
  'turn-off' { Hyper-V\Stop-VM -VM $vm -TurnOff -Force }
  'update-version' { Hyper-V\Update-VMVersion -VM $vm -Force }
  'set-dynamic-memory' { Hyper-V\Set-VMMemory -VM $vm -DynamicMemoryEnabled ([bool]$In.value) }
  'set-processor' { Hyper-V\Set-VMProcessor -VM $vm -ExposeVirtualizationExtensions ([bool]$In.value) }
  'set-mac-spoofing' {
    # One adapter per step, found by Id: adapter names repeat ("Network Adapter").
    $wanted = [string]$In.value
    $nic = @(Hyper-V\Get-VMNetworkAdapter -VM $vm | Where-Object { [string]$_.Id -eq [string]$In.adapter_id }) | Select-Object -First 1
    if ($null -eq $nic) { throw "nestvirt: the VM has no adapter with id '$($In.adapter_id)'" }
    if ([string]$nic.MacAddressSpoofing -ne $wanted) {
      $nic | Hyper-V\Set-VMNetworkAdapter -MacAddressSpoofing $wanted
      [void]$changed.Add([string]$nic.Id)
    }
  }
  'start' { Hyper-V\Start-VM -VM $vm }
  'state' { }
  default { throw "nestvirt: unknown step action '$($In.action)'" }
}

$vm = Hyper-V\Get-VM -Id ([string]$In.vm_id)
$processor = Hyper-V\Get-VMProcessor -VM $vm
$adapters = New-Object System.Collections.ArrayList
foreach ($nic in @(Hyper-V\Get-VMNetworkAdapter -VM $vm)) {
  [void]$adapters.Add([ordered]@{ name = [string]$nic.Name; id = [string]$nic.Id; switch_name = [string]$nic.SwitchName
    mac_address_spoofing = [string]$nic.MacAddressSpoofing })
}
[ordered]@{
  state                            = [string]$vm.State
  version                          = [string]$vm.Version
  dynamic_memory                   = [bool]$vm.DynamicMemoryEnabled
  expose_virtualization_extensions = [bool]$processor.ExposeVirtualizationExtensions
  adapters                         = @($adapters)
  changed                          = @($changed)
}
