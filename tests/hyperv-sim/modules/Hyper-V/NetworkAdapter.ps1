# Get-VMNetworkAdapter, Set-VMNetworkAdapter, Connect-VMNetworkAdapter, Disconnect-VMNetworkAdapter.

# Adapter dictionaries of VMs, each as @{ VM = <vm>; Adapter = <adapter> }.
function script:Get-SimVMAdapters($ctx, $vms, [string[]]$Name) {
    :machine foreach ($machine in $vms) {
        foreach ($a in $machine['network_adapters']) {
            $adapterName = [NestvirtSim.Factory]::Str($a, 'name', 'Network Adapter')
            $match = $true
            if ($Name) {
                $match = $false
                foreach ($n in $Name) { if ((New-SimPattern $n).IsMatch($adapterName)) { $match = $true } }
            }
            if ($match) { [pscustomobject]@{ VM = $machine; Adapter = $a } }
        }
    }
}

# Host vNICs (net_adapters bound to a switch with AllowManagementOS), as @{ VM = $null; Adapter = <net adapter> }.
function script:Get-SimManagementAdapters($ctx, [string]$Name, [string]$SwitchName) {
    foreach ($na in $ctx.State['net_adapters']) {
        if ($null -eq $na['switch']) { continue }
        $vmAdapterName = [NestvirtSim.Factory]::Str($na, 'vm_adapter_name', [string]$na['switch'])
        if ($Name -and -not (New-SimPattern $Name).IsMatch($vmAdapterName)) { continue }
        if ($SwitchName -and -not (New-SimPattern $SwitchName).IsMatch([string]$na['switch'])) { continue }
        [pscustomobject]@{ VM = $null; Adapter = $na }
    }
}

# The adapter dictionary behind a VMNetworkAdapter / VMInternalNetworkAdapter object.
function script:Resolve-SimAdapterObject($ctx, $Object) {
    if ($Object -is [Microsoft.HyperV.PowerShell.VMInternalNetworkAdapter]) {
        foreach ($na in $ctx.State['net_adapters']) {
            if ($null -ne $na['switch'] -and ('Microsoft:' + ([string]$na['guid']).ToUpperInvariant()) -eq $Object.Id) { return [pscustomobject]@{ VM = $null; Adapter = $na } }
        }
        return $null
    }
    :machine foreach ($machine in $ctx.State['vms']) {
        if ([string]$machine['id'] -ne [string]$Object.VMId) { continue }
        foreach ($a in $machine['network_adapters']) {
            if (([NestvirtSim.Factory]::Str($a, 'id', '')).ToUpperInvariant() -eq ([string]$Object.AdapterId).ToUpperInvariant()) { return [pscustomobject]@{ VM = $machine; Adapter = $a } }
        }
    }
    return $null
}

function script:ConvertTo-SimAdapterObject($ctx, $item) {
    if ($null -eq $item.VM) { return [NestvirtSim.Factory]::InternalAdapter($item.Adapter, $ctx.State) }
    return [NestvirtSim.Factory]::NetworkAdapter($item.VM, $item.Adapter, $ctx.State)
}

