# nestvirt session bootstrap, after processor.ps1 (the launcher sends both as one script, with
# -EncodedCommand locally, through loader.ps1 over SSH). Reads one request per stdin line and
# answers each with one line on stdout: '#NESTVIRT-REPLY ' + base64(UTF-8 JSON reply). Base64
# keeps the bytes clear of console code pages. Must run on Windows PowerShell 5.1.
try { [Console]::OutputEncoding = New-Object System.Text.UTF8Encoding($false) } catch { }
$nestvirtUtf8 = New-Object System.Text.UTF8Encoding($false)
while ($true) {
  $line = [Console]::In.ReadLine()
  if ($null -eq $line) { break }
  if ($line.Trim() -eq '') { continue }
  $json = Invoke-NestvirtRequest $line
  [Console]::Out.WriteLine('#NESTVIRT-REPLY ' + [Convert]::ToBase64String($nestvirtUtf8.GetBytes($json)))
  [Console]::Out.Flush()
}
exit 0
