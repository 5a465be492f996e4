# Simulated DnsClient module (nestvirt tests): same name and command names as the Windows module; the
# cmdlets are advanced functions with the documented parameter sets. See docs/simulator.md.
@{
    RootModule           = 'DnsClient.psm1'
    ModuleVersion        = '1.0.0.0'
    GUID                 = '5a1e8d4c-7b2f-4e9a-b6c3-0d8f2a1e9c47'
    Author               = 'nestvirt simulator'
    CompanyName          = 'Microsoft Corporation'
    Copyright            = '(c) nestvirt contributors. Simulation of the Windows DnsClient module.'
    Description          = 'Simulated DnsClient module for the nestvirt tests: state in the JSON file named by NESTVIRT_SIM_STATE.'
    PowerShellVersion    = '7.0'
    CompatiblePSEditions = @('Core')
    FunctionsToExport    = @('Set-DnsClientServerAddress', 'Get-DnsClientServerAddress')
    CmdletsToExport      = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
}
