# What a simulated Windows guest has of its own (docs/simulator.md, "Inside a guest"): Get-Service,
# bcdedit.exe and shutdown.exe (and Restart-/Stop-Computer), working on the VM's guest section.
#
# Imported only into the runspace PowerShell Direct (modules/NestvirtSimDirect) opens inside a VM,
# never on the host: there these names are the engine's own commands, and on this Linux test
# machine shutdown is the real one. Functions take precedence over cmdlets and applications, and
# NestvirtSimDirect's PreCommandLookupAction sends paths and other spellings ("shutdown",
# "C:\Windows\System32\shutdown.exe", "Microsoft.PowerShell.Management\Restart-Computer") here too,
# and refuses the Linux power commands (reboot, poweroff, halt, systemctl...) itself.
#
# The native-command stand-ins take their arguments as a native program does ($args, '/x' or '-x'),
# write their text to the output stream and set $LASTEXITCODE. Their calls are logged with module ''
# and {"Arguments": [...]}; faults work on them too ("error": the message as output, exit code 1).
Set-StrictMode -Version 3.0
$script:SimModuleName = ''
$script:SimCimClass = $null
$script:SimCimNamespace = $null
. (Join-Path $PSScriptRoot 'SimCore.ps1')
. (Join-Path $PSScriptRoot 'SimBcd.ps1')

# ---- helpers ---------------------------------------------------------------------------------

# Opens the call of a native-command stand-in; returns its context, or $null after handling a fault.
function script:Open-SimNativeCall([string]$Name, [object[]]$Arguments) {
    $script:SimModuleName = ''
    $list = [System.Collections.Generic.List[object]]::new()
    foreach ($a in $Arguments) { $list.Add([string]$a) }
    $ctx = Open-SimCall -CommandName $Name -Parameters ([ordered]@{ Arguments = $list.ToArray() })
    return $ctx
}

# Ends it: releases the state; a fault's error becomes the program's output and exit code 1.
function script:Close-SimNativeCall($ctx) {
    Close-SimCall $ctx
    if ($null -ne $ctx.ExitCode) { [System.Environment]::Exit($ctx.ExitCode) }
    if ($ctx.WaitForever) { while ($true) { Start-Sleep -Seconds 3600 } }
    if ($ctx.Errors.Count -gt 0) {
        foreach ($e in $ctx.Errors) { $e.Exception.Message }
        $global:LASTEXITCODE = 1
    }
}

function script:Get-SimNativeFlags([object[]]$Arguments) {
    # '/R', '-r' -> 'r'; anything else stays as it is (a value).
    foreach ($a in $Arguments) {
        $t = [string]$a
        if ($t.Length -ge 2 -and ($t[0] -eq '/' -or $t[0] -eq '-')) { $t.Substring(1).ToLowerInvariant() } else { $t }
    }
}

# ---- Get-Service -----------------------------------------------------------------------------

# guest.services: name -> "Running" | "Stopped" | {status, start_type, display_name}. A service
# the section does not name does not exist.
$script:ServiceNames = @{
    vmms        = 'Hyper-V Virtual Machine Management'
    vmcompute   = 'Hyper-V Host Compute Service'
    vmicvmsession = 'Hyper-V PowerShell Direct Service'
}

function script:New-SimService([string]$Name, $Value) {
    $status = if ($Value -is [System.Collections.IDictionary]) { [NestvirtSim.Factory]::Str($Value, 'status', 'Running') } else { [string]$Value }
    $start = if ($Value -is [System.Collections.IDictionary]) { [NestvirtSim.Factory]::Str($Value, 'start_type', 'Automatic') } else { 'Automatic' }
    $display = if ($Value -is [System.Collections.IDictionary] -and $Value['display_name']) { [string]$Value['display_name'] }
    elseif ($script:ServiceNames.ContainsKey($Name)) { $script:ServiceNames[$Name] } else { $Name }
    $o = [pscustomobject][ordered]@{
        Name                = $Name
        ServiceName         = $Name
        DisplayName         = $display
        Status              = [System.ServiceProcess.ServiceControllerStatus]$status
        StartType           = [System.ServiceProcess.ServiceStartMode]$start
        ServiceType         = [System.ServiceProcess.ServiceType]::Win32OwnProcess
        CanStop             = $status -eq 'Running'
        CanPauseAndContinue = $false
        CanShutdown         = $status -eq 'Running'
        MachineName         = '.'
    }
    $o.PSObject.TypeNames.Insert(0, 'System.ServiceProcess.ServiceController')
    $o.PSObject.TypeNames.Insert(1, 'System.ComponentModel.Component')
    return $o
}

