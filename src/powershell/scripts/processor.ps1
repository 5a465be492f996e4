# nestvirt's request processor: one request in, one reply out. Defined once per PowerShell
# session: locally by the bootstrap, on a remote host inside the PowerShell remoting session
# (remoting.ps1), so every transport runs requests the same way. Must run on Windows
# PowerShell 5.1.
# Request: base64(UTF-8 JSON {id, name, script, args}). The script text is one of nestvirt's
# fixed scripts; user input only ever travels in args, as data.
# Reply: the JSON text {id, ok, result, warnings, error}; the caller frames it.
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
$InformationPreference = 'SilentlyContinue'
$VerbosePreference = 'SilentlyContinue'

function global:ConvertTo-NestvirtError($record) {
  $command = ''
  if ($null -ne $record.InvocationInfo -and $null -ne $record.InvocationInfo.MyCommand) {
    $command = [string]$record.InvocationInfo.MyCommand.Name
  }
  $line = 0
  if ($null -ne $record.InvocationInfo) { $line = [int]$record.InvocationInfo.ScriptLineNumber }
  return [ordered]@{
    command  = $command
    message  = [string]$record.Exception.Message
    fqid     = [string]$record.FullyQualifiedErrorId
    category = [string]$record.CategoryInfo.Category
    target   = [string]$record.CategoryInfo.TargetName
    line     = $line
  }
}

function global:Invoke-NestvirtRequest([string]$Line) {
  $utf8 = New-Object System.Text.UTF8Encoding($false)
  $id = 0
  $warnings = New-Object System.Collections.ArrayList
  try {
    $request = ConvertFrom-Json -InputObject ($utf8.GetString([Convert]::FromBase64String($Line)))
    $id = [int]$request.id
    $block = [scriptblock]::Create([string]$request.script)
    $results = New-Object System.Collections.ArrayList
    # 3>&1 folds warnings into the output so they come back in the reply, not on stderr.
    foreach ($item in @(& $block $request.args 3>&1)) {
      if ($item -is [System.Management.Automation.WarningRecord]) {
        [void]$warnings.Add([string]$item.Message)
      } else {
        [void]$results.Add($item)
      }
    }
    $result = $null
    if ($results.Count -eq 1) { $result = $results[0] }
    elseif ($results.Count -gt 1) { $result = $results.ToArray() }
    $reply = [ordered]@{ id = $id; ok = $true; result = $result; warnings = @($warnings) }
  } catch {
    $reply = [ordered]@{ id = $id; ok = $false; result = $null; warnings = @($warnings)
      error = (ConvertTo-NestvirtError $_) }
  }
  return (ConvertTo-Json -InputObject $reply -Depth 20 -Compress)
}
