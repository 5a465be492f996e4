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

# The guest OS itself (docs/simulator.md, "guest"): os, features, services, hypervisor_launch_type,
# reboot_pending, install_sources, boot_seconds, extra_reboots, never_returns, boot_time. The view's
# host section describes the guest as Win32_OperatingSystem/ComputerSystem/Processor see it, and
# ServerManager, Dism and the guest-only commands (lib/NestvirtSimGuest.psm1: Get-Service,
# bcdedit.exe, shutdown.exe) change the guest section itself ($ctx.Guest.Vm['guest']).

# Modules whose cmdlets know the guest view; anything else inside a guest is a simulator gap.
# '' and Microsoft.PowerShell.Management: the guest-only commands of lib/NestvirtSimGuest.psm1.
$script:SimGuestModules = @('NetAdapter', 'NetTCPIP', 'DnsClient', 'CimCmdlets', 'ServerManager', 'Dism', 'Microsoft.PowerShell.Management', '')

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
    # The session ended with the guest: a reboot or shutdown begun by this very script (shutdown.exe)
    # breaks it, as a real PowerShell Direct session breaks. The rest of the script does not run.
    if (-not [NestvirtSim.Guest]::IsBooted($vm)) {
        throw [System.Management.Automation.Remoting.PSRemotingTransportException]::new(
            'An error has occurred which Windows PowerShell cannot handle. A remote session might have ended.')
    }
    $guest = $vm['guest']
    if ($guest -isnot [System.Collections.IDictionary]) { $guest = [NestvirtSim.Json]::NewObject(); $vm['guest'] = $guest }
    $view = [NestvirtSim.Json]::NewObject()
    $view['host'] = Get-SimGuestHostInfo $root $vm $guest
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

# What the guest's own CIM classes report (Win32_OperatingSystem from guest.os and boot_time;
# Win32_ComputerSystem and Win32_Processor as a Hyper-V VM shows them), in the shape of `host`.
function script:Get-SimGuestHostInfo($root, $vm, $guest) {
    $os = [NestvirtSim.Guest]::Os($vm)
    $h = [NestvirtSim.Json]::NewObject()
    $h['computer_name'] = [NestvirtSim.Factory]::Str($guest, 'computer_name', ([string]$vm['name']).ToUpperInvariant())
    $h['domain'] = [NestvirtSim.Factory]::Str($guest, 'domain', 'WORKGROUP')
    $h['part_of_domain'] = Test-SimTrue $guest 'part_of_domain' $false
    $h['elevated'] = Test-SimTrue ([NestvirtSim.Factory]::Dict($guest, 'credentials')) 'admin' $true
    $h['hyperv_admin'] = $false
    $hostOs = [NestvirtSim.Factory]::Dict($root['host'], 'os')
    $guestOs = [NestvirtSim.Json]::NewObject()
    $guestOs['caption'] = $os['caption']
    $guestOs['build'] = $os['build']
    $guestOs['version'] = $os['version']
    $guestOs['product_type'] = $os['product_type']
    $guestOs['sku'] = $os['sku']
    $guestOs['architecture'] = '64-bit'
    $guestOs['install_date'] = [NestvirtSim.Factory]::Str($guest, 'install_date', [NestvirtSim.Factory]::Str($hostOs, 'install_date', '2024-01-01T09:00:00Z'))
    $guestOs['last_boot'] = [NestvirtSim.Clock]::Format([NestvirtSim.Guest]::BootTime($vm))
    $h['os'] = $guestOs
    # A VM's processor: one socket with the VM's vCPUs, the host CPU's names. A hypervisor is
    # always present in a VM, so the virtualization flags read False (as on the host while Hyper-V runs).
    $cpu = [NestvirtSim.Json]::NewObject()
    $hostCpu = [NestvirtSim.Factory]::Dict($root['host'], 'cpu')
    if ($null -ne $hostCpu) { foreach ($key in $hostCpu.Keys) { $cpu[$key] = $hostCpu[$key] } }
    $count = [NestvirtSim.Factory]::Long([NestvirtSim.Factory]::Dict($vm, 'processor'), 'count', 1)
    $cpu['sockets'] = 1
    $cpu['cores_per_socket'] = $count
    $cpu['logical_processors_per_socket'] = $count
    $h['cpu'] = $cpu
    $h['memory_bytes'] = [NestvirtSim.Factory]::Long([NestvirtSim.Factory]::Dict($vm, 'memory'), 'startup', 1073741824)
    $h['model'] = 'Virtual Machine'
    $h['system_manufacturer'] = 'Microsoft Corporation'
    $h['hypervisor_present'] = $true
    $h['vbs_running'] = $false
    return $h
}