function Get-Service {
    [CmdletBinding(DefaultParameterSetName = 'Default')]
    [OutputType('System.ServiceProcess.ServiceController')]
    param(
        [Parameter(ParameterSetName = 'Default', Position = 0, ValueFromPipeline = $true, ValueFromPipelineByPropertyName = $true)]
        [Alias('ServiceName')]
        [string[]] $Name,

        [Alias('DS')] [switch] $DependentServices,
        [Alias('SDO', 'ServicesDependedOn')] [switch] $RequiredServices,

        [Parameter(ParameterSetName = 'DisplayName', Mandatory = $true)]
        [string[]] $DisplayName,

        [ValidateNotNullOrEmpty()] [string[]] $Include,
        [ValidateNotNullOrEmpty()] [string[]] $Exclude,

        [Parameter(ParameterSetName = 'InputObject', ValueFromPipeline = $true)]
        [ValidateNotNullOrEmpty()]
        [psobject[]] $InputObject
    )
    process {
        $script:SimModuleName = 'Microsoft.PowerShell.Management'
        $ctx = Open-SimCall $PSCmdlet -Access Any
        try {
            if ($ctx.Ok) {
                $services = [NestvirtSim.Factory]::Dict([NestvirtSim.Guest]::Section($ctx.Guest.Vm), 'services')
                $all = @(if ($null -ne $services) { foreach ($key in @($services.Keys)) { New-SimService ([string]$key) $services[$key] } })
                $wanted = switch ($PSCmdlet.ParameterSetName) {
                    'DisplayName' { $DisplayName }
                    'InputObject' { @($InputObject | ForEach-Object { [string]$_.Name }) }
                    default { if ($Name) { $Name } else { @('*') } }
                }
                $byDisplay = $PSCmdlet.ParameterSetName -eq 'DisplayName'
                foreach ($w in $wanted) {
                    $pattern = New-SimPattern $w
                    $found = @($all | Where-Object { $pattern.IsMatch($(if ($byDisplay) { $_.DisplayName } else { $_.Name })) })
                    if ($Include) { $found = @($found | Where-Object { $n = $_.Name; @($Include | Where-Object { (New-SimPattern $_).IsMatch($n) }).Count -gt 0 }) }
                    if ($Exclude) { $found = @($found | Where-Object { $n = $_.Name; @($Exclude | Where-Object { (New-SimPattern $_).IsMatch($n) }).Count -eq 0 }) }
                    if ($found.Count -eq 0 -and -not (Test-SimWildcard $w)) {
                        $what = if ($byDisplay) { 'display name' } else { 'service name' }
                        $id = if ($byDisplay) { 'NoServiceFoundForGivenDisplayName' } else { 'NoServiceFoundForGivenName' }
                        Add-SimError $ctx -Message "Cannot find any service with $what '$w'." -ErrorId $id -Category ObjectNotFound -Target $w -Exception ServiceCommandException
                    }
                    # Dependencies are not modelled: none.
                    if ($DependentServices -or $RequiredServices) { continue }
                    foreach ($s in $found) { Add-SimOutput $ctx $s }
                }
            }
        }
        finally { Close-SimCall $ctx }
        Complete-SimCall $ctx
    }
}

# ---- bcdedit.exe -----------------------------------------------------------------------------

