# Get-NetRoute / New-NetRoute / Remove-NetRoute of the simulated NetTCPIP module (dot-sourced by NetTCPIP.psm1).
# Only default routes are modelled: the host model keeps a NIC's default gateway as
# `default_gateway` on one of its ip_addresses[] (New-NetIPAddress -DefaultGateway sets it), so a
# route is 0.0.0.0/0 (or ::/0) via that gateway on that interface, metric 256. Parameters whose
# types are CDXML enums the simulator does not define (Publish, Protocol, State) take strings.

function script:ConvertTo-SimRouteCim($ctx, $ip, [string]$Store = 'ActiveStore') {
    $na = Find-SimAdapterByIndex $ctx ([long]$ip['if_index'])
    $family = [NestvirtSim.Factory]::Str($ip, 'family', 'IPv4')
    $props = [ordered]@{
        DestinationPrefix = $(if ($family -eq 'IPv4') { '0.0.0.0/0' } else { '::/0' })
        NextHop           = [string]$ip['default_gateway']
        InterfaceIndex    = [uint32]$ip['if_index']
        InterfaceAlias    = $(if ($null -ne $na) { [string]$na['name'] } else { '' })
        AddressFamily     = [Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetIPAddress.AddressFamily]$family
        RouteMetric       = [uint16]256
        Protocol          = 'NetMgmt'
        Publish           = 'No'
        State             = 'Alive'
        ValidLifetime     = [timespan]::MaxValue
        PreferredLifetime = [timespan]::MaxValue
        PolicyStore       = $Store
    }
    [NestvirtSim.SimCim]::Create('MSFT_NetRoute', $script:StandardCimv2, [string[]]@('DestinationPrefix', 'InterfaceAlias', 'NextHop'), [string[]]@('CIM_NextHopRoute', 'CIM_LogicalElement'), $props)
}

# Addresses carrying a default gateway, on interfaces visible now.
function script:Get-SimRouteEntries($ctx) {
    foreach ($ip in $ctx.State['ip_addresses']) {
        if (-not $ip['default_gateway']) { continue }
        if ($null -eq (Find-SimAdapterByIndex $ctx ([long]$ip['if_index']))) { continue }
        $ip
    }
}

function Get-NetRoute {
    [CmdletBinding(PositionalBinding = $false)]
    [OutputType('Microsoft.Management.Infrastructure.CimInstance#ROOT/StandardCimv2/MSFT_NetRoute')]
    param(
        [Parameter(Position = 0)] [ValidateNotNull()] [string[]] $DestinationPrefix,
        [Parameter(ValueFromPipelineByPropertyName = $true)] [Alias('ifIndex')] [ValidateNotNull()] [uint32[]] $InterfaceIndex,
        [Parameter(ValueFromPipelineByPropertyName = $true)] [Alias('ifAlias')] [ValidateNotNull()] [string[]] $InterfaceAlias,
        [string[]] $NextHop,
        [Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetIPAddress.AddressFamily[]] $AddressFamily,
        [string[]] $Publish,
        [uint16[]] $RouteMetric,
        [string[]] $Protocol,
        [uint32[]] $CompartmentId,
        [timespan[]] $ValidLifetime,
        [timespan[]] $PreferredLifetime,
        [string[]] $State,
        [uint32[]] $InterfaceMetric,
        [Parameter(ValueFromPipeline = $true)] [NestvirtSim.SimCimInstance] $AssociatedIPInterface,
        [string] $PolicyStore,
        [switch] $IncludeAllCompartments,
        [Alias('Session')] [ValidateNotNullOrEmpty()] [Microsoft.Management.Infrastructure.CimSession[]] $CimSession,
        [int] $ThrottleLimit,
        [switch] $AsJob
    )
    process {
        $ctx = Open-SimCall $PSCmdlet -Access Any
        try {
            if ($ctx.Ok) {
                $query = [ordered]@{}
                foreach ($p in 'DestinationPrefix', 'InterfaceIndex', 'InterfaceAlias', 'NextHop', 'AddressFamily', 'RouteMetric') {
                    if ($PSBoundParameters.ContainsKey($p)) { $query[$p] = $PSBoundParameters[$p] }
                }
                $store = if ($PolicyStore) { $PolicyStore } else { 'ActiveStore' }
                foreach ($ip in @(Get-SimRouteEntries $ctx)) {
                    $route = ConvertTo-SimRouteCim $ctx $ip $store
                    $match = $true
                    foreach ($key in $query.Keys) { if (-not (Test-SimQueryValue $route.$key $query[$key])) { $match = $false } }
                    if ($match) { Add-SimOutput $ctx $route }
                }
                if ($ctx.Output.Count -eq 0) { Add-SimQueryNotFound $ctx 'MSFT_NetRoute' $query }
            }
        }
        finally { Close-SimCall $ctx }
        Complete-SimCall $ctx
    }
}

