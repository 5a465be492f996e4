# Parses PowerShell scripts with PowerShell's own parser and reports, as one JSON document,
# every parse error and every construct Windows PowerShell 5.1 lacks, plus Hyper-V and
# networking cmdlets called without their module name (another module may define Get-VM).
# Usage: Test-ScriptSyntax.ps1 -Path <folder of .ps1 files>
param([Parameter(Mandatory = $true)][string]$Path)
$ErrorActionPreference = 'Stop'

# Cmdlets the simulator modules define: nestvirt must call each as Module\Name.
$qualify = @{}
foreach ($m in @('Hyper-V', 'NetNat', 'NetTCPIP', 'NetAdapter', 'DnsClient', 'CimCmdlets')) {
  $manifest = Get-Module -ListAvailable -Name $m | Select-Object -First 1
  if ($null -ne $manifest) { foreach ($c in $manifest.ExportedFunctions.Keys) { $qualify[$c] = $m } }
}

# Parameters added after 5.1, per cmdlet (each cmdlet's page in MicrosoftDocs/PowerShell-Docs, "introduced in").
$newParameters = @{
  'ConvertFrom-Json' = @('AsHashtable', 'Depth', 'NoEnumerate', 'DateKind')
  'ConvertTo-Json'   = @('AsArray', 'EnumsAsStrings', 'EscapeHandling')
  'ForEach-Object'   = @('Parallel', 'ThrottleLimit', 'TimeoutSeconds', 'AsJob')
  'Get-Content'      = @('AsByteStream')
  'Set-Content'      = @('AsByteStream')
  'Select-Object'    = @('SkipIndex')
}

$report = New-Object System.Collections.ArrayList
function Add-Problem($file, $line, $kind, $text) {
  [void]$report.Add([ordered]@{ file = $file; line = $line; kind = $kind; text = $text })
}

foreach ($file in Get-ChildItem -Path $Path -Filter *.ps1 | Sort-Object Name) {
  $tokens = $null; $parseErrors = $null
  $ast = [System.Management.Automation.Language.Parser]::ParseFile($file.FullName, [ref]$tokens, [ref]$parseErrors)
  foreach ($e in $parseErrors) { Add-Problem $file.Name $e.Extent.StartLineNumber 'parse-error' $e.Message }

  $found = $ast.FindAll({ $true }, $true)
  foreach ($node in $found) {
    $line = $node.Extent.StartLineNumber
    $type = $node.GetType().Name
    switch ($type) {
      'TernaryExpressionAst' { Add-Problem $file.Name $line 'ps7-only' "ternary operator: $($node.Extent.Text)" }
      'PipelineChainAst' { Add-Problem $file.Name $line 'ps7-only' "pipeline chain && / ||: $($node.Extent.Text)" }
      'BinaryExpressionAst' {
        if ($node.Operator -eq 'QuestionQuestion') { Add-Problem $file.Name $line 'ps7-only' "?? operator: $($node.Extent.Text)" }
      }
      'AssignmentStatementAst' {
        if ($node.Operator -eq 'QuestionQuestionEquals') { Add-Problem $file.Name $line 'ps7-only' "??= operator: $($node.Extent.Text)" }
      }
      { $_ -in 'MemberExpressionAst', 'InvokeMemberExpressionAst', 'IndexExpressionAst' } {
        if ($node.NullConditional) { Add-Problem $file.Name $line 'ps7-only' "null-conditional ?. or ?[]: $($node.Extent.Text)" }
      }
      'CommandAst' {
        $name = $node.GetCommandName()
        if ($null -eq $name) { break }
        $bare = $name
        if ($name.Contains('\')) { $bare = $name.Substring($name.LastIndexOf('\') + 1) }
        if ($qualify.ContainsKey($name)) {
          Add-Problem $file.Name $line 'unqualified' "$name must be called as $($qualify[$name])\$name"
        }
        if ($newParameters.ContainsKey($bare)) {
          foreach ($el in $node.CommandElements) {
            if ($el -is [System.Management.Automation.Language.CommandParameterAst]) {
              foreach ($p in $newParameters[$bare]) {
                # PowerShell accepts any unambiguous prefix of a parameter name.
                if ($p.StartsWith($el.ParameterName, [StringComparison]::OrdinalIgnoreCase) -and $el.ParameterName.Length -ge 2) {
                  Add-Problem $file.Name $line 'ps7-only' "$bare -$($el.ParameterName) does not exist in Windows PowerShell 5.1"
                }
              }
            }
          }
        }
      }
    }
  }
  # ConvertTo-Json must always state -Depth: 5.1 truncates silently at 2.
  foreach ($cmd in $ast.FindAll({ param($n) $n -is [System.Management.Automation.Language.CommandAst] }, $true)) {
    $name = $cmd.GetCommandName()
    if ($name -eq 'ConvertTo-Json' -or $name -eq 'Microsoft.PowerShell.Utility\ConvertTo-Json') {
      $hasDepth = @($cmd.CommandElements | Where-Object { $_ -is [System.Management.Automation.Language.CommandParameterAst] -and $_.ParameterName -like 'Dep*' }).Count -gt 0
      if (-not $hasDepth) { Add-Problem $file.Name $cmd.Extent.StartLineNumber 'no-depth' 'ConvertTo-Json without -Depth truncates silently on 5.1' }
    }
  }
}
ConvertTo-Json -InputObject @($report) -Depth 5 -Compress
