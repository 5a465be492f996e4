# PowerShell Direct for the Hyper-V simulator: Invoke-Command -VMName / -VMId (Invoke-Command in MicrosoftDocs/PowerShell-Docs).
#
# It resolves the VMs as the real cmdlet does (through Get-VM: by name *pattern*, or by id; not
# exactly one match -> "does not resolve"), fails as PowerShell Direct fails (its error texts: docs/simulator.md, "Errors"), and
# otherwise runs the script block's *text* with the ArgumentList in a fresh runspace, as a remote
# session would: no caller variables, arguments and results as deserialized copies (depth 1),
# results tagged with PSComputerName. While it runs, $env:NESTVIRT_SIM_GUEST names the VM, so the
# NetAdapter/NetTCPIP/DnsClient/CimCmdlets/ServerManager/Dism cmdlets work on that VM's `guest`
# section (lib/SimGuest.ps1), and the guest's own commands (Get-Service, bcdedit.exe, shutdown.exe:
# lib/NestvirtSimGuest.psm1) are defined in its runspace.
# The InProcess set (Invoke-Command { ... }) is forwarded to the real cmdlet.
#
# tests/pwsh-host imports this module into every engine it starts under with-sim, so importing
# must cost little: the simulator's shared code (lib/SimCore.ps1, whose functions are all
# script:-scoped and so land in this module's scope) is loaded at the first PowerShell Direct call.
Set-StrictMode -Version 3.0
$script:SimModuleName = 'Microsoft.PowerShell.Core'
$script:SimLoaded = $false
$script:SimLibDir = [System.IO.DirectoryInfo]::new($PSScriptRoot)
if ($null -ne $script:SimLibDir.ResolveLinkTarget($true)) { $script:SimLibDir = [System.IO.DirectoryInfo]::new($script:SimLibDir.ResolveLinkTarget($true).FullName) }
$script:SimLibDir = [System.IO.Path]::Combine($script:SimLibDir.Parent.Parent.FullName, 'lib')

function script:Initialize-SimDirect {
    if ($script:SimLoaded) { return }
    $lib = [System.IO.DirectoryInfo]::new($PSScriptRoot)
    if ($null -ne $lib.ResolveLinkTarget($true)) { $lib = [System.IO.DirectoryInfo]::new($lib.ResolveLinkTarget($true).FullName) }
    . (Join-Path (Join-Path $lib.Parent.Parent.FullName 'lib') 'SimCore.ps1')
    $script:SimGuestCommands = Join-Path (Join-Path $lib.Parent.Parent.FullName 'lib') 'NestvirtSimGuest.psm1'
    $script:SimLoaded = $true
}

# The VM's entry in the state as it is now (read only, nothing logged).
function script:Get-SimGuestEntry([string]$Id) {
    foreach ($v in [NestvirtSim.Store]::Read()['vms']) { if ([string]$v['id'] -eq $Id) { return $v } }
    return $null
}

# An error record as the compiled cmdlet writes it: FQID "<id>,Microsoft.PowerShell.Commands.
# InvokeCommandCommand" (the same internal members as NestvirtSim.Errors; without them the suffix
# is the function name).
function script:Add-SimDirectError($ctx, [System.Exception]$Exception, [string]$ErrorId, [System.Management.Automation.ErrorCategory]$Category) {
    $record = [System.Management.Automation.ErrorRecord]::new($Exception, $ErrorId, $Category, $null)
    $flags = [System.Reflection.BindingFlags]'NonPublic, Instance'
    $set = [System.Management.Automation.ErrorRecord].GetMethod('SetInvocationInfo', $flags)
    $keep = [System.Management.Automation.ErrorRecord].GetProperty('PreserveInvocationInfoOnce', $flags)
    if ($null -ne $set -and $null -ne $keep) {
        $cmdlet = [System.Management.Automation.CmdletInfo]::new('Invoke-Command', [Microsoft.PowerShell.Commands.InvokeCommandCommand])
        $info = [System.Management.Automation.InvocationInfo]::Create($cmdlet, $ctx.Cmdlet.MyInvocation.DisplayScriptPosition)
        $null = $set.Invoke($record, @($info))
        $keep.SetValue($record, $true)
    }
    $ctx.Errors.Add($record)
}