function Get-VMNetworkAdapter {
    [CmdletBinding(DefaultParameterSetName = 'VMName', PositionalBinding = $false)]
    [OutputType([Microsoft.HyperV.PowerShell.VMNetworkAdapter], [Microsoft.HyperV.PowerShell.VMInternalNetworkAdapter])]
    param(
        [Parameter(ParameterSetName = 'VMName')] [Parameter(ParameterSetName = 'VMObject')]
        [bool] $IsLegacy,

        [Parameter(ParameterSetName = 'VMName')] [Parameter(ParameterSetName = 'ManagementOS')] [Parameter(ParameterSetName = 'All')]
        [ValidateNotNullOrEmpty()]
        [Microsoft.Management.Infrastructure.CimSession[]] $CimSession,
        [Parameter(ParameterSetName = 'VMName')] [Parameter(ParameterSetName = 'ManagementOS')] [Parameter(ParameterSetName = 'All')]
        [ValidateNotNullOrEmpty()]
        [string[]] $ComputerName,
        [Parameter(ParameterSetName = 'VMName')] [Parameter(ParameterSetName = 'ManagementOS')] [Parameter(ParameterSetName = 'All')]
        [ValidateNotNullOrEmpty()]
        [pscredential[]] $Credential,

        [Parameter(ParameterSetName = 'VMName', Mandatory = $true, Position = 0, ValueFromPipeline = $true)]
        [ValidateNotNullOrEmpty()]
        [string[]] $VMName,

        [Parameter(ParameterSetName = 'VMObject', Mandatory = $true, Position = 0, ValueFromPipeline = $true)]
        [ValidateNotNullOrEmpty()]
        [Microsoft.HyperV.PowerShell.VirtualMachine[]] $VM,

        [Parameter(ParameterSetName = 'VMSnapshot', Mandatory = $true, Position = 0, ValueFromPipeline = $true)]
        [Alias('VMCheckpoint')]
        [ValidateNotNull()]
        [Microsoft.HyperV.PowerShell.VMSnapshot] $VMSnapshot,

        [Parameter(Position = 1)]
        [Alias('VMNetworkAdapterName')]
        [ValidateNotNullOrEmpty()]
        [string] $Name,

        [Parameter(ParameterSetName = 'ManagementOS', Mandatory = $true)]
        [switch] $ManagementOS,

        [Parameter(ParameterSetName = 'ManagementOS')]
        [ValidateNotNullOrEmpty()]
        [string] $SwitchName,

        [Parameter(ParameterSetName = 'All', Mandatory = $true)]
        [switch] $All
    )
    process {
        $ctx = Open-SimCall $PSCmdlet -Access HyperV
        try {
            if ($ctx.Ok) {
                $names = if ($PSBoundParameters.ContainsKey('Name')) { @($Name) } else { $null }
                $items = @(switch ($PSCmdlet.ParameterSetName) {
                    'VMName' { Get-SimVMAdapters $ctx (Find-SimVM $ctx -Name $VMName) $names }
                    'VMObject' { Get-SimVMAdapters $ctx (Find-SimVM $ctx -VM $VM) $names }
                    'ManagementOS' { Get-SimManagementAdapters $ctx $Name $SwitchName }
                    'All' {
                        Get-SimVMAdapters $ctx $ctx.State['vms'] $names
                        Get-SimManagementAdapters $ctx $Name $null
                    }
                    'VMSnapshot' {
                        Add-SimError $ctx -Message 'The simulator has no checkpoints.' -ErrorId ObjectNotFound -Category ObjectNotFound -Exception VirtualizationException
                    }
                })
                foreach ($item in $items) {
                    if ($PSBoundParameters.ContainsKey('IsLegacy') -and $null -ne $item.VM -and (Test-SimTrue $item.Adapter 'legacy' $false) -ne $IsLegacy) { continue }
                    Add-SimOutput $ctx (ConvertTo-SimAdapterObject $ctx $item)
                }
            }
        }
        finally { Close-SimCall $ctx }
        Complete-SimCall $ctx
    }
}

# Set-VMNetworkAdapter option → key in the state's adapter dictionary.
$script:AdapterOptionKeys = [ordered]@{
    MacAddressSpoofing = 'mac_address_spoofing'; DhcpGuard = 'dhcp_guard'; RouterGuard = 'router_guard'
    PortMirroring = 'port_mirroring'; IeeePriorityTag = 'ieee_priority_tag'; AllowTeaming = 'allow_teaming'
    DeviceNaming = 'device_naming'; FixSpeed10G = 'fix_speed_10g'; VmqWeight = 'vmq_weight'; IovWeight = 'iov_weight'
    IovQueuePairsRequested = 'iov_queue_pairs_requested'; IovInterruptModeration = 'iov_interrupt_moderation'
    VirtualSubnetId = 'virtual_subnet_id'; StormLimit = 'storm_limit'; DynamicIPAddressLimit = 'dynamic_ip_address_limit'
    VrssEnabled = 'vrss_enabled'; VmmqEnabled = 'vmmq_enabled'; VmmqQueuePairs = 'vmmq_queue_pairs'
    MaximumBandwidth = 'maximum_bandwidth'; MinimumBandwidthAbsolute = 'minimum_bandwidth_absolute'
    MinimumBandwidthWeight = 'minimum_bandwidth_weight'; MandatoryFeatureId = 'mandatory_feature_id'
    ResourcePoolName = 'resource_pool_name'; TestReplicaPoolName = 'test_replica_pool_name'
    TestReplicaSwitchName = 'test_replica_switch_name'; NotMonitoredInCluster = 'not_monitored_in_cluster'
    PacketDirectNumProcs = 'packet_direct_num_procs'; PacketDirectModerationCount = 'packet_direct_moderation_count'
    PacketDirectModerationInterval = 'packet_direct_moderation_interval'
    IPsecOffloadMaximumSecurityAssociation = 'ipsec_offload_maximum_security_association'
}

