# Get-VMIntegrationService.
# Parameter sets: docset/winserver2022-ps/hyper-v/Get-VMIntegrationService.md (VMName (default),
# VMObject, VMSnapshot; -Name at position 1 filters by wildcard).

function Get-VMIntegrationService {
    [CmdletBinding(DefaultParameterSetName = 'VMName', PositionalBinding = $false)]
    [OutputType([Microsoft.HyperV.PowerShell.VMIntegrationComponent])]
    param(
        [Parameter(ParameterSetName = 'VMName')] [ValidateNotNullOrEmpty()]
        [Microsoft.Management.Infrastructure.CimSession[]] $CimSession,
        [Parameter(ParameterSetName = 'VMName')] [ValidateNotNullOrEmpty()]
        [string[]] $ComputerName,
        [Parameter(ParameterSetName = 'VMName')] [ValidateNotNullOrEmpty()]
        [pscredential[]] $Credential,

        [Parameter(ParameterSetName = 'VMName', Mandatory = $true, Position = 0, ValueFromPipeline = $true)]
        [ValidateNotNullOrEmpty()]
        [string[]] $VMName,

        [Parameter(ParameterSetName = 'VMObject', Mandatory = $true, Position = 0, ValueFromPipeline = $true)]
        [ValidateNotNullOrEmpty()]
        [Microsoft.HyperV.PowerShell.VirtualMachine[]] $VM,

        [Parameter(ParameterSetName = 'VMSnapshot', Mandatory = $true, Position = 0, ValueFromPipeline = $true)]
        [Alias('VMCheckpoint')]
        [ValidateNotNull()]
        [Microsoft.HyperV.PowerShell.VMSnapshot] $VMSnapshot,

        [Parameter(Position = 1)]
        [ValidateNotNullOrEmpty()]
        [string[]] $Name
    )
    process {
        $ctx = Open-SimCall $PSCmdlet -Access HyperV
        try {
            if ($ctx.Ok) {
                if ($PSCmdlet.ParameterSetName -eq 'VMSnapshot') {
                    Add-SimError $ctx -Message 'The simulator has no checkpoints.' -ErrorId ObjectNotFound -Category ObjectNotFound -Exception VirtualizationException
                }
                else {
                    $vms = if ($PSCmdlet.ParameterSetName -eq 'VMObject') { Find-SimVM $ctx -VM $VM } else { Find-SimVM $ctx -Name $VMName }
                    $patterns = @($Name | Where-Object { $_ } | ForEach-Object { New-SimPattern $_ })
                    foreach ($machine in $vms) {
                        $found = @([NestvirtSim.Factory]::IntegrationComponents($machine, $ctx.State) | Where-Object {
                                $service = $_
                                $patterns.Count -eq 0 -or @($patterns | Where-Object { $_.IsMatch($service.Name) }).Count -gt 0
                            })
                        if ($found.Count -eq 0) {
                            # Message: the German text of PlagueHO/LabBuilder#183 in English; the
                            # module throws it for every VM none of whose services matches.
                            Add-SimError $ctx -Message 'A parameter is invalid. No integration component with the given name could be found.' `
                                -ErrorId InvalidParameter -Category InvalidArgument -Exception VirtualizationInvalidArgumentException
                            continue
                        }
                        foreach ($service in $found) { Add-SimOutput $ctx $service }
                    }
                }
            }
        }
        finally { Close-SimCall $ctx }
        Complete-SimCall $ctx
    }
}
