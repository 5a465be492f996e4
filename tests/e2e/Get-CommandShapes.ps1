# Parses the PowerShell commands nestvirt shows (--dry-run, net-nat guest --print) with
# PowerShell's own parser and writes, as one JSON array, every command that changes something:
# its module and name, whether it takes pipeline input, and its parameters (constant values as
# values, anything computed as null). Reading and filtering commands (Get-*, Where-Object, ...)
# are left out, as are comment lines, and the lines after a "# if ..." comment: those run only
# when a condition holds, up to the end of the step. Usage:
#   Get-CommandShapes.ps1 -Path <file with a JSON array of steps, each an array of lines>
param([Parameter(Mandatory = $true)][string]$Path)
$ErrorActionPreference = 'Stop'

$readers = @('Where-Object', 'Select-Object', 'ForEach-Object', 'Sort-Object')
function ConvertTo-ShapeValue($ast) {
  if ($null -eq $ast) { return $true }  # a switch
  if ($ast -is [System.Management.Automation.Language.StringConstantExpressionAst]) { return $ast.Value }
  if ($ast -is [System.Management.Automation.Language.ConstantExpressionAst]) { return $ast.Value }
  if ($ast -is [System.Management.Automation.Language.VariableExpressionAst]) {
    if ($ast.VariablePath.UserPath -eq 'true') { return $true }
    if ($ast.VariablePath.UserPath -eq 'false') { return $false }
    return $null
  }
  if ($ast -is [System.Management.Automation.Language.ArrayLiteralAst]) {
    $values = @(foreach ($e in $ast.Elements) { ConvertTo-ShapeValue $e })
    if (@($values | Where-Object { $null -eq $_ }).Count -gt 0) { return $null }
    return , $values
  }
  return $null
}

$steps = @(Get-Content -Raw -LiteralPath $Path | ConvertFrom-Json)
$shapes = New-Object System.Collections.ArrayList
foreach ($step in $steps) {
$conditional = $false
foreach ($line in @($step)) {
  $text = ([string]$line).Trim()
  if ($text.StartsWith('#')) { $conditional = $text.StartsWith('# if '); continue }
  if ($conditional) { continue }
  $tokens = $null; $errors = $null
  $ast = [System.Management.Automation.Language.Parser]::ParseInput($text, [ref]$tokens, [ref]$errors)
  if ($errors.Count -gt 0) { throw "cannot parse '$text': $($errors[0].Message)" }
  foreach ($pipeline in $ast.FindAll({ param($n) $n -is [System.Management.Automation.Language.PipelineAst] }, $true)) {
    $position = 0
    foreach ($element in $pipeline.PipelineElements) {
      $position++
      if ($element -isnot [System.Management.Automation.Language.CommandAst]) { continue }
      $full = [string]$element.GetCommandName()
      $name = $full.Split('\')[-1]
      if ($name.StartsWith('Get-') -or $readers -contains $name) { continue }
      $parameters = [ordered]@{}
      $elements = $element.CommandElements
      for ($i = 1; $i -lt $elements.Count; $i++) {
        $e = $elements[$i]
        if ($e -isnot [System.Management.Automation.Language.CommandParameterAst]) { continue }
        $argument = $e.Argument
        if ($null -eq $argument -and $i + 1 -lt $elements.Count -and
            $elements[$i + 1] -isnot [System.Management.Automation.Language.CommandParameterAst]) {
          $argument = $elements[$i + 1]
          $i++
          $parameters[$e.ParameterName] = ConvertTo-ShapeValue $argument
        } else {
          $parameters[$e.ParameterName] = ConvertTo-ShapeValue $e.Argument
        }
      }
      [void]$shapes.Add([ordered]@{ module = $full.Split('\')[0]; name = $name; piped = $position -gt 1
          parameters = $parameters })
    }
  }
}
}
ConvertTo-Json -InputObject @($shapes) -Depth 6 -Compress