# guest.credentials: the user name compares case-insensitively (".\user" and "COMPUTER\user" too),
# the password exactly. A guest without credentials accepts none (no user profile yet).
function script:Test-SimGuestCredential($vmEntry, [pscredential]$Credential) {
    $guest = [NestvirtSim.Factory]::Dict($vmEntry, 'guest')
    $known = [NestvirtSim.Factory]::Dict($guest, 'credentials')
    if ($null -eq $known) { return $false }
    $user = $Credential.UserName
    $computer = [NestvirtSim.Factory]::Str($guest, 'computer_name', [string]$vmEntry['name'])
    foreach ($prefix in '.\', "$computer\") {
        if ($user.StartsWith($prefix, [System.StringComparison]::OrdinalIgnoreCase)) { $user = $user.Substring($prefix.Length) }
    }
    return ($user -ieq [string]$known['user']) -and ($Credential.GetNetworkCredential().Password -ceq [string]$known['password'])
}

function script:Copy-SimRemoteObject($Value) {
    if ($null -eq $Value) { return $null }
    [System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize($Value, 1))
}

# The guest's own commands (lib/NestvirtSimGuest.psm1: Get-Service, bcdedit.exe, shutdown.exe,
# Restart-Computer...) are defined in every guest runspace, as stubs that import the module the
# first time one is called (importing it into every runspace would add ~70 ms to each
# Invoke-Command). A PreCommandLookupAction sends any other way of naming them (a path, a
# module-qualified name, without .exe) to the same functions, and the Linux power commands to a
# refusal: the test machine runs as root, and nothing a script does inside a simulated guest may
# ever reach its real shutdown.
$script:SimGuestCommandNames = @('Get-Service', 'bcdedit.exe', 'bcdedit', 'shutdown.exe', 'shutdown', 'Restart-Computer', 'Stop-Computer')

function script:New-SimGuestSessionState {
    $iss = [System.Management.Automation.Runspaces.InitialSessionState]::CreateDefault2()
    $path = $script:SimGuestCommands.Replace("'", "''")
    foreach ($name in $script:SimGuestCommandNames) {
        $body = "if (-not (Get-Module -Name NestvirtSimGuest)) { Import-Module -Name '$path' -Global }`n" +
        "`$command = Get-Command -Name '$name' -Module NestvirtSimGuest -CommandType Function`n" +
        "if (`$MyInvocation.ExpectingInput) { `$input | & `$command @args } else { & `$command @args }"
        $iss.Commands.Add([System.Management.Automation.Runspaces.SessionStateFunctionEntry]::new($name, $body))
    }
    return $iss
}

$script:SimGuestSetup = {
    param([string]$Root)
    # HKLM: is a folder (FileSystem provider) holding the keys the simulator models (the session
    # state API, not New-PSDrive: loading Microsoft.PowerShell.Management costs ~30 ms a runspace).
    $drives = $ExecutionContext.SessionState.Drive
    if ($null -ne $drives.GetAtScope('HKLM', 'Global')) { $drives.Remove('HKLM', $true, 'Global') }   # Windows (wine) has one
    $drives.New([System.Management.Automation.PSDriveInfo]::new('HKLM', $ExecutionContext.SessionState.Provider.GetOne('FileSystem'), $Root, '', $null), 'Global')
    $items = $ExecutionContext.SessionState.InvokeProvider.Item
    $ExecutionContext.InvokeCommand.PreCommandLookupAction = {
        param([string]$Name, [System.Management.Automation.CommandLookupEventArgs]$Lookup)
        $leaf = ($Name -split '[\\/]')[-1].ToLowerInvariant()
        $target = switch -Regex ($leaf) {
            '^shutdown(\.exe)?$' { 'shutdown.exe' }
            '^bcdedit(\.exe)?$' { 'bcdedit.exe' }
            '^restart-computer$' { 'Restart-Computer' }
            '^stop-computer$' { 'Stop-Computer' }
            '^(reboot|poweroff|halt|systemctl|init|telinit|kexec)$' { '' }
            default { $null }
        }
        if ($target -eq '') {
            # Windows has no such command: "not recognized", never the Linux one.
            $term = $Name
            $Lookup.CommandScriptBlock = {
                throw [System.Management.Automation.ErrorRecord]::new(
                    [System.Management.Automation.CommandNotFoundException]::new("The term '$term' is not recognized as a name of a cmdlet, function, script file, or executable program.`nCheck the spelling of the name, or if a path was included, verify that the path is correct and try again."),
                    'CommandNotFoundException', 'ObjectNotFound', $term)
            }.GetNewClosure()
            $Lookup.StopSearch = $true
        }
        elseif ($null -ne $target) {
            # The function as it is now (the stub, or the module's once imported); read through the
            # provider, which makes no command lookup of its own.
            $Lookup.Command = $items.Get("function:\$target")[0].psobject.BaseObject
            $Lookup.StopSearch = $true
        }
    }.GetNewClosure()
}

