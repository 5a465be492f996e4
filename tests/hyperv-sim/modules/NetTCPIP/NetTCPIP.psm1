# Simulated NetTCPIP module: shared frame from lib/SimCore.ps1 and lib/SimNet.ps1, cmdlets below.
$script:SimModuleName = 'NetTCPIP'
$script:SimCimClass = 'MSFT_NetIPAddress'
$script:SimCimNamespace = 'ROOT/StandardCimv2'
$simLib = [System.IO.DirectoryInfo]::new($PSScriptRoot)
if ($null -ne $simLib.ResolveLinkTarget($true)) { $simLib = [System.IO.DirectoryInfo]::new($simLib.ResolveLinkTarget($true).FullName) }
$simLib = Join-Path $simLib.Parent.Parent.FullName 'lib'
. (Join-Path $simLib 'SimCore.ps1')
. (Join-Path $simLib 'SimNet.ps1')
Remove-Variable -Name simLib
. (Join-Path $PSScriptRoot 'Route.ps1')   # Get-NetRoute, New-NetRoute, Remove-NetRoute
. (Join-Path $PSScriptRoot 'Interface.ps1')   # Get-NetIPInterface, Set-NetIPInterface

# ip_addresses entries matching the CDXML query parameters bound on $Bound (Get/Remove-NetIPAddress).
function script:Select-SimIPAddress($ctx, $Bound, [ref]$Query) {
    $q = [ordered]@{}
    foreach ($p in 'IPAddress', 'InterfaceIndex', 'InterfaceAlias', 'AddressFamily', 'Type', 'PrefixLength', 'PrefixOrigin',
        'SuffixOrigin', 'AddressState', 'SkipAsSource', 'DefaultGateway') {
        if ($Bound.ContainsKey($p)) { $q[$p] = $Bound[$p] }
    }
    $Query.Value = $q
    foreach ($ip in $ctx.State['ip_addresses']) {
        $na = Find-SimAdapterByIndex $ctx ([long]$ip['if_index'])
        if ($null -eq $na) { continue }   # interface not (yet) visible
        $actual = @{
            IPAddress = [string]$ip['ip']; InterfaceIndex = [uint32]$ip['if_index']; InterfaceAlias = [string]$na['name']
            AddressFamily = [Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetIPAddress.AddressFamily][NestvirtSim.Factory]::Str($ip, 'family', 'IPv4')
            Type = [Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetIPAddress.Type][NestvirtSim.Factory]::Str($ip, 'type', 'Unicast')
            PrefixLength = [byte]$ip['prefix_length']
            PrefixOrigin = [Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetIPAddress.PrefixOrigin][NestvirtSim.Factory]::Str($ip, 'prefix_origin', 'Manual')
            SuffixOrigin = [Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetIPAddress.SuffixOrigin][NestvirtSim.Factory]::Str($ip, 'suffix_origin', 'Manual')
            AddressState = [Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetIPAddress.AddressState][NestvirtSim.Factory]::Str($ip, 'state', 'Preferred')
            SkipAsSource = [bool](Test-SimTrue $ip 'skip_as_source' $false)
            DefaultGateway = [NestvirtSim.Factory]::Str($ip, 'default_gateway', '')
        }
        $match = $true
        foreach ($key in $q.Keys) { if (-not (Test-SimQueryValue $actual[$key] $q[$key])) { $match = $false; break } }
        if ($match) { $ip }
    }
}

