# Shared by every simulator module (dot-sourced into each module's own scope; nothing here is exported).
#
# Loads the simulator's .NET types (build/hyperv-sim/NestvirtSim.dll, or the C# sources through
# Add-Type when the DLL is missing or older than them) and provides the frame of every cmdlet:
#
#   process {
#       $ctx = Open-SimCall $PSCmdlet -Access HyperV     # lock + load state, log the call, faults, permission
#       try { if ($ctx.Ok) { ...body: read/modify $ctx.State, Add-SimError / Add-SimOutput... } }
#       finally { Close-SimCall $ctx }                    # write the state back, release the lock
#       Complete-SimCall $ctx                             # then warnings, errors, output objects
#   }
#
# Output and errors are emitted only after the state file is written and unlocked, so the next
# cmdlet of a pipeline (which runs while this one is still emitting) starts a transaction of its own.

Set-StrictMode -Version 3.0

function script:Get-SimRoot {
    # tests/hyperv-sim (each module's .psm1 resolves its own symbolic link before dot-sourcing this file).
    if ($env:NESTVIRT_SIM_ROOT -and (Test-Path -LiteralPath (Join-Path $env:NESTVIRT_SIM_ROOT 'lib/SimCore.ps1'))) {
        return $env:NESTVIRT_SIM_ROOT
    }
    return [System.IO.Path]::GetDirectoryName($PSScriptRoot)
}

if (-not ('NestvirtSim.Store' -as [type])) {
    $simRoot = Get-SimRoot
    $sources = [System.IO.Directory]::GetFiles([System.IO.Path]::Combine($simRoot, 'types'), '*.cs')
    $dll = $env:NESTVIRT_SIM_TYPES
    if (-not $dll) { $dll = [System.IO.Path]::Combine($simRoot, '../../build/hyperv-sim/NestvirtSim.dll') }
    $dllInfo = [System.IO.FileInfo]::new($dll)
    $fresh = $dllInfo.Exists
    foreach ($source in $sources) {
        if ($fresh -and [System.IO.File]::GetLastWriteTimeUtc($source) -gt $dllInfo.LastWriteTimeUtc) { $fresh = $false }
    }
    if ($fresh) {
        $null = [System.Reflection.Assembly]::LoadFrom($dllInfo.FullName)
    }
    else {
        # Slow path (seconds): compile the same sources in this process.
        Add-Type -Path $sources
    }
    Remove-Variable -Name simRoot, sources, source, dll, dllInfo, fresh -ErrorAction Ignore
}

# Which implementing type a compiled cmdlet of this module would have (for FullyQualifiedErrorId).
function script:Get-SimImplementingType([string]$Name) {
    switch ($script:SimModuleName) {
        'Hyper-V' {
            # The VHD cmdlets live in Microsoft.Vhd.PowerShell.Cmdlets (New-VHD: NewVhd, microsoft/MSLab#386).
            if ($Name -like '*-VHD') { return 'Microsoft.Vhd.PowerShell.Cmdlets.' + $Name.Split('-')[0] + 'Vhd' }
            return 'Microsoft.HyperV.PowerShell.Commands.' + $Name.Replace('-', '')
        }
        'CimCmdlets' { return 'Microsoft.Management.Infrastructure.CimCmdlets.' + $Name.Replace('-', '') + 'Command' }
        # Install-WindowsFeature is implemented by AddWindowsFeatureCommand (Add-WindowsFeature is its alias).
        'ServerManager' { return 'Microsoft.Windows.ServerManager.Commands.' + $Name.Replace('-', '').Replace('InstallWindows', 'AddWindows') + 'Command' }
        'Dism' { return 'Microsoft.Dism.Commands.' + $Name.Replace('-', '') + 'Command' }
        'Microsoft.PowerShell.Management' { return 'Microsoft.PowerShell.Commands.' + $Name.Replace('-', '') + 'Command' }
        default { return $null }  # CDXML modules: their cmdlets are functions on Windows too
    }
}

