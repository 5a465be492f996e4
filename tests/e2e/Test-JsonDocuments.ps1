# Validates every --json document the end-to-end tests kept (build/e2e-json/*.json) against
# the published schema, in one PowerShell: a field the code emits that the schema does not
# describe, or a value outside its vocabulary, fails here. Exit 0 only when at least one
# document was checked and all are valid.
param([Parameter(Mandatory)][string]$Directory, [Parameter(Mandatory)][string]$Schema)
$ErrorActionPreference = 'Stop'
$schemaText = Get-Content -Raw -LiteralPath $Schema
$files = @(Get-ChildItem -LiteralPath $Directory -Filter '*.json' -ErrorAction SilentlyContinue)
if ($files.Count -eq 0) { Write-Output "no documents in ${Directory}: run the e2e tests first"; exit 1 }
$bad = 0
$commands = @{}
foreach ($f in $files) {
    $text = Get-Content -Raw -LiteralPath $f.FullName
    $errors = $null
    $ok = Test-Json -Json $text -Schema $schemaText -ErrorVariable errors -ErrorAction SilentlyContinue
    $command = ($text | ConvertFrom-Json).command
    $commands[$command] = 1 + [int]$commands[$command]
    if (-not $ok) {
        $bad++
        if ($bad -le 20) {
            Write-Output "INVALID $($f.Name) (command '$command'):"
            foreach ($e in $errors) { Write-Output "  $($e.Exception.Message) $($e.ErrorDetails.Message)" }
        }
    }
}
$summary = ($commands.GetEnumerator() | Sort-Object Name | ForEach-Object { "$($_.Name): $($_.Value)" }) -join ', '
Write-Output "$($files.Count) documents checked ($summary); $bad invalid"
if ($bad -gt 0) { exit 1 }
