# Get-NetIPInterface / Set-NetIPInterface of the simulated NetTCPIP module (dot-sourced by
# NetTCPIP.psm1). One IPv4 and one IPv6 interface per adapter. Only Dhcp is modelled as a setting:
# New-NetIPAddress turns it off (and the APIPA address goes, kept as the adapter's `apipa`);
# -Dhcp Enabled turns it on again and, with no DHCP server in the simulator, gives the adapter its
# link-local address back when it has no other IPv4 address. The other Set-NetIPInterface
# parameters are accepted and logged but change nothing; enum-typed ones take strings.

function script:ConvertTo-SimIPInterfaceCim($ctx, $na, [string]$Family, [string]$Store = 'ActiveStore') {
    $up = [string]$na['status'] -ne 'Disconnected' -and [string]$na['status'] -ne 'Disabled'
    $dhcp = if ($Family -eq 'IPv4' -and (Test-SimTrue $na 'dhcp' $false)) { 'Enabled' } else { 'Disabled' }
    $props = [ordered]@{
        InterfaceIndex  = [uint32]$na['if_index']
        InterfaceAlias  = [string]$na['name']
        AddressFamily   = [Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetIPInterface.AddressFamily]$Family
        Dhcp            = [Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetIPInterface.Dhcp]$dhcp
        ConnectionState = $(if ($up) { 'Connected' } else { 'Disconnected' })
        NlMtu           = [uint32]1500
        InterfaceMetric = [uint32]15
        PolicyStore     = $Store
    }
    [NestvirtSim.SimCim]::Create('MSFT_NetIPInterface', $script:StandardCimv2, [string[]]@('InterfaceIndex', 'AddressFamily'), [string[]]@('CIM_ManagedElement'), $props)
}

function script:Select-SimIPInterfaces($ctx, $Bound) {
    $query = @{}
    foreach ($p in 'InterfaceIndex', 'InterfaceAlias', 'AddressFamily') {
        if ($Bound.ContainsKey($p)) { $query[$p] = $Bound[$p] }
    }
    $found = foreach ($na in (Get-SimHostAdapters $ctx -IpInterfaces)) {
        foreach ($family in 'IPv6', 'IPv4') {
            $cim = ConvertTo-SimIPInterfaceCim $ctx $na $family
            $match = $true
            foreach ($key in $query.Keys) { if (-not (Test-SimQueryValue $cim.$key $query[$key])) { $match = $false } }
            if ($match) { @{ Adapter = $na; Family = $family; Cim = $cim } }
        }
    }
    return @{ Found = @($found); Query = $query }
}

function Get-NetIPInterface {
    [CmdletBinding(DefaultParameterSetName = 'ByName', PositionalBinding = $false)]
    [OutputType('Microsoft.Management.Infrastructure.CimInstance#ROOT/StandardCimv2/MSFT_NetIPInterface')]
    param(
        [Parameter(ParameterSetName = 'ByName', Position = 0)] [Alias('ifAlias')] [ValidateNotNull()] [string[]] $InterfaceAlias,
        [Parameter(ParameterSetName = 'ByName', ValueFromPipelineByPropertyName = $true)] [Alias('ifIndex')] [ValidateNotNull()] [uint32[]] $InterfaceIndex,
        [Parameter(ParameterSetName = 'ByName')] [Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetIPInterface.AddressFamily[]] $AddressFamily,
        [Parameter(ParameterSetName = 'ByName')] [string[]] $Forwarding,
        [Parameter(ParameterSetName = 'ByName')] [string[]] $Dhcp,
        [Parameter(ParameterSetName = 'ByName')] [string[]] $ConnectionState,
        [Parameter(ParameterSetName = 'ByName')] [uint32[]] $CompartmentId,
        [Parameter(ParameterSetName = 'ByName')] [string] $PolicyStore,
        [Parameter(ParameterSetName = 'ByName')] [switch] $IncludeAllCompartments,
        [Alias('Session')] [ValidateNotNullOrEmpty()] [Microsoft.Management.Infrastructure.CimSession[]] $CimSession,
        [int] $ThrottleLimit,
        [switch] $AsJob
    )
    process {
        $ctx = Open-SimCall $PSCmdlet -Access Any
        try {
            if ($ctx.Ok) {
                $selection = Select-SimIPInterfaces $ctx $PSBoundParameters
                foreach ($item in $selection.Found) { Add-SimOutput $ctx $item.Cim }
                if ($selection.Found.Count -eq 0) { Add-SimQueryNotFound $ctx 'MSFT_NetIPInterface' $selection.Query }
            }
        }
        finally { Close-SimCall $ctx }
        Complete-SimCall $ctx
    }
}