function script:Open-SimCall {
    param(
        # The cmdlet; absent for the native-command stand-ins inside guests (lib/NestvirtSimGuest.psm1),
        # which name themselves (-CommandName) and log their arguments (-Parameters).
        [System.Management.Automation.PSCmdlet] $Cmdlet,
        # HyperV: elevated or member of Hyper-V Administrators; Admin: elevated; Any: no check.
        [ValidateSet('HyperV', 'Admin', 'Any')] [string] $Access = 'Any',
        [string] $CommandName,
        [System.Collections.IDictionary] $Parameters
    )
    $name = if ($CommandName) { $CommandName } else { $Cmdlet.MyInvocation.MyCommand.Name }
    $parameterSet = if ($null -ne $Cmdlet) { $Cmdlet.ParameterSetName } else { '' }
    $bound = if ($null -ne $Parameters) { $Parameters } else { $Cmdlet.MyInvocation.BoundParameters }
    $state = [NestvirtSim.Store]::Begin()
    $guest = $null
    if ($env:NESTVIRT_SIM_GUEST) {
        # Inside a VM (PowerShell Direct stand-in): work on a view of its guest section (SimGuest.ps1).
        try { $guest = Enter-SimGuest $state $env:NESTVIRT_SIM_GUEST }
        catch { [NestvirtSim.Store]::Abandon(); throw }
        $state = $guest.View
    }
    $ctx = [pscustomobject]@{
        Cmdlet   = $Cmdlet
        Name     = $name
        State    = $state
        HostInfo = $state['host']
        Entry    = $null
        Ok       = $true
        Errors   = [System.Collections.Generic.List[System.Management.Automation.ErrorRecord]]::new()
        Warnings = [System.Collections.Generic.List[string]]::new()
        Output   = [System.Collections.Generic.List[object]]::new()
        WaitUntil = $null      # [datetime]: sleep (outside the lock) until then, then re-read the state
        WaitForever = $false
        RefreshIds = $null     # after the wait: return these VMs (by id) as they are then
        ExitCode = $null
        Guest    = $guest      # set inside a VM: Close-SimCall writes the view back
        Terminating = $null    # an ErrorRecord Complete-SimCall throws (ThrowTerminatingError), after logging it
    }
    try {
        $ctx.Entry = [NestvirtSim.Store]::AddCall($state, $script:SimModuleName, $name, $parameterSet, $bound)
        if ($null -ne $guest) { $ctx.Entry['guest'] = [string]$guest.Vm['name'] }
        $faultIndex = -1
        $fault = [NestvirtSim.Store]::MatchFault($state, $name, [long]$ctx.Entry['n'], [ref]$faultIndex)
        if ($null -ne $fault -and [string]$fault['action'] -eq 'delay') {
            # Logged at once (a test waits for it), then the call sleeps outside the lock and goes
            # on as though no fault had fired: a window in which to interrupt nestvirt mid-request.
            $seq = [long]$ctx.Entry['seq']
            $ctx.Entry['fault'] = $faultIndex
            if ($null -ne $guest) { Exit-SimGuest $guest }
            [NestvirtSim.Store]::Commit()
            $seconds = if ($null -ne $fault['seconds']) { [double]$fault['seconds'] } else { 5.0 }
            Start-Sleep -Milliseconds ([int]($seconds * 1000))
            $state = [NestvirtSim.Store]::Begin()
            $root = $state
            if ($env:NESTVIRT_SIM_GUEST) {
                $guest = Enter-SimGuest $state $env:NESTVIRT_SIM_GUEST
                $state = $guest.View
            }
            $ctx.State = $state
            $ctx.HostInfo = $state['host']
            $ctx.Guest = $guest
            $ctx.Entry = $null
            foreach ($c in $root['calls']) {
                if ([string]$c['type'] -eq 'cmdlet' -and [long]$c['seq'] -eq $seq) { $ctx.Entry = $c }
            }
            [NestvirtSim.Store]::Rewrite($ctx.Entry)
            $fault = $null
        }
        if ($null -ne $fault) {
            $ctx.Entry['fault'] = $faultIndex
            $ctx.Ok = $false
            switch ([string]$fault['action']) {
                'hang' {
                    $ctx.WaitForever = $true
                    if (Test-SimTrue $fault 'child' $false) { $ctx.Entry['child_pid'] = Start-SimSleeper }
                }
                'exit' { $ctx.ExitCode = if ($null -ne $fault['exit_code']) { [int]$fault['exit_code'] } else { 1 } }
                default { Add-SimFaultError $ctx $fault }
            }
        }
        elseif ($Access -eq 'HyperV' -and -not ((Test-SimTrue $ctx.HostInfo 'elevated' $true) -or (Test-SimTrue $ctx.HostInfo 'hyperv_admin' $false))) {
            $computer = [NestvirtSim.Factory]::Str($ctx.HostInfo, 'computer_name', 'HYPERV-HOST')
            Add-SimError $ctx -Message "You do not have the required permission to complete this task. Contact the administrator of the authorization policy for the computer '$computer'." -ErrorId AccessDenied -Category PermissionDenied
            $ctx.Ok = $false
        }
        elseif ($Access -eq 'Admin' -and -not (Test-SimTrue $ctx.HostInfo 'elevated' $true)) {
            Add-SimCimError $ctx -Message 'Access denied ' -WindowsError 5 -Category PermissionDenied
            $ctx.Ok = $false
        }
    }
    catch {
        [NestvirtSim.Store]::Abandon()
        throw
    }
    return $ctx
}

