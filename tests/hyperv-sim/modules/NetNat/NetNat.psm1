# Simulated NetNat module: shared frame from lib/SimCore.ps1 and lib/SimNet.ps1, cmdlets below.
$script:SimModuleName = 'NetNat'
$script:SimCimClass = 'MSFT_NetNat'
$script:SimCimNamespace = 'root/StandardCimv2'
$simLib = [System.IO.DirectoryInfo]::new($PSScriptRoot)
if ($null -ne $simLib.ResolveLinkTarget($true)) { $simLib = [System.IO.DirectoryInfo]::new($simLib.ResolveLinkTarget($true).FullName) }
$simLib = Join-Path $simLib.Parent.Parent.FullName 'lib'
. (Join-Path $simLib 'SimCore.ps1')
. (Join-Path $simLib 'SimNet.ps1')
Remove-Variable -Name simLib

function script:ConvertTo-SimNatCim($nat) {
    $props = [ordered]@{
        Name                             = [string]$nat['name']
        ExternalIPInterfaceAddressPrefix = [NestvirtSim.Factory]::Str($nat, 'external_prefix')
        InternalIPInterfaceAddressPrefix = [NestvirtSim.Factory]::Str($nat, 'internal_prefix')
        InternalRoutingDomainId          = [NestvirtSim.Factory]::Str($nat, 'internal_routing_domain_id', '{00000000-0000-0000-0000-000000000000}')
        IcmpQueryTimeout                 = [uint32]30
        TcpEstablishedConnectionTimeout  = [uint32]1800
        TcpTransientConnectionTimeout    = [uint32]120
        TcpFilteringBehavior             = [byte]1
        UdpFilteringBehavior             = [byte]1
        UdpIdleSessionTimeout            = [uint32]120
        UdpInboundRefresh                = $false
        Store                            = [byte]0
        Active                           = $true
    }
    [NestvirtSim.SimCim]::Create('MSFT_NetNat', 'ROOT/StandardCimv2', [string[]]@('Name'), $null, $props)
}

function New-NetNat {
    [CmdletBinding(SupportsShouldProcess = $true, PositionalBinding = $false)]
    [OutputType('Microsoft.Management.Infrastructure.CimInstance#ROOT/StandardCimv2/MSFT_NetNat')]
    param(
        [Parameter(Mandatory = $true, Position = 0)]
        [string] $Name,
        [string] $ExternalIPInterfaceAddressPrefix,
        [string] $InternalRoutingDomainId,
        [string] $InternalIPInterfaceAddressPrefix,

        [Alias('Session')]
        [ValidateNotNullOrEmpty()]
        [Microsoft.Management.Infrastructure.CimSession[]] $CimSession,
        [int] $ThrottleLimit,
        [switch] $AsJob
    )
    process {
        $ctx = Open-SimCall $PSCmdlet -Access Admin
        try {
            if ($ctx.Ok -and (Test-SimShouldProcess $PSCmdlet @("Name: $Name", 'Create'))) {
                $nats = $ctx.State['nats']
                $limitSetting = $ctx.HostInfo['nat_limit']
                $limit = if ($null -ne $limitSetting) { [int]$limitSetting } else { 1 }
                $prefixes = @()
                $malformed = $false
                foreach ($p in @($InternalIPInterfaceAddressPrefix, $ExternalIPInterfaceAddressPrefix)) {
                    if (-not $p) { continue }
                    $parsed = ConvertFrom-SimPrefix $p
                    if ($null -eq $parsed) { $malformed = $true } else { $prefixes += , $parsed }
                }
                $overlap = $false
                foreach ($n in $nats) {
                    foreach ($key in 'internal_prefix', 'external_prefix') {
                        $other = ConvertFrom-SimPrefix ([string]$n[$key])
                        if ($null -eq $other) { continue }
                        foreach ($mine in $prefixes) { if (Test-SimPrefixOverlap $mine $other) { $overlap = $true } }
                    }
                }
                if (@($nats | Where-Object { [string]$_['name'] -eq $Name }).Count -gt 0) {
                    # Windows error 52 (MicrosoftDocs/Virtualization-Documentation#1244).
                    Add-SimCimError $ctx -WindowsError 52 -Category InvalidArgument -Message (
                        'You were not connected because a duplicate name exists on the network. If joining a domain, go to System in ' +
                        'Control Panel to change the computer name and try again. If joining a workgroup, choose another workgroup name.')
                }
                elseif ($malformed -or $overlap -or $nats.Count -ge $limit -or (-not $InternalIPInterfaceAddressPrefix -and -not $ExternalIPInterfaceAddressPrefix)) {
                    # One NAT per host; overlapping prefixes (Virtualization-Documentation#361, docker/for-win#598).
                    Add-SimCimError $ctx -Message 'The parameter is incorrect.' -WindowsError 87 -Category InvalidArgument
                }
                else {
                    $nat = [NestvirtSim.Json]::NewObject()
                    $nat['name'] = $Name
                    $nat['internal_prefix'] = if ($InternalIPInterfaceAddressPrefix) { $InternalIPInterfaceAddressPrefix } else { $null }
                    $nat['external_prefix'] = if ($ExternalIPInterfaceAddressPrefix) { $ExternalIPInterfaceAddressPrefix } else { $null }
                    $nat['internal_routing_domain_id'] = if ($InternalRoutingDomainId) { $InternalRoutingDomainId } else { $null }
                    $nats.Add($nat)
                    Add-SimOutput $ctx (ConvertTo-SimNatCim $nat)
                }
            }
        }
        finally { Close-SimCall $ctx }
        Complete-SimCall $ctx
    }
}

