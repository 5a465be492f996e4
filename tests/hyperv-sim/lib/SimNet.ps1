# Shared by the simulated CDXML modules (NetAdapter, NetTCPIP, DnsClient, NetNat): the host's network
# adapters and addresses as CIM objects, CDXML-style query filtering and "not found" errors.

$script:StandardCimv2 = 'ROOT/StandardCimv2'

# A vNIC created by New-VMSwitch is invisible until host.vnic_lag has passed (calls and seconds).
function script:Test-SimAdapterVisible($ctx, $na) {
    if (Test-SimTrue $na 'hidden' $false) { return $false }
    if ($null -ne $na['visible_after_seq'] -and (Get-SimSeq $ctx) -le [long]$na['visible_after_seq']) { return $false }
    if ($null -ne $na['visible_at'] -and [datetime]::UtcNow -lt [NestvirtSim.Clock]::ParseTime($na['visible_at'])) { return $false }
    return $true
}

# Visible network adapters (IP interfaces such as the loopback only with -IpInterfaces).
function script:Get-SimHostAdapters($ctx, [switch]$IpInterfaces, [switch]$IncludeHidden) {
    foreach ($na in $ctx.State['net_adapters']) {
        if ((Test-SimTrue $na 'ip_interface_only' $false) -and -not $IpInterfaces) { continue }
        if (Test-SimTrue $na 'hidden' $false) {
            if ($IncludeHidden) { $na }
            continue
        }
        if (Test-SimAdapterVisible $ctx $na) { $na }
    }
}

function script:Find-SimAdapterByIndex($ctx, [long]$Index) {
    foreach ($na in (Get-SimHostAdapters $ctx -IpInterfaces)) { if ([long]$na['if_index'] -eq $Index) { return $na } }
    return $null
}

function script:Find-SimAdapterByAlias($ctx, [string]$Alias) {
    foreach ($na in (Get-SimHostAdapters $ctx -IpInterfaces)) { if ([string]$na['name'] -eq $Alias) { return $na } }
    return $null
}

function script:ConvertTo-SimNetAdapterCim($ctx, $na) {
    $guid = '{' + ([NestvirtSim.Factory]::Str($na, 'guid', [guid]::Empty.ToString())).ToUpperInvariant() + '}'
    $up = [string]$na['status'] -ne 'Disconnected' -and [string]$na['status'] -ne 'Disabled'
    $speedText = [NestvirtSim.Factory]::Str($na, 'link_speed', '1 Gbps')
    $speed = [uint64]0
    if ($speedText -match '^([\d.]+)\s*([KMG])bps$') {
        $speed = [uint64]([double]$Matches[1] * @{ K = 1e3; M = 1e6; G = 1e9 }[$Matches[2]])
    }
    $virtual = Test-SimTrue $na 'virtual' $false
    $props = [ordered]@{
        Name                 = [string]$na['name']
        InterfaceDescription = [string]$na['description']
        InterfaceIndex       = [uint32]$na['if_index']
        InterfaceAlias       = [string]$na['name']
        ifIndex              = [uint32]$na['if_index']
        ifAlias              = [string]$na['name']
        ifDesc               = [string]$na['description']
        Status               = [NestvirtSim.Factory]::Str($na, 'status', 'Up')
        MacAddress           = [NestvirtSim.Factory]::Str($na, 'mac', '00-00-00-00-00-00')
        LinkSpeed            = $speedText
        MediaConnectionState = [uint32]$(if ($up) { 1 } else { 2 })
        AdminStatus          = [uint32]$(if ([string]$na['status'] -eq 'Disabled') { 2 } else { 1 })
        Virtual              = [bool]$virtual
        HardwareInterface    = [bool](-not $virtual)
        ConnectorPresent     = [bool](-not $virtual)
        Speed                = [uint64]$speed
        ReceiveLinkSpeed     = [uint64]$speed
        TransmitLinkSpeed    = [uint64]$speed
        FullDuplex           = $true
        MtuSize              = [uint32]1500
        InterfaceGuid        = $guid
        DeviceID             = $guid
        DriverDescription    = [string]$na['description']
        ComponentID          = $(if ($virtual) { 'vms_mp' } else { 'pci\ven_8086' })
        SystemName           = [string]$ctx.HostInfo['computer_name']
    }
    [NestvirtSim.SimCim]::Create('MSFT_NetAdapter', $script:StandardCimv2, [string[]]@('Name'), [string[]]@('CIM_NetworkPort', 'CIM_LogicalPort', 'CIM_LogicalDevice'), $props)
}