function Set-VMNetworkAdapter {
    [CmdletBinding(DefaultParameterSetName = 'VMName', SupportsShouldProcess = $true, PositionalBinding = $false)]
    [OutputType([Microsoft.HyperV.PowerShell.VMNetworkAdapter], [Microsoft.HyperV.PowerShell.VMInternalNetworkAdapter])]
    param(
        [Parameter(ParameterSetName = 'VMName')] [Parameter(ParameterSetName = 'ManagementOS')]
        [ValidateNotNullOrEmpty()]
        [Microsoft.Management.Infrastructure.CimSession[]] $CimSession,
        [Parameter(ParameterSetName = 'VMName')] [Parameter(ParameterSetName = 'ManagementOS')]
        [ValidateNotNullOrEmpty()]
        [string[]] $ComputerName,
        [Parameter(ParameterSetName = 'VMName')] [Parameter(ParameterSetName = 'ManagementOS')]
        [ValidateNotNullOrEmpty()]
        [pscredential[]] $Credential,

        [Parameter(ParameterSetName = 'VMName', Mandatory = $true, Position = 0, ValueFromPipeline = $true)]
        [ValidateNotNullOrEmpty()]
        [string] $VMName,

        [Parameter(ParameterSetName = 'ManagementOS', Mandatory = $true)]
        [switch] $ManagementOS,

        [Parameter(ParameterSetName = 'ResourceObject', Mandatory = $true, Position = 0, ValueFromPipeline = $true)]
        [ValidateNotNull()]
        [Microsoft.HyperV.PowerShell.VMNetworkAdapterBase] $VMNetworkAdapter,

        [Parameter(ParameterSetName = 'VMObject', Mandatory = $true, Position = 0, ValueFromPipeline = $true)]
        [ValidateNotNull()]
        [Microsoft.HyperV.PowerShell.VirtualMachine] $VM,

        [Parameter(ParameterSetName = 'VMName')] [Parameter(ParameterSetName = 'ManagementOS')] [Parameter(ParameterSetName = 'VMObject')]
        [Alias('VMNetworkAdapterName')]
        [ValidateNotNullOrEmpty()]
        [string] $Name,

        [Parameter(ParameterSetName = 'VMName')] [Parameter(ParameterSetName = 'ResourceObject')] [Parameter(ParameterSetName = 'VMObject')]
        [switch] $DynamicMacAddress,

        [Parameter(ParameterSetName = 'VMName')] [Parameter(ParameterSetName = 'ResourceObject')] [Parameter(ParameterSetName = 'VMObject')]
        [ValidateNotNullOrEmpty()]
        [string] $StaticMacAddress,

        [Microsoft.HyperV.PowerShell.OnOffState] $MacAddressSpoofing,
        [Microsoft.HyperV.PowerShell.OnOffState] $DhcpGuard,
        [Microsoft.HyperV.PowerShell.OnOffState] $RouterGuard,
        [Microsoft.HyperV.PowerShell.VMNetworkAdapterPortMirroringMode] $PortMirroring,
        [Microsoft.HyperV.PowerShell.OnOffState] $IeeePriorityTag,
        [uint32] $VmqWeight,
        [uint32] $IovQueuePairsRequested,
        [Microsoft.HyperV.PowerShell.IovInterruptModerationValue] $IovInterruptModeration,
        [uint32] $IovWeight,
        [uint32] $IPsecOffloadMaximumSecurityAssociation,
        [long] $MaximumBandwidth,
        [long] $MinimumBandwidthAbsolute,
        [uint32] $MinimumBandwidthWeight,
        [string[]] $MandatoryFeatureId,
        [string] $ResourcePoolName,
        [string] $TestReplicaPoolName,
        [string] $TestReplicaSwitchName,
        [uint32] $VirtualSubnetId,
        [Microsoft.HyperV.PowerShell.OnOffState] $AllowTeaming,
        [bool] $NotMonitoredInCluster,
        [uint32] $StormLimit,
        [uint32] $DynamicIPAddressLimit,
        [Microsoft.HyperV.PowerShell.OnOffState] $DeviceNaming,
        [Microsoft.HyperV.PowerShell.OnOffState] $FixSpeed10G,
        [uint32] $PacketDirectNumProcs,
        [uint32] $PacketDirectModerationCount,
        [uint32] $PacketDirectModerationInterval,
        [bool] $VrssEnabled,
        [bool] $VmmqEnabled,
        [uint32] $VmmqQueuePairs,
        [switch] $Passthru
    )
    process {
        $ctx = Open-SimCall $PSCmdlet -Access HyperV
        try {
            if ($ctx.Ok) {
                $names = if ($PSBoundParameters.ContainsKey('Name')) { @($Name) } else { $null }
                $items = @(switch ($PSCmdlet.ParameterSetName) {
                    'VMName' { Get-SimVMAdapters $ctx (Find-SimVM $ctx -Name $VMName) $names }
                    'VMObject' { Get-SimVMAdapters $ctx (Find-SimVM $ctx -VM $VM) $names }
                    'ManagementOS' { Get-SimManagementAdapters $ctx $Name $null }
                    'ResourceObject' {
                        $item = Resolve-SimAdapterObject $ctx $VMNetworkAdapter
                        if ($null -eq $item) {
                            Add-SimError $ctx -Message "Hyper-V was unable to find the network adapter `"$($VMNetworkAdapter.Name)`" of virtual machine `"$($VMNetworkAdapter.VMName)`"." -ErrorId ObjectNotFound -Category ObjectNotFound -Exception VirtualizationException
                        }
                        else { $item }
                    }
                })
                if ($PSCmdlet.ParameterSetName -in 'VMName', 'VMObject' -and $names -and $items.Count -eq 0 -and $ctx.Errors.Count -eq 0) {
                    Add-SimError $ctx -Message "Hyper-V was unable to find a network adapter with name `"$Name`"." -ErrorId ObjectNotFound -Category ObjectNotFound -Exception VirtualizationException
                }
                :adapter foreach ($item in $items) {
                    $a = $item.Adapter
                    $target = if ($null -eq $item.VM) { "host adapter '$($a['name'])'" } else { "'$([NestvirtSim.Factory]::Str($a, 'name', 'Network Adapter'))' of '$($item.VM['name'])'" }
                    if (-not (Test-SimShouldProcess $PSCmdlet @($target, 'Set-VMNetworkAdapter'))) { continue adapter }
                    if ($null -ne $item.VM -and ($PSBoundParameters.ContainsKey('StaticMacAddress') -or $DynamicMacAddress) -and
                        (Get-SimVMState $item.VM) -ne [Microsoft.HyperV.PowerShell.VMState]::Off) {
                        Add-SimWrongState $ctx
                        continue adapter
                    }
                    if ($PSBoundParameters.ContainsKey('StaticMacAddress')) {
                        $mac = $StaticMacAddress.Replace('-', '').Replace(':', '').ToUpperInvariant()
                        if ($mac -notmatch '^[0-9A-F]{12}$') {
                            Add-SimError $ctx -Message "Failed to modify device 'Ethernet Connection'.`nThe MAC address '$StaticMacAddress' is not valid." -ErrorId InvalidParameter -Category InvalidArgument -Exception VirtualizationException
                            continue adapter
                        }
                        $a['mac'] = $mac
                        $a['dynamic_mac'] = $false
                    }
                    if ($DynamicMacAddress) { $a['dynamic_mac'] = $true }
                    foreach ($p in $script:AdapterOptionKeys.Keys) {
                        if (-not $PSBoundParameters.ContainsKey($p)) { continue }
                        $value = $PSBoundParameters[$p]
                        $a[$script:AdapterOptionKeys[$p]] = if ($value -is [enum]) { $value.ToString() } else { $value }
                    }
                    if ($Passthru) { Add-SimOutput $ctx (ConvertTo-SimAdapterObject $ctx $item) }
                }
            }
        }
        finally { Close-SimCall $ctx }
        Complete-SimCall $ctx
    }
}

