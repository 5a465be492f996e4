# Hyper-V inside an L1 guest (enable --install-hyperv, check --guest): one action, then what the
# host and the guest say now, as data for nestvirt to judge (src/core/hyperv_guest.cpp decides).
# Input: $In.action ('read', 'verify' (the same read, as the final step), 'install',
# 'set-launch-type', 'reboot'), $In.vm_id, $In.user and
# $In.password (only to build the credential, never echoed), $In.server (install: the Server
# cmdlet, else the client one), $In.source (install: where the payload is, may be empty).
# Read-only for 'read'. The host side first: the VM's state, its Heartbeat integration service
# and the guest's OS as Hyper-V's Key-Value Pair Exchange reports it; PowerShell Direct is tried
# only once the heartbeat is OK and the guest is Windows (Microsoft's "wait for the heartbeat,
# then retry PowerShell Direct"). The change cmdlets are those --dry-run shows
# (src/core/hyperv_guest_steps.cpp).
param($In)

function ConvertTo-NestvirtPsError($record) {
  [ordered]@{ message = [string]$record.Exception.Message; fqid = [string]$record.FullyQualifiedErrorId
    exception = [string]$record.Exception.GetType().Name }
}

$out = [ordered]@{ state = ''; heartbeat = ''; os_name = ''; os_platform = ''; direct_error = $null; guest = $null }
$vm = Hyper-V\Get-VM -Id ([string]$In.vm_id)
$out.state = [string]$vm.State
$beat = @(Hyper-V\Get-VMIntegrationService -VM $vm -Name 'Heartbeat')
if ($beat.Count -gt 0) { $out.heartbeat = [string]$beat[0].PrimaryStatusDescription }
# The guest's OS from the Key-Value Pair Exchange: known from the host before PowerShell Direct,
# and the only way to tell a Linux guest (which PowerShell Direct cannot reach) from one that
# has not booted.
try {
  $kvp = @(CimCmdlets\Get-CimInstance -Namespace 'root\virtualization\v2' -ClassName 'Msvm_KvpExchangeComponent' `
      -Filter ("SystemName='" + [string]$vm.Id + "'") -ErrorAction Stop)
  foreach ($text in @($kvp | ForEach-Object { $_.GuestIntrinsicExchangeItems })) {
    $item = [xml][string]$text
    $name = ''; $data = ''
    foreach ($p in @($item.INSTANCE.PROPERTY)) {
      if ($p.NAME -eq 'Name') { $name = [string]$p.VALUE }
      if ($p.NAME -eq 'Data') { $data = [string]$p.VALUE }
    }
    if ($name -eq 'OSName') { $out.os_name = $data }
    if ($name -eq 'OSPlatformId') { $out.os_platform = $data }
  }
} catch { }
if ($out.state -ne 'Running' -or $out.heartbeat -ne 'OK') { return $out }
if ($out.os_platform -and $out.os_platform -ne '2') { return $out }   # 2: Windows NT

$secret = New-Object System.Security.SecureString
foreach ($c in ([string]$In.password).ToCharArray()) { $secret.AppendChar($c) }
$credential = New-Object System.Management.Automation.PSCredential([string]$In.user, $secret)

# Runs in the guest (Windows PowerShell 5.1 there), without this script's variables. It answers
# with JSON text: remoting would flatten nested objects.
$inGuest = {
  param([string]$Action, [bool]$Server, [string]$Source)
  $ErrorActionPreference = 'Stop'
  $answer = [ordered]@{ error = $null; install = $null; guest = $null }
  function ConvertTo-GuestError($record) {
    [ordered]@{ message = [string]$record.Exception.Message; fqid = [string]$record.FullyQualifiedErrorId
      exception = [string]$record.Exception.GetType().Name }
  }
  # A native command's output as text and its exit code; stderr lines are output too (5.1 would
  # turn them into errors that Stop makes fatal).
  function Invoke-Native([scriptblock]$Run) {
    $ErrorActionPreference = 'Continue'
    $lines = @(& $Run 2>&1 | ForEach-Object { [string]$_ })
    [ordered]@{ code = [int]$LASTEXITCODE; text = ($lines -join "`n") }
  }
  switch ($Action) {
    'install' {
      try {
        if ($Server) {
          $p = @{ Name = 'Hyper-V'; IncludeManagementTools = $true }
          if ($Source) { $p.Source = $Source }
          $r = ServerManager\Install-WindowsFeature @p
          $answer.install = [ordered]@{ success = [bool]$r.Success; restart_needed = [string]$r.RestartNeeded
            exit_code = [string]$r.ExitCode }
        }
        else {
          $p = @{ Online = $true; FeatureName = 'Microsoft-Hyper-V'; All = $true; NoRestart = $true }
          if ($Source) { $p.Source = $Source; $p.LimitAccess = $true }
          $r = Dism\Enable-WindowsOptionalFeature @p
          $answer.install = [ordered]@{ success = $true; restart_needed = [string]$r.RestartNeeded; exit_code = '' }
        }
      }
      catch { $answer.error = ConvertTo-GuestError $_ }
    }
    'set-launch-type' {
      $r = Invoke-Native { bcdedit.exe /set '{current}' hypervisorlaunchtype auto }
      if ($r.code -ne 0) { $answer.error = [ordered]@{ message = $r.text; fqid = 'bcdedit'; exception = '' } }
    }
    'reboot' {
      # shutdown.exe, not Restart-Computer: it schedules the restart and returns, so this answer
      # arrives before the session breaks. Reason p:4:2: planned, application, installation.
      $r = Invoke-Native { shutdown.exe /r /t 0 /d p:4:2 /c 'nestvirt: restarting to finish installing Hyper-V' }
      if ($r.code -ne 0) { $answer.error = [ordered]@{ message = $r.text; fqid = 'shutdown'; exception = '' } }
      return (ConvertTo-Json -InputObject $answer -Depth 6 -Compress)
    }
  }
  $os = CimCmdlets\Get-CimInstance -ClassName Win32_OperatingSystem
  $g = [ordered]@{ caption = [string]$os.Caption; product_type = [int]$os.ProductType; sku = [int]$os.OperatingSystemSKU
    build = [string]$os.BuildNumber; boot_time = ([datetime]$os.LastBootUpTime).ToUniversalTime().ToString('o')
    feature = ''; tools = $null; feature_error = $null; vmms = ''; launch_type = ''; bcd_error = ''
    pending_cbs = $false; pending_update = $false }
  try {
    if ([int]$os.ProductType -ne 1) {
      $features = @(ServerManager\Get-WindowsFeature -Name 'Hyper-V', 'Hyper-V-PowerShell', 'RSAT-Hyper-V-Tools')
      foreach ($f in $features) { if ([string]$f.Name -eq 'Hyper-V') { $g.feature = [string]$f.InstallState } }
      $g.tools = @($features | Where-Object { [string]$_.Name -ne 'Hyper-V' -and [string]$_.InstallState -ne 'Installed' }).Count -eq 0
    }
    else {
      $g.feature = [string](Dism\Get-WindowsOptionalFeature -Online -FeatureName 'Microsoft-Hyper-V').State
    }
  }
  catch { $g.feature_error = ConvertTo-GuestError $_ }
  # Unqualified: the cmdlet of the guest's own PowerShell.
  $service = Get-Service -Name 'vmms' -ErrorAction SilentlyContinue
  if ($null -ne $service) { $g.vmms = [string]$service.Status }
  $bcd = Invoke-Native { bcdedit.exe /enum '{current}' }
  if ($bcd.code -eq 0) {
    foreach ($line in ($bcd.text -split "`n")) {
      if ($line -match '^hypervisorlaunchtype\s+(\S+)') { $g.launch_type = $Matches[1] }
    }
  }
  else { $g.bcd_error = $bcd.text }
  $g.pending_cbs = Test-Path -LiteralPath 'HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\Component Based Servicing\RebootPending'
  $g.pending_update = Test-Path -LiteralPath 'HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\WindowsUpdate\Auto Update\RebootRequired'
  $answer.guest = $g
  ConvertTo-Json -InputObject $answer -Depth 6 -Compress
}

try {
  # Invoke-Command unqualified: nothing shadows it in nestvirt's -NoProfile session (the test
  # simulator's stand-in relies on that).
  $answer = @(Invoke-Command -VMId $vm.Id -Credential $credential -ScriptBlock $inGuest -ErrorAction Stop `
      -ArgumentList ([string]$In.action), ([bool]$In.server), ([string]$In.source))
} catch { $out.direct_error = ConvertTo-NestvirtPsError $_; return $out }
if ($answer.Count -eq 1) { $out.guest = [string]$answer[0] }
$out