function script:ConvertTo-SimIPAddressCim($ctx, $ip, [string]$Store = 'ActiveStore') {
    $na = Find-SimAdapterByIndex $ctx ([long]$ip['if_index'])
    $alias = if ($null -ne $na) { [string]$na['name'] } else { '' }
    $family = [NestvirtSim.Factory]::Str($ip, 'family', 'IPv4')
    $infinite = [timespan]::MaxValue
    $props = [ordered]@{
        IPAddress         = [string]$ip['ip']
        IPv4Address       = $(if ($family -eq 'IPv4') { [string]$ip['ip'] } else { $null })
        IPv6Address       = $(if ($family -eq 'IPv6') { [string]$ip['ip'] } else { $null })
        InterfaceIndex    = [uint32]$ip['if_index']
        InterfaceAlias    = $alias
        AddressFamily     = [Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetIPAddress.AddressFamily]$family
        Type              = [Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetIPAddress.Type][NestvirtSim.Factory]::Str($ip, 'type', 'Unicast')
        PrefixLength      = [byte]$ip['prefix_length']
        PrefixOrigin      = [Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetIPAddress.PrefixOrigin][NestvirtSim.Factory]::Str($ip, 'prefix_origin', 'Manual')
        SuffixOrigin      = [Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetIPAddress.SuffixOrigin][NestvirtSim.Factory]::Str($ip, 'suffix_origin', 'Manual')
        AddressState      = [Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetIPAddress.AddressState][NestvirtSim.Factory]::Str($ip, 'state', 'Preferred')
        ValidLifetime     = $infinite
        PreferredLifetime = $infinite
        SkipAsSource      = [bool](Test-SimTrue $ip 'skip_as_source' $false)
        PolicyStore       = $Store
    }
    [NestvirtSim.SimCim]::Create('MSFT_NetIPAddress', $script:StandardCimv2, [string[]]@('IPAddress', 'InterfaceAlias'), [string[]]@('CIM_IPProtocolEndpoint', 'CIM_ProtocolEndpoint', 'CIM_ServiceAccessPoint'), $props)
}

# "No MSFT_NetAdapter objects found with property 'Name' equal to 'X'.  Verify the value of the property and retry."
function script:Add-SimNotFoundByProperty($ctx, [string]$ClassName, [string]$Property, $Value) {
    Add-SimError $ctx -Message "No $ClassName objects found with property '$Property' equal to '$Value'.  Verify the value of the property and retry." `
        -ErrorId "CmdletizationQuery_NotFound_$Property" -Category ObjectNotFound -Target $Value -Exception CimJobException
}

function script:Add-SimNotFoundByQuery($ctx, [string]$ClassName, [System.Collections.IDictionary]$Query) {
    $clauses = foreach ($key in $Query.Keys) {
        $alternatives = foreach ($v in @($Query[$key])) {
            if ($v -is [string]) { "($key LIKE '$($v.Replace('*', '%'))')" } else { "($key = $(if ($v -is [enum]) { [long]$v } else { $v }))" }
        }
        '(' + ($alternatives -join ' OR ') + ')'
    }
    Add-SimError $ctx -Message ("No matching $ClassName objects found by CIM query for instances of the $script:StandardCimv2/$ClassName class on the  CIM server: " +
        "SELECT * FROM $ClassName  WHERE $($clauses -join ' AND '). Verify query parameters and retry.") `
        -ErrorId 'CmdletizationQuery_NotFound' -Category ObjectNotFound -Exception CimJobException
}

# CDXML query semantics: a property matches when it equals one of the values (strings as wildcard patterns).
function script:Test-SimQueryValue($Actual, $Wanted) {
    foreach ($w in @($Wanted)) {
        if ($w -is [string]) { if ((New-SimPattern $w).IsMatch([string]$Actual)) { return $true } }
        elseif ($w -is [enum] -or $Actual -is [enum]) { if ([string]$Actual -eq [string]$w) { return $true } }
        elseif ($Actual -eq $w) { return $true }
    }
    return $false
}

# After filtering found nothing: the errors a CDXML Get/Remove cmdlet writes (none when every value
# is a wildcard pattern).
function script:Add-SimQueryNotFound($ctx, [string]$ClassName, [System.Collections.IDictionary]$Query) {
    $literal = $false
    foreach ($key in $Query.Keys) { foreach ($v in @($Query[$key])) { if ($v -isnot [string] -or -not (Test-SimWildcard $v)) { $literal = $true } } }
    if (-not $literal) { return }
    if ($Query.Count -eq 1) {
        $key = @($Query.Keys)[0]
        foreach ($v in @($Query[$key])) { Add-SimNotFoundByProperty $ctx $ClassName $key $v }
    }
    else {
        Add-SimNotFoundByQuery $ctx $ClassName $Query
    }
}

# ---- IP address arithmetic ------------------------------------------------------------------------

function script:ConvertFrom-SimPrefix([string]$Prefix) {
    # "192.168.100.0/24" -> @{ Address = [ipaddress]; Length = 24 } or $null when malformed.
    if ($Prefix -notmatch '^\s*([^/\s]+)/(\d{1,3})\s*$') { return $null }
    $address = $null
    if (-not [System.Net.IPAddress]::TryParse($Matches[1], [ref]$address)) { return $null }
    $length = [int]$Matches[2]
    $max = if ($address.AddressFamily -eq [System.Net.Sockets.AddressFamily]::InterNetwork) { 32 } else { 128 }
    if ($length -gt $max) { return $null }
    return @{ Address = $address; Length = $length }
}

function script:Test-SimPrefixOverlap($A, $B) {
    if ($A.Address.AddressFamily -ne $B.Address.AddressFamily) { return $false }
    $length = [math]::Min($A.Length, $B.Length)
    $ab = $A.Address.GetAddressBytes()
    $bb = $B.Address.GetAddressBytes()
    for ($bit = 0; $bit -lt $length; $bit++) {
        $byte = [math]::Floor($bit / 8)
        $mask = 0x80 -shr ($bit % 8)
        if (($ab[$byte] -band $mask) -ne ($bb[$byte] -band $mask)) { return $false }
    }
    return $true
}
