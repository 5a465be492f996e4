# Simulated CimCmdlets module: Get-CimInstance for the host classes nestvirt reads
# (root/cimv2 Win32_OperatingSystem, Win32_Processor, Win32_ComputerSystem;
# root/Microsoft/Windows/DeviceGuard Win32_DeviceGuard), answered from the state's "host" section,
# and root/virtualization/v2 Msvm_KvpExchangeComponent (what each VM's guest reports through the
# Data Exchange integration service). Inside a guest (PowerShell Direct) the host section is the
# guest's view (lib/SimGuest.ps1): Win32_OperatingSystem is the guest's OS.
$script:SimModuleName = 'CimCmdlets'
$script:SimCimClass = $null
$script:SimCimNamespace = $null
$simLib = [System.IO.DirectoryInfo]::new($PSScriptRoot)
if ($null -ne $simLib.ResolveLinkTarget($true)) { $simLib = [System.IO.DirectoryInfo]::new($simLib.ResolveLinkTarget($true).FullName) }
. (Join-Path $simLib.Parent.Parent.FullName 'lib/SimCore.ps1')
Remove-Variable -Name simLib

# class (lower case) -> namespace, key properties, base classes
$script:CimClasses = @{
    'win32_operatingsystem' = @{ Name = 'Win32_OperatingSystem'; Namespace = 'root/cimv2'; Keys = @('Name'); Bases = @('CIM_OperatingSystem', 'CIM_LogicalElement', 'CIM_ManagedSystemElement') }
    'win32_processor'       = @{ Name = 'Win32_Processor'; Namespace = 'root/cimv2'; Keys = @('DeviceID'); Bases = @('CIM_Processor', 'CIM_LogicalDevice', 'CIM_LogicalElement', 'CIM_ManagedSystemElement') }
    'win32_computersystem'  = @{ Name = 'Win32_ComputerSystem'; Namespace = 'root/cimv2'; Keys = @('Name'); Bases = @('CIM_UnitaryComputerSystem', 'CIM_ComputerSystem', 'CIM_System', 'CIM_LogicalElement', 'CIM_ManagedSystemElement') }
    'win32_deviceguard'     = @{ Name = 'Win32_DeviceGuard'; Namespace = 'root/microsoft/windows/deviceguard'; Keys = @('InstanceIdentifier'); Bases = @() }
    'msvm_kvpexchangecomponent' = @{ Name = 'Msvm_KvpExchangeComponent'; Namespace = 'root/virtualization/v2'; Keys = @('CreationClassName', 'DeviceID', 'SystemCreationClassName', 'SystemName'); Bases = @('CIM_LogicalDevice', 'CIM_EnabledLogicalElement', 'CIM_LogicalElement', 'CIM_ManagedSystemElement', 'CIM_ManagedElement') }
}

# One Msvm_KvpExchangeDataItem as GuestIntrinsicExchangeItems holds it (embedded-instance XML).
function script:ConvertTo-SimKvpItem([string]$Name, [string]$Data) {
    $escape = { param($t) [System.Security.SecurityElement]::Escape($t) }
    '<INSTANCE CLASSNAME="Msvm_KvpExchangeDataItem">' +
    '<PROPERTY NAME="Caption" TYPE="string"><VALUE></VALUE></PROPERTY>' +
    '<PROPERTY NAME="Data" TYPE="string"><VALUE>' + (& $escape $Data) + '</VALUE></PROPERTY>' +
    '<PROPERTY NAME="Name" TYPE="string"><VALUE>' + (& $escape $Name) + '</VALUE></PROPERTY>' +
    '<PROPERTY NAME="Source" TYPE="uint16"><VALUE>2</VALUE></PROPERTY>' +
    '</INSTANCE>'
}

