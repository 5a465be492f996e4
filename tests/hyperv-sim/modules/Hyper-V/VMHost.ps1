# Get-VMHost, Get-VMHostSupportedVersion.

function Get-VMHost {
    [CmdletBinding(DefaultParameterSetName = 'ComputerName', PositionalBinding = $false)]
    [OutputType([Microsoft.HyperV.PowerShell.VMHost])]
    param(
        [Parameter(ParameterSetName = 'ComputerName', Position = 0, ValueFromPipeline = $true)]
        [ValidateNotNullOrEmpty()]
        [string[]] $ComputerName,

        [Parameter(ParameterSetName = 'ComputerName', Position = 1, ValueFromPipeline = $true)]
        [ValidateNotNullOrEmpty()]
        [pscredential[]] $Credential,

        [Parameter(ParameterSetName = 'CimSession', Mandatory = $true, Position = 0, ValueFromPipelineByPropertyName = $true)]
        [ValidateNotNullOrEmpty()]
        [Microsoft.Management.Infrastructure.CimSession[]] $CimSession
    )
    process {
        $ctx = Open-SimCall $PSCmdlet -Access HyperV
        try {
            if ($ctx.Ok) { Add-SimOutput $ctx ([NestvirtSim.Factory]::Host($ctx.State)) }
        }
        finally { Close-SimCall $ctx }
        Complete-SimCall $ctx
    }
}

function Get-VMHostSupportedVersion {
    [CmdletBinding(DefaultParameterSetName = 'ComputerName', PositionalBinding = $false)]
    [OutputType([Microsoft.HyperV.PowerShell.VMHostSupportedVersion])]
    param(
        [Parameter(ParameterSetName = 'ComputerName', Position = 0, ValueFromPipeline = $true)]
        [ValidateNotNullOrEmpty()]
        [string[]] $ComputerName,

        [Parameter(ParameterSetName = 'ComputerName', Position = 1)]
        [ValidateNotNullOrEmpty()]
        [pscredential[]] $Credential,

        [Parameter(ParameterSetName = 'CimSession', Mandatory = $true, Position = 0, ValueFromPipelineByPropertyName = $true)]
        [ValidateNotNullOrEmpty()]
        [Microsoft.Management.Infrastructure.CimSession[]] $CimSession,

        [switch] $Default
    )
    process {
        $ctx = Open-SimCall $PSCmdlet -Access HyperV
        try {
            if ($ctx.Ok) {
                foreach ($v in [NestvirtSim.Factory]::SupportedVersions($ctx.State)) {
                    if ($Default -and -not $v.IsDefault) { continue }
                    Add-SimOutput $ctx $v
                }
            }
        }
        finally { Close-SimCall $ctx }
        Complete-SimCall $ctx
    }
}