# guest.hypervisor_launch_type: "Auto" | "Off" | absent (the element is not set); likewise
# guest.hypervisor_load_options (a string). The layout and the commands: lib/SimBcd.ps1.
function bcdedit.exe {
    $ctx = Open-SimNativeCall 'bcdedit.exe' $args
    $result = $null
    try {
        if ($ctx.Ok) {
            $vm = $ctx.Guest.Vm
            $guest = [NestvirtSim.Guest]::Section($vm)
            $os = [NestvirtSim.Guest]::Os($vm)
            $entry = @{
                Description = $(if ([long]$os['product_type'] -ne 1) { 'Windows Server' } elseif ([int]$os['build'] -ge 22000) { 'Windows 11' } else { 'Windows 10' })
                Efi         = [NestvirtSim.Factory]::Long($vm, 'generation', 2) -ne 1
                LaunchType  = [NestvirtSim.Factory]::Str($guest, 'hypervisor_launch_type', '')
                LoadOptions = [NestvirtSim.Factory]::Str($guest, 'hypervisor_load_options', '')
                Elevated    = [bool]$ctx.HostInfo['elevated']
            }
            $keys = @{ hypervisorlaunchtype = 'hypervisor_launch_type'; hypervisorloadoptions = 'hypervisor_load_options' }
            $result = Invoke-SimBcdEdit $args $entry {
                param([string]$Element, $Value)
                if ($null -eq $Value) { if ($guest.Contains($keys[$Element])) { $guest.Remove($keys[$Element]) } }
                else { $guest[$keys[$Element]] = $Value }
            }.GetNewClosure()
        }
    }
    finally { Close-SimNativeCall $ctx }
    if ($ctx.Ok) {
        $result.Lines
        $global:LASTEXITCODE = $result.ExitCode
    }
}

function bcdedit { bcdedit.exe @args }

# ---- shutdown.exe, Restart-Computer, Stop-Computer -------------------------------------------

# Reboot: the guest is not booted from /t seconds on, and boots again guest.boot_seconds later
# (never, with never_returns); power off: the VM turns Off then. Only the state file changes.
function script:Invoke-SimGuestPower($ctx, [string]$Action, [double]$Delay) {
    $vm = $ctx.Guest.Vm
    if ($Action -eq 'reboot') {
        [NestvirtSim.Guest]::StartBoot($vm, $Delay, $true)
        return
    }
    if ($Delay -le 0) {
        $vm['state'] = 'Off'
        $vm['started_at'] = $null
        $vm.Remove('pending')
        [NestvirtSim.Guest]::PoweredOff($vm)
        return
    }
    $pending = [NestvirtSim.Json]::NewObject()
    $pending['state'] = 'Off'
    $pending['requested'] = [NestvirtSim.Clock]::Now()
    $pending['at'] = [NestvirtSim.Clock]::After($Delay)
    $pending['during'] = 'Running'
    $vm['pending'] = $pending
}