# What a booted guest reports about itself (hv_kvp_daemon for Linux: OSPlatformId 100, no ProductType).
function script:Get-SimKvpItems($vm) {
    if (-not [NestvirtSim.Guest]::IsBooted($vm)) { return , [string[]]@() }
    $guest = [NestvirtSim.Guest]::Section($vm)
    $os = [NestvirtSim.Guest]::Os($vm)
    $fqdn = [NestvirtSim.Factory]::Str($guest, 'computer_name', ([string]$vm['name']).ToUpperInvariant())
    $domain = [NestvirtSim.Factory]::Str($guest, 'domain', '')
    if ($domain -and $domain -ne 'WORKGROUP') { $fqdn = "$fqdn.$domain" }
    $items = [System.Collections.Generic.List[string]]::new()
    $items.Add((ConvertTo-SimKvpItem 'FullyQualifiedDomainName' $fqdn))
    if ($os['family'] -eq 'linux') {
        $items.Add((ConvertTo-SimKvpItem 'OSName' $os['caption']))
        $items.Add((ConvertTo-SimKvpItem 'OSVersion' $os['version']))
        $items.Add((ConvertTo-SimKvpItem 'OSBuildNumber' $os['build']))
        $items.Add((ConvertTo-SimKvpItem 'OSPlatformId' '100'))
    }
    else {
        $version = [string]$os['version']
        $parts = $version.Split('.')
        $items.Add((ConvertTo-SimKvpItem 'OSName' ([string]$os['caption'] -replace '^Microsoft ', '')))
        $items.Add((ConvertTo-SimKvpItem 'OSVersion' $version))
        $items.Add((ConvertTo-SimKvpItem 'OSBuildNumber' ([string]$os['build'])))
        $items.Add((ConvertTo-SimKvpItem 'OSMajorVersion' $parts[0]))
        $items.Add((ConvertTo-SimKvpItem 'OSMinorVersion' $(if ($parts.Count -gt 1) { $parts[1] } else { '0' })))
        $items.Add((ConvertTo-SimKvpItem 'ProductType' ([string]$os['product_type'])))
        $items.Add((ConvertTo-SimKvpItem 'OSPlatformId' '2'))
    }
    return , [string[]]$items.ToArray()
}
$script:CimNamespaces = @('root/cimv2', 'root/microsoft/windows/deviceguard', 'root/standardcimv2', 'root/virtualization/v2')

