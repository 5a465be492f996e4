# Simulated Storage module (nestvirt tests): same name and command names as the Windows module; the
# cmdlets are advanced functions with the documented parameter sets. See docs/simulator.md.
@{
    RootModule           = 'Storage.psm1'
    ModuleVersion        = '2.0.0.0'
    GUID                 = '41486f7d-842f-40f1-acaa-8ba6ad1a3e1c'
    Author               = 'nestvirt simulator'
    CompanyName          = 'Microsoft Corporation'
    Copyright            = '(c) nestvirt contributors. Simulation of the Windows Storage module.'
    Description          = 'Simulated Storage module for the nestvirt tests: state in the JSON file named by NESTVIRT_SIM_STATE.'
    PowerShellVersion    = '7.0'
    CompatiblePSEditions = @('Core')
    FunctionsToExport    = @('Get-Disk', 'Get-Partition', 'Set-Partition', 'Get-Volume', 'Add-PartitionAccessPath')
    CmdletsToExport      = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
}
