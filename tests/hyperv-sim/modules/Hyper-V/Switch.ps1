# New-VMSwitch, Get-VMSwitch, Remove-VMSwitch (and the host vNIC "vEthernet (<switch>)" they manage).

function script:New-SimMac {
    $bytes = [byte[]]::new(3)
    [System.Random]::Shared.NextBytes($bytes)
    '00-15-5D-{0:X2}-{1:X2}-{2:X2}' -f $bytes[0], $bytes[1], $bytes[2]
}

# Adds the management-OS vNIC of a switch to net_adapters. It becomes visible to NetAdapter/NetTCPIP
# only after host.vnic_lag = {"calls": n, "seconds": s} (real hosts need a moment, K2s#1131).
function script:Add-SimHostVNic($ctx, $newSwitch) {
    $adapters = $ctx.State['net_adapters']
    $baseName = "vEthernet ($($newSwitch['name']))"
    $name = $baseName
    $k = 2
    while (@($adapters | Where-Object { [string]$_['name'] -eq $name }).Count -gt 0) { $name = "$baseName $k"; $k++ }
    $virtualCount = @($adapters | Where-Object { [string]$_['description'] -like 'Hyper-V Virtual Ethernet Adapter*' }).Count
    $description = if ($virtualCount -eq 0) { 'Hyper-V Virtual Ethernet Adapter' } else { "Hyper-V Virtual Ethernet Adapter #$($virtualCount + 1)" }
    $index = 2
    foreach ($a in $adapters) { if ([long]$a['if_index'] -ge $index) { $index = [long]$a['if_index'] + 1 } }
    $lag = $ctx.HostInfo['vnic_lag']
    $lagCalls = if ($lag -is [System.Collections.IDictionary] -and $null -ne $lag['calls']) { [long]$lag['calls'] } else { 0 }
    $lagSeconds = if ($lag -is [System.Collections.IDictionary] -and $null -ne $lag['seconds']) { [double]$lag['seconds'] } else { 0 }
    $na = [NestvirtSim.Json]::NewObject()
    $na['name'] = $name
    $na['description'] = $description
    $na['if_index'] = $index
    $na['guid'] = [guid]::NewGuid().ToString()
    $na['mac'] = New-SimMac
    $na['status'] = 'Up'
    $na['link_speed'] = '10 Gbps'
    $na['virtual'] = $true
    $na['switch'] = [string]$newSwitch['name']
    $na['switch_id'] = [string]$newSwitch['id']
    $na['dhcp'] = $true
    $na['dns_servers'] = [NestvirtSim.Json]::NewObject()
    $na['visible_after_seq'] = (Get-SimSeq $ctx) + $lagCalls
    $na['visible_at'] = [NestvirtSim.Clock]::After($lagSeconds)
    $adapters.Add($na)
    # A new vNIC has DHCP on: an IPv6 link-local address and an APIPA IPv4 address until one is set.
    foreach ($ip in @(
            @{ ip = 'fe80::' + ('{0:x4}:{1:x4}:{2:x4}:{3:x4}' -f (Get-Random -Max 65536), (Get-Random -Max 65536), (Get-Random -Max 65536), (Get-Random -Max 65536)); family = 'IPv6'; prefix_length = 64 },
            @{ ip = "169.254.$(Get-Random -Min 1 -Max 255).$(Get-Random -Min 1 -Max 255)"; family = 'IPv4'; prefix_length = 16 })) {
        $entry = [NestvirtSim.Json]::NewObject()
        $entry['ip'] = $ip.ip
        $entry['if_index'] = $index
        $entry['family'] = $ip.family
        $entry['prefix_length'] = $ip.prefix_length
        $entry['prefix_origin'] = 'WellKnown'
        $entry['suffix_origin'] = 'Link'
        $entry['state'] = 'Preferred'
        $entry['type'] = 'Unicast'
        $ctx.State['ip_addresses'].Add($entry)
    }
    return $na
}

function script:Find-SimSwitch($ctx, [string[]]$Name, [object[]]$Object, [switch]$Get) {
    $result = [System.Collections.Generic.List[object]]::new()
    if ($PSBoundParameters.ContainsKey('Object')) {
        foreach ($o in $Object) {
            $s = @($ctx.State['switches'] | Where-Object { [string]$_['id'] -eq [string]$o.Id }) | Select-Object -First 1
            if ($null -ne $s) { $result.Add($s) }
            else { Add-SimSwitchNotFound $ctx ([string]$o.Name) }
        }
        return , $result
    }
    foreach ($n in $Name) {
        $pattern = New-SimPattern $n
        $found = $false
        foreach ($s in $ctx.State['switches']) {
            if ($pattern.IsMatch([string]$s['name'])) { $found = $true; if (-not $result.Contains($s)) { $result.Add($s) } }
        }
        if (-not $found -and -not (Test-SimWildcard $n)) { Add-SimSwitchNotFound $ctx $n }
    }
    return , $result
}

