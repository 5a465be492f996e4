# net-nat guest: a nested VM's address, default gateway and DNS servers, set inside that VM through
# PowerShell Direct (Invoke-Command -Credential). Input: $In.vm (the name as typed), $In.user,
# $In.password (used only to build the credential: never echoed), $In.adapter ('' = the only
# adapter that is Up), $In.ip, $In.prefix_length, $In.gateway, $In.dns (array, may be empty).
# The VM is found by exact name and reached by id: Invoke-Command -VMName resolves its argument
# with Get-VM -Name, a wildcard pattern, so 'Lab[1]' would never find a VM named 'Lab[1]'.
# Inside the guest the script block runs the commands --print shows (src/commands/
# net_nat_guest.cpp), by interface index instead of alias (an alias may hold wildcard characters).
param($In)

$name = [string]$In.vm
try { $vms = @(Hyper-V\Get-VM | Where-Object { [string]$_.Name -eq $name }) }
catch {
  $kind = 'hyperv-access'
  if ($_.Exception -is [System.Management.Automation.CommandNotFoundException]) { $kind = 'hyperv-missing' }
  return [ordered]@{ status = 'refused'; kind = $kind; message = [string]$_.Exception.Message
    fqid = [string]$_.FullyQualifiedErrorId }
}
if ($vms.Count -ne 1) {
  $kind = 'vm-not-found'
  if ($vms.Count -gt 1) { $kind = 'vm-ambiguous' }
  return [ordered]@{ status = 'refused'; kind = $kind; ids = @($vms | ForEach-Object { [string]$_.Id }) }
}
$vm = [ordered]@{ name = [string]$vms[0].Name; id = [string]$vms[0].Id; state = [string]$vms[0].State }
if ($vm.state -ne 'Running') { return [ordered]@{ status = 'refused'; kind = 'vm-not-running'; vm = $vm } }

$secret = New-Object System.Security.SecureString
foreach ($c in ([string]$In.password).ToCharArray()) { $secret.AppendChar($c) }
$credential = New-Object System.Management.Automation.PSCredential([string]$In.user, $secret)
$dnsText = (@($In.dns) | Where-Object { $_ }) -join ','

