# Simulated Hyper-V module (nestvirt tests). Same name, version and command names as the real
# module; the cmdlets are advanced functions with the documented parameter sets. See docs/simulator.md.
@{
    RootModule           = 'Hyper-V.psm1'
    ModuleVersion        = '2.0.0.0'
    GUID                 = 'af4bddd0-8583-4ff2-84b2-a33f5c8de8a7'
    Author               = 'nestvirt simulator'
    CompanyName          = 'Microsoft Corporation'
    Copyright            = '(c) nestvirt contributors. Simulation of the Windows Hyper-V module.'
    Description          = 'Simulated Hyper-V module for the nestvirt tests: state in the JSON file named by NESTVIRT_SIM_STATE.'
    PowerShellVersion    = '7.0'
    CompatiblePSEditions = @('Core')
    FunctionsToExport    = @(
        'Get-VM', 'Start-VM', 'Stop-VM', 'Remove-VMSavedState', 'Update-VMVersion',
        'Get-VMProcessor', 'Set-VMProcessor', 'Get-VMMemory', 'Set-VMMemory',
        'Get-VMNetworkAdapter', 'Set-VMNetworkAdapter', 'Connect-VMNetworkAdapter', 'Disconnect-VMNetworkAdapter',
        'New-VMSwitch', 'Get-VMSwitch', 'Remove-VMSwitch',
        'Get-VMHost', 'Get-VMHostSupportedVersion', 'Get-VMIntegrationService',
        'New-VHD', 'Get-VHD', 'Mount-VHD', 'Dismount-VHD',
        'New-VM', 'Remove-VM', 'Set-VM',
        'Get-VMHardDiskDrive', 'Add-VMHardDiskDrive', 'Get-VMDvdDrive', 'Add-VMDvdDrive', 'Get-VMFirmware', 'Set-VMFirmware'
    )
    CmdletsToExport      = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
}