function script:Invoke-SimGuestScript($Cmdlet, $Target, [scriptblock]$ScriptBlock, [object[]]$ArgumentList, [bool]$ShowComputerName) {
    $runspace = [runspacefactory]::CreateRunspace((New-SimGuestSessionState))
    $shell = [powershell]::Create()
    $previous = $env:NESTVIRT_SIM_GUEST
    $previousHklm = $env:NESTVIRT_SIM_GUEST_HKLM
    $hklm = [System.IO.Directory]::CreateTempSubdirectory('nestvirt-sim-hklm-').FullName
    $output = @()
    $warnings = @()
    $errors = @()
    $failure = $null
    try {
        $env:NESTVIRT_SIM_GUEST_HKLM = $hklm
        $runspace.Open()
        $setup = [powershell]::Create()
        try {
            $setup.Runspace = $runspace
            $null = $setup.AddScript($script:SimGuestSetup.ToString()).AddArgument($hklm)
            $null = $setup.Invoke()
        }
        finally { $setup.Dispose() }
        Sync-SimGuestRegistry (Get-SimGuestEntry $Target.Id)
        $shell.Runspace = $runspace
        $null = $shell.AddScript($ScriptBlock.ToString())
        if ($null -ne $ArgumentList) { foreach ($a in $ArgumentList) { $null = $shell.AddArgument((Copy-SimRemoteObject $a)) } }
        $env:NESTVIRT_SIM_GUEST = $Target.Id
        try { $output = @($shell.Invoke()) }
        catch {
            # A terminating error inside the guest arrives as a (non-terminating) error of Invoke-Command.
            $inner = $_.Exception
            while ($null -ne $inner.InnerException -and ($inner -is [System.Management.Automation.MethodInvocationException] -or
                    $inner -isnot [System.Management.Automation.IContainsErrorRecord])) { $inner = $inner.InnerException }
            $failure = if ($inner -is [System.Management.Automation.IContainsErrorRecord]) { $inner.ErrorRecord }
            else { [System.Management.Automation.ErrorRecord]::new($inner, 'RemoteScriptFailed', 'NotSpecified', $null) }
        }
        $warnings = @($shell.Streams.Warning)
        $errors = @($shell.Streams.Error)
    }
    finally {
        $env:NESTVIRT_SIM_GUEST = $previous
        $env:NESTVIRT_SIM_GUEST_HKLM = $previousHklm
        $shell.Dispose()
        $runspace.Dispose()
        [System.IO.Directory]::Delete($hklm, $true)
    }
    foreach ($w in $warnings) { $Cmdlet.WriteWarning($w.Message) }
    foreach ($e in $errors) { $Cmdlet.WriteError($e) }
    if ($null -ne $failure) { $Cmdlet.WriteError($failure) }
    foreach ($o in $output) {
        $copy = Copy-SimRemoteObject $o
        if ($null -ne $copy -and $copy -isnot [string] -and $copy -isnot [System.ValueType]) {
            $copy.PSObject.Properties.Add([psnoteproperty]::new('PSComputerName', $Target.Name))
            $copy.PSObject.Properties.Add([psnoteproperty]::new('RunspaceId', $runspace.InstanceId))
            $copy.PSObject.Properties.Add([psnoteproperty]::new('PSShowComputerName', $ShowComputerName))
        }
        $copy
    }
}

