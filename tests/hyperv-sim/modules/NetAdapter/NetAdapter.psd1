# Simulated NetAdapter module (nestvirt tests): same name and command names as the Windows module; the
# cmdlets are advanced functions with the documented parameter sets. See docs/simulator.md.
@{
    RootModule           = 'NetAdapter.psm1'
    ModuleVersion        = '2.0.0.0'
    GUID                 = '1042b422-63a8-4016-a6d6-293e19e8f8a6'
    Author               = 'nestvirt simulator'
    CompanyName          = 'Microsoft Corporation'
    Copyright            = '(c) nestvirt contributors. Simulation of the Windows NetAdapter module.'
    Description          = 'Simulated NetAdapter module for the nestvirt tests: state in the JSON file named by NESTVIRT_SIM_STATE.'
    PowerShellVersion    = '7.0'
    CompatiblePSEditions = @('Core')
    FunctionsToExport    = @('Get-NetAdapter')
    CmdletsToExport      = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
}
