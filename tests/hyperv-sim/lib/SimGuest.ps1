# The network inside a VM, for the PowerShell Direct stand-in (modules/NestvirtSimDirect).
#
# While that stand-in runs a script block "inside" a VM it sets $env:NESTVIRT_SIM_GUEST to the VM's
# id. Open-SimCall then hands the NetAdapter, NetTCPIP and DnsClient cmdlets a *view* of that VM's
# `guest` section shaped like the host's state (host, net_adapters, ip_addresses), so the very same
# cmdlet code works on the guest; Close-SimCall writes what changed back into the section. calls
# and faults in the view are the real lists: the log and fault injection work inside guests too.
#
# Guest section (docs/simulator.md): credentials {user, password, admin}, booted, computer_name,
# adapters [{name, status, if_index, description, mac, dhcp, apipa (the link-local address a
#            static one replaced; DHCP turned on again gives it back),
#            addresses [{ip, prefix_length, ...}], gateway, dns [...], dns_ipv6 [...]}].
# An address may carry the optional fields of ip_addresses[] (prefix_origin, suffix_origin...).

# Modules whose cmdlets know the guest view; anything else inside a guest is a simulator gap.
$script:SimGuestModules = @('NetAdapter', 'NetTCPIP', 'DnsClient')

function script:Get-SimAddressFamily([string]$Ip) {
    if ($Ip.Contains(':')) { return 'IPv6' }
    return 'IPv4'
}

function script:ConvertTo-SimGuestViewAdapter($vm, $ga, [int]$Position, $ips) {
    $index = [NestvirtSim.Factory]::Long($ga, 'if_index', 4 + $Position)
    $na = [NestvirtSim.Json]::NewObject()
    $na['name'] = [string]$ga['name']
    $na['description'] = [NestvirtSim.Factory]::Str($ga, 'description', 'Microsoft Hyper-V Network Adapter' + $(if ($Position -gt 0) { " #$($Position + 1)" } else { '' }))
    $na['if_index'] = $index
    # The VM's own adapter of the same position: without an explicit status the guest sees its
    # link Up when that adapter is connected to a switch, else Disconnected (as Windows does).
    $nics = @($vm['network_adapters'] | Where-Object { $_ -is [System.Collections.IDictionary] })
    $nic = if ($Position -lt $nics.Count) { $nics[$Position] } else { $null }
    $na['status'] = [NestvirtSim.Factory]::Str($ga, 'status', $(if ($null -eq $nic -or $nic['switch']) { 'Up' } else { 'Disconnected' }))
    $mac = [NestvirtSim.Factory]::Str($ga, 'mac', '')
    if (-not $mac) {
        if ($null -ne $nic -and $nic['mac']) {
            $hex = [string]$nic['mac']
            $mac = (0..5 | ForEach-Object { $hex.Substring($_ * 2, 2) }) -join '-'
        }
        else { $mac = '00-15-5D-00-00-00' }
    }
    $na['mac'] = $mac
    $na['virtual'] = $false
    $na['dhcp'] = [NestvirtSim.Factory]::Bool($ga, 'dhcp', $false)
    if ($ga['apipa'] -is [System.Collections.IDictionary]) {
        $apipa = [NestvirtSim.Json]::NewObject()
        foreach ($key in $ga['apipa'].Keys) { $apipa[$key] = $ga['apipa'][$key] }
        $apipa['if_index'] = $index
        if (-not $apipa.Contains('family')) { $apipa['family'] = 'IPv4' }
        $na['apipa'] = $apipa
    }
    $dns = [NestvirtSim.Json]::NewObject()
    $dns['ipv4'] = [System.Collections.Generic.List[object]]::new([object[]]@($ga['dns'] | Where-Object { $null -ne $_ }))
    $dns['ipv6'] = [System.Collections.Generic.List[object]]::new([object[]]@($ga['dns_ipv6'] | Where-Object { $null -ne $_ }))
    $na['dns_servers'] = $dns
    # The host model keeps a default gateway on an address; a guest keeps it on the adapter.
    $gateway = [NestvirtSim.Factory]::Str($ga, 'gateway', '')
    foreach ($a in @($ga['addresses'])) {
        if ($a -isnot [System.Collections.IDictionary]) { continue }
        $ip = [NestvirtSim.Json]::NewObject()
        foreach ($key in $a.Keys) { $ip[$key] = $a[$key] }
        $ip['if_index'] = $index
        if (-not $ip.Contains('family')) { $ip['family'] = Get-SimAddressFamily ([string]$a['ip']) }
        if ($gateway -and $ip['family'] -eq 'IPv4') { $ip['default_gateway'] = $gateway; $gateway = '' }
        $ips.Add($ip)
    }
    if ($gateway) { $na['orphan_gateway'] = $gateway }   # a gateway with no IPv4 address to hold it
    return $na
}