function New-NetIPAddress {
    [CmdletBinding(DefaultParameterSetName = 'ByInterfaceAlias', SupportsShouldProcess = $true, PositionalBinding = $false)]
    [OutputType('Microsoft.Management.Infrastructure.CimInstance#ROOT/StandardCimv2/MSFT_NetIPAddress')]
    param(
        [Parameter(Mandatory = $true, Position = 0, ValueFromPipelineByPropertyName = $true)]
        [Alias('LocalAddress')]
        [string] $IPAddress,

        [Parameter(ParameterSetName = 'ByInterfaceAlias', Mandatory = $true, ValueFromPipelineByPropertyName = $true)]
        [Alias('ifAlias')]
        [string] $InterfaceAlias,

        [Parameter(ParameterSetName = 'ByInterfaceIndex', Mandatory = $true, ValueFromPipelineByPropertyName = $true)]
        [Alias('ifIndex')]
        [uint32] $InterfaceIndex,

        [string] $DefaultGateway,
        [Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetIPAddress.AddressFamily] $AddressFamily,
        [Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetIPAddress.Type] $Type,
        [byte] $PrefixLength,
        [timespan] $ValidLifetime,
        [timespan] $PreferredLifetime,
        [bool] $SkipAsSource,
        [string] $PolicyStore,

        [Alias('Session')]
        [ValidateNotNullOrEmpty()]
        [Microsoft.Management.Infrastructure.CimSession[]] $CimSession,
        [int] $ThrottleLimit,
        [switch] $AsJob
    )
    process {
        $ctx = Open-SimCall $PSCmdlet -Access Admin
        try {
            if ($ctx.Ok -and (Test-SimShouldProcess $PSCmdlet @("IPAddress: $IPAddress", 'Create'))) {
                $na = if ($PSCmdlet.ParameterSetName -eq 'ByInterfaceIndex') { Find-SimAdapterByIndex $ctx $InterfaceIndex } else { Find-SimAdapterByAlias $ctx $InterfaceAlias }
                $address = $null
                $parsed = [System.Net.IPAddress]::TryParse($IPAddress, [ref]$address)
                $family = if ($parsed -and $address.AddressFamily -eq [System.Net.Sockets.AddressFamily]::InterNetworkV6) { 'IPv6' } else { 'IPv4' }
                $length = if ($PSBoundParameters.ContainsKey('PrefixLength')) { [int]$PrefixLength } elseif ($family -eq 'IPv4') { 24 } else { 64 }
                if ($null -eq $na) {
                    # The interface is unknown, or a vNIC that is not ready yet (K2s#1131).
                    Add-SimCimError $ctx -Message 'Element not found.' -WindowsError 1168 -Category ObjectNotFound
                }
                elseif (-not $parsed -or ($PSBoundParameters.ContainsKey('AddressFamily') -and $AddressFamily.ToString() -ne $family) -or
                    $length -gt $(if ($family -eq 'IPv4') { 32 } else { 128 })) {
                    Add-SimCimError $ctx -Message 'The parameter is incorrect.' -WindowsError 87 -Category InvalidArgument
                }
                else {
                    $text = $address.ToString()
                    $same = @($ctx.State['ip_addresses'] | Where-Object { [string]$_['ip'] -eq $text })
                    if (@($same | Where-Object { [long]$_['if_index'] -eq [long]$na['if_index'] }).Count -gt 0) {
                        Add-SimCimError $ctx -Message 'Instance MSFT_NetIPAddress already exists' -WindowsError 87 -Category InvalidArgument
                    }
                    elseif ($same.Count -gt 0) {
                        Add-SimCimError $ctx -Message 'The object already exists.' -WindowsError 5010 -Category InvalidArgument
                    }
                    elseif ($DefaultGateway -and @($ctx.State['ip_addresses'] | Where-Object { [long]$_['if_index'] -eq [long]$na['if_index'] -and [string]$_['default_gateway'] -eq $DefaultGateway }).Count -gt 0) {
                        Add-SimCimError $ctx -Message 'Instance MSFT_NetRoute already exists' -WindowsError 87 -Category InvalidArgument -ClassName 'MSFT_NetRoute'
                    }
                    else {
                        if ($family -eq 'IPv4') {
                            # A static address turns DHCP off: the APIPA address goes. The adapter
                            # keeps it as `apipa`, which Set-NetIPInterface -Dhcp Enabled gives back.
                            $na['dhcp'] = $false
                            foreach ($old in @($ctx.State['ip_addresses'])) {
                                if ([long]$old['if_index'] -eq [long]$na['if_index'] -and [string]$old['family'] -eq 'IPv4' -and [string]$old['suffix_origin'] -eq 'Link') {
                                    if (-not $na['apipa']) { $na['apipa'] = $old }
                                    [void]$ctx.State['ip_addresses'].Remove($old)
                                }
                            }
                        }
                        $entry = [NestvirtSim.Json]::NewObject()
                        $entry['ip'] = $text
                        $entry['if_index'] = [long]$na['if_index']
                        $entry['family'] = $family
                        $entry['prefix_length'] = $length
                        $entry['prefix_origin'] = 'Manual'
                        $entry['suffix_origin'] = 'Manual'
                        $entry['state'] = 'Preferred'
                        $entry['type'] = if ($PSBoundParameters.ContainsKey('Type')) { $Type.ToString() } else { 'Unicast' }
                        $entry['skip_as_source'] = if ($PSBoundParameters.ContainsKey('SkipAsSource')) { $SkipAsSource } else { $false }
                        if ($DefaultGateway) { $entry['default_gateway'] = $DefaultGateway }
                        $ctx.State['ip_addresses'].Add($entry)
                        # Without -PolicyStore the address goes to both stores, and both are returned.
                        $stores = if ($PolicyStore) { @($PolicyStore) } else { @('ActiveStore', 'PersistentStore') }
                        foreach ($store in $stores) { Add-SimOutput $ctx (ConvertTo-SimIPAddressCim $ctx $entry $store) }
                    }
                }
            }
        }
        finally { Close-SimCall $ctx }
        Complete-SimCall $ctx
    }
}

