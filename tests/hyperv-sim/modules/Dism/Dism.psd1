# Simulated Dism module (nestvirt tests): Get-WindowsOptionalFeature and
# Enable-WindowsOptionalFeature -Online inside a simulated Windows guest (PowerShell Direct).
# See docs/simulator.md.
@{
    RootModule           = 'Dism.psm1'
    ModuleVersion        = '3.0'
    GUID                 = '389c464d-8b8d-48e9-aafe-6d8a590d6798'
    Author               = 'nestvirt simulator'
    CompanyName          = 'Microsoft Corporation'
    Copyright            = '(c) nestvirt contributors. Simulation of the Windows Dism module.'
    Description          = 'Simulated Dism module for the nestvirt tests: optional features of the guest named by NESTVIRT_SIM_GUEST.'
    PowerShellVersion    = '7.0'
    CompatiblePSEditions = @('Core')
    FunctionsToExport    = @('Get-WindowsOptionalFeature', 'Enable-WindowsOptionalFeature')
    CmdletsToExport      = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
}