function script:Add-SimSwitchNotFound($ctx, [string]$Name) {
    Add-SimError $ctx -Message "Hyper-V was unable to find a virtual switch with name `"$Name`"." -ErrorId InvalidParameter -Category InvalidArgument -Target $Name -Exception VirtualizationException
}

function New-VMSwitch {
    [CmdletBinding(DefaultParameterSetName = 'NetAdapterName', SupportsShouldProcess = $true, PositionalBinding = $false)]
    [OutputType([Microsoft.HyperV.PowerShell.VMSwitch])]
    param(
        [Parameter(ValueFromPipelineByPropertyName = $true)]
        [ValidateNotNullOrEmpty()]
        [Microsoft.Management.Infrastructure.CimSession[]] $CimSession,

        [Parameter(ValueFromPipelineByPropertyName = $true)]
        [Alias('PSComputerName')]
        [ValidateNotNullOrEmpty()]
        [string[]] $ComputerName,

        [Parameter(ValueFromPipelineByPropertyName = $true)]
        [ValidateNotNullOrEmpty()]
        [pscredential[]] $Credential,

        [Parameter(Mandatory = $true, Position = 0)]
        [Alias('SwitchName')]
        [ValidateNotNullOrEmpty()]
        [string] $Name,

        [Parameter(ParameterSetName = 'NetAdapterName')] [Parameter(ParameterSetName = 'NetAdapterInterfaceDescription')]
        [bool] $AllowManagementOS,

        [Parameter(ParameterSetName = 'NetAdapterName', Mandatory = $true, ValueFromPipelineByPropertyName = $true)]
        [Alias('InterfaceAlias')]
        [string[]] $NetAdapterName,

        [Parameter(ParameterSetName = 'NetAdapterInterfaceDescription', Mandatory = $true, ValueFromPipelineByPropertyName = $true)]
        [Alias('InterfaceDescription')]
        [string[]] $NetAdapterInterfaceDescription,

        [Parameter(ParameterSetName = 'SwitchType', Mandatory = $true)]
        [ValidateSet('Internal', 'Private')]
        [Microsoft.HyperV.PowerShell.VMSwitchType] $SwitchType,

        [string] $Notes,
        [Microsoft.HyperV.PowerShell.VMSwitchBandwidthMode] $MinimumBandwidthMode,
        [bool] $EnableIov,
        [bool] $EnablePacketDirect,
        [bool] $EnableEmbeddedTeaming
    )
    process {
        $ctx = Open-SimCall $PSCmdlet -Access HyperV
        try {
            if ($ctx.Ok -and (Test-SimShouldProcess $PSCmdlet @($Name, 'New-VMSwitch'))) {
                $physical = @()
                if ($PSCmdlet.ParameterSetName -ne 'SwitchType') {
                    $wanted = if ($PSCmdlet.ParameterSetName -eq 'NetAdapterName') { $NetAdapterName } else { $NetAdapterInterfaceDescription }
                    $key = if ($PSCmdlet.ParameterSetName -eq 'NetAdapterName') { 'name' } else { 'description' }
                    foreach ($w in $wanted) {
                        $na = @($ctx.State['net_adapters'] | Where-Object { [string]$_[$key] -eq $w -and -not (Test-SimTrue $_ 'virtual' $false) }) | Select-Object -First 1
                        if ($null -eq $na) {
                            Add-SimError $ctx -Message "Hyper-V was unable to find a network adapter with $(if ($key -eq 'name') { 'name' } else { 'interface description' }) `"$w`"." -ErrorId ObjectNotFound -Category ObjectNotFound -Exception VirtualizationException
                        }
                        elseif ($null -ne $na['bound_switch']) {
                            Add-SimError $ctx -ErrorId ObjectInUse -Category ResourceBusy -Exception VirtualizationException -Message (
                                "Failed while adding virtual Ethernet switch connections.`nExternal Ethernet adapter '$($na['description'])' is already bound to the Microsoft Virtual Switch protocol.")
                        }
                        else { $physical += $na }
                    }
                    if ($EnableEmbeddedTeaming -eq $false -and $physical.Count -gt 1) {
                        Add-SimError $ctx -Message 'Creating a switch with several network adapters requires -EnableEmbeddedTeaming $true.' -ErrorId InvalidParameter -Category InvalidArgument -Exception VirtualizationException
                    }
                }
                if ($ctx.Errors.Count -eq 0) {
                    $type = if ($PSCmdlet.ParameterSetName -eq 'SwitchType') { $SwitchType.ToString() } else { 'External' }
                    $newSwitch = [NestvirtSim.Json]::NewObject()
                    $newSwitch['name'] = $Name
                    $newSwitch['id'] = [guid]::NewGuid().ToString()
                    $newSwitch['type'] = $type
                    $newSwitch['notes'] = if ($PSBoundParameters.ContainsKey('Notes')) { $Notes } else { '' }
                    $newSwitch['bandwidth_mode'] = if ($PSBoundParameters.ContainsKey('MinimumBandwidthMode')) { $MinimumBandwidthMode.ToString() } else { 'Absolute' }
                    $newSwitch['allow_management_os'] = switch ($type) { 'Internal' { $true } 'Private' { $false } default { if ($PSBoundParameters.ContainsKey('AllowManagementOS')) { $AllowManagementOS } else { $true } } }
                    if ($physical.Count -gt 0) {
                        $newSwitch['net_adapter_description'] = [string]$physical[0]['description']
                        $newSwitch['embedded_teaming'] = $physical.Count -gt 1
                    }
                    $ctx.State['switches'].Add($newSwitch)
                    foreach ($p in $physical) { $p['bound_switch'] = $Name }
                    if ($newSwitch['allow_management_os']) {
                        $vnic = Add-SimHostVNic $ctx $newSwitch
                        if ($physical.Count -gt 0) {
                            # The host's addresses move from the physical NIC to the new vNIC.
                            $vnic['mac'] = [string]$physical[0]['mac']
                            $vnic['link_speed'] = [string]$physical[0]['link_speed']
                            foreach ($ip in @($ctx.State['ip_addresses'])) {
                                if ([long]$ip['if_index'] -eq [long]$vnic['if_index']) { [void]$ctx.State['ip_addresses'].Remove($ip) }
                                elseif ([long]$ip['if_index'] -eq [long]$physical[0]['if_index']) { $ip['if_index'] = [long]$vnic['if_index'] }
                            }
                        }
                    }
                    Add-SimOutput $ctx ([NestvirtSim.Factory]::Switch($newSwitch, $ctx.State))
                }
            }
        }
        finally { Close-SimCall $ctx }
        Complete-SimCall $ctx
    }
}