function script:Close-SimCall($ctx) {
    if (-not [NestvirtSim.Store]::InTransaction) { return }
    try {
        $logged = @($ctx.Errors) + @($ctx.Terminating | Where-Object { $null -ne $_ })
        if ($logged.Count -gt 0) {
            $ctx.Entry['outcome'] = 'error'
            $ctx.Entry['errors'] = @($logged | ForEach-Object {
                    [ordered]@{ message = $_.Exception.Message; fqid = $_.FullyQualifiedErrorId; category = [string]$_.CategoryInfo.Category }
                })
        }
        else {
            $ctx.Entry['outcome'] = 'ok'
        }
        if ($ctx.Warnings.Count -gt 0) { $ctx.Entry['warnings'] = @($ctx.Warnings) }
        if ($null -ne $ctx.Guest) { Exit-SimGuest $ctx.Guest; Sync-SimGuestRegistry $ctx.Guest.Vm }
        [NestvirtSim.Store]::Commit()
    }
    catch {
        [NestvirtSim.Store]::Abandon()
        throw
    }
}

# For timeout tests (a hang fault with "child": true): a descendant that whoever ends the hung
# engine must end too. It is the engine again, sleeping; it inherits the environment but not the
# state file or the preload, so it logs nothing and the log stays the same from run to run.
function script:Start-SimSleeper {
    $info = [System.Diagnostics.ProcessStartInfo]::new([System.Environment]::ProcessPath)
    foreach ($a in '-NoProfile', '-NonInteractive', '-Command', 'Start-Sleep -Seconds 3600') { $info.ArgumentList.Add($a) }
    $info.UseShellExecute = $false
    [void]$info.Environment.Remove('NESTVIRT_SIM_STATE')
    [void]$info.Environment.Remove('NESTVIRT_SIM_PRELOAD')
    return [System.Diagnostics.Process]::Start($info).Id
}

function script:Complete-SimCall($ctx) {
    if ($null -ne $ctx.ExitCode) { [System.Environment]::Exit($ctx.ExitCode) }
    if ($ctx.WaitForever) {
        while ($true) { Start-Sleep -Seconds 3600 }
    }
    if ($null -ne $ctx.WaitUntil) {
        $delay = $ctx.WaitUntil - [datetime]::UtcNow
        if ($delay -gt [timespan]::Zero) { Start-Sleep -Milliseconds ([int][math]::Ceiling($delay.TotalMilliseconds)) }
        # Let the completed transition land in the file, then refresh the objects to return.
        $state = [NestvirtSim.Store]::Begin()
        try {
            if ($null -ne $ctx.RefreshIds) {
                $ctx.Output.Clear()
                foreach ($machine in $state['vms']) {
                    if ($ctx.RefreshIds -contains [string]$machine['id']) { $ctx.Output.Add([NestvirtSim.Factory]::VirtualMachine($machine, $state)) }
                }
            }
            [NestvirtSim.Store]::Commit()
        }
        catch {
            [NestvirtSim.Store]::Abandon()
            throw
        }
    }
    foreach ($w in $ctx.Warnings) { $ctx.Cmdlet.WriteWarning($w) }
    foreach ($e in $ctx.Errors) { $ctx.Cmdlet.WriteError($e) }
    if ($null -ne $ctx.Terminating) { $ctx.Cmdlet.ThrowTerminatingError($ctx.Terminating) }
    foreach ($o in $ctx.Output) { $o }
}