function Get-NetIPAddress {
    [CmdletBinding(PositionalBinding = $false)]
    [OutputType('Microsoft.Management.Infrastructure.CimInstance#ROOT/StandardCimv2/MSFT_NetIPAddress')]
    param(
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = $true)]
        [Alias('LocalAddress')]
        [ValidateNotNull()]
        [string[]] $IPAddress,

        [Parameter(ValueFromPipelineByPropertyName = $true)]
        [Alias('ifIndex')]
        [ValidateNotNull()]
        [uint32[]] $InterfaceIndex,

        [Parameter(ValueFromPipelineByPropertyName = $true)]
        [Alias('ifAlias')]
        [ValidateNotNull()]
        [string[]] $InterfaceAlias,

        [Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetIPAddress.AddressFamily[]] $AddressFamily,
        [Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetIPAddress.Type[]] $Type,
        [byte[]] $PrefixLength,
        [Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetIPAddress.PrefixOrigin[]] $PrefixOrigin,
        [Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetIPAddress.SuffixOrigin[]] $SuffixOrigin,
        [Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetIPAddress.AddressState[]] $AddressState,
        [timespan[]] $ValidLifetime,
        [timespan[]] $PreferredLifetime,
        [bool[]] $SkipAsSource,

        [Parameter(ValueFromPipeline = $true)]
        [NestvirtSim.SimCimInstance] $AssociatedIPInterface,

        [string] $PolicyStore,
        [switch] $IncludeAllCompartments,

        [Alias('Session')]
        [ValidateNotNullOrEmpty()]
        [Microsoft.Management.Infrastructure.CimSession[]] $CimSession,
        [int] $ThrottleLimit,
        [switch] $AsJob
    )
    process {
        $ctx = Open-SimCall $PSCmdlet -Access Any
        try {
            if ($ctx.Ok) {
                $query = $null
                $found = @(Select-SimIPAddress $ctx $PSBoundParameters ([ref]$query))
                $store = if ($PolicyStore) { $PolicyStore } else { 'ActiveStore' }
                foreach ($ip in $found) { Add-SimOutput $ctx (ConvertTo-SimIPAddressCim $ctx $ip $store) }
                if ($found.Count -eq 0) { Add-SimQueryNotFound $ctx 'MSFT_NetIPAddress' $query }
            }
        }
        finally { Close-SimCall $ctx }
        Complete-SimCall $ctx
    }
}