function Get-VMSwitch {
    [CmdletBinding(DefaultParameterSetName = 'Name', PositionalBinding = $false)]
    [OutputType([Microsoft.HyperV.PowerShell.VMSwitch])]
    param(
        [Parameter(ParameterSetName = 'Name', Position = 0)]
        [Alias('SwitchName')]
        [ValidateNotNullOrEmpty()]
        [string] $Name,

        [Parameter(ParameterSetName = 'Id', Position = 0, ValueFromPipeline = $true, ValueFromPipelineByPropertyName = $true)]
        [Alias('SwitchId')]
        [guid[]] $Id,

        [Parameter(Position = 1)]
        [ValidateNotNullOrEmpty()]
        [string[]] $ResourcePoolName,

        [Microsoft.HyperV.PowerShell.VMSwitchType[]] $SwitchType,

        [ValidateNotNullOrEmpty()]
        [Microsoft.Management.Infrastructure.CimSession[]] $CimSession,
        [ValidateNotNullOrEmpty()]
        [string[]] $ComputerName,
        [ValidateNotNullOrEmpty()]
        [pscredential[]] $Credential
    )
    process {
        $ctx = Open-SimCall $PSCmdlet -Access HyperV
        try {
            if ($ctx.Ok) {
                $switches = if ($PSCmdlet.ParameterSetName -eq 'Id' -and $null -ne $Id) {
                    $list = [System.Collections.Generic.List[object]]::new()
                    foreach ($i in $Id) {
                        $s = @($ctx.State['switches'] | Where-Object { [string]$_['id'] -eq [string]$i }) | Select-Object -First 1
                        if ($null -ne $s) { $list.Add($s) }
                        else { Add-SimError $ctx -Message "Hyper-V was unable to find a virtual switch with id `"$i`"." -ErrorId InvalidParameter -Category InvalidArgument -Target $i -Exception VirtualizationException }
                    }
                    , $list
                }
                elseif ($PSBoundParameters.ContainsKey('Name')) { Find-SimSwitch $ctx -Name $Name }
                else { $ctx.State['switches'] }
                foreach ($s in $switches) {
                    if ($SwitchType -and ([NestvirtSim.Factory]::Switch($s, $ctx.State)).SwitchType -notin $SwitchType) { continue }
                    Add-SimOutput $ctx ([NestvirtSim.Factory]::Switch($s, $ctx.State))
                }
            }
        }
        finally { Close-SimCall $ctx }
        Complete-SimCall $ctx
    }
}

function Remove-VMSwitch {
    [CmdletBinding(DefaultParameterSetName = 'Name', SupportsShouldProcess = $true, PositionalBinding = $false)]
    param(
        [Parameter(ParameterSetName = 'Name')] [ValidateNotNullOrEmpty()]
        [Microsoft.Management.Infrastructure.CimSession[]] $CimSession,
        [Parameter(ParameterSetName = 'Name')] [ValidateNotNullOrEmpty()]
        [string[]] $ComputerName,
        [Parameter(ParameterSetName = 'Name')] [ValidateNotNullOrEmpty()]
        [pscredential[]] $Credential,

        [Parameter(ParameterSetName = 'Name', Mandatory = $true, Position = 0, ValueFromPipeline = $true)]
        [Alias('SwitchName')]
        [ValidateNotNullOrEmpty()]
        [string[]] $Name,

        [Parameter(ParameterSetName = 'SwitchObject', Mandatory = $true, Position = 0, ValueFromPipeline = $true)]
        [ValidateNotNullOrEmpty()]
        [Microsoft.HyperV.PowerShell.VMSwitch[]] $VMSwitch,

        [Parameter(Position = 1)]
        [ValidateNotNullOrEmpty()]
        [string[]] $ResourcePoolName,

        [switch] $Force
    )
    process {
        $ctx = Open-SimCall $PSCmdlet -Access HyperV
        try {
            if ($ctx.Ok) {
                $switches = if ($PSCmdlet.ParameterSetName -eq 'SwitchObject') { Find-SimSwitch $ctx -Object $VMSwitch } else { Find-SimSwitch $ctx -Name $Name }
                foreach ($s in @($switches)) {
                    $switchName = [string]$s['name']
                    if (-not (Test-SimShouldProcess $PSCmdlet @($switchName, 'Remove-VMSwitch'))) { continue }
                    if (-not $Force -and -not (Test-SimShouldContinue $PSCmdlet @("Are you sure you want to remove the virtual switch `"$switchName`"?", 'Remove-VMSwitch'))) { continue }
                    [void]$ctx.State['switches'].Remove($s)
                    # An external switch's physical NIC gets its addresses back; an internal vNIC's addresses go.
                    $physical = @($ctx.State['net_adapters'] | Where-Object { [string]$_['bound_switch'] -eq $switchName }) | Select-Object -First 1
                    foreach ($na in @($ctx.State['net_adapters'])) {
                        if ([string]$na['switch_id'] -eq [string]$s['id'] -or ($null -eq $na['switch_id'] -and [string]$na['switch'] -eq $switchName)) {
                            [void]$ctx.State['net_adapters'].Remove($na)
                            foreach ($ip in @($ctx.State['ip_addresses'])) {
                                if ([long]$ip['if_index'] -ne [long]$na['if_index']) { continue }
                                if ($null -ne $physical -and [string]$ip['suffix_origin'] -ne 'Link') { $ip['if_index'] = [long]$physical['if_index'] }
                                else { [void]$ctx.State['ip_addresses'].Remove($ip) }
                            }
                        }
                    }
                    if ($null -ne $physical) { $physical['bound_switch'] = $null }
                    $stillNamed = @($ctx.State['switches'] | Where-Object { [string]$_['name'] -eq $switchName }).Count -gt 0
                    if (-not $stillNamed) {
                        :machine foreach ($machine in $ctx.State['vms']) {
                            foreach ($a in $machine['network_adapters']) { if ([string]$a['switch'] -eq $switchName) { $a['switch'] = $null } }
                        }
                    }
                }
            }
        }
        finally { Close-SimCall $ctx }
        Complete-SimCall $ctx
    }
}