function shutdown.exe {
    $ctx = Open-SimNativeCall 'shutdown.exe' $args
    $out = [System.Collections.Generic.List[string]]::new()
    $code = 0
    try {
        if ($ctx.Ok) {
            $vm = $ctx.Guest.Vm
            $a = @(Get-SimNativeFlags $args)
            $action = $null
            $delay = 30.0   # shutdown.exe's default /t
            $remote = $false
            for ($i = 0; $i -lt $a.Count; $i++) {
                switch ($a[$i]) {
                    { $_ -in 'r', 'g' } { $action = 'reboot' }
                    { $_ -in 's', 'sg', 'p', 'h' } { $action = 'off'; if ($_ -eq 'p') { $delay = 0 } }
                    'a' { $action = 'abort' }
                    't' { $i++; if ($i -lt $a.Count) { $delay = [double]$a[$i] } }
                    { $_ -in 'd', 'c' } { $i++ }
                    'm' { $remote = $true; $i++ }
                    default { }
                }
            }
            $server = [long]([NestvirtSim.Guest]::Os($vm)['product_type']) -ne 1
            if ($null -eq $action) {
                $out.Add('Usage: shutdown [/i | /l | /s | /sg | /r | /g | /a | /p | /h | /e | /o] [/hybrid] [/soft] [/fw] [/f]')
                $out.Add('    [/m \\computer][/t xxx][/d [p|u:]xx:yy [/c "comment"]]')
            }
            elseif ($remote) {
                $out.Add('The network path was not found.(53)')
                $code = 53
            }
            elseif ($server -and -not $ctx.HostInfo['elevated']) {
                # Windows Server grants the shutdown privilege to administrators only.
                $out.Add('Access is denied.(5)')
                $code = 5
            }
            elseif ($action -eq 'abort') {
                if (-not [NestvirtSim.Guest]::AbortShutdown($vm)) {
                    $out.Add('Unable to abort the system shutdown because no shutdown was in progress.(1116)')
                    $code = 1116
                }
            }
            elseif ([NestvirtSim.Guest]::ShutdownScheduled($vm) -or $vm['pending'] -is [System.Collections.IDictionary]) {
                $out.Add('A system shutdown has already been scheduled.(1190)')
                $code = 1190
            }
            else {
                Invoke-SimGuestPower $ctx $action $delay
            }
        }
    }
    finally { Close-SimNativeCall $ctx }
    if ($ctx.Ok) {
        $out
        $global:LASTEXITCODE = $code
    }
}

function shutdown { shutdown.exe @args }

function Restart-Computer {
    [CmdletBinding(DefaultParameterSetName = 'DefaultSet', SupportsShouldProcess = $true, ConfirmImpact = 'Medium')]
    param(
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = $true)] [Alias('CN', '__SERVER', 'Server', 'IPAddress')] [string[]] $ComputerName = @('.'),
        [Parameter(Position = 1)] [pscredential] $Credential,
        [Alias('f')] [switch] $Force,
        [switch] $Wait,
        [int] $Timeout,
        [object] $For,
        [int16] $Delay,
        [string] $WsmanAuthentication
    )
    process {
        $script:SimModuleName = 'Microsoft.PowerShell.Management'
        $ctx = Open-SimCall $PSCmdlet -Access Any
        try {
            if ($ctx.Ok -and $PSCmdlet.ShouldProcess($ctx.HostInfo['computer_name'], 'Restart-Computer')) {
                if (-not $ctx.HostInfo['elevated']) {
                    Add-SimError $ctx -Message "Failed to restart the computer $($ctx.HostInfo['computer_name']) with the following error message: Access is denied. " -ErrorId 'RestartcomputerFailed' -Category OperationStopped -Exception InvalidOperationException
                }
                else { Invoke-SimGuestPower $ctx 'reboot' 0 }
            }
        }
        finally { Close-SimCall $ctx }
        Complete-SimCall $ctx
    }
}

function Stop-Computer {
    [CmdletBinding(SupportsShouldProcess = $true, ConfirmImpact = 'Medium')]
    param(
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = $true)] [Alias('CN', '__SERVER', 'Server', 'IPAddress')] [string[]] $ComputerName = @('.'),
        [Parameter(Position = 1)] [pscredential] $Credential,
        [switch] $Force,
        [string] $WsmanAuthentication
    )
    process {
        $script:SimModuleName = 'Microsoft.PowerShell.Management'
        $ctx = Open-SimCall $PSCmdlet -Access Any
        try {
            if ($ctx.Ok -and $PSCmdlet.ShouldProcess($ctx.HostInfo['computer_name'], 'Stop-Computer')) {
                if (-not $ctx.HostInfo['elevated']) {
                    Add-SimError $ctx -Message "Failed to stop the computer $($ctx.HostInfo['computer_name']) with the following error message: Access is denied. " -ErrorId 'StopComputerException' -Category OperationStopped -Exception InvalidOperationException
                }
                else { Invoke-SimGuestPower $ctx 'off' 0 }
            }
        }
        finally { Close-SimCall $ctx }
        Complete-SimCall $ctx
    }
}

Export-ModuleMember -Function Get-Service, bcdedit.exe, bcdedit, shutdown.exe, shutdown, Restart-Computer, Stop-Computer