function Get-NetNat {
    [CmdletBinding(PositionalBinding = $false)]
    [OutputType('Microsoft.Management.Infrastructure.CimInstance#ROOT/StandardCimv2/MSFT_NetNat')]
    param(
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = $true)]
        [ValidateNotNull()]
        [string[]] $Name,

        [Alias('Session')]
        [ValidateNotNullOrEmpty()]
        [Microsoft.Management.Infrastructure.CimSession[]] $CimSession,
        [int] $ThrottleLimit,
        [switch] $AsJob
    )
    process {
        $ctx = Open-SimCall $PSCmdlet -Access Admin
        try {
            if ($ctx.Ok) {
                foreach ($n in $ctx.State['nats']) {
                    if (-not $PSBoundParameters.ContainsKey('Name') -or (Test-SimQueryValue ([string]$n['name']) $Name)) { Add-SimOutput $ctx (ConvertTo-SimNatCim $n) }
                }
                if ($PSBoundParameters.ContainsKey('Name')) {
                    foreach ($v in $Name) {
                        if ((Test-SimWildcard $v) -or @($ctx.State['nats'] | Where-Object { (New-SimPattern $v).IsMatch([string]$_['name']) }).Count -gt 0) { continue }
                        Add-SimNotFoundByProperty $ctx 'MSFT_NetNat' 'Name' $v
                    }
                }
            }
        }
        finally { Close-SimCall $ctx }
        Complete-SimCall $ctx
    }
}

function Remove-NetNat {
    [CmdletBinding(DefaultParameterSetName = 'Query (cdxml)', SupportsShouldProcess = $true, ConfirmImpact = 'High', PositionalBinding = $false)]
    [OutputType('Microsoft.Management.Infrastructure.CimInstance#ROOT/StandardCimv2/MSFT_NetNat')]
    param(
        [Parameter(ParameterSetName = 'Query (cdxml)', Position = 0, ValueFromPipelineByPropertyName = $true)]
        [ValidateNotNull()]
        [string[]] $Name,

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
                $names = if ($PSCmdlet.ParameterSetName -eq 'InputObject (cdxml)') {
                    foreach ($o in $InputObject) { [string]([NestvirtSim.SimCim]::OwnerOf($o)).Name }
                }
                elseif ($PSBoundParameters.ContainsKey('Name')) { $Name }
                else { '*' }   # no -Name: every NAT object (documented example 1)
                foreach ($v in @($names)) {
                    $hits = @($ctx.State['nats'] | Where-Object { (New-SimPattern $v).IsMatch([string]$_['name']) })
                    if ($hits.Count -eq 0 -and -not (Test-SimWildcard $v)) { Add-SimNotFoundByProperty $ctx 'MSFT_NetNat' 'Name' $v; continue }
                    foreach ($n in $hits) {
                        if (-not (Test-SimShouldProcess $PSCmdlet @("Name: $($n['name'])", 'Delete'))) { continue }
                        if ($PassThru) { Add-SimOutput $ctx (ConvertTo-SimNatCim $n) }
                        [void]$ctx.State['nats'].Remove($n)
                    }
                }
            }
        }
        finally { Close-SimCall $ctx }
        Complete-SimCall $ctx
    }
}