function Invoke-Command {
    [CmdletBinding(DefaultParameterSetName = 'InProcess')]
    param(
        [Parameter(ParameterSetName = 'VMId', Mandatory = $true, Position = 0, ValueFromPipelineByPropertyName = $true)]
        [Alias('VMGuid')]
        [ValidateNotNullOrEmpty()]
        [guid[]] $VMId,

        [Parameter(ParameterSetName = 'VMName', Mandatory = $true, ValueFromPipelineByPropertyName = $true)]
        [ValidateNotNullOrEmpty()]
        [string[]] $VMName,

        [Parameter(ParameterSetName = 'VMId', Mandatory = $true, ValueFromPipelineByPropertyName = $true)]
        [Parameter(ParameterSetName = 'VMName', Mandatory = $true, ValueFromPipelineByPropertyName = $true)]
        [System.Management.Automation.Credential()]
        [pscredential] $Credential,

        [Parameter(ParameterSetName = 'VMId')] [Parameter(ParameterSetName = 'VMName')] [string] $ConfigurationName,
        [Parameter(ParameterSetName = 'VMId')] [Parameter(ParameterSetName = 'VMName')] [int] $ThrottleLimit,
        [Parameter(ParameterSetName = 'VMId')] [Parameter(ParameterSetName = 'VMName')] [switch] $AsJob,
        [Parameter(ParameterSetName = 'VMId')] [Parameter(ParameterSetName = 'VMName')] [Alias('HCN')] [switch] $HideComputerName,

        [Parameter(ParameterSetName = 'VMId', Mandatory = $true, Position = 1)]
        [Parameter(ParameterSetName = 'VMName', Mandatory = $true, Position = 1)]
        [Parameter(ParameterSetName = 'InProcess', Mandatory = $true, Position = 0)]
        [Alias('Command')]
        [ValidateNotNull()]
        [scriptblock] $ScriptBlock,

        [Parameter(ParameterSetName = 'InProcess')] [switch] $NoNewScope,
        [Parameter(ValueFromPipeline = $true)] [psobject] $InputObject,
        [Alias('Args')] [object[]] $ArgumentList
    )
    process {
        if ($PSCmdlet.ParameterSetName -eq 'InProcess') {
            Microsoft.PowerShell.Core\Invoke-Command @PSBoundParameters
            return
        }
        Initialize-SimDirect
        $ctx = Open-SimCall $PSCmdlet -Access Any
        $targets = [System.Collections.Generic.List[object]]::new()
        try {
            $byId = $PSCmdlet.ParameterSetName -eq 'VMId'
            $wanted = if ($byId) { $VMId } else { $VMName }
            if (-not $ctx.Ok) { $wanted = @() }   # a fault fired
            foreach ($w in $wanted) {
                # As the cmdlet does: "Get-VM -Id $args[0]" / "Get-VM -Name $args" (a pattern).
                try {
                    $found = @(if ($byId) { Hyper-V\Get-VM -Id $w -ErrorAction SilentlyContinue } else { Hyper-V\Get-VM -Name $w -ErrorAction SilentlyContinue })
                }
                catch [System.Management.Automation.CommandNotFoundException] {
                    # Message invented: the resource text was not found (FQID and category are the cmdlet's).
                    $PSCmdlet.ThrowTerminatingError([System.Management.Automation.ErrorRecord]::new(
                            [System.ArgumentException]::new('The Hyper-V module is not available on this computer.'), 'HyperVModuleNotAvailable', 'NotInstalled', $null))
                }
                if ($found.Count -ne 1) {
                    $what = if ($byId) { 'VMId' } else { 'VMName' }
                    Add-SimDirectError $ctx ([System.ArgumentException]::new("The input $what parameter does not resolve to any virtual machine.")) "Invalid$($what)NotSingle" InvalidArgument
                    continue
                }
                $vm = $found[0]
                $entry = @($ctx.State['vms'] | Where-Object { [string]$_['id'] -eq [string]$vm.Id })[0]
                $guest = [NestvirtSim.Factory]::Dict($entry, 'guest')
                # A Linux guest answers the heartbeat but has no PowerShell Direct (it needs Windows); nor
                # does a Windows guest that sits in OOBE (a new VM without a usable answer file).
                if ([string]$vm.State -ne 'Running' -or -not (Test-SimTrue $guest 'booted' $true) -or [NestvirtSim.Guest]::IsLinux($entry) -or
                    [NestvirtSim.Factory]::Str($guest, 'setup', '') -eq 'oobe') {
                    Add-SimDirectError $ctx ([System.Management.Automation.Remoting.PSRemotingTransportException]::new(
                            'An error has occurred which Windows PowerShell cannot handle. A remote session might have ended.')) 'PSSessionStateBroken' OpenError
                    continue
                }
                if (-not (Test-SimGuestCredential $entry $Credential)) {
                    Add-SimDirectError $ctx ([System.Management.Automation.PSInvalidOperationException]::new('The credential is invalid.')) 'InvalidCredential' InvalidOperation
                    continue
                }
                $targets.Add(@{ Id = [string]$vm.Id; Name = [string]$vm.Name })
            }
        }
        finally { Close-SimCall $ctx }
        Complete-SimCall $ctx
        foreach ($t in $targets) { Invoke-SimGuestScript $PSCmdlet $t $ScriptBlock $ArgumentList (-not $HideComputerName) }
    }
}