function script:Get-SimHostRecords($ctx, [string]$Class) {
    $h = $ctx.HostInfo
    $os = $h['os']
    $cpu = $h['cpu']
    $computer = [NestvirtSim.Factory]::Str($h, 'computer_name', 'HYPERV-HOST')
    $sockets = [int][NestvirtSim.Factory]::Long($cpu, 'sockets', 1)
    $cores = [int][NestvirtSim.Factory]::Long($cpu, 'cores_per_socket', 4)
    $logical = [int][NestvirtSim.Factory]::Long($cpu, 'logical_processors_per_socket', 8)
    $memory = [uint64][NestvirtSim.Factory]::Long($h, 'memory_bytes', 34359738368)
    $hypervisor = Test-SimTrue $h 'hypervisor_present' $true
    $productType = [uint32][NestvirtSim.Factory]::Long($os, 'product_type', 1)
    switch ($Class) {
        'Win32_OperatingSystem' {
            $caption = [NestvirtSim.Factory]::Str($os, 'caption', 'Microsoft Windows 11 Pro')
            [ordered]@{
                Caption                 = $caption
                BuildNumber             = [string][NestvirtSim.Factory]::Long($os, 'build', 22631)
                Version                 = [NestvirtSim.Factory]::Str($os, 'version', "10.0.$([NestvirtSim.Factory]::Long($os, 'build', 22631))")
                ProductType             = $productType
                OperatingSystemSKU      = [uint32][NestvirtSim.Factory]::Long($os, 'sku', 48)
                OSArchitecture          = [NestvirtSim.Factory]::Str($os, 'architecture', '64-bit')
                OSType                  = [uint16]18
                OSLanguage              = [uint32]1033
                Locale                  = '0409'
                CountryCode             = '1'
                CodeSet                 = '1252'
                CSName                  = $computer
                Manufacturer            = 'Microsoft Corporation'
                Name                    = "$caption|C:\Windows|\Device\Harddisk0\Partition2"
                SystemDirectory         = 'C:\Windows\system32'
                WindowsDirectory        = 'C:\Windows'
                SystemDrive             = 'C:'
                BootDevice              = '\Device\HarddiskVolume1'
                SystemDevice            = '\Device\HarddiskVolume2'
                SerialNumber            = '00454-60000-00001-AA001'
                RegisteredUser          = 'Administrator'
                Organization            = ''
                InstallDate             = [NestvirtSim.Clock]::ParseTime($os['install_date']).ToLocalTime()
                LastBootUpTime          = [NestvirtSim.Clock]::ParseTime($os['last_boot']).ToLocalTime()
                LocalDateTime           = [datetime]::Now
                TotalVisibleMemorySize  = [uint64]($memory / 1KB)
                FreePhysicalMemory      = [uint64]($(if (($free = [NestvirtSim.Factory]::FreeMemory($ctx.State, $null)) -ge 0) { $free } else { $memory / 2 }) / 1KB)
                TotalVirtualMemorySize  = [uint64]($memory / 1KB * 1.25)
                FreeVirtualMemory       = [uint64]($memory / 2KB)
                NumberOfProcesses       = [uint32]180
                NumberOfUsers           = [uint32]2
                ServicePackMajorVersion = [uint16]0
                ServicePackMinorVersion = [uint16]0
                MUILanguages            = [string[]]@('en-US')
                Primary                 = $true
                Status                  = 'OK'
                Description             = ''
            }
        }
        'Win32_Processor' {
            # One instance per socket. With the hypervisor running, the three virtualization
            # properties read False (the hypervisor owns VT-x/AMD-V): MicrosoftDocs/win32 win32-processor.md and WSDOC "System requirements for Hyper-V".
            for ($i = 0; $i -lt $sockets; $i++) {
                [ordered]@{
                    DeviceID                                = "CPU$i"
                    SocketDesignation                       = "CPU$i"
                    Name                                    = [NestvirtSim.Factory]::Str($cpu, 'name', 'Processor')
                    Manufacturer                            = [NestvirtSim.Factory]::Str($cpu, 'manufacturer', 'GenuineIntel')
                    Caption                                 = [NestvirtSim.Factory]::Str($cpu, 'description', 'Intel64 Family 6 Model 85 Stepping 7')
                    Description                             = [NestvirtSim.Factory]::Str($cpu, 'description', 'Intel64 Family 6 Model 85 Stepping 7')
                    NumberOfCores                           = [uint32]$cores
                    NumberOfEnabledCore                     = [uint32]$cores
                    NumberOfLogicalProcessors               = [uint32]$logical
                    ThreadCount                             = [uint32]$logical
                    MaxClockSpeed                           = [uint32][NestvirtSim.Factory]::Long($cpu, 'max_clock_mhz', 3000)
                    CurrentClockSpeed                       = [uint32][NestvirtSim.Factory]::Long($cpu, 'max_clock_mhz', 3000)
                    Architecture                            = [uint16]9
                    AddressWidth                            = [uint16]64
                    DataWidth                               = [uint16]64
                    Family                                  = [uint16]$(if ([string]$cpu['manufacturer'] -eq 'AuthenticAMD') { 107 } else { 179 })
                    ProcessorType                           = [uint16]3
                    ProcessorId                             = [NestvirtSim.Factory]::Str($cpu, 'processor_id', 'BFEBFBFF000806F8')
                    Level                                   = [uint16]6
                    Availability                            = [uint16]3
                    CpuStatus                               = [uint16]1
                    L2CacheSize                             = [uint32]2048
                    L3CacheSize                             = [uint32]32768
                    Role                                    = 'CPU'
                    Status                                  = 'OK'
                    SystemName                              = $computer
                    VirtualizationFirmwareEnabled           = [bool]((Test-SimTrue $cpu 'virtualization_firmware_enabled' $true) -and -not $hypervisor)
                    VMMonitorModeExtensions                 = [bool]((Test-SimTrue $cpu 'vm_monitor_mode_extensions' $true) -and -not $hypervisor)
                    SecondLevelAddressTranslationExtensions = [bool]((Test-SimTrue $cpu 'second_level_address_translation' $true) -and -not $hypervisor)
                }
            }
        }
        'Win32_ComputerSystem' {
            $domain = [NestvirtSim.Factory]::Str($h, 'domain', 'WORKGROUP')
            $partOfDomain = Test-SimTrue $h 'part_of_domain' $false
            [ordered]@{
                Name                      = $computer
                Caption                   = $computer
                DNSHostName               = $computer.ToLowerInvariant()
                Domain                    = $domain
                Workgroup                 = $(if ($partOfDomain) { $null } else { $domain })
                PartOfDomain              = [bool]$partOfDomain
                DomainRole                = [uint16]$(if ($productType -eq 1) { if ($partOfDomain) { 1 } else { 0 } } elseif ($productType -eq 2) { 5 } elseif ($partOfDomain) { 3 } else { 2 })
                Manufacturer              = [NestvirtSim.Factory]::Str($h, 'system_manufacturer', 'Contoso')
                Model                     = [NestvirtSim.Factory]::Str($h, 'model', 'Workstation')
                SystemType                = 'x64-based PC'
                PCSystemType              = [uint16]$(if ($productType -eq 1) { 1 } else { 4 })
                HypervisorPresent         = [bool]$hypervisor
                NumberOfProcessors        = [uint32]$sockets
                NumberOfLogicalProcessors = [uint32]($sockets * $logical)
                TotalPhysicalMemory       = [uint64]$memory
                UserName                  = "$computer\Administrator"
                PrimaryOwnerName          = 'Administrator'
                BootupState               = 'Normal boot'
                Status                    = 'OK'
                Description               = 'AT/AT COMPATIBLE'
            }
        }
        'Msvm_KvpExchangeComponent' {
            # One per VM (none inside a guest: its view has no VMs).
            foreach ($vm in $ctx.State['vms']) {
                $id = ([string]$vm['id']).ToUpperInvariant()
                $running = [NestvirtSim.Guest]::IsRunning($vm)
                [ordered]@{
                    Caption                     = 'Key-Value Pair Exchange'
                    Description                 = 'Microsoft Key-Value Pair Exchange'
                    ElementName                 = 'Key-Value Pair Exchange'
                    CreationClassName           = 'Msvm_KvpExchangeComponent'
                    DeviceID                    = "Microsoft:$id\2A34B1C2-FD73-4043-8A5B-DD2159BC743F"
                    SystemCreationClassName     = 'Msvm_ComputerSystem'
                    SystemName                  = $id
                    EnabledState                = [uint16]$(if ($running) { 2 } else { 3 })
                    OperationalStatus           = [uint16[]]$(if ([NestvirtSim.Guest]::IsBooted($vm)) { @(2) } elseif ($running) { @(12) } else { @() })
                    StatusDescriptions          = [string[]]$(if ([NestvirtSim.Guest]::IsBooted($vm)) { @('OK') } elseif ($running) { @('No Contact') } else { @() })
                    GuestExchangeItems          = [string[]]@()
                    GuestIntrinsicExchangeItems = (Get-SimKvpItems $vm)
                }
            }
        }
        'Win32_DeviceGuard' {
            $vbs = Test-SimTrue $h 'vbs_running' $false
            [ordered]@{
                InstanceIdentifier                           = '4ff40742-2649-41b8-bdd1-e80fad1cce80'
                Version                                      = '1.0'
                VirtualizationBasedSecurityStatus            = [uint32]$(if ($vbs) { 2 } else { 0 })
                SecurityServicesRunning                      = [uint32[]]$(if ($vbs) { @(2) } else { @(0) })
                SecurityServicesConfigured                   = [uint32[]]$(if ($vbs) { @(2) } else { @(0) })
                AvailableSecurityProperties                  = [uint32[]]@(1, 2, 3, 5)
                RequiredSecurityProperties                   = [uint32[]]@(0)
                CodeIntegrityPolicyEnforcementStatus         = [uint32]0
                UsermodeCodeIntegrityPolicyEnforcementStatus = [uint32]0
            }
        }
    }
}

