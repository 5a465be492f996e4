# Simulated NetNat module (nestvirt tests): same name and command names as the Windows module; the
# cmdlets are advanced functions with the documented parameter sets. See docs/simulator.md.
@{
    RootModule           = 'NetNat.psm1'
    ModuleVersion        = '1.0.0.0'
    GUID                 = 'f7c6a9e2-5b43-4d0a-8f1b-2c9d7e6a4b30'
    Author               = 'nestvirt simulator'
    CompanyName          = 'Microsoft Corporation'
    Copyright            = '(c) nestvirt contributors. Simulation of the Windows NetNat module.'
    Description          = 'Simulated NetNat module for the nestvirt tests: state in the JSON file named by NESTVIRT_SIM_STATE.'
    PowerShellVersion    = '7.0'
    CompatiblePSEditions = @('Core')
    FunctionsToExport    = @('New-NetNat', 'Get-NetNat', 'Remove-NetNat')
    CmdletsToExport      = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
}