# ---- the host runspace (this module is imported only there, never inside a guest) -------------

# The host's drive letters (lib/SimDrives.ps1): C:, D:... and mounted partitions are FileSystem drives
# of the session from its first line on. A state without files costs two existence tests; a state
# whose host section names volumes but has no folder yet (its first engine) loads the simulator to
# make it. with-sim says which (NESTVIRT_SIM_FS 0/1, from the scenario), so that a state without
# files costs nothing here; without it the first 16 KB of the state tell. (No cmdlet of
# Microsoft.PowerShell.Management/Utility here: loading one costs ~30 ms.)
if ($env:NESTVIRT_SIM_STATE -and -not $env:NESTVIRT_SIM_GUEST -and $env:NESTVIRT_SIM_FS -ne '0') {
    & { try {
        $simState = [System.IO.Path]::GetFullPath($env:NESTVIRT_SIM_STATE)
        $simDrives = $simState + '.fs/drives'
        if (-not [System.IO.Directory]::Exists($simDrives) -and [System.IO.File]::Exists($simState)) {
            $simHead = [char[]]::new(16384)
            $simReader = [System.IO.StreamReader]::new($simState)
            try { $simCount = $simReader.ReadBlock($simHead, 0, $simHead.Length) } finally { $simReader.Dispose() }
            if ($env:NESTVIRT_SIM_FS -eq '1' -or [string]::new($simHead, 0, $simCount).Contains('"volumes"')) {
                Initialize-SimDirect
                $null = [NestvirtSim.Store]::Read()
            }
        }
        if ([System.IO.Directory]::Exists($simDrives)) {
            . ([System.IO.Path]::Combine($script:SimLibDir, 'SimDrives.ps1'))
            Register-SimDrives
        }
    }
    catch {
        # No readable state: the first simulator cmdlet reports it.
    } }
}

# The host's own native commands: bcdedit.exe (lib/NestvirtSimHost.psm1, imported at its first call).
# The test machine has no bcdedit, so every way of naming it ("bcdedit", "bcdedit.exe",
# "C:\Windows\System32\bcdedit.exe") ends in the engine's CommandNotFoundAction, which sends it
# there: unlike a PreCommandLookupAction (what guests use, to catch commands that do exist on Linux)
# it costs nothing for the commands that are found. A hook the session had runs for other names.
$script:SimHostBcdedit = {
    $module = Get-Module -Name NestvirtSimHost
    if ($null -eq $module) { $module = Import-Module -Name ([System.IO.Path]::Combine($script:SimLibDir, 'NestvirtSimHost.psm1')) -PassThru }
    $command = $module.ExportedFunctions['bcdedit.exe']
    & $command @args
}
if (-not $env:NESTVIRT_SIM_GUEST) {
    $script:SimPreviousLookup = $ExecutionContext.InvokeCommand.CommandNotFoundAction
    $ExecutionContext.InvokeCommand.CommandNotFoundAction = {
        param([string]$Name, [System.Management.Automation.CommandLookupEventArgs]$Lookup)
        if ($Name.IndexOf('bcdedit', [System.StringComparison]::OrdinalIgnoreCase) -ge 0 -and ($Name -split '[\\/]')[-1] -match '^bcdedit(\.exe)?$') {
            $Lookup.CommandScriptBlock = $script:SimHostBcdedit
            $Lookup.StopSearch = $true
        }
        elseif ($null -ne $script:SimPreviousLookup) { & $script:SimPreviousLookup $Name $Lookup }
    }
}

Export-ModuleMember -Function Invoke-Command
