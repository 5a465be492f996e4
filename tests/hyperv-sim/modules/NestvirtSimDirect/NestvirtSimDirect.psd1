# PowerShell Direct stand-in of the Hyper-V simulator (nestvirt tests): an Invoke-Command function
# with the VMName and VMId parameter sets. Not linked into the module path (the real
# Invoke-Command would always win over auto-loading): tests/pwsh-host imports it before the script
# when NESTVIRT_SIM_PRELOAD names it. scripts/with-sim names the .psm1, not this manifest, since
# reading a manifest adds about 50 ms to every engine start. See docs/simulator.md.
@{
    RootModule           = 'NestvirtSimDirect.psm1'
    ModuleVersion        = '1.0.0.0'
    GUID                 = '7d0a3c52-5a8e-4f4e-9a43-2f7f0c6b1d19'
    Author               = 'nestvirt simulator'
    CompanyName          = 'nestvirt'
    Copyright            = '(c) nestvirt contributors.'
    Description          = 'Simulated PowerShell Direct (Invoke-Command -VMName/-VMId) for the nestvirt tests.'
    PowerShellVersion    = '7.0'
    CompatiblePSEditions = @('Core')
    FunctionsToExport    = @('Invoke-Command')
    CmdletsToExport      = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
}