# Returns @{ Vm; Adapters (the guest section's adapter objects); View; Before (serialized) }.
function script:Enter-SimGuest($root, [string]$Id) {
    if ($script:SimGuestModules -notcontains $script:SimModuleName) {
        throw "Hyper-V simulator: the $($script:SimModuleName) module is not modelled inside a guest (PowerShell Direct); only $($script:SimGuestModules -join ', ') are."
    }
    $vm = $null
    foreach ($v in $root['vms']) { if ([string]$v['id'] -eq $Id) { $vm = $v } }
    if ($null -eq $vm) { throw "Hyper-V simulator: NESTVIRT_SIM_GUEST names VM id '$Id', which is not in the state." }
    $guest = $vm['guest']
    if ($guest -isnot [System.Collections.IDictionary]) { $guest = [NestvirtSim.Json]::NewObject(); $vm['guest'] = $guest }
    $view = [NestvirtSim.Json]::NewObject()
    $hostInfo = [NestvirtSim.Json]::NewObject()
    $hostInfo['computer_name'] = [NestvirtSim.Factory]::Str($guest, 'computer_name', ([string]$vm['name']).ToUpperInvariant())
    $hostInfo['elevated'] = Test-SimTrue ([NestvirtSim.Factory]::Dict($guest, 'credentials')) 'admin' $true
    $hostInfo['hyperv_admin'] = $false
    $view['host'] = $hostInfo
    $view['calls'] = $root['calls']
    $view['faults'] = $root['faults']
    foreach ($key in 'vms', 'switches', 'nats') { $view[$key] = [System.Collections.Generic.List[object]]::new() }
    $adapters = [System.Collections.Generic.List[object]]::new()
    $ips = [System.Collections.Generic.List[object]]::new()
    $list = @($guest['adapters'] | Where-Object { $_ -is [System.Collections.IDictionary] })
    for ($i = 0; $i -lt $list.Count; $i++) { $adapters.Add((ConvertTo-SimGuestViewAdapter $vm $list[$i] $i $ips)) }
    $view['net_adapters'] = $adapters
    $view['ip_addresses'] = $ips
    return @{ Vm = $vm; Adapters = $list; View = $view; Before = (Get-SimGuestFingerprint $view) }
}

function script:Get-SimGuestFingerprint($view) {
    [NestvirtSim.Json]::Serialize(@($view['net_adapters'], $view['ip_addresses']), $false)
}

# Writes the view back into the guest section, only if a cmdlet changed it (so reading cmdlets
# leave the section byte for byte as the scenario wrote it).
function script:Exit-SimGuest($guest) {
    $view = $guest.View
    if ((Get-SimGuestFingerprint $view) -eq $guest.Before) { return }
    for ($i = 0; $i -lt $guest.Adapters.Count; $i++) {
        $ga = $guest.Adapters[$i]
        $na = $view['net_adapters'][$i]
        $addresses = [System.Collections.Generic.List[object]]::new()
        $gateway = $null
        foreach ($ip in $view['ip_addresses']) {
            if ([long]$ip['if_index'] -ne [long]$na['if_index']) { continue }
            $a = [NestvirtSim.Json]::NewObject()
            foreach ($key in $ip.Keys) {
                if ($key -eq 'if_index' -or $key -eq 'default_gateway') { continue }
                if ($key -eq 'family' -and $ip[$key] -eq (Get-SimAddressFamily ([string]$ip['ip']))) { continue }
                $a[$key] = $ip[$key]
            }
            if ($null -eq $gateway -and $ip['default_gateway']) { $gateway = [string]$ip['default_gateway'] }
            $addresses.Add($a)
        }
        if ($null -eq $gateway -and $na['orphan_gateway']) { $gateway = [string]$na['orphan_gateway'] }
        $ga['addresses'] = $addresses
        $ga['gateway'] = $gateway
        $ga['dns'] = [System.Collections.Generic.List[object]]::new([object[]]@($na['dns_servers']['ipv4']))
        $v6 = @($na['dns_servers']['ipv6'])
        if ($v6.Count -gt 0 -or $ga.Contains('dns_ipv6')) { $ga['dns_ipv6'] = [System.Collections.Generic.List[object]]::new([object[]]$v6) }
        if ($ga.Contains('dhcp') -or $na['dhcp']) { $ga['dhcp'] = [bool]$na['dhcp'] }
        if ($na['apipa'] -is [System.Collections.IDictionary]) {
            $apipa = [NestvirtSim.Json]::NewObject()
            foreach ($key in $na['apipa'].Keys) {
                if ($key -eq 'if_index' -or ($key -eq 'family' -and $na['apipa'][$key] -eq 'IPv4')) { continue }
                $apipa[$key] = $na['apipa'][$key]
            }
            $ga['apipa'] = $apipa
        }
        elseif ($ga.Contains('apipa')) { $ga.Remove('apipa') }
    }
}
