# Simulated CimCmdlets module (nestvirt tests): same name and command names as the Windows module; the
# cmdlets are advanced functions with the documented parameter sets. See docs/simulator.md.
@{
    RootModule           = 'CimCmdlets.psm1'
    ModuleVersion        = '7.0.0.0'
    GUID                 = 'fb6cc51d-c096-4b38-b78d-0fed6277096a'
    Author               = 'nestvirt simulator'
    CompanyName          = 'Microsoft Corporation'
    Copyright            = '(c) nestvirt contributors. Simulation of the Windows CimCmdlets module.'
    Description          = 'Simulated CimCmdlets module (Get-CimInstance of the host classes nestvirt reads) for the nestvirt tests.'
    PowerShellVersion    = '7.0'
    CompatiblePSEditions = @('Core')
    FunctionsToExport    = @('Get-CimInstance')
    CmdletsToExport      = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
}
