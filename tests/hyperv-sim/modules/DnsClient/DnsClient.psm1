# Simulated DnsClient module: shared frame from lib/SimCore.ps1 and lib/SimNet.ps1, cmdlets below.
$script:SimModuleName = 'DnsClient'
$script:SimCimClass = 'MSFT_DNSClientServerAddress'
$script:SimCimNamespace = 'ROOT/StandardCimv2'
$simLib = [System.IO.DirectoryInfo]::new($PSScriptRoot)
if ($null -ne $simLib.ResolveLinkTarget($true)) { $simLib = [System.IO.DirectoryInfo]::new($simLib.ResolveLinkTarget($true).FullName) }
$simLib = Join-Path $simLib.Parent.Parent.FullName 'lib'
. (Join-Path $simLib 'SimCore.ps1')
. (Join-Path $simLib 'SimNet.ps1')
Remove-Variable -Name simLib

function script:ConvertTo-SimDnsCim($ctx, $na, [string]$Family) {
    $servers = @()
    $dns = $na['dns_servers']
    $key = $Family.ToLowerInvariant()
    if ($dns -is [System.Collections.IDictionary] -and $null -ne $dns[$key]) { $servers = [string[]]@($dns[$key]) }
    $props = [ordered]@{
        InterfaceAlias  = [string]$na['name']
        InterfaceIndex  = [uint32]$na['if_index']
        AddressFamily   = [Microsoft.PowerShell.Cmdletization.GeneratedTypes.DnsClientServerAddress.AddressFamily]$Family
        ServerAddresses = [string[]]$servers
    }
    [NestvirtSim.SimCim]::Create('MSFT_DNSClientServerAddress', $script:StandardCimv2, [string[]]@('InterfaceAlias', 'AddressFamily'), $null, $props)
}

function Get-DnsClientServerAddress {
    [CmdletBinding(PositionalBinding = $false)]
    [OutputType('Microsoft.Management.Infrastructure.CimInstance#ROOT/StandardCimv2/MSFT_DNSClientServerAddress')]
    param(
        [Parameter(ValueFromPipeline = $true, ValueFromPipelineByPropertyName = $true)]
        [ValidateNotNull()]
        [uint32[]] $InterfaceIndex,

        [Parameter(Position = 0)]
        [ValidateNotNull()]
        [string[]] $InterfaceAlias,

        [Alias('Family')]
        [Microsoft.PowerShell.Cmdletization.GeneratedTypes.DnsClientServerAddress.AddressFamily[]] $AddressFamily,

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
                $query = [ordered]@{}
                if ($PSBoundParameters.ContainsKey('InterfaceIndex')) { $query['InterfaceIndex'] = $InterfaceIndex }
                if ($PSBoundParameters.ContainsKey('InterfaceAlias')) { $query['InterfaceAlias'] = $InterfaceAlias }
                foreach ($na in (Get-SimHostAdapters $ctx -IpInterfaces)) {
                    if ($query.Contains('InterfaceIndex') -and -not (Test-SimQueryValue ([uint32]$na['if_index']) $InterfaceIndex)) { continue }
                    if ($query.Contains('InterfaceAlias') -and -not (Test-SimQueryValue ([string]$na['name']) $InterfaceAlias)) { continue }
                    foreach ($family in 'IPv4', 'IPv6') {
                        if ($AddressFamily -and $family -notin @($AddressFamily | ForEach-Object { $_.ToString() })) { continue }
                        Add-SimOutput $ctx (ConvertTo-SimDnsCim $ctx $na $family)
                    }
                }
                if ($ctx.Output.Count -eq 0 -and $query.Count -gt 0) { Add-SimQueryNotFound $ctx 'MSFT_DNSClientServerAddress' $query }
            }
        }
        finally { Close-SimCall $ctx }
        Complete-SimCall $ctx
    }
}

