# PowerShell remoting bootstrap (winrm://, winrms://, pwsh-ssh://), after processor.ps1, run by
# the local PowerShell. The first stdin line is base64(UTF-8 JSON) of the connection: transport,
# host, port, user, password (WinRM only: it reaches PowerShell here, through stdin, never on a
# command line), the processor's text, ... It opens ONE PSSession, defines the processor in it,
# answers request id 0 with the outcome, then forwards each request line into that session and
# writes its reply exactly as the local bootstrap does. Must run on Windows PowerShell 5.1
# (winrm://); pwsh-ssh:// needs PowerShell 7.
try { [Console]::OutputEncoding = New-Object System.Text.UTF8Encoding($false) } catch { }
$nestvirtUtf8 = New-Object System.Text.UTF8Encoding($false)

function Write-NestvirtReply([string]$Json) {
  [Console]::Out.WriteLine('#NESTVIRT-REPLY ' + [Convert]::ToBase64String($nestvirtUtf8.GetBytes($Json)))
  [Console]::Out.Flush()
}

$spec = ConvertFrom-Json -InputObject ($nestvirtUtf8.GetString([Convert]::FromBase64String([Console]::In.ReadLine())))
$session = $null
try {
  $open = @{ ErrorAction = 'Stop' }
  if ($spec.transport -eq 'pwsh-ssh') {
    if ($PSVersionTable.PSVersion.Major -lt 7) {
      throw (New-Object System.NotSupportedException(
          'PowerShell remoting over SSH needs PowerShell 7 on this machine; this is ' +
          $PSVersionTable.PSVersion.ToString()))
    }
    $open.HostName = [string]$spec.host
    $open.Port = [int]$spec.port
    if ([string]$spec.user -ne '') { $open.UserName = [string]$spec.user }
    if ([string]$spec.identity -ne '') { $open.KeyFilePath = [string]$spec.identity }
    # Never a prompt, never an unchecked host key: the same rules as ssh://.
    $sshOptions = @{ BatchMode = 'yes'; StrictHostKeyChecking = 'yes'
      ConnectTimeout = [string][int]$spec.connect_timeout; ServerAliveInterval = '15' }
    if ([string]$spec.known_hosts -ne '') { $sshOptions.UserKnownHostsFile = [string]$spec.known_hosts }
    $open.Options = $sshOptions
    $open.ConnectingTimeout = [int]$spec.connect_timeout * 1000
  } else {
    $open.ComputerName = [string]$spec.host
    $open.Port = [int]$spec.port
    if ($spec.transport -eq 'winrms') { $open.UseSSL = $true }
    if ([string]$spec.authentication -ne '') { $open.Authentication = [string]$spec.authentication }
    if ([string]$spec.user -ne '') {
      $secret = ConvertTo-SecureString -String ([string]$spec.password) -AsPlainText -Force
      $open.Credential = New-Object System.Management.Automation.PSCredential([string]$spec.user, $secret)
    }
    $sessionOption = @{ OpenTimeout = [int]$spec.connect_timeout * 1000 }
    if ($spec.skip_certificate_check) {
      $sessionOption.SkipCACheck = $true; $sessionOption.SkipCNCheck = $true
      $sessionOption.SkipRevocationCheck = $true
    }
    # Only what this PowerShell's New-PSSessionOption has (off Windows it has two switches), so
    # a machine without WinRM's client gets WinRM's own error, not a parameter error.
    $known = (Get-Command New-PSSessionOption).Parameters
    foreach ($key in @($sessionOption.Keys)) { if (-not $known.ContainsKey($key)) { $sessionOption.Remove($key) } }
    $open.SessionOption = New-PSSessionOption @sessionOption
  }
  $spec.password = $null
  $session = New-PSSession @open
  Invoke-Command -Session $session -ErrorAction Stop -ArgumentList ([string]$spec.processor) -ScriptBlock {
    param($text) . ([scriptblock]::Create($text))
  }
  $remoteVersion = Invoke-Command -Session $session -ErrorAction Stop -ScriptBlock { $PSVersionTable.PSVersion.ToString() }
  Write-NestvirtReply (ConvertTo-Json -Compress -Depth 5 -InputObject ([ordered]@{ id = 0; ok = $true
        result = [ordered]@{ powershell_version = [string]$remoteVersion }; warnings = @() }))
} catch {
  $spec.password = $null
  Write-NestvirtReply (ConvertTo-Json -Compress -Depth 5 -InputObject ([ordered]@{ id = 0; ok = $false
        result = $null; warnings = @(); error = (ConvertTo-NestvirtError $_) }))
  exit 2
}

while ($true) {
  $line = [Console]::In.ReadLine()
  if ($null -eq $line) { break }
  if ($line.Trim() -eq '') { continue }
  try {
    $json = Invoke-Command -Session $session -ErrorAction Stop -ArgumentList $line -ScriptBlock {
      param($request) Invoke-NestvirtRequest $request
    }
  } catch {
    # The session broke (network, host rebooted, remote process ended): say so and end, so
    # nestvirt reports the request as lost and undoes on a fresh connection.
    [Console]::Error.WriteLine('nestvirt-remoting: connection lost: ' + $_.Exception.Message)
    exit 3
  }
  Write-NestvirtReply ([string]$json)
}
Remove-PSSession -Session $session -ErrorAction SilentlyContinue
exit 0
