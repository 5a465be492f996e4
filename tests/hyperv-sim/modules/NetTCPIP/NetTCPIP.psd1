# Simulated NetTCPIP module (nestvirt tests): same name and command names as the Windows module; the
# cmdlets are advanced functions with the documented parameter sets. See docs/simulator.md.
@{
    RootModule           = 'NetTCPIP.psm1'
    ModuleVersion        = '1.0.0.0'
    GUID                 = 'abd4f5b1-2f6e-4c4a-9c3e-6e0e1f3e0a55'
    Author               = 'nestvirt simulator'
    CompanyName          = 'Microsoft Corporation'
    Copyright            = '(c) nestvirt contributors. Simulation of the Windows NetTCPIP module.'
    Description          = 'Simulated NetTCPIP module for the nestvirt tests: state in the JSON file named by NESTVIRT_SIM_STATE.'
    PowerShellVersion    = '7.0'
    CompatiblePSEditions = @('Core')
    FunctionsToExport    = @('New-NetIPAddress', 'Get-NetIPAddress', 'Remove-NetIPAddress', 'Get-NetRoute', 'New-NetRoute', 'Remove-NetRoute', 'Get-NetIPInterface', 'Set-NetIPInterface')
    CmdletsToExport      = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
}
