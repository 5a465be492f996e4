# Simulated ServerManager module (nestvirt tests): Get-WindowsFeature and Install-WindowsFeature
# inside a simulated Windows Server guest (PowerShell Direct). See docs/simulator.md.
@{
    RootModule           = 'ServerManager.psm1'
    ModuleVersion        = '2.0.0.0'
    GUID                 = '9f9f5e2c-7c61-4a55-8b8e-3c1d3a2c6d10'
    Author               = 'nestvirt simulator'
    CompanyName          = 'Microsoft Corporation'
    Copyright            = '(c) nestvirt contributors. Simulation of the Windows ServerManager module.'
    Description          = 'Simulated ServerManager module for the nestvirt tests: features of the guest named by NESTVIRT_SIM_GUEST.'
    PowerShellVersion    = '7.0'
    CompatiblePSEditions = @('Core')
    FunctionsToExport    = @('Get-WindowsFeature', 'Install-WindowsFeature')
    CmdletsToExport      = @()
    VariablesToExport    = @()
    AliasesToExport      = @('Add-WindowsFeature')
}
