# Simulated Hyper-V module: shared frame from lib/SimCore.ps1, cmdlets in the .ps1 files beside.
$script:SimModuleName = 'Hyper-V'
$script:SimCimClass = $null
$script:SimCimNamespace = $null
$simCore = [System.IO.DirectoryInfo]::new($PSScriptRoot)
if ($null -ne $simCore.ResolveLinkTarget($true)) { $simCore = [System.IO.DirectoryInfo]::new($simCore.ResolveLinkTarget($true).FullName) }
. (Join-Path $simCore.Parent.Parent.FullName 'lib/SimCore.ps1')
. (Join-Path $simCore.Parent.Parent.FullName 'lib/SimDrives.ps1')
Remove-Variable -Name simCore
. $PSScriptRoot/HyperVCommon.ps1
. $PSScriptRoot/VM.ps1
. $PSScriptRoot/Settings.ps1
. $PSScriptRoot/NetworkAdapter.ps1
. $PSScriptRoot/Switch.ps1
. $PSScriptRoot/VMHost.ps1
. $PSScriptRoot/Integration.ps1
. $PSScriptRoot/Vhd.ps1
. $PSScriptRoot/Create.ps1
. $PSScriptRoot/Drives.ps1
# The host's drive letters (lib/SimDrives.ps1); Settings.ps1 has read the state, which made its folder.
Register-SimDrives
