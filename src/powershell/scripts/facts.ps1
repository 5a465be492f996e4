# Reads the host and the named VMs. Read-only. Input: $In.vms = array of names as typed
# (Hyper-V wildcards allowed); $In.all = $true also lists every VM on the host (check without
# --vm), in this same request. Output: one object {host, vms, all_vms, errors}; see replies.cpp.
# Each probe is caught on its own so that one missing piece leaves the others readable.
param($In)

$errors = New-Object System.Collections.ArrayList
function Add-ProbeError($probe, $record) {
  [void]$errors.Add([ordered]@{
    probe    = $probe
    message  = [string]$record.Exception.Message
    fqid     = [string]$record.FullyQualifiedErrorId
    category = [string]$record.CategoryInfo.Category
  })
}

$hostFacts = [ordered]@{
  os_build = $null; os_caption = $null; os_version = $null; product_type = $null
  cpu_manufacturer = $null; cpu_name = $null
  vm_monitor_mode_extensions = $null; virtualization_firmware_enabled = $null; slat = $null
  hypervisor_present = $null; computer_model = $null
  hyperv_module_present = $false; hyperv_module_version = $null
  is_admin = $null; is_hyperv_admin = $null
  hyperv_access = $null; hyperv_access_error = $null
  supported_versions = @(); default_version = $null
}

try {
  $os = CimCmdlets\Get-CimInstance -ClassName Win32_OperatingSystem
  $hostFacts.os_build = [int]$os.BuildNumber
  $hostFacts.os_caption = [string]$os.Caption
  $hostFacts.os_version = [string]$os.Version
  $hostFacts.product_type = [int]$os.ProductType
} catch { Add-ProbeError 'Win32_OperatingSystem' $_ }

try {
  # One instance per socket; they are alike.
  $cpu = @(CimCmdlets\Get-CimInstance -ClassName Win32_Processor) | Select-Object -First 1
  if ($null -ne $cpu) {
    $hostFacts.cpu_manufacturer = [string]$cpu.Manufacturer
    $hostFacts.cpu_name = ([string]$cpu.Name).Trim()
    $hostFacts.vm_monitor_mode_extensions = $cpu.VMMonitorModeExtensions
    $hostFacts.virtualization_firmware_enabled = $cpu.VirtualizationFirmwareEnabled
    $hostFacts.slat = $cpu.SecondLevelAddressTranslationExtensions
  }
} catch { Add-ProbeError 'Win32_Processor' $_ }

try {
  $cs = CimCmdlets\Get-CimInstance -ClassName Win32_ComputerSystem
  $hostFacts.hypervisor_present = $cs.HypervisorPresent
  $hostFacts.computer_model = [string]$cs.Model
} catch { Add-ProbeError 'Win32_ComputerSystem' $_ }

# The token check needs Windows; where it cannot run the answer stays unknown (null), which is
# not the same as "no". Whether Hyper-V answers (below) is what decides.
try {
  $identity = [Security.Principal.WindowsIdentity]::GetCurrent()
  $principal = New-Object Security.Principal.WindowsPrincipal($identity)
  $hostFacts.is_admin = $principal.IsInRole([Security.Principal.WindowsBuiltInRole]::Administrator)
  # A SecurityIdentifier, not the SID string: the string form fails on domain machines.
  $hvAdmins = New-Object Security.Principal.SecurityIdentifier('S-1-5-32-578')
  $hostFacts.is_hyperv_admin = $principal.IsInRole($hvAdmins)
} catch { }

$module = @(Microsoft.PowerShell.Core\Get-Module -ListAvailable -Name Hyper-V) |
  Sort-Object -Property Version -Descending | Select-Object -First 1
if ($null -ne $module) {
  $hostFacts.hyperv_module_present = $true
  $hostFacts.hyperv_module_version = [string]$module.Version
}

$vmResults = New-Object System.Collections.ArrayList
$names = @($In.vms)
$listAll = [bool]$In.all
# Every VM on the host: $null when not asked for; listed is false while Hyper-V cannot be asked.
$allVmsResult = $null
if ($listAll) { $allVmsResult = [ordered]@{ listed = $false; vms = @(); error = $null } }

if ($hostFacts.hyperv_module_present) {
  try {
    $null = Hyper-V\Get-VMHost
    $hostFacts.hyperv_access = $true
  } catch {
    $hostFacts.hyperv_access = $false
    $hostFacts.hyperv_access_error = [string]$_.Exception.Message
    Add-ProbeError 'Get-VMHost' $_
  }
}