# A terminating error of a compiled cmdlet (ServerManager, Dism): logged with the call, thrown by
# Complete-SimCall through ThrowTerminatingError (statement-terminating, as the real cmdlet's).
# -FullyQualifiedErrorId gives the FQID whole (DISM's records have no error id of their own).
function script:Set-SimTerminatingError {
    param(
        $ctx,
        [Parameter(Mandatory)] [string] $Message,
        [string] $ErrorId,
        [string] $FullyQualifiedErrorId,
        [System.Management.Automation.ErrorCategory] $Category = 'NotSpecified',
        $Target = $null,
        [string] $Exception = '',
        [long] $HResult = 0
    )
    $ex = if ($HResult -ne 0) { [NestvirtSim.Errors]::ComException($Message, $HResult) } else { [NestvirtSim.Errors]::NewException($Exception, $Message) }
    $ctx.Terminating = if ($FullyQualifiedErrorId) {
        [NestvirtSim.Errors]::TerminatingWithId($ex, $FullyQualifiedErrorId, $Category, $Target, $ctx.Name)
    }
    else {
        [NestvirtSim.Errors]::Terminating($ex, $ErrorId, $Category, $Target, $ctx.Name, (Get-SimImplementingType $ctx.Name))
    }
    $ctx.Ok = $false
}

# ShouldProcess / ShouldContinue as a compiled cmdlet calls them: under -NonInteractive the prompt's
# error reads "PowerShell is in NonInteractive mode. ..." (not "Exception calling ShouldProcess ...").
# A compiled cmdlet reports the failed prompt as InvalidOperation,<type> (PSInvalidOperationException).
function script:Test-SimShouldProcess([System.Management.Automation.PSCmdlet]$Cmdlet, [object[]]$Arguments) {
    try { return $Cmdlet.ShouldProcess([string]$Arguments[0], [string]$Arguments[1]) }
    catch [System.Management.Automation.MethodInvocationException] { Stop-SimPrompt $Cmdlet $_.Exception.InnerException }
}

function script:Test-SimShouldContinue([System.Management.Automation.PSCmdlet]$Cmdlet, [object[]]$Arguments) {
    try { return $Cmdlet.ShouldContinue([string]$Arguments[0], [string]$Arguments[1]) }
    catch [System.Management.Automation.MethodInvocationException] { Stop-SimPrompt $Cmdlet $_.Exception.InnerException }
}

function script:Stop-SimPrompt([System.Management.Automation.PSCmdlet]$Cmdlet, [System.Exception]$Exception) {
    $name = $Cmdlet.MyInvocation.MyCommand.Name
    $Cmdlet.ThrowTerminatingError([NestvirtSim.Errors]::Terminating($Exception, 'InvalidOperation', 'InvalidOperation', $null, $name, (Get-SimImplementingType $name)))
}

function script:Test-SimTrue($Dictionary, [string]$Key, [bool]$Default) {
    if ($null -eq $Dictionary -or -not $Dictionary.Contains($Key) -or $null -eq $Dictionary[$Key]) { return $Default }
    return [bool]$Dictionary[$Key]
}

function script:Add-SimOutput($ctx, $Object) { $ctx.Output.Add($Object) }

