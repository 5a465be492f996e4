# One step of enable/disable on one VM, named by id. Input: $In.vm_id and $In.action, plus
# $In.value / $In.adapters for the setters. Every action reads the VM back afterwards, so the
# caller sees what Hyper-V really holds rather than what it was asked to hold.
# The commands here are the ones --dry-run shows (src/core/plan_steps.cpp): keep them in step.
param($In)

$vm = Hyper-V\Get-VM -Id ([string]$In.vm_id)
$changed = New-Object System.Collections.ArrayList
switch ([string]$In.action) {
  'remove-saved-state' { Hyper-V\Remove-VMSavedState -VM $vm }
  # -AsJob: the caller polls the state itself, so it can time out and show progress.
  'stop' { $null = Hyper-V\Stop-VM -VM $vm -Force -AsJob }
  'turn-off' { Hyper-V\Stop-VM -VM $vm -TurnOff -Force }
  'update-version' { Hyper-V\Update-VMVersion -VM $vm -Force }
  'set-dynamic-memory' { Hyper-V\Set-VMMemory -VM $vm -DynamicMemoryEnabled ([bool]$In.value) }
  'set-processor' { Hyper-V\Set-VMProcessor -VM $vm -ExposeVirtualizationExtensions ([bool]$In.value) }
  'set-mac-spoofing' {
    $wanted = [string]$In.value
    $names = @($In.adapters | ForEach-Object { [string]$_ })
    foreach ($nic in @(Hyper-V\Get-VMNetworkAdapter -VM $vm)) {
      if ($names -contains [string]$nic.Name -and [string]$nic.MacAddressSpoofing -ne $wanted) {
        $nic | Hyper-V\Set-VMNetworkAdapter -MacAddressSpoofing $wanted
        [void]$changed.Add([string]$nic.Name)
      }
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
  [void]$adapters.Add([ordered]@{ name = [string]$nic.Name; mac_address_spoofing = [string]$nic.MacAddressSpoofing })
}
[ordered]@{
  state                            = [string]$vm.State
  version                          = [string]$vm.Version
  dynamic_memory                   = [bool]$vm.DynamicMemoryEnabled
  expose_virtualization_extensions = [bool]$processor.ExposeVirtualizationExtensions
  adapters                         = @($adapters)
  changed                          = @($changed)
}
