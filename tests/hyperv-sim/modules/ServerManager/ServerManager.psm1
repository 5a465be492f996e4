# Simulated ServerManager module: Get-WindowsFeature, Install-WindowsFeature inside a simulated
# Windows Server guest (PowerShell Direct sets NESTVIRT_SIM_GUEST), over the VM's guest.features
# (docs/simulator.md, "guest"). Windows client editions have no ServerManager module: there the
# cmdlets are "not recognized". On the host the module is not modelled (an error says so).
# The real cmdlets' errors are terminating (ThrowTerminatingError), and so are faults here.
$script:SimModuleName = 'ServerManager'
$script:SimCimClass = $null
$script:SimCimNamespace = $null
$script:SimTerminatingFaults = $true
$simLib = [System.IO.DirectoryInfo]::new($PSScriptRoot)
if ($null -ne $simLib.ResolveLinkTarget($true)) { $simLib = [System.IO.DirectoryInfo]::new($simLib.ResolveLinkTarget($true).FullName) }
. (Join-Path $simLib.Parent.Parent.FullName 'lib/SimCore.ps1')
Remove-Variable -Name simLib

$script:SourceMessage = 'Installation of one or more roles, role services, or features failed. The source files could not be found. ' +
'Use the "Source" option to specify the location of the files that are required to install the role, role service, or feature. ' +
'For more information on specifying a source location, see http://go.microsoft.com/fwlink/?LinkId=243077. Error: 0x800f081f'
$script:CapabilityMessage = 'Hyper-V cannot be installed: The processor does not have required virtualization capabilities.'

