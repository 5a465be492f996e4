# Simulated Dism module: Get-WindowsOptionalFeature, Enable-WindowsOptionalFeature -Online inside a
# simulated Windows guest (PowerShell Direct sets NESTVIRT_SIM_GUEST), over the VM's guest.features
# (docs/simulator.md, "guest"). Offline images (-Path) are not modelled; on the host the module is
# not modelled either (an error says so). DISM's errors are terminating, with a COMException and a
# FullyQualifiedErrorId that is the cmdlet's type alone; faults here are terminating too.
$script:SimModuleName = 'Dism'
$script:SimCimClass = $null
$script:SimCimNamespace = $null
$script:SimTerminatingFaults = $true
$simLib = [System.IO.DirectoryInfo]::new($PSScriptRoot)
if ($null -ne $simLib.ResolveLinkTarget($true)) { $simLib = [System.IO.DirectoryInfo]::new($simLib.ResolveLinkTarget($true).FullName) }
. (Join-Path $simLib.Parent.Parent.FullName 'lib/SimCore.ps1')
Remove-Variable -Name simLib

$script:SourceMessage = "The source files could not be found.`nUse the `"Source`" option to specify the location of the files that are required to restore the feature. " +
'For more information on specifying a source location, see http://go.microsoft.com/fwlink/?LinkId=243077.'
$script:CapabilityMessage = 'Hyper-V cannot be installed: The processor does not have required virtualization capabilities.'

# A DISM error: COMException with the HRESULT, FQID = the cmdlet's implementing type.
function script:Set-SimDismError($ctx, [string]$Message, [long]$HResult, $Target = $null) {
    Set-SimTerminatingError $ctx -Message $Message -FullyQualifiedErrorId (Get-SimImplementingType $ctx.Name) -Category NotSpecified -HResult $HResult -Target $Target
}

# DISM needs an elevated session, also to read (ERROR_ELEVATION_REQUIRED, 740).
function script:Test-SimDismElevated($ctx) {
    if ($ctx.HostInfo['elevated']) { return $true }
    Set-SimDismError $ctx 'The requested operation requires elevation.' 0x800702E4
    return $false
}

function script:Find-SimFeatureName($features, [string]$Name) {
    foreach ($key in @($features.Keys)) { if ([string]$key -ieq $Name) { return [string]$key } }
    return $null
}

function Get-WindowsOptionalFeature {
    [CmdletBinding(DefaultParameterSetName = 'Online', PositionalBinding = $false)]
    [OutputType([Microsoft.Dism.Commands.BasicFeatureObject], [Microsoft.Dism.Commands.FeatureObject])]
    param(
        [Parameter(ValueFromPipelineByPropertyName = $true)] [string] $FeatureName,
        [Parameter(ValueFromPipelineByPropertyName = $true)] [string] $PackageName,
        [Parameter(ValueFromPipelineByPropertyName = $true)] [string] $PackagePath,
        [Parameter(ParameterSetName = 'Online', Mandatory = $true, ValueFromPipelineByPropertyName = $true)] [switch] $Online,
        [Parameter(ParameterSetName = 'Offline', Mandatory = $true, ValueFromPipelineByPropertyName = $true)] [string] $Path,
        [Parameter(ValueFromPipelineByPropertyName = $true)] [string] $WindowsDirectory,
        [Parameter(ValueFromPipelineByPropertyName = $true)] [string] $SystemDrive,
        [Parameter(ValueFromPipelineByPropertyName = $true)] [Alias('LP')] [string] $LogPath,
        [Parameter(ValueFromPipelineByPropertyName = $true)] [string] $ScratchDirectory,
        [Parameter(ValueFromPipelineByPropertyName = $true)] [Alias('LL')] [Microsoft.Dism.Commands.LogLevel] $LogLevel
    )
    begin { Assert-SimInGuest 'Dism' }
    process {
        $ctx = Open-SimCall $PSCmdlet -Access Any
        try {
            if ($ctx.Ok -and (Test-SimDismElevated $ctx)) {
                if ($PSCmdlet.ParameterSetName -eq 'Offline') { throw 'Hyper-V simulator: DISM on an offline image (-Path) is not modelled.' }
                $features = [NestvirtSim.Guest]::Features($ctx.Guest.Vm)
                if (-not $PSBoundParameters.ContainsKey('FeatureName')) {
                    foreach ($key in @($features.Keys)) { Add-SimOutput $ctx ([NestvirtSim.FeatureFactory]::BasicClientFeature([string]$key, [string]$features[$key])) }
                }
                elseif (Test-SimWildcard $FeatureName) {
                    $pattern = New-SimPattern $FeatureName
                    foreach ($key in @($features.Keys)) {
                        if ($pattern.IsMatch([string]$key)) { Add-SimOutput $ctx ([NestvirtSim.FeatureFactory]::ClientFeature([string]$key, [string]$features[$key])) }
                    }
                }
                else {
                    $key = Find-SimFeatureName $features $FeatureName
                    # A Home edition has no Microsoft-Hyper-V: the feature is unknown (CBS_E_UNKNOWN_UPDATE).
                    if ($null -eq $key) { Set-SimDismError $ctx "Feature name $FeatureName is unknown." 0x800F080C $FeatureName }
                    else { Add-SimOutput $ctx ([NestvirtSim.FeatureFactory]::ClientFeature($key, [string]$features[$key])) }
                }
            }
        }
        finally { Close-SimCall $ctx }
        Complete-SimCall $ctx
    }
}

function Enable-WindowsOptionalFeature {
    [CmdletBinding(DefaultParameterSetName = 'Online', PositionalBinding = $false)]
    [OutputType([Microsoft.Dism.Commands.ImageObject])]
    param(
        [Parameter(Mandatory = $true, ValueFromPipelineByPropertyName = $true)] [string[]] $FeatureName,
        [Parameter(ValueFromPipelineByPropertyName = $true)] [string] $PackageName,
        [Parameter(ValueFromPipelineByPropertyName = $true)] [switch] $All,
        [Parameter(ValueFromPipelineByPropertyName = $true)] [switch] $LimitAccess,
        [Parameter(ValueFromPipelineByPropertyName = $true)] [string[]] $Source,
        [Parameter(ValueFromPipelineByPropertyName = $true)] [switch] $NoRestart,
        [Parameter(ParameterSetName = 'Online', Mandatory = $true, ValueFromPipelineByPropertyName = $true)] [switch] $Online,
        [Parameter(ParameterSetName = 'Offline', Mandatory = $true, ValueFromPipelineByPropertyName = $true)] [string] $Path,
        [Parameter(ValueFromPipelineByPropertyName = $true)] [string] $WindowsDirectory,
        [Parameter(ValueFromPipelineByPropertyName = $true)] [string] $SystemDrive,
        [Parameter(ValueFromPipelineByPropertyName = $true)] [Alias('LP')] [string] $LogPath,
        [Parameter(ValueFromPipelineByPropertyName = $true)] [string] $ScratchDirectory,
        [Parameter(ValueFromPipelineByPropertyName = $true)] [Alias('LL')] [Microsoft.Dism.Commands.LogLevel] $LogLevel
    )
    begin { Assert-SimInGuest 'Dism' }
    process {
        $ctx = Open-SimCall $PSCmdlet -Access Any
        try {
            if ($ctx.Ok -and (Test-SimDismElevated $ctx)) {
                if ($PSCmdlet.ParameterSetName -eq 'Offline') { throw 'Hyper-V simulator: DISM on an offline image (-Path) is not modelled.' }
                $vm = $ctx.Guest.Vm
                $guest = [NestvirtSim.Guest]::Section($vm)
                $features = [NestvirtSim.Guest]::Features($vm)
                $targets = [System.Collections.Generic.List[string]]::new()
                $unknown = $null
                foreach ($n in $FeatureName) {
                    $key = Find-SimFeatureName $features $n
                    if ($null -eq $key) { $unknown = $n; break }
                    if (-not $targets.Contains($key)) { $targets.Add($key) }
                    # -All enables the parents as well: for Hyper-V, the guest's Microsoft-Hyper-V* features.
                    if ($All -and $key -like 'Microsoft-Hyper-V*') {
                        foreach ($other in @($features.Keys)) { if ([string]$other -like 'Microsoft-Hyper-V*' -and -not $targets.Contains([string]$other)) { $targets.Add([string]$other) } }
                    }
                }
                if ($null -ne $unknown) {
                    Set-SimDismError $ctx "Feature name $unknown is unknown." 0x800F080C $unknown
                }
                else {
                    $todo = @($targets | Where-Object { -not [NestvirtSim.Guest]::IsInstalledState([string]$features[$_]) -and -not [NestvirtSim.Guest]::IsPendingState([string]$features[$_]) })
                    $pendingAlready = @($targets | Where-Object { [NestvirtSim.Guest]::IsPendingState([string]$features[$_]) }).Count -gt 0
                    $hyperv = @($todo | Where-Object { $_ -in 'Microsoft-Hyper-V', 'Microsoft-Hyper-V-All', 'Microsoft-Hyper-V-Hypervisor' }).Count -gt 0
                    $expose = Test-SimTrue ([NestvirtSim.Factory]::Dict($vm, 'processor')) 'expose_virtualization_extensions' $false
                    $removed = @($todo | Where-Object { [NestvirtSim.Guest]::IsPayloadRemovedState([string]$features[$_]) })
                    if ($todo.Count -eq 0) {
                        Add-SimOutput $ctx ([NestvirtSim.FeatureFactory]::EnableResult($pendingAlready))
                    }
                    elseif ($hyperv -and -not $expose) {
                        Set-SimDismError $ctx $script:CapabilityMessage 0x80004005
                    }
                    elseif ($removed.Count -gt 0 -and -not (Test-SimInstallSource $guest $Source)) {
                        # No Windows Update in the simulator: without a known -Source the payload is nowhere.
                        Set-SimDismError $ctx $script:SourceMessage 0x800F081F
                    }
                    else {
                        $write = [NestvirtSim.Guest]::FeaturesForWrite($vm)
                        foreach ($n in $todo) { $write[$n] = 'EnablePending' }
                        if (@($todo | Where-Object { $_ -like 'Microsoft-Hyper-V*' }).Count -gt 0) { Set-SimInstallPending $vm }
                        else {
                            $pending = Get-SimSectionForPending $guest
                            $pending['cbs'] = $true
                        }
                        # Without -NoRestart the real cmdlet asks whether to restart now; the
                        # simulator does not restart (as if the answer were No).
                        Add-SimOutput $ctx ([NestvirtSim.FeatureFactory]::EnableResult($true))
                    }
                }
            }
        }
        finally { Close-SimCall $ctx }
        Complete-SimCall $ctx
    }
}

function script:Get-SimSectionForPending($guest) {
    $pending = $guest['reboot_pending']
    if ($pending -isnot [System.Collections.IDictionary]) {
        $pending = [NestvirtSim.Json]::NewObject()
        $pending['cbs'] = $false
        $pending['windows_update'] = $false
        $guest['reboot_pending'] = $pending
    }
    return $pending
}

Export-ModuleMember -Function Get-WindowsOptionalFeature, Enable-WindowsOptionalFeature
