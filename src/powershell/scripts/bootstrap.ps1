# nestvirt session bootstrap. Sent once per host with -EncodedCommand; then reads one request
# per stdin line and answers each with one line on stdout. Must run on Windows PowerShell 5.1.
# Request: base64(UTF-8 JSON {id, name, script, args}). The script text is one of nestvirt's
# fixed scripts; user input only ever travels in args, as data.
# Reply: '#NESTVIRT-REPLY ' + base64(UTF-8 JSON {id, ok, result, warnings, error}).
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
$InformationPreference = 'SilentlyContinue'
$VerbosePreference = 'SilentlyContinue'
try { [Console]::OutputEncoding = New-Object System.Text.UTF8Encoding($false) } catch { }
$utf8 = New-Object System.Text.UTF8Encoding($false)

function ConvertTo-NestvirtError($record) {
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

while ($true) {
  $line = [Console]::In.ReadLine()
  if ($null -eq $line) { break }
  if ($line.Trim() -eq '') { continue }
  $id = 0
  $warnings = New-Object System.Collections.ArrayList
  try {
    $request = ConvertFrom-Json -InputObject ($utf8.GetString([Convert]::FromBase64String($line)))
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
  $json = ConvertTo-Json -InputObject $reply -Depth 20 -Compress
  [Console]::Out.WriteLine('#NESTVIRT-REPLY ' + [Convert]::ToBase64String($utf8.GetBytes($json)))
  [Console]::Out.Flush()
}
exit 0
