# net-nat guest, before anything changes: the VMs named exactly $In.vm, and through PowerShell
# Direct the guest's network adapters with their IPv4 addresses, default gateways and DNS
# servers. Read-only, and it decides nothing: errors come back as data for nestvirt to judge
# (src/core/guest_plan.cpp). Input: $In.vm (the name as typed), $In.user, $In.password (used
# only to build the credential, never echoed). The VM is found by exact name and reached by id:
# Invoke-Command -VMName resolves a Get-VM name pattern, so 'Lab[1]' would not find 'Lab[1]'.
param($In)

function ConvertTo-NestvirtPsError($record) {
  [ordered]@{ message = [string]$record.Exception.Message; fqid = [string]$record.FullyQualifiedErrorId
    exception = [string]$record.Exception.GetType().Name }
}

$name = [string]$In.vm
$out = [ordered]@{ hyperv_error = $null; vms = @(); direct_error = $null; guest = $null }
try { $vms = @(Hyper-V\Get-VM | Where-Object { [string]$_.Name -eq $name }) }
catch { $out.hyperv_error = ConvertTo-NestvirtPsError $_; return $out }
$list = New-Object System.Collections.ArrayList
foreach ($vm in $vms) {
  $nics = New-Object System.Collections.ArrayList
  foreach ($nic in @(Hyper-V\Get-VMNetworkAdapter -VM $vm)) {
    [void]$nics.Add([ordered]@{ id = [string]$nic.Id; name = [string]$nic.Name; switch_name = [string]$nic.SwitchName
      mac_address_spoofing = [string]$nic.MacAddressSpoofing })
  }
  [void]$list.Add([ordered]@{ name = [string]$vm.Name; id = [string]$vm.Id; state = [string]$vm.State; adapters = @($nics) })
}
$out.vms = @($list)
# PowerShell Direct can only reach one VM that runs; nestvirt says why not from what is above.
if ($vms.Count -ne 1 -or [string]$vms[0].State -ne 'Running') { return $out }

$secret = New-Object System.Security.SecureString
foreach ($c in ([string]$In.password).ToCharArray()) { $secret.AppendChar($c) }
$credential = New-Object System.Management.Automation.PSCredential([string]$In.user, $secret)

# Runs in the guest (Windows PowerShell 5.1 there), without this script's variables. It answers
# with JSON text: remoting would flatten nested objects.
$inGuest = {
  $ErrorActionPreference = 'Stop'
  $adapters = New-Object System.Collections.ArrayList
  foreach ($nic in @(NetAdapter\Get-NetAdapter)) {
    $index = [int]$nic.ifIndex
    $addresses = @(NetTCPIP\Get-NetIPAddress -InterfaceIndex $index -AddressFamily IPv4 -ErrorAction SilentlyContinue |
      ForEach-Object { [ordered]@{ ip = [string]$_.IPAddress; prefix_length = [int]$_.PrefixLength; origin = [string]$_.PrefixOrigin } })
    $gateways = @(NetTCPIP\Get-NetRoute -InterfaceIndex $index -DestinationPrefix '0.0.0.0/0' -ErrorAction SilentlyContinue |
      ForEach-Object { [string]$_.NextHop } | Where-Object { $_ -and $_ -ne '0.0.0.0' })
    $dns = @(DnsClient\Get-DnsClientServerAddress -InterfaceIndex $index -AddressFamily IPv4 -ErrorAction SilentlyContinue |
      ForEach-Object { $_.ServerAddresses } | Where-Object { $_ } | ForEach-Object { [string]$_ })
    $dhcp = @(NetTCPIP\Get-NetIPInterface -InterfaceIndex $index -AddressFamily IPv4 -ErrorAction SilentlyContinue |
      Where-Object { [string]$_.Dhcp -eq 'Enabled' }).Count -gt 0
    [void]$adapters.Add([ordered]@{ name = [string]$nic.Name; status = [string]$nic.Status; if_index = $index
      dhcp = $dhcp; addresses = $addresses; gateways = $gateways; dns = $dns })
  }
  ConvertTo-Json -InputObject ([ordered]@{ adapters = @($adapters) }) -Depth 6 -Compress
}

try {
  # Invoke-Command unqualified: nothing shadows it in nestvirt's -NoProfile session (the test
  # simulator's stand-in relies on that).
  $answer = @(Invoke-Command -VMId $vms[0].Id -Credential $credential -ScriptBlock $inGuest -ErrorAction Stop)
} catch { $out.direct_error = ConvertTo-NestvirtPsError $_; return $out }
if ($answer.Count -eq 1) { $out.guest = [string]$answer[0] }
$out