function Set-NetIPInterface {
    [CmdletBinding(DefaultParameterSetName = 'ByName', SupportsShouldProcess = $true, PositionalBinding = $false)]
    [OutputType('Microsoft.Management.Infrastructure.CimInstance#ROOT/StandardCimv2/MSFT_NetIPInterface')]
    param(
        [Parameter(ParameterSetName = 'ByName', Position = 0)] [Alias('ifAlias')] [ValidateNotNull()] [string[]] $InterfaceAlias,
        [Parameter(ParameterSetName = 'ByName', ValueFromPipelineByPropertyName = $true)] [Alias('ifIndex')] [ValidateNotNull()] [uint32[]] $InterfaceIndex,
        [Parameter(ParameterSetName = 'ByName')] [Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetIPInterface.AddressFamily[]] $AddressFamily,
        [Parameter(ParameterSetName = 'ByName')] [uint32[]] $ReachableTime,
        [Parameter(ParameterSetName = 'ByName')] [string[]] $NeighborDiscoverySupported,
        [Parameter(ParameterSetName = 'ByName')] [uint32[]] $CompartmentId,
        [Parameter(ParameterSetName = 'ByName')] [string] $PolicyStore,
        [Parameter(ParameterSetName = 'ByName')] [switch] $IncludeAllCompartments,
        [Parameter(ParameterSetName = 'InputObject (cdxml)', Mandatory = $true, ValueFromPipeline = $true)]
        [NestvirtSim.SimCimInstance[]] $InputObject,
        [string] $Forwarding,
        [string] $ClampMss,
        [string] $Advertising,
        [uint32] $NlMtuBytes,
        [uint32] $InterfaceMetric,
        [string] $NeighborUnreachabilityDetection,
        [uint32] $BaseReachableTimeMs,
        [uint32] $RetransmitTimeMs,
        [uint32] $DadTransmits,
        [uint32] $DadRetransmitTimeMs,
        [string] $RouterDiscovery,
        [string] $ManagedAddressConfiguration,
        [string] $OtherStatefulConfiguration,
        [string] $WeakHostSend,
        [string] $WeakHostReceive,
        [string] $IgnoreDefaultRoutes,
        [timespan] $AdvertisedRouterLifetime,
        [string] $AdvertiseDefaultRoute,
        [uint32] $CurrentHopLimit,
        [string] $ForceArpNdWolPattern,
        [string] $DirectedMacWolPattern,
        [string] $EcnMarking,
        [Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetIPInterface.Dhcp] $Dhcp,
        [string] $AutomaticMetric,
        [Alias('Session')] [ValidateNotNullOrEmpty()] [Microsoft.Management.Infrastructure.CimSession[]] $CimSession,
        [int] $ThrottleLimit,
        [switch] $AsJob,
        [switch] $PassThru
    )
    process {
        $ctx = Open-SimCall $PSCmdlet -Access Admin
        try {
            if ($ctx.Ok) {
                $bound = @{}
                if ($PSCmdlet.ParameterSetName -eq 'InputObject (cdxml)') {
                    $owner = [NestvirtSim.SimCim]::OwnerOf($InputObject[0])
                    $bound['InterfaceIndex'] = @([uint32]$owner.InterfaceIndex)
                    $bound['AddressFamily'] = @($owner.AddressFamily)
                }
                else { foreach ($k in $PSBoundParameters.Keys) { $bound[$k] = $PSBoundParameters[$k] } }
                $selection = Select-SimIPInterfaces $ctx $bound
                if ($selection.Found.Count -eq 0) { Add-SimQueryNotFound $ctx 'MSFT_NetIPInterface' $selection.Query }
                foreach ($item in $selection.Found) {
                    if (-not (Test-SimShouldProcess $PSCmdlet @("InterfaceAlias: $($item.Adapter['name']), AddressFamily: $($item.Family)", 'Modify'))) { continue }
                    $na = $item.Adapter
                    if ($PSBoundParameters.ContainsKey('Dhcp') -and $item.Family -eq 'IPv4') {
                        $na['dhcp'] = $Dhcp -eq 'Enabled'
                        $index = [long]$na['if_index']
                        $v4 = @($ctx.State['ip_addresses'] | Where-Object { [long]$_['if_index'] -eq $index -and [NestvirtSim.Factory]::Str($_, 'family', 'IPv4') -eq 'IPv4' })
                        if ($na['dhcp'] -and $v4.Count -eq 0 -and $na['apipa'] -is [System.Collections.IDictionary]) {
                            $ctx.State['ip_addresses'].Add($na['apipa'])
                        }
                        if ($na['dhcp']) { $na.Remove('apipa') }
                    }
                    if ($PassThru) { Add-SimOutput $ctx (ConvertTo-SimIPInterfaceCim $ctx $na $item.Family) }
                }
            }
        }
        finally { Close-SimCall $ctx }
        Complete-SimCall $ctx
    }
}