function script:Add-SimError {
    param(
        $ctx,
        [Parameter(Mandatory)] [string] $Message,
        [Parameter(Mandatory)] [string] $ErrorId,
        [System.Management.Automation.ErrorCategory] $Category = 'NotSpecified',
        $Target = $null,
        [string] $Exception = '',
        [string] $TargetName,
        [string] $TargetType
    )
    $ex = [NestvirtSim.Errors]::NewException($Exception, $Message)
    $invocation = if ($null -ne $ctx.Cmdlet) { $ctx.Cmdlet.MyInvocation } else { $null }   # (none: a native-command stand-in)
    $record = [NestvirtSim.Errors]::Record($ex, $ErrorId, $Category, $Target, $ctx.Name, (Get-SimImplementingType $ctx.Name), $invocation)
    if ($PSBoundParameters.ContainsKey('TargetName')) { $record.CategoryInfo.TargetName = $TargetName }
    if ($PSBoundParameters.ContainsKey('TargetType')) { $record.CategoryInfo.TargetType = $TargetType }
    $ctx.Errors.Add($record)
}

# The error of a CDXML (CIM) cmdlet: "Windows System Error <n>,<cmdlet>", target MSFT_Class:namespace.
function script:Add-SimCimError {
    param(
        $ctx,
        [Parameter(Mandatory)] [string] $Message,
        [Parameter(Mandatory)] [int] $WindowsError,
        [System.Management.Automation.ErrorCategory] $Category = 'InvalidArgument',
        [string] $ClassName = $script:SimCimClass,
        [string] $Namespace = $script:SimCimNamespace
    )
    Add-SimError $ctx -Message $Message -ErrorId "Windows System Error $WindowsError" -Category $Category `
        -Exception CimException -TargetName $ClassName -TargetType "$Namespace/$ClassName"
}

function script:Add-SimFaultError($ctx, $fault) {
    $id = [string]$fault['fqid']
    if (-not $id) { $id = [string]$fault['error_id'] }
    if (-not $id) {
        $id = switch ($script:SimModuleName) {
            'Hyper-V' { 'OperationFailed' }
            'ServerManager' { 'DISMAPI_Error__Failed_To_Enable_Updates' }
            default { 'Windows System Error 1' }
        }
    }
    $comma = $id.IndexOf(',')
    if ($comma -ge 0) { $id = $id.Substring(0, $comma) }   # the suffix is always this command's
    $category = if ($fault['category']) { [string]$fault['category'] } else { 'NotSpecified' }
    $exception = if ($fault['exception']) { [string]$fault['exception'] } elseif ($script:SimModuleName -eq 'Hyper-V') { 'VirtualizationException' } else { 'CimException' }
    $message = if ($fault['message']) { [string]$fault['message'] } else { "Simulated failure of $($ctx.Name) (call $($ctx.Entry['n']))." }
    if ((Test-Path variable:script:SimTerminatingFaults) -and $script:SimTerminatingFaults) {
        # ServerManager and Dism cmdlets fail with terminating errors; DISM's FQID is its type alone.
        if (-not $fault['exception']) { $exception = if ($script:SimModuleName -eq 'Dism') { 'COMException' } else { 'Exception' } }
        if ($script:SimModuleName -eq 'Dism' -and -not ($fault['fqid'] -or $fault['error_id'])) {
            Set-SimTerminatingError $ctx -Message $message -FullyQualifiedErrorId (Get-SimImplementingType $ctx.Name) -Category $category -Exception $exception -Target $fault['target']
        }
        else {
            Set-SimTerminatingError $ctx -Message $message -ErrorId $id -Category $category -Exception $exception -Target $fault['target']
        }
        return
    }
    Add-SimError $ctx -Message $message -ErrorId $id -Category $category -Exception $exception -Target $fault['target']
}

# ---- wildcard matching, as the real cmdlets do it ---------------------------------------------

function script:New-SimPattern([string]$Text) {
    [System.Management.Automation.WildcardPattern]::new($Text, [System.Management.Automation.WildcardOptions]::IgnoreCase)
}

function script:Test-SimWildcard([string]$Text) {
    [System.Management.Automation.WildcardPattern]::ContainsWildcardCharacters($Text)
}

function script:ConvertTo-SimList($Value) {
    $list = [System.Collections.Generic.List[object]]::new()
    foreach ($v in @($Value)) { if ($null -ne $v) { $list.Add($v) } }
    return , $list
}

function script:Get-SimSeq($ctx) { [long]$ctx.Entry['seq'] }

. (Join-Path $PSScriptRoot 'SimGuest.ps1')
