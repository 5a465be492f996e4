# Helpers shared by the simulator's self-tests (selftest.ps1, selftest-guest.ps1): the run-time
# checks, plain asserts (no Pester), state access with the simulator's own lock, child engines.
# Dot-sourced at script level, so $script: here is the self-test's own scope.
Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'

if (-not $env:NESTVIRT_SIM_STATE -or -not $env:NESTVIRT_POWERSHELL) {
    Write-Host "$([System.IO.Path]::GetFileName($MyInvocation.PSCommandPath)) must run through scripts/with-sim (NESTVIRT_SIM_STATE and NESTVIRT_POWERSHELL are not set)."
    exit 2
}
$repo = [System.IO.Path]::GetFullPath((Join-Path $PSScriptRoot '../..'))
$withSim = Join-Path $repo 'scripts/with-sim'
$engine = $env:NESTVIRT_POWERSHELL

$script:passed = 0
$script:failed = 0

function Test-Case([string]$Name, [scriptblock]$Body) {
    try {
        $null = & $Body
        $script:passed++
        Write-Host "ok    $Name"
    }
    catch {
        $script:failed++
        Write-Host "FAIL  $Name"
        Write-Host "      $($_.Exception.Message)"
        Write-Host "      $($_.InvocationInfo.PositionMessage -replace "`n", "`n      ")"
    }
}

function Assert-Equal($Expected, $Actual, [string]$What = 'value') {
    if ($Expected -is [array] -or $Actual -is [array]) {
        $e = @($Expected) -join '|'
        $a = @($Actual) -join '|'
        if ($e -cne $a) { throw "${What}: expected <$e>, got <$a>" }
        return
    }
    if ($null -eq $Expected -and $null -eq $Actual) { return }
    if ($null -eq $Expected -or $null -eq $Actual -or $Expected.GetType() -ne $Actual.GetType() -or $Expected -cne $Actual) {
        $et = if ($null -eq $Expected) { 'null' } else { $Expected.GetType().Name }
        $at = if ($null -eq $Actual) { 'null' } else { $Actual.GetType().Name }
        throw "${What}: expected <$Expected> ($et), got <$Actual> ($at)"
    }
}

function Assert-True($Condition, [string]$What) { if (-not $Condition) { throw "expected: $What" } }

# Runs $Body with errors made terminating and returns the first ErrorRecord (fails if none).
function Get-FirstError([scriptblock]$Body) {
    try {
        $null = & $Body -ErrorAction Stop
    }
    catch {
        return $_
    }
    throw 'expected an error, got none'
}

function Assert-Error([scriptblock]$Body, [string]$Message, [string]$FullyQualifiedErrorId, [string]$Category, [string]$Reason) {
    $err = Get-FirstError $Body
    if ($Message) { Assert-Equal $Message $err.Exception.Message 'message' }
    if ($FullyQualifiedErrorId) { Assert-Equal $FullyQualifiedErrorId $err.FullyQualifiedErrorId 'FullyQualifiedErrorId' }
    if ($Category) { Assert-Equal $Category ([string]$err.CategoryInfo.Category) 'category' }
    if ($Reason) { Assert-Equal $Reason $err.CategoryInfo.Reason 'CategoryInfo.Reason' }
    return $err
}

# The state file as another process would see it (retrying while a simulator process holds its lock).
function Read-State {
    for ($attempt = 0; ; $attempt++) {
        try { return [System.IO.File]::ReadAllText($env:NESTVIRT_SIM_STATE) | ConvertFrom-Json -AsHashtable }
        catch { if ($attempt -ge 100) { throw } ; Start-Sleep -Milliseconds 20 }
    }
}

# Changes the state in place (same lock as the simulator's cmdlets).
function Edit-State([scriptblock]$Change) {
    $state = [NestvirtSim.Store]::Begin()
    try { & $Change $state; [NestvirtSim.Store]::Commit() }
    catch { [NestvirtSim.Store]::Abandon(); throw }
}

function Get-LastCall([string]$Name) {
    $calls = @((Read-State)['calls'] | Where-Object { $_['type'] -eq 'cmdlet' -and $_['name'] -eq $Name })
    if ($calls.Count -eq 0) { throw "no call of $Name in the log" }
    return $calls[-1]
}

# Another PowerShell process on the same state; returns @{ ExitCode; Output }.
function Invoke-Engine([string]$Command, [string[]]$Prefix = @()) {
    $file = if ($Prefix.Count -gt 0) { $Prefix[0] } else { $engine }
    $arguments = @($Prefix | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-Command', $Command)
    if ($Prefix.Count -gt 0) { $arguments = @($Prefix | Select-Object -Skip 1) + @($engine, '-NoProfile', '-NonInteractive', '-Command', $Command) }
    $output = & $file @arguments 2>&1 | ForEach-Object { "$_" }
    return @{ ExitCode = $LASTEXITCODE; Output = ($output -join "`n") }
}
