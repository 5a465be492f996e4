# One step of net-nat guest, inside the nested VM through PowerShell Direct, on the adapter of
# interface index $In.if_index; then the adapter's IPv4 addresses, default gateways and DNS
# servers, read back for nestvirt to compare (core::verify). Input: $In.action, $In.vm_id,
# $In.user, $In.password (only for the credential), $In.ip, $In.prefix_length, $In.gateway,
# $In.dns. The change cmdlets are the ones --dry-run and --print show (src/core/guest_steps.cpp);
# tests/e2e/commands_match_test.cpp fails when they drift apart. Additions skip what is there and
# removals what is not: they also undo steps whose outcome is unknown.
param($In)

$vm = Hyper-V\Get-VM -Id ([string]$In.vm_id)
$secret = New-Object System.Security.SecureString
foreach ($c in ([string]$In.password).ToCharArray()) { $secret.AppendChar($c) }
$credential = New-Object System.Management.Automation.PSCredential([string]$In.user, $secret)
$dnsText = (@($In.dns) | Where-Object { $_ }) -join ','

# Runs in the guest (Windows PowerShell 5.1 there), without this script's variables.
$inGuest = {
  param([string]$Action, [int]$Index, [string]$Ip, [int]$PrefixLength, [string]$Gateway, [string]$DnsText, [bool]$RestoreDhcp)
  $ErrorActionPreference = 'Stop'
  $dns = @($DnsText -split ',' | Where-Object { $_ -ne '' })
  function Get-Mine { @(NetTCPIP\Get-NetIPAddress -InterfaceIndex $Index -AddressFamily IPv4 -ErrorAction SilentlyContinue) }
  function Get-Gateways {
    @(NetTCPIP\Get-NetRoute -InterfaceIndex $Index -DestinationPrefix '0.0.0.0/0' -ErrorAction SilentlyContinue |
      ForEach-Object { [string]$_.NextHop } | Where-Object { $_ -and $_ -ne '0.0.0.0' })
  }
  $hasIp = @(Get-Mine | Where-Object { [string]$_.IPAddress -eq $Ip }).Count -gt 0
  $hasGateway = @(Get-Gateways) -contains $Gateway
  switch ($Action) {
    'guest-add-address' {
      if (-not $hasIp) {
        if ($Gateway) { $null = NetTCPIP\New-NetIPAddress -InterfaceIndex $Index -IPAddress $Ip -PrefixLength ([byte]$PrefixLength) -DefaultGateway $Gateway }
        else { $null = NetTCPIP\New-NetIPAddress -InterfaceIndex $Index -IPAddress $Ip -PrefixLength ([byte]$PrefixLength) }
      }
    }
    'guest-add-gateway' {
      if (-not $hasGateway) { $null = NetTCPIP\New-NetRoute -InterfaceIndex $Index -DestinationPrefix '0.0.0.0/0' -NextHop $Gateway }
    }
    'guest-set-dns' {
      if ($dns.Count -gt 0) { DnsClient\Set-DnsClientServerAddress -InterfaceIndex $Index -ServerAddresses $dns }
      else { DnsClient\Set-DnsClientServerAddress -InterfaceIndex $Index -ResetServerAddresses }
    }
    'guest-remove-address' {
      if ($Gateway -and $hasGateway) { NetTCPIP\Remove-NetRoute -InterfaceIndex $Index -DestinationPrefix '0.0.0.0/0' -NextHop $Gateway -Confirm:$false }
      if ($hasIp) { NetTCPIP\Remove-NetIPAddress -InterfaceIndex $Index -IPAddress $Ip -Confirm:$false }
      # A static address turned DHCP off; the adapter had it on before.
      if ($RestoreDhcp) { NetTCPIP\Set-NetIPInterface -InterfaceIndex $Index -AddressFamily IPv4 -Dhcp Enabled }
    }
    'guest-remove-gateway' {
      if ($hasGateway) { NetTCPIP\Remove-NetRoute -InterfaceIndex $Index -DestinationPrefix '0.0.0.0/0' -NextHop $Gateway -Confirm:$false }
    }
    default { throw "nestvirt: unknown guest action '$Action'" }
  }
  $addresses = @(Get-Mine | ForEach-Object { [ordered]@{ ip = [string]$_.IPAddress; prefix_length = [int]$_.PrefixLength; origin = [string]$_.PrefixOrigin } })
  $servers = @(DnsClient\Get-DnsClientServerAddress -InterfaceIndex $Index -AddressFamily IPv4 -ErrorAction SilentlyContinue |
    ForEach-Object { $_.ServerAddresses } | Where-Object { $_ } | ForEach-Object { [string]$_ })
  ConvertTo-Json -InputObject ([ordered]@{ addresses = $addresses; gateways = @(Get-Gateways); dns = $servers }) -Depth 5 -Compress
}

# Invoke-Command unqualified: nothing shadows it in nestvirt's -NoProfile session.
$answer = @(Invoke-Command -VMId $vm.Id -Credential $credential -ScriptBlock $inGuest -ErrorAction Stop `
    -ArgumentList ([string]$In.action), ([int]$In.if_index), ([string]$In.ip), ([int]$In.prefix_length), ([string]$In.gateway), $dnsText, ([bool]$In.restore_dhcp))
if ($answer.Count -ne 1) { throw "nestvirt: the guest answered $($answer.Count) objects instead of one" }
[ordered]@{ guest = [string]$answer[0] }