# The guest's HKLM: drive (a folder, see NestvirtSimDirect) holds the reboot-pending keys of
# guest.reboot_pending: Component Based Servicing\RebootPending (cbs) and WindowsUpdate\Auto
# Update\RebootRequired (windows_update). Brought up to date after every call inside the guest.
function script:Sync-SimGuestRegistry($vm) {
    $root = $env:NESTVIRT_SIM_GUEST_HKLM
    if (-not $root -or -not [System.IO.Directory]::Exists($root)) { return }
    $pending = [NestvirtSim.Factory]::Dict([NestvirtSim.Guest]::Section($vm), 'reboot_pending')
    $keys = [ordered]@{
        cbs            = 'SOFTWARE/Microsoft/Windows/CurrentVersion/Component Based Servicing/RebootPending'
        windows_update = 'SOFTWARE/Microsoft/Windows/CurrentVersion/WindowsUpdate/Auto Update/RebootRequired'
    }
    foreach ($name in $keys.Keys) {
        $path = [System.IO.Path]::Combine($root, $keys[$name])
        $parent = [System.IO.Path]::GetDirectoryName($path)
        if (-not [System.IO.Directory]::Exists($parent)) { $null = [System.IO.Directory]::CreateDirectory($parent) }
        if (Test-SimTrue $pending $name $false) { $null = [System.IO.Directory]::CreateDirectory($path) }
        elseif ([System.IO.Directory]::Exists($path)) { [System.IO.Directory]::Delete($path, $true) }
    }
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

# ---- shared by ServerManager and Dism (features inside a guest) --------------------------------

# The VM the current guest call runs in, read without logging (for checks made before the call).
function script:Get-SimGuestVm {
    if (-not $env:NESTVIRT_SIM_GUEST) { return $null }
    foreach ($v in [NestvirtSim.Store]::Read()['vms']) { if ([string]$v['id'] -eq $env:NESTVIRT_SIM_GUEST) { return $v } }
    return $null
}

# The ServerManager and Dism modules model Windows inside a guest only; on the host they are a gap.
function script:Assert-SimInGuest([string]$Module) {
    if (-not $env:NESTVIRT_SIM_GUEST) {
        throw "Hyper-V simulator: the $Module module is modelled only inside a guest (PowerShell Direct), not on the host."
    }
}

# -Source names a folder that holds the payload of removed features: one of guest.install_sources
# (compared case-insensitively, a trailing backslash ignored; "wim:" sources and UNC paths alike).
function script:Test-SimInstallSource($guest, [string[]]$Source) {
    $known = @([NestvirtSim.Factory]::List($guest, 'install_sources') | ForEach-Object { ([string]$_).TrimEnd('\') })
    foreach ($s in $Source) {
        if (-not $s) { continue }
        if ($known -icontains $s.TrimEnd('\')) { return $true }
    }
    return $false
}

# The effects an install shares on server and client: the hypervisor launches at the next boot
# (bcdedit hypervisorlaunchtype Auto) and Component Based Servicing waits for a reboot.
function script:Set-SimInstallPending($vm) {
    $guest = [NestvirtSim.Guest]::Section($vm)
    $guest['hypervisor_launch_type'] = 'Auto'
    $pending = $guest['reboot_pending']
    if ($pending -isnot [System.Collections.IDictionary]) {
        $pending = [NestvirtSim.Json]::NewObject()
        $pending['cbs'] = $false
        $pending['windows_update'] = $false
        $guest['reboot_pending'] = $pending
    }
    $pending['cbs'] = $true
}