if ($hostFacts.hyperv_access) {
  try {
    $versions = New-Object System.Collections.ArrayList
    foreach ($v in @(Hyper-V\Get-VMHostSupportedVersion)) {
      [void]$versions.Add([string]$v.Version)
      if ($v.IsDefault) { $hostFacts.default_version = [string]$v.Version }
    }
    $hostFacts.supported_versions = @($versions)
  } catch { Add-ProbeError 'Get-VMHostSupportedVersion' $_ }

  $lookups = New-Object System.Collections.ArrayList
  foreach ($name in $names) {
    $matched = New-Object System.Collections.ArrayList
    $lookupError = $null
    $id = [guid]::Empty
    try {
      if ([guid]::TryParse([string]$name, [ref]$id)) {
        # A VM id: the one way to name exactly one VM whatever the names on the host.
        foreach ($vm in @(Hyper-V\Get-VM -Id $id)) { [void]$matched.Add($vm) }
      } else {
        # Get-VM -Name treats the name as a wildcard pattern, as Hyper-V users expect ("Lab*").
        foreach ($vm in @(Hyper-V\Get-VM -Name $name)) { [void]$matched.Add($vm) }
      }
    } catch {
      # An exact name that does not exist is an error; a pattern that matches nothing is not.
      if ([string]$_.FullyQualifiedErrorId -notlike 'InvalidParameter*' -and
          [string]$_.CategoryInfo.Category -ne 'ObjectNotFound') {
        $lookupError = ConvertTo-NestvirtError $_
      }
    }
    # A VM may really be named "Lab[1]", or "a`b" (the backtick is the pattern's escape
    # character, so "a`b" matches "ab"): keep an exact match the pattern missed.
    $pattern = [System.Management.Automation.WildcardPattern]::ContainsWildcardCharacters($name)
    if ($pattern -or ([string]$name).Contains('`')) {
      foreach ($vm in @(Hyper-V\Get-VM)) {
        if ($vm.Name -eq $name -and -not ($matched | Where-Object { $_.Id -eq $vm.Id })) {
          [void]$matched.Add($vm)
        }
      }
    }
    [void]$lookups.Add([ordered]@{ name = [string]$name; vms = @($matched); error = $lookupError })
  }

  $listed = $null
  if ($listAll) {
    try {
      $listed = @(Hyper-V\Get-VM)
    } catch {
      $allVmsResult.error = ConvertTo-NestvirtError $_
    }
  }

  # One Get-VMProcessor and one Get-VMNetworkAdapter call for all VMs: the cost must not grow
  # with each VM's round trip.
  $allVms = New-Object System.Collections.ArrayList
  $seenIds = @{}
  foreach ($vm in @(@($lookups | ForEach-Object { $_.vms }) + @($listed))) {
    if ($null -eq $vm -or $seenIds.ContainsKey([string]$vm.Id)) { continue }
    $seenIds[[string]$vm.Id] = $true
    [void]$allVms.Add($vm)
  }
  $processors = @{}
  $adaptersByVm = @{}
  $nameCount = @{}
  if ($allVms.Count -gt 0) {
    # How many VMs share each name, so that fixes name a VM only where the name is its own.
    $everyVm = $listed
    if ($null -eq $everyVm) { $everyVm = @(Hyper-V\Get-VM) }
    foreach ($vm in $everyVm) {
      $key = ([string]$vm.Name).ToLowerInvariant()
      if ($nameCount.ContainsKey($key)) { $nameCount[$key]++ } else { $nameCount[$key] = 1 }
    }
    foreach ($p in @(Hyper-V\Get-VMProcessor -VM @($allVms))) { $processors[[string]$p.VMId] = $p }
    foreach ($nic in @(Hyper-V\Get-VMNetworkAdapter -VM @($allVms))) {
      $key = [string]$nic.VMId
      if (-not $adaptersByVm.ContainsKey($key)) { $adaptersByVm[$key] = New-Object System.Collections.ArrayList }
      [void]$adaptersByVm[$key].Add([ordered]@{
        name                 = [string]$nic.Name
        id                   = [string]$nic.Id
        switch_name          = [string]$nic.SwitchName
        mac_address_spoofing = [string]$nic.MacAddressSpoofing
      })
    }
  }
  function ConvertTo-NestvirtVmFacts($vm) {
    $key = [string]$vm.Id
    $expose = $null
    if ($processors.ContainsKey($key)) { $expose = [bool]$processors[$key].ExposeVirtualizationExtensions }
    $adapters = @()
    if ($adaptersByVm.ContainsKey($key)) { $adapters = @($adaptersByVm[$key]) }
    [ordered]@{
      name                             = [string]$vm.Name
      id                               = $key
      state                            = [string]$vm.State
      version                          = [string]$vm.Version
      generation                       = [int]$vm.Generation
      processor_count                  = [long]$vm.ProcessorCount
      memory_startup_bytes             = [long]$vm.MemoryStartup
      dynamic_memory                   = [bool]$vm.DynamicMemoryEnabled
      expose_virtualization_extensions = $expose
      adapters                         = $adapters
      name_unique                      = ($nameCount[([string]$vm.Name).ToLowerInvariant()] -le 1)
    }
  }
  foreach ($lookup in $lookups) {
    $vmList = New-Object System.Collections.ArrayList
    foreach ($vm in $lookup.vms) { [void]$vmList.Add((ConvertTo-NestvirtVmFacts $vm)) }
    [void]$vmResults.Add([ordered]@{ requested = $lookup.name; matches = @($vmList); error = $lookup.error })
  }
  if ($null -ne $listed) {
    $vmList = New-Object System.Collections.ArrayList
    foreach ($vm in $listed) { [void]$vmList.Add((ConvertTo-NestvirtVmFacts $vm)) }
    $allVmsResult.listed = $true
    $allVmsResult.vms = @($vmList)
  }
} else {
  foreach ($name in $names) {
    [void]$vmResults.Add([ordered]@{ requested = [string]$name; matches = @(); error = $null })
  }
}

[ordered]@{ host = $hostFacts; vms = @($vmResults); all_vms = $allVmsResult; errors = @($errors); hyperv_checked = [bool]$hostFacts.hyperv_access }