function New-NetRoute {
    [CmdletBinding(DefaultParameterSetName = 'ByInterfaceAlias', SupportsShouldProcess = $true, PositionalBinding = $false)]
    [OutputType('Microsoft.Management.Infrastructure.CimInstance#ROOT/StandardCimv2/MSFT_NetRoute')]
    param(
        [Parameter(Mandatory = $true, Position = 0, ValueFromPipelineByPropertyName = $true)] [string] $DestinationPrefix,
        [Parameter(ParameterSetName = 'ByInterfaceAlias', Mandatory = $true, ValueFromPipelineByPropertyName = $true)] [Alias('ifAlias')] [string] $InterfaceAlias,
        [Parameter(ParameterSetName = 'ByInterfaceIndex', Mandatory = $true, ValueFromPipelineByPropertyName = $true)] [Alias('ifIndex')] [uint32] $InterfaceIndex,
        [Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetIPAddress.AddressFamily] $AddressFamily,
        [string] $NextHop,
        [string] $PolicyStore,
        [string] $Publish,
        [uint16] $RouteMetric,
        [string] $Protocol,
        [timespan] $ValidLifetime,
        [timespan] $PreferredLifetime,
        [Alias('Session')] [ValidateNotNullOrEmpty()] [Microsoft.Management.Infrastructure.CimSession[]] $CimSession,
        [int] $ThrottleLimit,
        [switch] $AsJob
    )
    process {
        $ctx = Open-SimCall $PSCmdlet -Access Admin
        try {
            if ($ctx.Ok -and (Test-SimShouldProcess $PSCmdlet @("DestinationPrefix: $DestinationPrefix", 'Create'))) {
                $na = if ($PSCmdlet.ParameterSetName -eq 'ByInterfaceIndex') { Find-SimAdapterByIndex $ctx $InterfaceIndex } else { Find-SimAdapterByAlias $ctx $InterfaceAlias }
                $family = if ($DestinationPrefix -eq '::/0') { 'IPv6' } else { 'IPv4' }
                $hop = $null
                if ($null -eq $na) {
                    Add-SimCimError $ctx -Message 'Element not found.' -WindowsError 1168 -Category ObjectNotFound -ClassName 'MSFT_NetRoute'
                }
                elseif ($DestinationPrefix -ne '0.0.0.0/0' -and $DestinationPrefix -ne '::/0') {
                    throw "Hyper-V simulator: New-NetRoute models default routes only (0.0.0.0/0, ::/0), not '$DestinationPrefix'."
                }
                elseif (-not $NextHop -or -not [System.Net.IPAddress]::TryParse($NextHop, [ref]$hop)) {
                    Add-SimCimError $ctx -Message 'The parameter is incorrect.' -WindowsError 87 -Category InvalidArgument -ClassName 'MSFT_NetRoute'
                }
                else {
                    $holders = @($ctx.State['ip_addresses'] | Where-Object { [long]$_['if_index'] -eq [long]$na['if_index'] -and [NestvirtSim.Factory]::Str($_, 'family', 'IPv4') -eq $family })
                    if (@($holders | Where-Object { $_['default_gateway'] }).Count -gt 0) {
                        Add-SimCimError $ctx -Message 'Instance MSFT_NetRoute already exists' -WindowsError 87 -Category InvalidArgument -ClassName 'MSFT_NetRoute'
                    }
                    elseif ($holders.Count -eq 0) {
                        throw "Hyper-V simulator: a default route needs an $family address on '$($na['name'])' to hold it (routes are modelled on addresses)."
                    }
                    else {
                        $holders[0]['default_gateway'] = $hop.ToString()
                        $stores = if ($PolicyStore) { @($PolicyStore) } else { @('ActiveStore', 'PersistentStore') }
                        foreach ($s in $stores) { Add-SimOutput $ctx (ConvertTo-SimRouteCim $ctx $holders[0] $s) }
                    }
                }
            }
        }
        finally { Close-SimCall $ctx }
        Complete-SimCall $ctx
    }
}