function Set-DnsClientServerAddress {
    [CmdletBinding(DefaultParameterSetName = 'ByAlias', SupportsShouldProcess = $true, PositionalBinding = $false)]
    [OutputType('Microsoft.Management.Infrastructure.CimInstance#ROOT/StandardCimv2/MSFT_DNSClientServerAddress')]
    param(
        [Parameter(ParameterSetName = 'ByAlias', Mandatory = $true, Position = 0)]
        [ValidateNotNull()]
        [string[]] $InterfaceAlias,

        [Parameter(ParameterSetName = 'ByName', Mandatory = $true, ValueFromPipeline = $true, ValueFromPipelineByPropertyName = $true)]
        [ValidateNotNull()]
        [uint32[]] $InterfaceIndex,

        [Parameter(ParameterSetName = 'InputObject (cdxml)', Mandatory = $true, ValueFromPipeline = $true)]
        [NestvirtSim.SimCimInstance[]] $InputObject,

        [Alias('Addresses')]
        [string[]] $ServerAddresses,
        [switch] $Validate,
        [Alias('ResetAddresses')]
        [switch] $ResetServerAddresses,

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
                $adapters = @(Get-SimHostAdapters $ctx -IpInterfaces)
                $targets = switch ($PSCmdlet.ParameterSetName) {
                    'ByAlias' {
                        foreach ($v in $InterfaceAlias) {
                            $hits = @($adapters | Where-Object { (New-SimPattern $v).IsMatch([string]$_['name']) })
                            if ($hits.Count -eq 0 -and -not (Test-SimWildcard $v)) { Add-SimNotFoundByProperty $ctx 'MSFT_DNSClientServerAddress' 'InterfaceAlias' $v }
                            $hits
                        }
                    }
                    'ByName' {
                        foreach ($v in $InterfaceIndex) {
                            $hits = @($adapters | Where-Object { [uint32]$_['if_index'] -eq $v })
                            if ($hits.Count -eq 0) { Add-SimNotFoundByProperty $ctx 'MSFT_DNSClientServerAddress' 'InterfaceIndex' $v }
                            $hits
                        }
                    }
                    default {
                        foreach ($o in $InputObject) {
                            $index = [uint32]([NestvirtSim.SimCim]::OwnerOf($o)).InterfaceIndex
                            $adapters | Where-Object { [uint32]$_['if_index'] -eq $index }
                        }
                    }
                }
                $v4 = [System.Collections.Generic.List[string]]::new()
                $v6 = [System.Collections.Generic.List[string]]::new()
                $bad = $false
                foreach ($s in @($ServerAddresses)) {
                    if (-not $s) { continue }
                    $address = $null
                    if (-not [System.Net.IPAddress]::TryParse($s, [ref]$address)) { $bad = $true; continue }
                    if ($address.AddressFamily -eq [System.Net.Sockets.AddressFamily]::InterNetwork) { $v4.Add($address.ToString()) } else { $v6.Add($address.ToString()) }
                }
                if ($bad) {
                    Add-SimCimError $ctx -Message 'The parameter is incorrect.' -WindowsError 87 -Category InvalidArgument
                }
                else {
                    foreach ($na in @($targets)) {
                        if (-not (Test-SimShouldProcess $PSCmdlet @([string]$na['name'], 'Set DNS server addresses'))) { continue }
                        $dns = $na['dns_servers']
                        if ($dns -isnot [System.Collections.IDictionary]) { $dns = [NestvirtSim.Json]::NewObject(); $na['dns_servers'] = $dns }
                        if ($ResetServerAddresses) { $dns['ipv4'] = @(); $dns['ipv6'] = @() }
                        if ($PSBoundParameters.ContainsKey('ServerAddresses')) {
                            $dns['ipv4'] = @($v4)
                            if ($v6.Count -gt 0) { $dns['ipv6'] = @($v6) }
                        }
                        if ($PassThru) { foreach ($family in 'IPv4', 'IPv6') { Add-SimOutput $ctx (ConvertTo-SimDnsCim $ctx $na $family) } }
                    }
                }
            }
        }
        finally { Close-SimCall $ctx }
        Complete-SimCall $ctx
    }
}