function Remove-NetIPAddress {
    [CmdletBinding(DefaultParameterSetName = 'Query (cdxml)', SupportsShouldProcess = $true, ConfirmImpact = 'High', PositionalBinding = $false)]
    [OutputType('Microsoft.Management.Infrastructure.CimInstance#ROOT/StandardCimv2/MSFT_NetIPAddress')]
    param(
        [Parameter(ParameterSetName = 'Query (cdxml)', Position = 0, ValueFromPipelineByPropertyName = $true)]
        [Alias('LocalAddress')]
        [ValidateNotNull()]
        [string[]] $IPAddress,

        [Parameter(ParameterSetName = 'Query (cdxml)', ValueFromPipelineByPropertyName = $true)]
        [Alias('ifIndex')]
        [ValidateNotNull()]
        [uint32[]] $InterfaceIndex,

        [Parameter(ParameterSetName = 'Query (cdxml)', ValueFromPipelineByPropertyName = $true)]
        [Alias('ifAlias')]
        [ValidateNotNull()]
        [string[]] $InterfaceAlias,

        [Parameter(ParameterSetName = 'Query (cdxml)')] [Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetIPAddress.AddressFamily[]] $AddressFamily,
        [Parameter(ParameterSetName = 'Query (cdxml)')] [Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetIPAddress.Type[]] $Type,
        [Parameter(ParameterSetName = 'Query (cdxml)')] [byte[]] $PrefixLength,
        [Parameter(ParameterSetName = 'Query (cdxml)')] [Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetIPAddress.PrefixOrigin[]] $PrefixOrigin,
        [Parameter(ParameterSetName = 'Query (cdxml)')] [Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetIPAddress.SuffixOrigin[]] $SuffixOrigin,
        [Parameter(ParameterSetName = 'Query (cdxml)')] [Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetIPAddress.AddressState[]] $AddressState,
        [Parameter(ParameterSetName = 'Query (cdxml)')] [timespan[]] $ValidLifetime,
        [Parameter(ParameterSetName = 'Query (cdxml)')] [timespan[]] $PreferredLifetime,
        [Parameter(ParameterSetName = 'Query (cdxml)')] [bool[]] $SkipAsSource,
        [Parameter(ParameterSetName = 'Query (cdxml)')] [string] $PolicyStore,
        [Parameter(ParameterSetName = 'Query (cdxml)')] [string] $DefaultGateway,
        [Parameter(ParameterSetName = 'Query (cdxml)')] [switch] $IncludeAllCompartments,

        [Parameter(ParameterSetName = 'InputObject (cdxml)', Mandatory = $true, ValueFromPipeline = $true)]
        [NestvirtSim.SimCimInstance[]] $InputObject,

        [Alias('Session')]
        [ValidateNotNullOrEmpty()]
        [Microsoft.Management.Infrastructure.CimSession[]] $CimSession,
        [int] $ThrottleLimit,
        [switch] $AsJob,
        [switch] $PassThru
    )
    process {
        $ctx = Open-SimCall $PSCmdlet -Access Admin
        try {
            if ($ctx.Ok) {
                $targets = if ($PSCmdlet.ParameterSetName -eq 'InputObject (cdxml)') {
                    foreach ($o in $InputObject) {
                        $owner = [NestvirtSim.SimCim]::OwnerOf($o)
                        $ip = $owner.IPAddress
                        $index = [long]$owner.InterfaceIndex
                        $entry = @($ctx.State['ip_addresses'] | Where-Object { [string]$_['ip'] -eq $ip -and [long]$_['if_index'] -eq $index }) | Select-Object -First 1
                        if ($null -ne $entry) { $entry }
                        else { Add-SimCimError $ctx -Message 'No matching MSFT_NetIPAddress object found.' -WindowsError 1168 -Category ObjectNotFound }
                    }
                }
                else {
                    $query = $null
                    $found = @(Select-SimIPAddress $ctx $PSBoundParameters ([ref]$query))
                    if ($found.Count -eq 0) { Add-SimQueryNotFound $ctx 'MSFT_NetIPAddress' $query }
                    $found
                }
                foreach ($ip in @($targets)) {
                    if (-not (Test-SimShouldProcess $PSCmdlet @("IPAddress: $($ip['ip'])", 'Delete'))) { continue }
                    if ($PassThru) { Add-SimOutput $ctx (ConvertTo-SimIPAddressCim $ctx $ip 'ActiveStore') }
                    [void]$ctx.State['ip_addresses'].Remove($ip)
                }
            }
        }
        finally { Close-SimCall $ctx }
        Complete-SimCall $ctx
    }
}