function Remove-NetRoute {
    [CmdletBinding(DefaultParameterSetName = 'ByName', SupportsShouldProcess = $true, ConfirmImpact = 'High', PositionalBinding = $false)]
    [OutputType('Microsoft.Management.Infrastructure.CimInstance#ROOT/StandardCimv2/MSFT_NetRoute')]
    param(
        [Parameter(ParameterSetName = 'ByName', Position = 0)] [ValidateNotNull()] [string[]] $DestinationPrefix,
        [Parameter(ParameterSetName = 'ByName', ValueFromPipelineByPropertyName = $true)] [Alias('ifIndex')] [ValidateNotNull()] [uint32[]] $InterfaceIndex,
        [Parameter(ParameterSetName = 'ByName', ValueFromPipelineByPropertyName = $true)] [Alias('ifAlias')] [ValidateNotNull()] [string[]] $InterfaceAlias,
        [Parameter(ParameterSetName = 'ByName')] [string[]] $NextHop,
        [Parameter(ParameterSetName = 'ByName')] [Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetIPAddress.AddressFamily[]] $AddressFamily,
        [Parameter(ParameterSetName = 'ByName')] [string[]] $Publish,
        [Parameter(ParameterSetName = 'ByName')] [uint16[]] $RouteMetric,
        [Parameter(ParameterSetName = 'ByName')] [string[]] $Protocol,
        [Parameter(ParameterSetName = 'ByName')] [uint32[]] $CompartmentId,
        [Parameter(ParameterSetName = 'ByName')] [timespan[]] $ValidLifetime,
        [Parameter(ParameterSetName = 'ByName')] [timespan[]] $PreferredLifetime,
        [Parameter(ParameterSetName = 'ByName')] [string[]] $State,
        [Parameter(ParameterSetName = 'ByName')] [uint32[]] $InterfaceMetric,
        [Parameter(ParameterSetName = 'ByName')] [NestvirtSim.SimCimInstance] $AssociatedIPInterface,
        [Parameter(ParameterSetName = 'ByName')] [string] $PolicyStore,
        [Parameter(ParameterSetName = 'ByName')] [switch] $IncludeAllCompartments,
        [Parameter(ParameterSetName = 'InputObject (cdxml)', Mandatory = $true, ValueFromPipeline = $true)]
        [NestvirtSim.SimCimInstance[]] $InputObject,
        [Alias('Session')] [ValidateNotNullOrEmpty()] [Microsoft.Management.Infrastructure.CimSession[]] $CimSession,
        [int] $ThrottleLimit,
        [switch] $AsJob,
        [switch] $PassThru
    )
    process {
        $ctx = Open-SimCall $PSCmdlet -Access Admin
        try {
            if ($ctx.Ok) {
                $query = @{}
                if ($PSCmdlet.ParameterSetName -eq 'InputObject (cdxml)') {
                    $owner = [NestvirtSim.SimCim]::OwnerOf($InputObject[0])
                    $query['InterfaceIndex'] = @([uint32]$owner.InterfaceIndex)
                    $query['NextHop'] = @([string]$owner.NextHop)
                }
                else {
                    foreach ($p in 'DestinationPrefix', 'InterfaceIndex', 'InterfaceAlias', 'NextHop', 'AddressFamily', 'RouteMetric') {
                        if ($PSBoundParameters.ContainsKey($p)) { $query[$p] = $PSBoundParameters[$p] }
                    }
                }
                $removed = 0
                foreach ($ip in @(Get-SimRouteEntries $ctx)) {
                    $route = ConvertTo-SimRouteCim $ctx $ip 'ActiveStore'
                    $match = $true
                    foreach ($key in $query.Keys) { if (-not (Test-SimQueryValue $route.$key $query[$key])) { $match = $false } }
                    if (-not $match) { continue }
                    if (-not (Test-SimShouldProcess $PSCmdlet @("DestinationPrefix: $($route.DestinationPrefix), NextHop: $($route.NextHop)", 'Delete'))) { continue }
                    if ($PassThru) { Add-SimOutput $ctx $route }
                    $ip['default_gateway'] = $null
                    $removed++
                }
                if ($removed -eq 0 -and $ctx.Errors.Count -eq 0) { Add-SimQueryNotFound $ctx 'MSFT_NetRoute' $query }
            }
        }
        finally { Close-SimCall $ctx }
        Complete-SimCall $ctx
    }
}
