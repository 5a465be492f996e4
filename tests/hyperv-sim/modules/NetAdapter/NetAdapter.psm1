# Simulated NetAdapter module: shared frame from lib/SimCore.ps1 and lib/SimNet.ps1, cmdlets below.
$script:SimModuleName = 'NetAdapter'
$script:SimCimClass = 'MSFT_NetAdapter'
$script:SimCimNamespace = 'ROOT/StandardCimv2'
$simLib = [System.IO.DirectoryInfo]::new($PSScriptRoot)
if ($null -ne $simLib.ResolveLinkTarget($true)) { $simLib = [System.IO.DirectoryInfo]::new($simLib.ResolveLinkTarget($true).FullName) }
$simLib = Join-Path $simLib.Parent.Parent.FullName 'lib'
. (Join-Path $simLib 'SimCore.ps1')
. (Join-Path $simLib 'SimNet.ps1')
Remove-Variable -Name simLib

function Get-NetAdapter {
    [CmdletBinding(DefaultParameterSetName = 'ByName', PositionalBinding = $false)]
    [OutputType('Microsoft.Management.Infrastructure.CimInstance#ROOT/StandardCimv2/MSFT_NetAdapter')]
    param(
        [Parameter(ParameterSetName = 'ByName', Position = 0)]
        [Alias('ifAlias', 'InterfaceAlias')]
        [ValidateNotNull()]
        [string[]] $Name,

        [Parameter(ParameterSetName = 'ByInstanceID', Mandatory = $true, ValueFromPipelineByPropertyName = $true)]
        [Alias('ifDesc')]
        [ValidateNotNull()]
        [string[]] $InterfaceDescription,

        [Parameter(ParameterSetName = 'ByIfIndex', Mandatory = $true, ValueFromPipelineByPropertyName = $true)]
        [Alias('ifIndex')]
        [ValidateNotNull()]
        [uint32[]] $InterfaceIndex,

        [switch] $IncludeHidden,
        [switch] $Physical,

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
                $query = @{}
                switch ($PSCmdlet.ParameterSetName) {
                    'ByName' { if ($PSBoundParameters.ContainsKey('Name')) { $query['Name'] = $Name } }
                    'ByInstanceID' { $query['InterfaceDescription'] = $InterfaceDescription }
                    'ByIfIndex' { $query['InterfaceIndex'] = $InterfaceIndex }
                }
                $keys = @{ Name = 'name'; InterfaceDescription = 'description'; InterfaceIndex = 'if_index' }
                foreach ($na in (Get-SimHostAdapters $ctx -IncludeHidden:$IncludeHidden)) {
                    if ($Physical -and (Test-SimTrue $na 'virtual' $false)) { continue }
                    $match = $true
                    foreach ($key in $query.Keys) {
                        $actual = $na[$keys[$key]]
                        if ($key -eq 'InterfaceIndex') { $actual = [uint32]$actual }
                        if (-not (Test-SimQueryValue $actual $query[$key])) { $match = $false }
                    }
                    if ($match) { Add-SimOutput $ctx (ConvertTo-SimNetAdapterCim $ctx $na) }
                }
                if ($query.Count -gt 0) {
                    # One error per literal value that matched nothing, as the CDXML engine reports them.
                    $key = @($query.Keys)[0]
                    foreach ($v in @($query[$key])) {
                        $hit = $false
                        foreach ($na in (Get-SimHostAdapters $ctx -IncludeHidden:$IncludeHidden)) {
                            $actual = $na[$keys[$key]]
                            if ($key -eq 'InterfaceIndex') { $actual = [uint32]$actual }
                            if (Test-SimQueryValue $actual $v) { $hit = $true }
                        }
                        if (-not $hit -and ($v -isnot [string] -or -not (Test-SimWildcard $v))) { Add-SimNotFoundByProperty $ctx 'MSFT_NetAdapter' $key $v }
                    }
                }
            }
        }
        finally { Close-SimCall $ctx }
        Complete-SimCall $ctx
    }
}