# --- WQL (the subset scripts use): conditions with = <> != < > <= >= LIKE, IS [NOT] NULL, AND, OR, NOT, ( ) ---

function script:Get-SimWqlTokens([string]$Text) {
    $pattern = "\s*(?:(?<str>'(?:[^']|'')*'|`"(?:[^`"]|`"`")*`")|(?<op><>|!=|<=|>=|=|<|>)|(?<num>-?\d+(?:\.\d+)?)|(?<word>[A-Za-z_][A-Za-z0-9_\.]*)|(?<paren>[()])|(?<comma>,)|(?<star>\*))"
    $tokens = [System.Collections.Generic.List[object]]::new()
    $pos = 0
    while ($pos -lt $Text.Length) {
        $m = [regex]::Match($Text.Substring($pos), '^' + $pattern)
        if (-not $m.Success -or $m.Length -eq 0) {
            if ($Text.Substring($pos).Trim().Length -eq 0) { break }
            throw [System.FormatException]::new('invalid token')
        }
        foreach ($kind in 'str', 'op', 'num', 'word', 'paren', 'comma', 'star') {
            if ($m.Groups[$kind].Success) {
                $value = $m.Groups[$kind].Value
                if ($kind -eq 'str') { $q = $value[0]; $value = $value.Substring(1, $value.Length - 2).Replace("$q$q", "$q") }
                $tokens.Add([pscustomobject]@{ Kind = $kind; Value = $value })
                break
            }
        }
        $pos += $m.Length
    }
    return , $tokens
}

function script:Test-SimWqlCondition($Tokens, [ref]$Index, $Record) {
    # or-expression
    $result = Test-SimWqlAnd $Tokens $Index $Record
    while ($Index.Value -lt $Tokens.Count -and $Tokens[$Index.Value].Kind -eq 'word' -and $Tokens[$Index.Value].Value -eq 'OR') {
        $Index.Value++
        $right = Test-SimWqlAnd $Tokens $Index $Record
        $result = $result -or $right
    }
    return $result
}

function script:Test-SimWqlAnd($Tokens, [ref]$Index, $Record) {
    $result = Test-SimWqlFactor $Tokens $Index $Record
    while ($Index.Value -lt $Tokens.Count -and $Tokens[$Index.Value].Kind -eq 'word' -and $Tokens[$Index.Value].Value -eq 'AND') {
        $Index.Value++
        $right = Test-SimWqlFactor $Tokens $Index $Record
        $result = $result -and $right
    }
    return $result
}

function script:Test-SimWqlFactor($Tokens, [ref]$Index, $Record) {
    if ($Index.Value -ge $Tokens.Count) { throw [System.FormatException]::new('unexpected end') }
    $t = $Tokens[$Index.Value]
    if ($t.Kind -eq 'word' -and $t.Value -eq 'NOT') { $Index.Value++; return -not (Test-SimWqlFactor $Tokens $Index $Record) }
    if ($t.Kind -eq 'paren' -and $t.Value -eq '(') {
        $Index.Value++
        $inner = Test-SimWqlCondition $Tokens $Index $Record
        if ($Index.Value -ge $Tokens.Count -or $Tokens[$Index.Value].Value -ne ')') { throw [System.FormatException]::new('missing )') }
        $Index.Value++
        return $inner
    }
    if ($t.Kind -ne 'word' -or $Index.Value + 1 -ge $Tokens.Count) { throw [System.FormatException]::new('property expected') }
    if (-not $Record.Contains($t.Value)) { throw [System.FormatException]::new("unknown property $($t.Value)") }
    $actual = $Record[$t.Value]
    $op = $Tokens[$Index.Value + 1]
    if ($op.Kind -eq 'word' -and $op.Value -eq 'IS') {
        $negate = $Index.Value + 2 -lt $Tokens.Count -and $Tokens[$Index.Value + 2].Value -eq 'NOT'
        $Index.Value += $(if ($negate) { 4 } else { 3 })
        return ($null -eq $actual) -xor $negate
    }
    if ($Index.Value + 2 -ge $Tokens.Count) { throw [System.FormatException]::new('value expected') }
    $v = $Tokens[$Index.Value + 2]
    $Index.Value += 3
    $wanted = switch ($v.Kind) {
        'str' { $v.Value }
        'num' { [double]$v.Value }
        'word' {
            switch ($v.Value) { 'TRUE' { $true } 'FALSE' { $false } 'NULL' { $null } default { throw [System.FormatException]::new('value expected') } }
        }
        default { throw [System.FormatException]::new('value expected') }
    }
    if ($op.Kind -eq 'word' -and $op.Value -eq 'LIKE') {
        $regex = '^' + ([regex]::Escape([string]$wanted) -replace '%', '.*' -replace '_', '.') + '$'
        return [string]$actual -match $regex
    }
    if ($op.Kind -ne 'op') { throw [System.FormatException]::new('operator expected') }
    if ($actual -is [bool] -and $wanted -isnot [bool]) { $wanted = [bool]$wanted }
    elseif ($wanted -is [double] -and $actual -is [string]) { $wanted = [string]$v.Value }
    switch ($op.Value) {
        '=' { return $actual -eq $wanted }
        { $_ -in '<>', '!=' } { return $actual -ne $wanted }
        '<' { return $actual -lt $wanted }
        '>' { return $actual -gt $wanted }
        '<=' { return $actual -le $wanted }
        '>=' { return $actual -ge $wanted }
    }
}

function Get-CimInstance {
    [CmdletBinding(DefaultParameterSetName = 'ClassNameComputerSet', PositionalBinding = $false)]
    [OutputType('Microsoft.Management.Infrastructure.CimInstance')]
    param(
        [Parameter(ParameterSetName = 'CimInstanceSessionSet', Mandatory = $true, ValueFromPipeline = $true)]
        [Parameter(ParameterSetName = 'QuerySessionSet', Mandatory = $true, ValueFromPipeline = $true)]
        [Parameter(ParameterSetName = 'ClassNameSessionSet', Mandatory = $true, ValueFromPipeline = $true)]
        [Parameter(ParameterSetName = 'ResourceUriSessionSet', Mandatory = $true, ValueFromPipeline = $true)]
        [ValidateNotNullOrEmpty()]
        [Microsoft.Management.Infrastructure.CimSession[]] $CimSession,

        [Parameter(ParameterSetName = 'ClassNameSessionSet', Mandatory = $true, Position = 0, ValueFromPipelineByPropertyName = $true)]
        [Parameter(ParameterSetName = 'ClassNameComputerSet', Mandatory = $true, Position = 0, ValueFromPipelineByPropertyName = $true)]
        [string] $ClassName,

        [Parameter(ParameterSetName = 'ResourceUriSessionSet', Mandatory = $true, ValueFromPipelineByPropertyName = $true)]
        [Parameter(ParameterSetName = 'ResourceUriComputerSet', Mandatory = $true, ValueFromPipelineByPropertyName = $true)]
        [Parameter(ParameterSetName = 'CimInstanceComputerSet')]
        [Parameter(ParameterSetName = 'CimInstanceSessionSet')]
        [Parameter(ParameterSetName = 'QueryComputerSet', ValueFromPipelineByPropertyName = $true)]
        [Parameter(ParameterSetName = 'QuerySessionSet', ValueFromPipelineByPropertyName = $true)]
        [uri] $ResourceUri,

        [Parameter(ParameterSetName = 'ClassNameComputerSet', ValueFromPipelineByPropertyName = $true)]
        [Parameter(ParameterSetName = 'ResourceUriComputerSet', ValueFromPipelineByPropertyName = $true)]
        [Parameter(ParameterSetName = 'QueryComputerSet', ValueFromPipelineByPropertyName = $true)]
        [Parameter(ParameterSetName = 'CimInstanceComputerSet')]
        [Alias('CN', 'ServerName')]
        [string[]] $ComputerName,

        [Parameter(ParameterSetName = 'ClassNameComputerSet')]
        [Parameter(ParameterSetName = 'ClassNameSessionSet')]
        [Parameter(ParameterSetName = 'ResourceUriComputerSet')]
        [Parameter(ParameterSetName = 'ResourceUriSessionSet')]
        [switch] $KeyOnly,

        [Parameter(ParameterSetName = 'ClassNameComputerSet', ValueFromPipelineByPropertyName = $true)]
        [Parameter(ParameterSetName = 'ClassNameSessionSet', ValueFromPipelineByPropertyName = $true)]
        [Parameter(ParameterSetName = 'ResourceUriComputerSet', ValueFromPipelineByPropertyName = $true)]
        [Parameter(ParameterSetName = 'ResourceUriSessionSet', ValueFromPipelineByPropertyName = $true)]
        [Parameter(ParameterSetName = 'QueryComputerSet', ValueFromPipelineByPropertyName = $true)]
        [Parameter(ParameterSetName = 'QuerySessionSet', ValueFromPipelineByPropertyName = $true)]
        [string] $Namespace,

        [Alias('OT')]
        [uint32] $OperationTimeoutSec,

        [Parameter(ParameterSetName = 'CimInstanceComputerSet', Mandatory = $true, Position = 0, ValueFromPipeline = $true)]
        [Parameter(ParameterSetName = 'CimInstanceSessionSet', Mandatory = $true, Position = 0, ValueFromPipeline = $true)]
        [Alias('CimInstance')]
        [NestvirtSim.SimCimInstance] $InputObject,

        [Parameter(ParameterSetName = 'QueryComputerSet', Mandatory = $true, ValueFromPipelineByPropertyName = $true)]
        [Parameter(ParameterSetName = 'QuerySessionSet', Mandatory = $true, ValueFromPipelineByPropertyName = $true)]
        [string] $Query,

        [Parameter(ParameterSetName = 'QueryComputerSet', ValueFromPipelineByPropertyName = $true)]
        [Parameter(ParameterSetName = 'QuerySessionSet', ValueFromPipelineByPropertyName = $true)]
        [Parameter(ParameterSetName = 'ClassNameSessionSet', ValueFromPipelineByPropertyName = $true)]
        [Parameter(ParameterSetName = 'ClassNameComputerSet', ValueFromPipelineByPropertyName = $true)]
        [string] $QueryDialect,

        [Parameter(ParameterSetName = 'ClassNameComputerSet')]
        [Parameter(ParameterSetName = 'ClassNameSessionSet')]
        [Parameter(ParameterSetName = 'ResourceUriSessionSet')]
        [Parameter(ParameterSetName = 'ResourceUriComputerSet')]
        [Parameter(ParameterSetName = 'QueryComputerSet')]
        [Parameter(ParameterSetName = 'QuerySessionSet')]
        [switch] $Shallow,

        [Parameter(ParameterSetName = 'ClassNameSessionSet', ValueFromPipelineByPropertyName = $true)]
        [Parameter(ParameterSetName = 'ClassNameComputerSet', ValueFromPipelineByPropertyName = $true)]
        [Parameter(ParameterSetName = 'ResourceUriSessionSet', ValueFromPipelineByPropertyName = $true)]
        [Parameter(ParameterSetName = 'ResourceUriComputerSet', ValueFromPipelineByPropertyName = $true)]
        [string] $Filter,

        [Parameter(ParameterSetName = 'ClassNameSessionSet', ValueFromPipelineByPropertyName = $true)]
        [Parameter(ParameterSetName = 'ClassNameComputerSet', ValueFromPipelineByPropertyName = $true)]
        [Parameter(ParameterSetName = 'ResourceUriSessionSet', ValueFromPipelineByPropertyName = $true)]
        [Parameter(ParameterSetName = 'ResourceUriComputerSet', ValueFromPipelineByPropertyName = $true)]
        [Alias('SelectProperties')]
        [string[]] $Property
    )
    process {
        $ctx = Open-SimCall $PSCmdlet -Access Any
        try {
            if ($ctx.Ok) {
                $class = $ClassName
                $where = $Filter
                $select = $Property
                $ns = if ($Namespace) { $Namespace } else { 'root/cimv2' }
                if ($PSCmdlet.ParameterSetName -like 'Query*') {
                    if ($QueryDialect -and $QueryDialect -ne 'WQL') { throw [System.FormatException]::new('dialect') }
                    if ($Query -notmatch '^\s*SELECT\s+(?<props>.+?)\s+FROM\s+(?<class>[A-Za-z_][A-Za-z0-9_]*)(?:\s+WHERE\s+(?<where>.+?))?\s*$') {
                        Add-SimError $ctx -Message 'Invalid query ' -ErrorId 'HRESULT 0x80041017' -Category InvalidArgument -Exception CimException
                        $class = $null
                    }
                    else {
                        $class = $Matches['class']
                        $where = $Matches['where']
                        $props = $Matches['props'].Trim()
                        $select = if ($props -eq '*') { $null } else { @($props -split '\s*,\s*') }
                    }
                }
                elseif ($PSCmdlet.ParameterSetName -like 'CimInstance*') {
                    $owner = [NestvirtSim.SimCim]::OwnerOf($InputObject)
                    $class = $InputObject.GetCimClassName()
                    $ns = $InputObject.GetCimNamespace()
                    $keys = $InputObject.GetKeyProperties()
                    $where = ($keys | ForEach-Object { "$_ = '$([string]$owner.$_ -replace "'", "''")'" }) -join ' AND '
                }
                elseif ($PSCmdlet.ParameterSetName -like 'ResourceUri*') {
                    $class = ([string]$ResourceUri).TrimEnd('/').Split('/')[-1]
                }
                $nsKey = $ns.Replace('\', '/').ToLowerInvariant()
                if ($null -eq $class) { }
                elseif ($nsKey -notin $script:CimNamespaces) {
                    Add-SimError $ctx -Message 'Invalid namespace ' -ErrorId 'HRESULT 0x8004100e' -Category MetadataError -Target "$($ns):$class" -Exception CimException
                }
                elseif (-not $script:CimClasses.ContainsKey($class.ToLowerInvariant()) -or $script:CimClasses[$class.ToLowerInvariant()].Namespace -ne $nsKey) {
                    Add-SimError $ctx -Message 'Invalid class ' -ErrorId 'HRESULT 0x80041010' -Category MetadataError -Target "$($ns):$class" -Exception CimException
                }
                elseif ($nsKey -eq 'root/virtualization/v2' -and -not ((Test-SimTrue $ctx.HostInfo 'elevated' $true) -or (Test-SimTrue $ctx.HostInfo 'hyperv_admin' $false))) {
                    # The Hyper-V WMI provider answers administrators and Hyper-V Administrators only.
                    Add-SimError $ctx -Message 'Access denied ' -ErrorId 'HRESULT 0x80041003' -Category PermissionDenied -Target "$($ns):$class" -Exception CimException
                }
                else {
                    $info = $script:CimClasses[$class.ToLowerInvariant()]
                    try {
                        $tokens = if ($where) { Get-SimWqlTokens $where } else { $null }
                        foreach ($record in @(Get-SimHostRecords $ctx $info.Name)) {
                            if ($null -ne $tokens) {
                                $index = 0
                                $keep = Test-SimWqlCondition $tokens ([ref]$index) $record
                                if ($index -ne $tokens.Count) { throw [System.FormatException]::new('trailing tokens') }
                                if (-not $keep) { continue }
                            }
                            if ($KeyOnly) { $select = $info.Keys }
                            if ($select) {
                                foreach ($name in @($record.Keys)) {
                                    if ($name -notin $select -and $name -notin $info.Keys) { $record[$name] = $null }
                                }
                            }
                            Add-SimOutput $ctx ([NestvirtSim.SimCim]::Create($info.Name, $info.Namespace, [string[]]$info.Keys, [string[]]$info.Bases, $record))
                        }
                    }
                    catch [System.FormatException] {
                        $ctx.Output.Clear()
                        Add-SimError $ctx -Message 'Invalid query ' -ErrorId 'HRESULT 0x80041017' -Category InvalidArgument -Exception CimException
                    }
                }
            }
        }
        catch [System.FormatException] {
            Add-SimError $ctx -Message 'Invalid query ' -ErrorId 'HRESULT 0x80041017' -Category InvalidArgument -Exception CimException
        }
        finally { Close-SimCall $ctx }
        Complete-SimCall $ctx
    }
}