# A client edition (or Linux) has no ServerManager module: the command is "not recognized", as
# PowerShell says for a module that is not there (checked before the call is logged: nothing ran).
function script:Assert-SimServerGuest([System.Management.Automation.PSCmdlet]$Cmdlet) {
    Assert-SimInGuest 'ServerManager'
    $vm = Get-SimGuestVm
    if ($null -eq $vm) { return }
    $os = [NestvirtSim.Guest]::Os($vm)
    if ($os['family'] -ne 'linux' -and [long]$os['product_type'] -ne 1) { return }
    $name = $Cmdlet.MyInvocation.InvocationName
    $id = if ($name.Contains('\')) { 'CouldNotAutoLoadModule' } else { 'CommandNotFoundException' }
    $ex = [System.Management.Automation.CommandNotFoundException]::new(
        "The term '$name' is not recognized as a name of a cmdlet, function, script file, or executable program.`nCheck the spelling of the name, or if a path was included, verify that the path is correct and try again.")
    $Cmdlet.ThrowTerminatingError([NestvirtSim.Errors]::TerminatingWithId($ex, $id, 'ObjectNotFound', $name, $name))
}

function Get-WindowsFeature {
    [CmdletBinding(DefaultParameterSetName = 'Name', PositionalBinding = $false)]
    [OutputType([Microsoft.Windows.ServerManager.Commands.Feature])]
    param(
        [Parameter(Position = 0, ValueFromPipeline = $true, ValueFromPipelineByPropertyName = $true)]
        [ValidateNotNullOrEmpty()]
        [string[]] $Name,

        [ValidateNotNullOrEmpty()] [string] $Vhd,
        [Alias('Cn')] [ValidateNotNullOrEmpty()] [string] $ComputerName,
        [ValidateNotNull()] [pscredential] $Credential,
        [ValidateNotNullOrEmpty()] [string] $LogPath
    )
    begin { Assert-SimServerGuest $PSCmdlet }
    process {
        $ctx = Open-SimCall $PSCmdlet -Access Any
        try {
            if ($ctx.Ok) {
                if ($Vhd) { throw 'Hyper-V simulator: Get-WindowsFeature -Vhd (an offline image) is not modelled.' }
                $features = [NestvirtSim.Guest]::Features($ctx.Guest.Vm)
                $patterns = @(if ($Name) { $Name | ForEach-Object { New-SimPattern $_ } } else { New-SimPattern '*' })
                # Unknown names give nothing, without an error (as the real cmdlet).
                foreach ($key in @($features.Keys)) {
                    if (@($patterns | Where-Object { $_.IsMatch([string]$key) }).Count -eq 0) { continue }
                    Add-SimOutput $ctx ([NestvirtSim.FeatureFactory]::ServerFeature([string]$key, [string]$features[$key]))
                }
            }
        }
        finally { Close-SimCall $ctx }
        Complete-SimCall $ctx
    }
}

function Install-WindowsFeature {
    [CmdletBinding(DefaultParameterSetName = 'FeatureName', SupportsShouldProcess = $true, PositionalBinding = $false)]
    [Alias('Add-WindowsFeature')]
    [OutputType([Microsoft.Windows.ServerManager.Commands.FeatureOperationResult])]
    param(
        [Parameter(ParameterSetName = 'FeatureName', Mandatory = $true, Position = 0, ValueFromPipeline = $true)]
        [ValidateNotNullOrEmpty()]
        [Microsoft.Windows.ServerManager.Commands.Feature[]] $Name,

        [Parameter(ParameterSetName = 'ConfigurationFile', Mandatory = $true)]
        [ValidateNotNullOrEmpty()]
        [string] $ConfigurationFilePath,

        [switch] $Restart,
        [Parameter(ParameterSetName = 'FeatureName')] [switch] $IncludeAllSubFeature,
        [Parameter(ParameterSetName = 'FeatureName')] [switch] $IncludeManagementTools,
        [ValidateNotNullOrEmpty()] [string[]] $Source,
        [ValidateNotNullOrEmpty()] [string] $Vhd,
        [Alias('Cn')] [ValidateNotNullOrEmpty()] [string] $ComputerName,
        [ValidateNotNull()] [pscredential] $Credential,
        [ValidateNotNullOrEmpty()] [string] $LogPath
    )
    begin { Assert-SimServerGuest $PSCmdlet }
    process {
        $ctx = Open-SimCall $PSCmdlet -Access Any
        try {
            if ($ctx.Ok) {
                if ($PSCmdlet.ParameterSetName -eq 'ConfigurationFile' -or $Vhd) {
                    throw 'Hyper-V simulator: Install-WindowsFeature -ConfigurationFilePath/-Vhd is not modelled.'
                }
                $vm = $ctx.Guest.Vm
                $guest = [NestvirtSim.Guest]::Section($vm)
                $features = [NestvirtSim.Guest]::Features($vm)
                $targets = [System.Collections.Generic.List[string]]::new()
                $add = { param($n) if (-not ($targets -icontains $n)) { $targets.Add($n) } }
                $unknown = $null
                foreach ($f in $Name) {
                    $n = [string]$f.Name
                    if (-not $features.Contains($n)) { $unknown = $n; break }
                    & $add @(@($features.Keys) | Where-Object { $_ -ieq $n })[0]
                    if ($IncludeAllSubFeature) { foreach ($sub in [NestvirtSim.FeatureFactory]::SubFeatures($n)) { if ($features.Contains($sub)) { & $add $sub } } }
                    if ($IncludeManagementTools -and $n -ieq 'Hyper-V') {
                        foreach ($tool in 'RSAT-Hyper-V-Tools', 'Hyper-V-Tools', 'Hyper-V-PowerShell') { if ($features.Contains($tool)) { & $add $tool } }
                    }
                }
                if ($null -ne $unknown) {
                    # Message and id from the real cmdlet's output for a misspelt name.
                    Set-SimTerminatingError $ctx -Message "ArgumentNotValid: The role, role service, or feature name is not valid: '$unknown'. The name was not found." `
                        -ErrorId NameDoesNotExist -Category InvalidArgument -Target $unknown -Exception Exception
                }
                elseif (-not $ctx.HostInfo['elevated']) {
                    # Invented wording: the real text for a session without elevation is not documented.
                    Set-SimTerminatingError $ctx -Message 'The requested operation requires elevation.' -ErrorId 'DISMAPI_Error__Elevation_Required' -Category PermissionDenied -Exception Exception
                }
                else {
                    $todo = @($targets | Where-Object { -not [NestvirtSim.Guest]::IsInstalledState([string]$features[$_]) -and -not [NestvirtSim.Guest]::IsPendingState([string]$features[$_]) })
                    $pendingAlready = @($targets | Where-Object { [NestvirtSim.Guest]::IsPendingState([string]$features[$_]) }).Count -gt 0
                    $expose = Test-SimTrue ([NestvirtSim.Factory]::Dict($vm, 'processor')) 'expose_virtualization_extensions' $false
                    $removed = @($todo | Where-Object { [NestvirtSim.Guest]::IsPayloadRemovedState([string]$features[$_]) })
                    if ($todo.Count -eq 0) {
                        Add-SimOutput $ctx ([NestvirtSim.FeatureFactory]::OperationResult($true, $(if ($pendingAlready) { 'Yes' } else { 'No' }), 'NoChangeNeeded', @()))
                    }
                    elseif (($todo -icontains 'Hyper-V') -and -not $expose) {
                        Set-SimTerminatingError $ctx -Message $script:CapabilityMessage -ErrorId 'Alteration_PrerequisiteCheck_Failed' -Category InvalidOperation -Target 'Hyper-V' -Exception Exception
                    }
                    elseif ($removed.Count -gt 0 -and -not (Test-SimInstallSource $guest $Source)) {
                        Set-SimTerminatingError $ctx -Message $script:SourceMessage -ErrorId 'DISMAPI_Error__Cbs_Download_Failure' -Category InvalidOperation -Exception Exception
                    }
                    elseif (-not (Test-SimShouldProcess $PSCmdlet @($ctx.HostInfo['computer_name'], 'Install-WindowsFeature'))) {
                        # -WhatIf: what would be installed, nothing changed.
                        $would = @($todo | ForEach-Object { [NestvirtSim.FeatureFactory]::Result($_, $true, $false, '') })
                        Add-SimOutput $ctx ([NestvirtSim.FeatureFactory]::OperationResult($true, 'Maybe', 'Success', $would))
                    }
                    else {
                        $write = [NestvirtSim.Guest]::FeaturesForWrite($vm)
                        $results = [System.Collections.Generic.List[object]]::new()
                        $restartNeeded = $pendingAlready
                        foreach ($n in $todo) {
                            # The role needs a reboot; its management tools are there at once.
                            $needsReboot = $n -ieq 'Hyper-V'
                            $write[$n] = if ($needsReboot) { 'InstallPending' } else { 'Installed' }
                            if ($needsReboot) { $restartNeeded = $true }
                            $results.Add([NestvirtSim.FeatureFactory]::Result($n, $true, $needsReboot, ''))
                        }
                        if ($todo -icontains 'Hyper-V') { Set-SimInstallPending $vm }
                        $exit = if ($restartNeeded) { 'SuccessRestartRequired' } else { 'Success' }
                        Add-SimOutput $ctx ([NestvirtSim.FeatureFactory]::OperationResult($true, $(if ($restartNeeded) { 'Yes' } else { 'No' }), $exit, $results.ToArray()))
                        # -Restart: the guest reboots at once when the install needs it.
                        if ($Restart -and $restartNeeded) { [NestvirtSim.Guest]::StartBoot($vm, 0, $true) }
                    }
                }
            }
        }
        finally { Close-SimCall $ctx }
        Complete-SimCall $ctx
    }
}

Export-ModuleMember -Function Get-WindowsFeature, Install-WindowsFeature -Alias Add-WindowsFeature