function Connect-VMNetworkAdapter {
    [CmdletBinding(DefaultParameterSetName = 'Name_SwitchName', SupportsShouldProcess = $true, PositionalBinding = $false)]
    [OutputType([Microsoft.HyperV.PowerShell.VMNetworkAdapter])]
    param(
        [Parameter(ParameterSetName = 'Name_SwitchName', Position = 1)]
        [Parameter(ParameterSetName = 'Name_SwitchObject', Position = 1)]
        [Parameter(ParameterSetName = 'Name_UseAutomaticConnection', Position = 1)]
        [Alias('VMNetworkAdapterName')]
        [ValidateNotNullOrEmpty()]
        [string[]] $Name,

        # The documentation gives -Name and -SwitchName both position 1; the syntax line puts SwitchName after Name.
        [Parameter(ParameterSetName = 'Name_SwitchName', Mandatory = $true, Position = 2)]
        [Parameter(ParameterSetName = 'Object_SwitchName', Mandatory = $true, Position = 1)]
        [ValidateNotNullOrEmpty()]
        [string] $SwitchName,

        [Parameter(ParameterSetName = 'Name_SwitchName')] [Parameter(ParameterSetName = 'Name_UseAutomaticConnection')]
        [ValidateNotNullOrEmpty()]
        [Microsoft.Management.Infrastructure.CimSession[]] $CimSession,
        [Parameter(ParameterSetName = 'Name_SwitchName')] [Parameter(ParameterSetName = 'Name_UseAutomaticConnection')]
        [ValidateNotNullOrEmpty()]
        [string[]] $ComputerName,
        [Parameter(ParameterSetName = 'Name_SwitchName')] [Parameter(ParameterSetName = 'Name_UseAutomaticConnection')]
        [ValidateNotNullOrEmpty()]
        [pscredential[]] $Credential,

        [Parameter(ParameterSetName = 'Name_SwitchName', Mandatory = $true, Position = 0)]
        [Parameter(ParameterSetName = 'Name_SwitchObject', Mandatory = $true, Position = 0)]
        [Parameter(ParameterSetName = 'Name_UseAutomaticConnection', Mandatory = $true, Position = 0)]
        [ValidateNotNullOrEmpty()]
        [string[]] $VMName,

        [Parameter(ParameterSetName = 'Object_SwitchName', Mandatory = $true, Position = 0, ValueFromPipeline = $true)]
        [Parameter(ParameterSetName = 'Object_SwitchObject', Mandatory = $true, Position = 0, ValueFromPipeline = $true)]
        [Parameter(ParameterSetName = 'Object_UseAutomaticConnection', Mandatory = $true, Position = 0, ValueFromPipeline = $true)]
        [ValidateNotNullOrEmpty()]
        [Microsoft.HyperV.PowerShell.VMNetworkAdapter[]] $VMNetworkAdapter,

        [Parameter(ParameterSetName = 'Name_SwitchObject', Mandatory = $true, Position = 2, ValueFromPipeline = $true)]
        [Parameter(ParameterSetName = 'Object_SwitchObject', Mandatory = $true, Position = 2, ValueFromPipeline = $true)]
        [ValidateNotNull()]
        [Microsoft.HyperV.PowerShell.VMSwitch] $VMSwitch,

        [Parameter(ParameterSetName = 'Name_UseAutomaticConnection', Mandatory = $true)]
        [Parameter(ParameterSetName = 'Object_UseAutomaticConnection', Mandatory = $true)]
        [switch] $UseAutomaticConnection,

        [switch] $Passthru
    )
    process {
        $ctx = Open-SimCall $PSCmdlet -Access HyperV
        try {
            if ($ctx.Ok) {
                $items = @(if ($PSCmdlet.ParameterSetName -like 'Name_*') {
                    Get-SimVMAdapters $ctx (Find-SimVM $ctx -Name $VMName) $Name
                }
                else {
                    foreach ($o in $VMNetworkAdapter) {
                        $item = Resolve-SimAdapterObject $ctx $o
                        if ($null -ne $item) { $item }
                        else { Add-SimError $ctx -Message "Hyper-V was unable to find the network adapter `"$($o.Name)`" of virtual machine `"$($o.VMName)`"." -ErrorId ObjectNotFound -Category ObjectNotFound -Exception VirtualizationException }
                    }
                })
                $switchEntry = $null
                if ($PSCmdlet.ParameterSetName -like '*_SwitchName') {
                    $found = @($ctx.State['switches'] | Where-Object { [string]$_['name'] -eq $SwitchName })
                    if ($found.Count -eq 0) {
                        Add-SimError $ctx -Message "Hyper-V was unable to find a virtual switch with name `"$SwitchName`"." -ErrorId InvalidParameter -Category InvalidArgument -Target $SwitchName -Exception VirtualizationException
                        $items = @()
                    }
                    elseif ($found.Count -gt 1) {
                        Add-SimError $ctx -Message "There is more than one virtual switch with name `"$SwitchName`". Use -VMSwitch to choose one." -ErrorId InvalidParameter -Category InvalidArgument -Target $SwitchName -Exception VirtualizationException
                        $items = @()
                    }
                    else { $switchEntry = $found[0] }
                }
                elseif ($PSCmdlet.ParameterSetName -like '*_SwitchObject') {
                    $switchEntry = @($ctx.State['switches'] | Where-Object { [string]$_['id'] -eq [string]$VMSwitch.Id }) | Select-Object -First 1
                    if ($null -eq $switchEntry) {
                        Add-SimError $ctx -Message "Hyper-V was unable to find a virtual switch with name `"$($VMSwitch.Name)`"." -ErrorId InvalidParameter -Category InvalidArgument -Target $VMSwitch.Name -Exception VirtualizationException
                        $items = @()
                    }
                }
                foreach ($item in $items) {
                    if (-not (Test-SimShouldProcess $PSCmdlet @("'$($item.Adapter['name'])' of '$($item.VM['name'])'", 'Connect-VMNetworkAdapter'))) { continue }
                    if ($null -ne $switchEntry) { $item.Adapter['switch'] = [string]$switchEntry['name'] }
                    if ($Passthru) { Add-SimOutput $ctx (ConvertTo-SimAdapterObject $ctx $item) }
                }
            }
        }
        finally { Close-SimCall $ctx }
        Complete-SimCall $ctx
    }
}

function Disconnect-VMNetworkAdapter {
    [CmdletBinding(DefaultParameterSetName = 'Name', SupportsShouldProcess = $true, PositionalBinding = $false)]
    [OutputType([Microsoft.HyperV.PowerShell.VMNetworkAdapter])]
    param(
        [Parameter(ParameterSetName = 'Name', Mandatory = $true, Position = 0)]
        [ValidateNotNullOrEmpty()]
        [string[]] $VMName,

        [Parameter(ParameterSetName = 'Name', Position = 1)]
        [Alias('VMNetworkAdapterName')]
        [ValidateNotNullOrEmpty()]
        [string[]] $Name,

        [Parameter(ParameterSetName = 'Name')] [ValidateNotNullOrEmpty()]
        [Microsoft.Management.Infrastructure.CimSession[]] $CimSession,
        [Parameter(ParameterSetName = 'Name')] [ValidateNotNullOrEmpty()]
        [string[]] $ComputerName,
        [Parameter(ParameterSetName = 'Name')] [ValidateNotNullOrEmpty()]
        [pscredential[]] $Credential,

        [Parameter(ParameterSetName = 'Obj', Mandatory = $true, Position = 0, ValueFromPipeline = $true)]
        [ValidateNotNullOrEmpty()]
        [Microsoft.HyperV.PowerShell.VMNetworkAdapter[]] $VMNetworkAdapter,

        [switch] $Passthru
    )
    process {
        $ctx = Open-SimCall $PSCmdlet -Access HyperV
        try {
            if ($ctx.Ok) {
                $items = @(if ($PSCmdlet.ParameterSetName -eq 'Name') {
                    Get-SimVMAdapters $ctx (Find-SimVM $ctx -Name $VMName) $Name
                }
                else {
                    foreach ($o in $VMNetworkAdapter) {
                        $item = Resolve-SimAdapterObject $ctx $o
                        if ($null -ne $item) { $item }
                        else { Add-SimError $ctx -Message "Hyper-V was unable to find the network adapter `"$($o.Name)`" of virtual machine `"$($o.VMName)`"." -ErrorId ObjectNotFound -Category ObjectNotFound -Exception VirtualizationException }
                    }
                })
                foreach ($item in $items) {
                    if (-not (Test-SimShouldProcess $PSCmdlet @("'$($item.Adapter['name'])' of '$($item.VM['name'])'", 'Disconnect-VMNetworkAdapter'))) { continue }
                    $item.Adapter['switch'] = $null
                    if ($Passthru) { Add-SimOutput $ctx (ConvertTo-SimAdapterObject $ctx $item) }
                }
            }
        }
        finally { Close-SimCall $ctx }
        Complete-SimCall $ctx
    }
}