# Runs in the guest (Windows PowerShell 5.1 there): no access to this script's variables. Returns
# one flat object, since remoting serializes results one level deep.
$inGuest = {
  param([string]$AdapterName, [string]$Ip, [int]$PrefixLength, [string]$Gateway, [string]$DnsText)
  $ErrorActionPreference = 'Stop'
  $dns = @($DnsText -split ',' | Where-Object { $_ -ne '' })
  $r = [ordered]@{ status = 'ok'; kind = ''; message = ''; fqid = ''; adapter = ''; adapters = @()
    address_before = @(); address_after = @(); address_action = 'unchanged'
    gateway_before = @(); gateway_after = @(); gateway_action = 'unchanged'
    dns_before = @(); dns_after = @(); dns_action = 'not-requested' }
  function Format-Literal([string]$s) { "'" + $s.Replace("'", "''") + "'" }
  function Read-Addresses($index) {
    @(NetTCPIP\Get-NetIPAddress -InterfaceIndex $index -AddressFamily IPv4 -ErrorAction SilentlyContinue)
  }
  function Read-Gateways($index) {
    @(NetTCPIP\Get-NetRoute -InterfaceIndex $index -DestinationPrefix '0.0.0.0/0' -ErrorAction SilentlyContinue |
      ForEach-Object { [string]$_.NextHop } | Where-Object { $_ -and $_ -ne '0.0.0.0' })
  }
  function Read-Dns($index) {
    @(DnsClient\Get-DnsClientServerAddress -InterfaceIndex $index -AddressFamily IPv4 -ErrorAction SilentlyContinue |
      ForEach-Object { $_.ServerAddresses } | Where-Object { $_ })
  }
  function Format-Addresses($addresses) { @($addresses | ForEach-Object { [string]$_.IPAddress + '/' + [string]$_.PrefixLength }) }
  function New-Refusal($kind, $message) { $r.status = 'refused'; $r.kind = $kind; $r.message = $message; [pscustomobject]$r }

  $all = @(NetAdapter\Get-NetAdapter)
  $r.adapters = @($all | ForEach-Object { [string]$_.Name + ' (' + [string]$_.Status + ')' })
  if ($AdapterName) {
    $nic = @($all | Where-Object { [string]$_.Name -eq $AdapterName })
    if ($nic.Count -eq 0) { return New-Refusal 'adapter-not-found' ('the guest has no network adapter named ' + (Format-Literal $AdapterName)) }
  } else {
    $nic = @($all | Where-Object { [string]$_.Status -eq 'Up' })
    if ($nic.Count -eq 0) { return New-Refusal 'no-adapter-up' 'no network adapter is Up in the guest' }
    if ($nic.Count -gt 1) { return New-Refusal 'adapter-ambiguous' 'several network adapters are Up in the guest' }
  }
  $alias = [string]$nic[0].Name
  $index = [int]$nic[0].ifIndex
  $r.adapter = $alias

  $mine = @(Read-Addresses $index)
  $gateways = @(Read-Gateways $index)
  $dnsNow = @(Read-Dns $index)
  $r.address_before = Format-Addresses $mine; $r.gateway_before = $gateways; $r.dns_before = $dnsNow

  $elsewhere = @(NetTCPIP\Get-NetIPAddress -IPAddress $Ip -ErrorAction SilentlyContinue | Where-Object { [int]$_.InterfaceIndex -ne $index })
  if ($elsewhere.Count -gt 0) {
    return New-Refusal 'address-conflict' ($Ip + ' is already on another adapter of the guest: ' + (Format-Literal ([string]$elsewhere[0].InterfaceAlias)))
  }
  $same = @($mine | Where-Object { [string]$_.IPAddress -eq $Ip })
  $static = @($mine | Where-Object { [string]$_.IPAddress -ne $Ip -and [string]$_.PrefixOrigin -eq 'Manual' })
  if ($same.Count -gt 0 -and [int]$same[0].PrefixLength -ne $PrefixLength) {
    return New-Refusal 'address-conflict' ($Ip + '/' + $same[0].PrefixLength + ' is already on ' + (Format-Literal $alias) + ', with another prefix length than /' + $PrefixLength)
  }
  if ($same.Count -eq 0 -and $static.Count -gt 0) {
    return New-Refusal 'address-conflict' ((Format-Literal $alias) + ' already has the static address ' + ((Format-Addresses $static) -join ', '))
  }
  if ($gateways.Count -gt 0 -and $gateways -notcontains $Gateway) {
    return New-Refusal 'gateway-conflict' ((Format-Literal $alias) + ' already has the default gateway ' + ($gateways -join ', '))
  }

  $changed = 0
  $step = 'address'
  try {
    if ($same.Count -eq 0) {
      if ($gateways.Count -eq 0) {
        $null = NetTCPIP\New-NetIPAddress -InterfaceIndex $index -IPAddress $Ip -PrefixLength ([byte]$PrefixLength) -DefaultGateway $Gateway
        $r.gateway_action = 'added'
      } else {
        $null = NetTCPIP\New-NetIPAddress -InterfaceIndex $index -IPAddress $Ip -PrefixLength ([byte]$PrefixLength)
      }
      $r.address_action = 'added'; $changed++
    } elseif ($gateways.Count -eq 0) {
      $step = 'gateway'
      $null = NetTCPIP\New-NetRoute -InterfaceIndex $index -DestinationPrefix '0.0.0.0/0' -NextHop $Gateway
      $r.gateway_action = 'added'; $changed++
    }
    if ($dns.Count -gt 0) {
      $step = 'dns'
      if (($dnsNow -join ',') -eq ($dns -join ',')) { $r.dns_action = 'unchanged' }
      else {
        DnsClient\Set-DnsClientServerAddress -InterfaceIndex $index -ServerAddresses $dns
        $r.dns_action = 'changed'; $changed++
      }
    }
  } catch {
    $r.status = 'failed'
    if ($changed -gt 0) { $r.status = 'incomplete' }
    $r.kind = 'change-failed'; $r.message = [string]$_.Exception.Message; $r.fqid = [string]$_.FullyQualifiedErrorId
    $r[$step + '_action'] = 'failed'
    if ($step -eq 'address' -and $gateways.Count -eq 0) { $r.gateway_action = 'failed' }
  }
  $r.address_after = @(Format-Addresses (Read-Addresses $index)); $r.gateway_after = @(Read-Gateways $index); $r.dns_after = @(Read-Dns $index)
  [pscustomobject]$r
}

try {
  # Invoke-Command unqualified: nothing shadows it in nestvirt's -NoProfile session (the test
  # simulator's stand-in relies on that).
  $answer = @(Invoke-Command -VMId $vms[0].Id -Credential $credential -ScriptBlock $inGuest -ErrorAction Stop `
      -ArgumentList ([string]$In.adapter), ([string]$In.ip), ([int]$In.prefix_length), ([string]$In.gateway), $dnsText)
} catch {
  $fqid = [string]$_.FullyQualifiedErrorId
  $message = [string]$_.Exception.Message
  $kind = 'direct-failed'
  if ($fqid -like 'InvalidCredential*' -or $message -eq 'The credential is invalid.') { $kind = 'credential-invalid' }
  elseif ($fqid -like 'InvalidVM*NotSingle*') { $kind = 'vm-not-found' }
  return [ordered]@{ status = 'refused'; kind = $kind; vm = $vm; message = $message; fqid = $fqid }
}
if ($answer.Count -ne 1) {
  return [ordered]@{ status = 'failed'; kind = 'direct-failed'; vm = $vm; message = 'the guest answered ' + $answer.Count + ' objects instead of one' }
}
$g = $answer[0]
$out = [ordered]@{ vm = $vm }
foreach ($p in 'status', 'kind', 'message', 'fqid', 'adapter', 'adapters', 'address_before', 'address_after', 'address_action',
  'gateway_before', 'gateway_after', 'gateway_action', 'dns_before', 'dns_after', 'dns_action') {
  $v = $g.$p
  if ($p -like '*_before' -or $p -like '*_after' -or $p -eq 'adapters') { $v = @($v | Where-Object { $null -ne $_ } | ForEach-Object { [string]$_ }) }
  else { $v = [string]$v }
  $out[$p] = $v
}
$out
