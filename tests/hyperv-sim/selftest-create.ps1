<#
.SYNOPSIS
Self-test of what nestvirt new / remove / self-test need of the simulator: creating VMs and disks,
the host's files, mounting a VHD to write an answer file, a guest's first boot, tearing down.

.DESCRIPTION
Run it against a fresh intel-windows-server-2022-empty state:

  scripts/with-sim --state /tmp/n.json intel-windows-server-2022-empty -- build/pwsh-host/pwsh-host -NoProfile -NonInteractive -File tests/hyperv-sim/selftest-create.ps1

Every parameter set of New-VM and New-VHD, each documented or modelled failure (exact texts and
FQIDs), duplicates, Set-VM, the drives and firmware cmdlets, Mount-VHD / Storage / Dismount-VHD
with a file written into the mounted partition, guests booting from their answer file (and
reachable over Invoke-Command -VMName with its password) or staying in OOBE, Remove-VM keeping the
disks, Remove-Item and Test-Path on the host's files. The client host (amd-windows11-23h2-empty)
and an older scenario run in nested with-sim runs. Prints one line per check and "N passed, M
failed"; exits 1 on failure.
#>
Set-StrictMode -Version 3.0
. (Join-Path $PSScriptRoot 'selftest-common.ps1')

Import-Module Hyper-V, Storage, CimCmdlets
Import-Module $env:NESTVIRT_SIM_PRELOAD   # PowerShell Direct, the host's drives and bcdedit

$image = 'D:\images\ws2022-sysprep.vhdx'
$iso = 'D:\iso\en-us_windows_server_2022_x64_dvd.iso'
$directBroken = 'An error has occurred which Windows PowerShell cannot handle. A remote session might have ended.'

# ---- helpers -----------------------------------------------------------------------------------

function Get-VmEntry([string]$Name) {
    $entry = @([NestvirtSim.Store]::Read()['vms'] | Where-Object { $_['name'] -eq $Name })
    if ($entry.Count -ne 1) { throw "not exactly one VM $Name in the state ($($entry.Count))" }
    return $entry[0]
}

function Get-DiskEntry([string]$Path) {
    @([NestvirtSim.Store]::Read()['disks'] | Where-Object { [NestvirtSim.SimFs]::SamePath($_['path'], $Path) })
}

# An answer file as Windows SIM writes one (Lability's layout: amd64 and x86 components).
function New-AnswerFile([string]$ComputerName, [string]$Password, [bool]$PlainText) {
    $value = if ($PlainText) { [System.Security.SecurityElement]::Escape($Password) } else { [Convert]::ToBase64String([Text.Encoding]::Unicode.GetBytes($Password + 'AdministratorPassword')) }
    $name = if ($ComputerName) { "<ComputerName>$ComputerName</ComputerName>" } else { '' }
    @"
<?xml version="1.0" encoding="utf-8"?>
<unattend xmlns="urn:schemas-microsoft-com:unattend">
    <settings pass="specialize">
        <component name="Microsoft-Windows-Shell-Setup" processorArchitecture="amd64" publicKeyToken="31bf3856ad364e35" language="neutral" versionScope="nonSxS" xmlns:wcm="http://schemas.microsoft.com/WMIConfig/2002/State">
            $name
        </component>
        <component name="Microsoft-Windows-Shell-Setup" processorArchitecture="x86" publicKeyToken="31bf3856ad364e35" language="neutral" versionScope="nonSxS">
            <ComputerName>WRONG-ARCH</ComputerName>
        </component>
    </settings>
    <settings pass="oobeSystem">
        <component name="Microsoft-Windows-Shell-Setup" processorArchitecture="amd64" publicKeyToken="31bf3856ad364e35" language="neutral" versionScope="nonSxS">
            <OOBE><HideEULAPage>true</HideEULAPage><SkipMachineOOBE>true</SkipMachineOOBE></OOBE>
            <UserAccounts>
                <AdministratorPassword>
                    <Value>$value</Value>
                    <PlainText>$(if ($PlainText) { 'true' } else { 'false' })</PlainText>
                </AdministratorPassword>
            </UserAccounts>
        </component>
    </settings>
</unattend>
"@
}

# Mounts a disk, finds its Windows partition as Lability does (a letter, else a free one), runs
# $Write with the partition's root ("E:\"), dismounts in finally.
function Use-MountedDisk([string]$Path, [scriptblock]$Write) {
    $vhd = Mount-VHD -Path $Path -Passthru
    try {
        $letter = Get-Partition -DiskNumber $vhd.DiskNumber | Where-Object DriveLetter | Select-Object -Last 1 -ExpandProperty DriveLetter
        if ($null -eq $letter) {
            $taken = (Get-PSDrive -PSProvider FileSystem).Name
            $letter = [char[]](67..90) | Where-Object { $taken -notcontains [string]$_ } | Select-Object -First 1
            Get-Partition | Where-Object { ($_.DiskNumber -eq $vhd.DiskNumber) -and ($_.Type -eq 'Basic') } | Set-Partition -NewDriveLetter $letter
        }
        & $Write "${letter}:\"
    }
    finally { Dismount-VHD -Path $Path }
}

# A VM booting from a new differencing child of the Server 2022 image, with $Write run on the
# child's Windows partition first (or nothing written).
function New-ImageVm([string]$Name, [scriptblock]$Write) {
    $child = "D:\VMs\$Name.vhdx"
    $null = New-VHD -Path $child -ParentPath $image -Differencing
    if ($null -ne $Write) { Use-MountedDisk $child $Write }
    $null = New-VM -Name $Name -Generation 2 -VHDPath $child -MemoryStartupBytes 2GB -SwitchName External -Path 'D:\VMs'
    return $child
}

function Wait-Booted([string]$Name, [double]$Seconds = 10) {
    $deadline = [datetime]::UtcNow.AddSeconds($Seconds)
    while ([datetime]::UtcNow -lt $deadline) {
        if ([string](Get-VM -Name $Name).Heartbeat -like 'Ok*') { return }
        Start-Sleep -Milliseconds 200
    }
    throw "$Name did not boot in $Seconds s"
}

function New-Credential([string]$Password) { [pscredential]::new('Administrator', (ConvertTo-SecureString $Password -AsPlainText -Force)) }

# ---- the modules and the host --------------------------------------------------------------------

Test-Case 'the new cmdlets are the simulator''s, with the documented parameter sets' {
    Assert-Equal @('Existing VHD', 'New VHD', 'No VHD') (@((Get-Command New-VM).ParameterSets.Name | Sort-Object)) 'New-VM sets'
    Assert-Equal 'No VHD' ((Get-Command New-VM).DefaultParameterSet) 'New-VM default set'
    Assert-Equal @('Differencing', 'DynamicWithoutSource', 'DynamicWithSource', 'FixedWithoutSource', 'FixedWithSource') (@((Get-Command New-VHD).ParameterSets.Name | Sort-Object)) 'New-VHD sets'
    Assert-Equal @('Disk', 'Path') (@((Get-Command Dismount-VHD).ParameterSets.Name | Sort-Object)) 'Dismount-VHD sets'
    Assert-Equal @('VMFirmware', 'VMName', 'VMObject') (@((Get-Command Set-VMFirmware).ParameterSets.Name | Sort-Object)) 'Set-VMFirmware sets'
    Assert-Equal 'Microsoft.HyperV.PowerShell.VMComponentObject' (Get-Command Set-VMFirmware).Parameters['FirstBootDevice'].ParameterType.FullName 'FirstBootDevice type'
    Assert-True ((Get-Command New-VM).Parameters['Generation'].ParameterType -eq [System.Nullable[int16]]) 'Generation is a Nullable[Int16]'
    Assert-True ((Get-Command Set-VM).Parameters.ContainsKey('AutomaticCheckpointsEnabled')) 'Set-VM -AutomaticCheckpointsEnabled on a 2022 host'
    Assert-True ((Get-Command Get-Partition).Module.Name -eq 'Storage') 'Storage module'
    Assert-Error { New-VM -Name X -NewVHDPath 'D:\VMs\x.vhdx' } -FullyQualifiedErrorId 'MissingMandatoryParameter,New-VM' | Out-Null
    Assert-Error { New-VM -Name X -VHDPath 'D:\VMs\x.vhdx' -NoVHD } -FullyQualifiedErrorId 'AmbiguousParameterSet,New-VM' | Out-Null
}

Test-Case 'Get-VMHost paths and memory; free memory from Win32_OperatingSystem; the supported versions' {
    $h = Get-VMHost
    Assert-Equal 'D:\Hyper-V' $h.VirtualMachinePath 'VirtualMachinePath'
    Assert-Equal 'D:\Hyper-V\Virtual Hard Disks' $h.VirtualHardDiskPath 'VirtualHardDiskPath'
    Assert-Equal 1099511627776L $h.MemoryCapacity 'MemoryCapacity'
    Assert-Equal ([uint64](1030792151040 / 1KB)) (Get-CimInstance Win32_OperatingSystem).FreePhysicalMemory 'FreePhysicalMemory (KB) with no VM running'
    Assert-Equal ([version]'10.0') (Get-VMHostSupportedVersion -Default).Version 'default version'
}

Test-Case 'the host''s files exist for Test-Path, Get-ChildItem and Get-VHD (an image, an ISO, folders)' {
    Assert-True (Test-Path -LiteralPath $image) 'image'
    Assert-True (Microsoft.PowerShell.Management\Test-Path -LiteralPath $iso -PathType Leaf) 'ISO (module-qualified Test-Path)'
    Assert-True (Test-Path -LiteralPath 'D:\Hyper-V' -PathType Container) 'VirtualMachinePath folder'
    Assert-True (Test-Path -LiteralPath 'd:\images\ws2022-sysprep.vhdx') 'drive letters are case-insensitive (folder names are not, on Linux)'
    Assert-Equal $false (Test-Path -LiteralPath 'D:\images\nothing.vhdx') 'a missing file'
    Assert-Equal $false (Test-Path -LiteralPath 'E:\x') 'a drive the host does not have'
    Assert-True (@(Get-ChildItem -LiteralPath 'D:\images' -Filter '*.vhdx').Count -eq 2) 'Get-ChildItem'
    $v = Get-VHD -Path $image
    Assert-True ($v -is [Microsoft.Vhd.PowerShell.VirtualHardDisk]) 'VirtualHardDisk'
    Assert-Equal 'Dynamic' ([string]$v.VhdType) 'VhdType'
    Assert-Equal 'VHDX' ([string]$v.VhdFormat) 'VhdFormat'
    Assert-Equal ([uint64]136365211648) $v.Size 'Size'
    Assert-Equal '' $v.ParentPath 'ParentPath'
    Assert-Equal $false $v.Attached 'Attached'
}

# ---- New-VHD -----------------------------------------------------------------------------------

Test-Case 'New-VHD: dynamic by default, -Fixed, the extension picks the format, pipeline input, -WhatIf' {
    $d = New-VHD -Path 'D:\VMs\data1.vhdx' -SizeBytes 10GB
    Assert-Equal 'Dynamic' ([string]$d.VhdType) 'dynamic by default'
    Assert-Equal 'DynamicWithoutSource' (Get-LastCall 'New-VHD')['parameter_set'] 'parameter set'
    $f = New-VHD -Path 'D:\VMs\fixed1.vhd' -SizeBytes 1GB -Fixed
    Assert-Equal 'Fixed' ([string]$f.VhdType) 'fixed'
    Assert-Equal 'VHD' ([string]$f.VhdFormat) '.vhd is VHD'
    Assert-True ($f.FileSize -ge [uint64]1GB) 'a fixed file holds the whole disk'
    Assert-Equal 'FixedWithoutSource' (Get-LastCall 'New-VHD')['parameter_set'] 'parameter set'
    $p = 'D:\VMs\piped1.vhdx' | New-VHD -SizeBytes 2GB
    Assert-Equal 'D:\VMs\piped1.vhdx' $p.Path 'Path by pipeline'
    $null = New-VHD -Path 'D:\VMs\whatif.vhdx' -SizeBytes 1GB -WhatIf 6>$null
    Assert-Equal $false (Test-Path -LiteralPath 'D:\VMs\whatif.vhdx') '-WhatIf creates nothing'
    Assert-True (Test-Path -LiteralPath 'D:\VMs\data1.vhdx') 'the file exists'
    Assert-Equal 1 @(Get-DiskEntry 'D:\VMs\data1.vhdx').Count 'a disks[] record'
}

Test-Case 'New-VHD -Differencing: child of an image, larger than its parent, size inherited' {
    $c = New-VHD -Path 'D:\VMs\child-big.vhdx' -ParentPath $image -Differencing -SizeBytes 200GB
    Assert-Equal 'Differencing' ([string]$c.VhdType) 'type'
    Assert-Equal $image $c.ParentPath 'ParentPath'
    Assert-Equal ([uint64]200GB) $c.Size 'larger than the parent'
    Assert-Equal 'Differencing' (Get-LastCall 'New-VHD')['parameter_set'] 'parameter set'
    $c2 = New-VHD -ParentPath $image -Path 'D:\VMs\child-same.vhdx'
    Assert-Equal ([uint64]136365211648) $c2.Size 'the parent''s size without -SizeBytes'
    Assert-Equal 'Differencing' (Get-LastCall 'New-VHD')['parameter_set'] '-ParentPath alone picks the set'
}

Test-Case 'New-VHD errors: file exists (0x80070050), folder missing (0x80070003), parent missing, child smaller than parent' {
    $p = 'D:\VMs\data1.vhdx'
    $err = Assert-Error { New-VHD -Path $p -SizeBytes 1GB } -FullyQualifiedErrorId 'OperationFailed,Microsoft.Vhd.PowerShell.Cmdlets.NewVhd' -Category NotSpecified -Reason VirtualizationException `
        -Message "Failed to create the virtual hard disk.`nThe system failed to create '$p'.`nFailed to create the virtual hard disk.`nThe system failed to create '$p': The file exists. (0x80070050)."
    Assert-True ($err.Exception -is [Microsoft.HyperV.PowerShell.VirtualizationException]) 'VirtualizationException'
    Assert-Error { New-VHD -Path 'D:\NoSuchFolder\x.vhdx' -SizeBytes 1GB } -FullyQualifiedErrorId 'OperationFailed,Microsoft.Vhd.PowerShell.Cmdlets.NewVhd' `
        -Message "Failed to create the virtual hard disk.`nThe system failed to create 'D:\NoSuchFolder\x.vhdx'.`nFailed to create the virtual hard disk.`nThe system failed to create 'D:\NoSuchFolder\x.vhdx': The system cannot find the path specified. (0x80070003)." | Out-Null
    Assert-Error { New-VHD -Path 'D:\VMs\orphan.vhdx' -ParentPath 'D:\images\missing.vhdx' -Differencing } -FullyQualifiedErrorId 'ObjectNotFound,Microsoft.Vhd.PowerShell.Cmdlets.NewVhd' `
        -Message "Failed to create the virtual hard disk.`nThe system failed to create 'D:\VMs\orphan.vhdx'.`nFailed to create the virtual hard disk.`nThe system failed to create 'D:\VMs\orphan.vhdx': The system cannot find the file specified. (0x80070002)." | Out-Null
    $small = Assert-Error { New-VHD -Path 'D:\VMs\small.vhdx' -ParentPath $image -SizeBytes 10GB } -FullyQualifiedErrorId 'InvalidParameter,Microsoft.Vhd.PowerShell.Cmdlets.NewVhd'
    Assert-True ($small.Exception.Message -like '*cannot be smaller than the size of its parent*') $small.Exception.Message
    Assert-Equal $false (Test-Path -LiteralPath 'D:\VMs\small.vhdx') 'nothing created'
    Assert-Error { New-VHD -Path 'D:\VMs\copy0.vhdx' -SourceDisk 0 -Fixed } -FullyQualifiedErrorId 'NotSupported,Microsoft.Vhd.PowerShell.Cmdlets.NewVhd' | Out-Null
    Assert-Equal 'FixedWithSource' (Get-LastCall 'New-VHD')['parameter_set'] 'the -SourceDisk sets exist (not modelled)'
    Assert-Error { Get-VHD -Path 'D:\VMs\none.vhdx' } -Message "'D:\VMs\none.vhdx' is not an existing virtual hard disk file." `
        -FullyQualifiedErrorId 'InvalidParameter,Microsoft.Vhd.PowerShell.Cmdlets.GetVhd' -Category InvalidArgument | Out-Null
}

# ---- New-VM ------------------------------------------------------------------------------------

Test-Case 'New-VM (No VHD): generation 1, 512 MB static on a server, default version and path, one adapter, a DVD drive, its files' {
    $vm = New-VM -Name Bare1
    Assert-True ($vm -is [Microsoft.HyperV.PowerShell.VirtualMachine]) 'VirtualMachine'
    Assert-Equal 'No VHD' (Get-LastCall 'New-VM')['parameter_set'] 'parameter set'
    Assert-Equal 1 $vm.Generation 'generation 1 by default'
    Assert-Equal ([long]512MB) $vm.MemoryStartup 'MemoryStartup'
    Assert-Equal $false $vm.DynamicMemoryEnabled 'server hosts: static memory'
    Assert-Equal '10.0' $vm.Version 'the host''s default version'
    Assert-Equal 'D:\Hyper-V' $vm.Path 'VirtualMachinePath'
    Assert-Equal 'Off' ([string]$vm.State) 'Off'
    Assert-Equal 1 $vm.NetworkAdapters.Count 'one adapter'
    Assert-Equal 'Network Adapter' $vm.NetworkAdapters[0].Name 'its name'
    Assert-Equal $false $vm.NetworkAdapters[0].Connected 'not connected'
    Assert-Equal 0 @(Get-VMHardDiskDrive -VMName Bare1).Count 'no disk'
    $dvd = @(Get-VMDvdDrive -VMName Bare1)
    Assert-Equal 1 $dvd.Count 'generation 1: a DVD drive'
    Assert-Equal 'IDE 1 0' "$($dvd[0].ControllerType) $($dvd[0].ControllerNumber) $($dvd[0].ControllerLocation)" 'at IDE 1:0'
    Assert-True (Test-Path -LiteralPath "D:\Hyper-V\Virtual Machines\$($vm.Id.ToString().ToUpperInvariant()).vmcx") 'the configuration file'
    Assert-Equal 'Production' ([string]$vm.CheckpointType) 'CheckpointType'
    Assert-Equal $false $vm.AutomaticCheckpointsEnabled 'no automatic checkpoints on a server'
    Assert-Error { Get-VMFirmware -VMName Bare1 } -FullyQualifiedErrorId 'InvalidParameter,Microsoft.HyperV.PowerShell.Commands.GetVMFirmware' -Category InvalidArgument `
        -Message 'A parameter is invalid. Generation 1 virtual machines do not support the VMFirmware cmdlets.  Use Get-VMBios and Set-VMBios instead.' | Out-Null
}

Test-Case 'New-VM (New VHD): a dynamic disk at SCSI 0:0, -Path\<name>, -SwitchName, secure boot, disk first in the boot order' {
    $vm = New-VM -Name New1 -MemoryStartupBytes 4GB -Generation 2 -NewVHDPath 'D:\VMs\New1\New1.vhdx' -NewVHDSizeBytes 60GB -SwitchName External -Path 'D:\VMs'
    Assert-Equal 'New VHD' (Get-LastCall 'New-VM')['parameter_set'] 'parameter set'
    Assert-Equal 'D:\VMs\New1' $vm.Path 'Path'
    Assert-Equal 'External' $vm.NetworkAdapters[0].SwitchName 'switch'
    $vhd = Get-VHD -Path 'D:\VMs\New1\New1.vhdx'
    Assert-Equal 'Dynamic' ([string]$vhd.VhdType) 'a dynamic disk'
    Assert-Equal ([uint64]60GB) $vhd.Size 'its size'
    $hd = @(Get-VMHardDiskDrive -VMName New1)
    Assert-Equal 1 $hd.Count 'one hard drive'
    Assert-Equal 'SCSI 0 0 D:\VMs\New1\New1.vhdx' "$($hd[0].ControllerType) $($hd[0].ControllerNumber) $($hd[0].ControllerLocation) $($hd[0].Path)" 'its place and path'
    Assert-Equal 0 @(Get-VMDvdDrive -VMName New1).Count 'generation 2: no DVD drive'
    $fw = Get-VMFirmware -VMName New1
    Assert-Equal 'On' ([string]$fw.SecureBoot) 'secure boot'
    Assert-Equal 'MicrosoftWindows' $fw.SecureBootTemplate 'template'
    Assert-Equal 'Drive Network' "$($fw.BootOrder[0].BootType) $($fw.BootOrder[1].BootType)" 'boot order'
    Assert-True ($fw.BootOrder[0].Device -is [Microsoft.HyperV.PowerShell.HardDiskDrive]) 'the boot entry''s device'
    $bare = New-VM -Name Bare2 -NewVHDPath 'Bare2.vhdx' -NewVHDSizeBytes 1GB
    Assert-True (Test-Path -LiteralPath 'D:\Hyper-V\Virtual Hard Disks\Bare2.vhdx') 'a bare file name goes to VirtualHardDiskPath'
    Assert-Equal 'IDE' ([string](Get-VMHardDiskDrive -VM $bare).ControllerType) 'generation 1: IDE'
}

Test-Case 'New-VM (Existing VHD): -VHDPath, -Version, -BootDevice, pipeline of names' {
    $null = New-VHD -Path 'D:\VMs\Old9.vhdx' -ParentPath $image -Differencing
    $vm = New-VM -Name Old9 -Generation 2 -VHDPath 'D:\VMs\Old9.vhdx' -Version '9.0' -BootDevice VHD
    Assert-Equal 'Existing VHD' (Get-LastCall 'New-VM')['parameter_set'] 'parameter set'
    Assert-Equal '9.0' $vm.Version '-Version'
    Assert-Equal 'D:\VMs\Old9.vhdx' (Get-VMHardDiskDrive -VMName Old9).Path 'the disk'
    $cd = New-VM -Name Cd1 -Generation 2 -BootDevice CD
    Assert-Equal 'Drive' ([string](Get-VMFirmware -VM $cd).BootOrder[0].BootType) 'boot from CD: a DVD drive first'
    Assert-True ((Get-VMFirmware -VM $cd).BootOrder[0].Device -is [Microsoft.HyperV.PowerShell.DvdDrive]) 'a DVD drive'
    $piped = 'Piped1' | New-VM -Generation 2
    Assert-Equal 'Piped1' $piped.Name 'a name by pipeline'
}

Test-Case 'New-VM errors: generation 2 with IDE / a .vhd, a missing -Path folder (0x80070003), an unsupported -Version, an unknown switch' {
    Assert-Error { New-VM -Name G2Ide -Generation 2 -BootDevice IDE } -Message 'Generation 2 virtual machines do not support IDE.' `
        -FullyQualifiedErrorId 'InvalidParameter,Microsoft.HyperV.PowerShell.Commands.NewVM' -Category InvalidArgument | Out-Null
    Assert-Error { New-VM -Name G2Floppy -Generation 2 -BootDevice Floppy } -FullyQualifiedErrorId 'InvalidParameter,Microsoft.HyperV.PowerShell.Commands.NewVM' | Out-Null
    Assert-Error { New-VM -Name G2Vhd -Generation 2 -VHDPath 'D:\VMs\fixed1.vhd' } -Message 'Generation 2 virtual machines do not support the .VHD virtual disk extension.' `
        -FullyQualifiedErrorId 'InvalidParameter,Microsoft.HyperV.PowerShell.Commands.NewVM' | Out-Null
    $err = Assert-Error { New-VM -Name NoPath -Path 'D:\Nowhere' } -FullyQualifiedErrorId 'ObjectNotFound,Microsoft.HyperV.PowerShell.Commands.NewVM' -Category ObjectNotFound -Reason VirtualizationException
    Assert-True ($err.Exception.Message -match "^Failed to create a new virtual machine.`n'NoPath' failed to realize. \(Virtual machine ID [0-9A-F-]{36}\)`nFailed to access configuration store: The system cannot find the path specified. \(0x80070003\).$") $err.Exception.Message
    $ver = Assert-Error { New-VM -Name V7 -Version '7.0' } -FullyQualifiedErrorId 'InvalidParameter,Microsoft.HyperV.PowerShell.Commands.NewVM' -Category InvalidArgument
    Assert-True ($ver.Exception.Message -like '*configuration version 7.0 is not supported by this host*') $ver.Exception.Message
    Assert-Error { New-VM -Name Pre -Prerelease } -FullyQualifiedErrorId 'InvalidParameter,Microsoft.HyperV.PowerShell.Commands.NewVM' | Out-Null
    Assert-Error { New-VM -Name Sw -SwitchName Nope } -Message 'Hyper-V was unable to find a virtual switch with name "Nope".' -FullyQualifiedErrorId 'InvalidParameter,Microsoft.HyperV.PowerShell.Commands.NewVM' | Out-Null
    Assert-Error { New-VM -Name Exists -NewVHDPath 'D:\VMs\data1.vhdx' -NewVHDSizeBytes 1GB } -FullyQualifiedErrorId 'OperationFailed,Microsoft.HyperV.PowerShell.Commands.NewVM' | Out-Null
    Assert-Error { New-VM -Name NoDisk -VHDPath 'D:\VMs\none.vhdx' } -FullyQualifiedErrorId 'ObjectNotFound,Microsoft.HyperV.PowerShell.Commands.NewVM' | Out-Null
    foreach ($n in 'G2Ide', 'G2Floppy', 'G2Vhd', 'NoPath', 'V7', 'Pre', 'Sw', 'Exists', 'NoDisk') { Assert-Equal 0 @(Get-VM -Name $n -ErrorAction SilentlyContinue).Count "no VM $n" }
}

Test-Case 'a duplicate name is a second VM, as on Hyper-V' {
    $a = New-VM -Name Dup1 -Generation 2
    $b = New-VM -Name Dup1 -Generation 2
    Assert-True ($a.Id -ne $b.Id) 'two ids'
    Assert-Equal 2 @(Get-VM -Name Dup1).Count 'two VMs of that name'
}

# ---- Set-VM, firmware, drives ------------------------------------------------------------------

Test-Case 'Set-VM: processor, memory, checkpoints, automatic actions, notes, by name and by object' {
    Set-VM -Name New1 -ProcessorCount 4 -StaticMemory -MemoryStartupBytes 8GB -AutomaticCheckpointsEnabled $false -CheckpointType Production `
        -AutomaticStopAction ShutDown -AutomaticStartAction Nothing -Notes 'made by selftest'
    $vm = Get-VM -Name New1
    Assert-Equal 4L $vm.ProcessorCount 'ProcessorCount'
    Assert-Equal 8GB $vm.MemoryStartup 'MemoryStartup'
    Assert-Equal $false $vm.DynamicMemoryEnabled 'static'
    Assert-Equal 'ShutDown' ([string]$vm.AutomaticStopAction) 'AutomaticStopAction'
    Assert-Equal 'Nothing' ([string]$vm.AutomaticStartAction) 'AutomaticStartAction'
    Assert-Equal 'made by selftest' $vm.Notes 'Notes'
    $call = Get-LastCall 'Set-VM'
    Assert-Equal $false $call['parameters']['AutomaticCheckpointsEnabled'] 'logged Boolean'
    $out = Get-VM -Name New1 | Set-VM -DynamicMemory -MemoryMinimumBytes 1GB -MemoryMaximumBytes 16GB -Passthru
    Assert-Equal 'VMObject' (Get-LastCall 'Set-VM')['parameter_set'] 'pipeline binds -VM'
    Assert-Equal $true $out.DynamicMemoryEnabled '-Passthru shows the change'
    Set-VM -Name New1 -StaticMemory
    Assert-Error { Set-VM -Name New1 -ProcessorCount 999 } -FullyQualifiedErrorId 'InvalidParameter,Microsoft.HyperV.PowerShell.Commands.SetVM' | Out-Null
    Assert-Error { Set-VM -Name Nope -Notes x } -Message 'Hyper-V was unable to find a virtual machine with name "Nope".' -FullyQualifiedErrorId 'ObjectNotFound,Microsoft.HyperV.PowerShell.Commands.SetVM' | Out-Null
}

Test-Case 'Add-VMDvdDrive with an ISO, Add-VMHardDiskDrive, Get-VM*Drive filters; errors' {
    $dvd = Add-VMDvdDrive -VMName New1 -Path $iso -Passthru
    Assert-True ($dvd -is [Microsoft.HyperV.PowerShell.DvdDrive]) 'DvdDrive'
    Assert-Equal 'SCSI 0 1' "$($dvd.ControllerType) $($dvd.ControllerNumber) $($dvd.ControllerLocation)" 'next free SCSI location'
    Assert-Equal $iso (Get-VMDvdDrive -VMName New1).Path 'the ISO'
    Assert-Equal 'ISO' ([string](Get-VMDvdDrive -VMName New1).DvdMediaType) 'DvdMediaType'
    Assert-Error { Add-VMDvdDrive -VMName New1 -Path 'D:\iso\missing.iso' } -FullyQualifiedErrorId 'ObjectNotFound,Microsoft.HyperV.PowerShell.Commands.AddVMDvdDrive' | Out-Null
    $hd = Get-VM -Name New1 | Add-VMHardDiskDrive -Path 'D:\VMs\data1.vhdx' -Passthru
    Assert-Equal 'SCSI 0 2' "$($hd.ControllerType) $($hd.ControllerNumber) $($hd.ControllerLocation)" 'after the DVD drive'
    Assert-Equal 2 @(Get-VMHardDiskDrive -VMName New1).Count 'two disks'
    Assert-Equal 1 @(Get-VMHardDiskDrive -VMName New1 -ControllerLocation 2).Count 'filter by location'
    Assert-Error { Add-VMHardDiskDrive -VMName New1 -ControllerType IDE -Path 'D:\VMs\piped1.vhdx' } -Message 'Generation 2 virtual machines do not support IDE.' `
        -FullyQualifiedErrorId 'InvalidParameter,Microsoft.HyperV.PowerShell.Commands.AddVMHardDiskDrive' | Out-Null
    Assert-Error { Add-VMHardDiskDrive -VMName New1 -ControllerNumber 0 -ControllerLocation 0 -Path 'D:\VMs\piped1.vhdx' } -Message 'The specified location of the controller is not available.' | Out-Null
    Assert-Equal @('New1') @(@(Get-DiskEntry 'D:\VMs\data1.vhdx')[0]['attached_to'] | ForEach-Object { (Get-VM -Id $_).Name }) 'attached_to'
}

Test-Case 'Set-VMFirmware: -FirstBootDevice from Get-VMDvdDrive, secure boot template, Off; errors' {
    $fw = Set-VMFirmware -VMName New1 -FirstBootDevice (Get-VMDvdDrive -VMName New1) -Passthru
    Assert-True ($fw.BootOrder[0].Device -is [Microsoft.HyperV.PowerShell.DvdDrive]) 'the DVD drive first'
    Set-VMFirmware -VMName New1 -FirstBootDevice (Get-VMNetworkAdapter -VMName New1)
    Assert-Equal 'Network' ([string](Get-VMFirmware -VMName New1).BootOrder[0].BootType) 'an adapter is a boot device too'
    Set-VMFirmware -VMName New1 -FirstBootDevice (Get-VMHardDiskDrive -VMName New1 -ControllerLocation 0)
    Assert-Equal 'D:\VMs\New1\New1.vhdx' (Get-VMFirmware -VMName New1).BootOrder[0].Device.Path 'the system disk first again'
    Get-VM -Name New1 | Set-VMFirmware -EnableSecureBoot On -SecureBootTemplate MicrosoftUEFICertificateAuthority
    Assert-Equal 'VMObject' (Get-LastCall 'Set-VMFirmware')['parameter_set'] 'a VM by pipeline'
    $fw = Get-VMFirmware -VMName New1
    Assert-Equal 'MicrosoftUEFICertificateAuthority' $fw.SecureBootTemplate 'template'
    Assert-Equal ([guid]'272e7447-90a4-4563-a4b9-8e4ab00526ce') $fw.SecureBootTemplateId 'template id'
    Set-VMFirmware -VMName New1 -SecureBootTemplate microsoftwindows
    Assert-Equal 'MicrosoftWindows' (Get-VMFirmware -VMName New1).SecureBootTemplate 'names match case-insensitively'
    Get-VMFirmware -VMName Cd1 | Set-VMFirmware -EnableSecureBoot Off
    Assert-Equal 'VMFirmware' (Get-LastCall 'Set-VMFirmware')['parameter_set'] 'a VMFirmware by pipeline'
    Assert-Equal 'Off' ([string](Get-VMFirmware -VMName Cd1).SecureBoot) 'Off'
    Assert-Error { Set-VMFirmware -VMName New1 -SecureBootTemplate Nope } -FullyQualifiedErrorId 'InvalidParameter,Microsoft.HyperV.PowerShell.Commands.SetVMFirmware' | Out-Null
    Assert-Error { Set-VMFirmware -VMName New1 -FirstBootDevice (Get-VMDvdDrive -VMName Cd1) } -FullyQualifiedErrorId 'InvalidParameter,Microsoft.HyperV.PowerShell.Commands.SetVMFirmware' | Out-Null
    $err = Get-FirstError { Set-VMFirmware -VMName New1 -FirstBootDevice 'SCSI 0:1' }
    Assert-True ($err.Exception -is [System.Management.Automation.ParameterBindingException]) 'a string is no VMComponentObject'
    Assert-Error { Set-VMFirmware -VMName Bare1 -EnableSecureBoot Off } -FullyQualifiedErrorId 'InvalidParameter,Microsoft.HyperV.PowerShell.Commands.SetVMFirmware' | Out-Null
}

# ---- mounting and writing into a disk ----------------------------------------------------------

Test-Case 'Mount-VHD -Passthru | Get-Disk | Get-Partition: the Windows partition gets a letter; a file written stays after Dismount-VHD' {
    $child = 'D:\VMs\write1.vhdx'
    $null = New-VHD -Path $child -ParentPath $image -Differencing
    $vhd = Mount-VHD -Path $child -Passthru
    try {
        Assert-Equal $true $vhd.Attached 'Attached'
        Assert-Equal $child (Get-VHD -DiskNumber $vhd.DiskNumber).Path 'Get-VHD -DiskNumber'
        Assert-Equal @('D:\VMs\New1\New1.vhdx', 'D:\VMs\data1.vhdx') @((Get-VHD -VMId (Get-VM -Name New1).Id).Path) 'Get-VHD -VMId'
        Assert-True ($null -ne $vhd.DiskNumber) 'DiskNumber'
        $disk = $vhd | Get-Disk
        Assert-Equal 'ByPath' (Get-LastCall 'Get-Disk')['parameter_set'] 'the VHD binds -Path'
        Assert-Equal 'GPT' $disk.PartitionStyle 'GPT'
        Assert-Equal 'File Backed Virtual' $disk.BusType 'BusType'
        $parts = @($disk | Get-Partition)
        Assert-Equal 'ByDisk' (Get-LastCall 'Get-Partition')['parameter_set'] 'a disk binds -Disk'
        Assert-Equal 'System|Reserved|Basic|Recovery' ($parts.Type -join '|') 'partitions'
        $os = $parts | Where-Object Type -eq Basic
        Assert-True ([char]::IsLetter($os.DriveLetter)) "a letter: [$($os.DriveLetter)]"
        Assert-Equal "$($os.DriveLetter):\" $os.AccessPaths[0] 'AccessPaths'
        $root = "$($os.DriveLetter):\"
        Assert-True (Test-Path -LiteralPath "${root}Windows\Panther" -PathType Container) 'Windows\Panther exists'
        Set-Content -LiteralPath "${root}Windows\Panther\unattend.xml" -Value 'hello'
        Assert-Equal 'NTFS' (Get-Partition -DiskNumber $vhd.DiskNumber -PartitionNumber $os.PartitionNumber | Get-Volume).FileSystem 'Get-Volume by pipeline'
        Assert-Error { Mount-VHD -Path $child } -FullyQualifiedErrorId 'OperationFailed,Microsoft.Vhd.PowerShell.Cmdlets.MountVhd' `
            -Message "Failed to mount the virtual disk.`nThe system failed to mount '$child'.`nFailed to mount the virtual disk.`nThe system failed to mount '$child': The process cannot access the file because it is being used by another process. (0x80070020)." | Out-Null
    }
    finally { Dismount-VHD -Path $child }
    Assert-Equal $false (Test-Path -LiteralPath "$($os.DriveLetter):\") 'the letter is gone'
    Assert-Equal $false (Get-VHD -Path $child).Attached 'not attached'
    $vhd = Mount-VHD -Path $child -NoDriveLetter -Passthru
    Assert-Equal 0 @(Get-Partition -DiskNumber $vhd.DiskNumber | Where-Object DriveLetter).Count '-NoDriveLetter'
    Get-Partition | Where-Object { ($_.DiskNumber -eq $vhd.DiskNumber) -and ($_.Type -eq 'Basic') } | Set-Partition -NewDriveLetter T
    Assert-Equal 'ByObjectAccessPath' (Get-LastCall 'Set-Partition')['parameter_set'] 'Set-Partition by pipeline'
    Assert-Equal 'hello' (Get-Content -LiteralPath 'T:\Windows\Panther\unattend.xml') 'the file stayed with the disk'
    Dismount-VHD -DiskNumber $vhd.DiskNumber
    Assert-Equal 'Disk' (Get-LastCall 'Dismount-VHD')['parameter_set'] 'Dismount-VHD -DiskNumber'
    Assert-Equal $false (Test-Path -LiteralPath 'T:\') 'T: gone'
    Assert-Error { Dismount-VHD -Path $child } -FullyQualifiedErrorId 'InvalidParameter,Microsoft.Vhd.PowerShell.Cmdlets.DismountVhd' | Out-Null
    Assert-Error { Mount-VHD -Path 'D:\VMs\none.vhdx' } -Message "'D:\VMs\none.vhdx' is not an existing virtual hard disk file." -FullyQualifiedErrorId 'InvalidParameter,Microsoft.Vhd.PowerShell.Cmdlets.MountVhd' | Out-Null
}

Test-Case 'Storage: Add-PartitionAccessPath -AssignDriveLetter, a letter in use (StorageWMI 42002), unknown disk numbers' {
    $child = 'D:\VMs\write1.vhdx'
    $vhd = Mount-VHD -Path $child -NoDriveLetter -Passthru
    try {
        $p = Add-PartitionAccessPath -DiskNumber $vhd.DiskNumber -PartitionNumber 3 -AssignDriveLetter -PassThru
        Assert-True ([char]::IsLetter($p.DriveLetter)) 'a letter'
        Assert-True (Test-Path -LiteralPath "$($p.DriveLetter):\Windows") 'the partition''s files'
        Assert-Error { Set-Partition -DiskNumber $vhd.DiskNumber -PartitionNumber 3 -NewDriveLetter D } -Message 'The requested access path is already in use.' `
            -FullyQualifiedErrorId 'StorageWMI 42002,Set-Partition' -Category NotSpecified | Out-Null
        Assert-Error { Get-Partition -DiskNumber 42 } -Message "No MSFT_Partition objects found with property 'DiskNumber' equal to '42'.  Verify the value of the property and retry." `
            -FullyQualifiedErrorId 'CmdletizationQuery_NotFound_DiskNumber,Get-Partition' -Category ObjectNotFound | Out-Null
        Assert-Error { Get-Disk -Number 42 } -FullyQualifiedErrorId 'CmdletizationQuery_NotFound_Number,Get-Disk' | Out-Null
        Assert-Equal @(0, 1, $vhd.DiskNumber) @((Get-Disk).Number) 'the host''s disks and the VHD'
    }
    finally { Dismount-VHD -Path $child }
}

Test-Case 'a disk in use: mounting a running VM''s disk fails, starting a VM whose disk is mounted fails' {
    $null = New-VHD -Path 'D:\VMs\Busy1.vhdx' -ParentPath $image -Differencing
    $null = New-VM -Name Busy1 -Generation 2 -VHDPath 'D:\VMs\Busy1.vhdx'
    $null = Mount-VHD -Path 'D:\VMs\Busy1.vhdx' -NoDriveLetter
    $err = Assert-Error { Start-VM -Name Busy1 } -FullyQualifiedErrorId 'OperationFailed,Microsoft.HyperV.PowerShell.Commands.StartVM'
    Assert-True ($err.Exception.Message -like "*being used by another process*") $err.Exception.Message
    Dismount-VHD -Path 'D:\VMs\Busy1.vhdx'
    Start-VM -Name Busy1
    Assert-Equal $true (Get-VHD -Path 'D:\VMs\Busy1.vhdx').Attached 'a running VM''s disk is attached'
    Assert-Error { Mount-VHD -Path 'D:\VMs\Busy1.vhdx' } -FullyQualifiedErrorId 'OperationFailed,Microsoft.Vhd.PowerShell.Cmdlets.MountVhd' | Out-Null
    Assert-Error { Mount-VHD -Path $image } -FullyQualifiedErrorId 'OperationFailed,Microsoft.Vhd.PowerShell.Cmdlets.MountVhd' | Out-Null
    Stop-VM -Name Busy1 -TurnOff
}

# ---- a guest's first boot ----------------------------------------------------------------------

Test-Case 'first boot: Base64 password (PlainText false) in Windows\Panther\unattend.xml; reachable with it' {
    $pw = 'Lab-Pw "1" $(x) é'
    $null = New-ImageVm 'Guest1' { param($root) New-AnswerFile 'LAB-GUEST1' $pw $false | Set-Content -LiteralPath "${root}Windows\Panther\unattend.xml" }
    $vm = Get-VM -Name Guest1
    Assert-Equal $null $vm.Heartbeat 'Off: no heartbeat'
    Start-VM -Name Guest1
    Assert-Equal 'NoContact' ([string](Get-VM -Name Guest1).Heartbeat) 'booting (image boot_seconds 2)'
    Wait-Booted Guest1
    $name = Invoke-Command -VMName Guest1 -Credential (New-Credential $pw) -ScriptBlock { (Get-CimInstance Win32_ComputerSystem).Name }
    Assert-Equal 'LAB-GUEST1' $name 'the answer file''s computer name (amd64 component)'
    $os = Invoke-Command -VMName Guest1 -Credential (New-Credential $pw) -ScriptBlock { (Get-CimInstance Win32_OperatingSystem).Caption }
    Assert-Equal 'Microsoft Windows Server 2022 Datacenter' $os 'the image''s OS'
    Assert-Error { Invoke-Command -VMName Guest1 -Credential (New-Credential 'wrong') -ScriptBlock { 1 } } -Message 'The credential is invalid.' | Out-Null
    $kvp = Get-CimInstance -Namespace root/virtualization/v2 -ClassName Msvm_KvpExchangeComponent -Filter "SystemName='$($vm.Id)'"
    Assert-True (($kvp.GuestIntrinsicExchangeItems -join '') -match '<VALUE>Windows Server 2022 Datacenter</VALUE>') 'KVP: the image''s OS'
    $entry = Get-VmEntry Guest1
    Assert-Equal 'done' $entry['guest']['setup'] 'setup done'
    Assert-Equal 'C:\Windows\Panther\Unattend.xml' $entry['guest']['answer_file'] 'the answer file it used'
    Assert-Equal ([uint64]((1030792151040 - 2GB) / 1KB)) (Get-CimInstance Win32_OperatingSystem).FreePhysicalMemory 'a running VM takes its memory'
}

Test-Case 'first boot: PlainText password in Windows\System32\Sysprep\Unattend.xml (Lability), no name: WIN-...' {
    $null = New-ImageVm 'Guest2' { param($root) New-AnswerFile '' 'Plain-Pw2' $true | Set-Content -LiteralPath "${root}Windows\System32\Sysprep\Unattend.xml" }
    Start-VM -Name Guest2
    Wait-Booted Guest2
    $name = Invoke-Command -VMName Guest2 -Credential (New-Credential 'Plain-Pw2') -ScriptBlock { (Get-CimInstance Win32_ComputerSystem).Name }
    Assert-True ($name -match '^WIN-[A-Z0-9]{11}$') "a generated name: $name"
}

Test-Case 'first boot: Windows\Panther wins over Sysprep (search order); the password of the first file found' {
    $null = New-ImageVm 'Guest3' {
        param($root)
        New-AnswerFile 'FROM-SYSPREP' 'pw-sysprep' $true | Set-Content -LiteralPath "${root}Windows\System32\Sysprep\Unattend.xml"
        New-AnswerFile 'FROM-PANTHER' 'pw-panther' $true | Set-Content -LiteralPath "${root}Windows\Panther\Unattend.xml"
    }
    Start-VM -Name Guest3
    Wait-Booted Guest3
    Assert-Equal 'FROM-PANTHER' (Invoke-Command -VMName Guest3 -Credential (New-Credential 'pw-panther') -ScriptBlock { (Get-CimInstance Win32_ComputerSystem).Name }) 'Panther'
}

Test-Case 'OOBE: no answer file, or a broken one: the heartbeat answers, PowerShell Direct never does' {
    $null = New-ImageVm 'Oobe1' $null
    $null = New-ImageVm 'Oobe2' { param($root) Set-Content -LiteralPath "${root}Windows\Panther\unattend.xml" -Value '<unattend xmlns="urn:schemas-microsoft-com:unattend"><settings' }
    Start-VM -Name Oobe1, Oobe2
    Wait-Booted Oobe1
    Wait-Booted Oobe2
    foreach ($n in 'Oobe1', 'Oobe2') {
        Assert-Equal 'OK' (Get-VMIntegrationService -VMName $n -Name Heartbeat).PrimaryStatusDescription "$n heartbeat"
        Assert-Error { Invoke-Command -VMName $n -Credential (New-Credential 'anything') -ScriptBlock { 1 } } -Message $directBroken `
            -FullyQualifiedErrorId 'PSSessionStateBroken,Microsoft.PowerShell.Commands.InvokeCommandCommand' | Out-Null
        Assert-Equal 'oobe' (Get-VmEntry $n)['guest']['setup'] "$n stays in OOBE"
    }
    Assert-Equal 'no answer file' (Get-VmEntry Oobe1)['guest']['oobe_reason'] 'reason'
    Assert-True ((Get-VmEntry Oobe2)['guest']['oobe_reason'] -like 'the answer file is not well-formed XML*') 'reason'
    Stop-VM -Name Oobe1 -TurnOff
    Start-VM -Name Oobe1
    Wait-Booted Oobe1
    Assert-Equal 'oobe' (Get-VmEntry Oobe1)['guest']['setup'] 'still OOBE after a restart'
}

Test-Case 'nothing to boot: a VM without a disk, a blank disk, or the wrong secure boot template runs without a guest' {
    $null = New-VM -Name Blank1 -Generation 2 -NewVHDPath 'D:\VMs\Blank1.vhdx' -NewVHDSizeBytes 1GB
    $null = New-ImageVm 'UefiCa1' { param($root) New-AnswerFile 'X' 'x' $true | Set-Content -LiteralPath "${root}Windows\Panther\unattend.xml" }
    Set-VMFirmware -VMName UefiCa1 -SecureBootTemplate MicrosoftUEFICertificateAuthority
    Start-VM -Name Bare2, Blank1, UefiCa1
    Start-Sleep -Milliseconds 300
    foreach ($n in 'Bare2', 'Blank1', 'UefiCa1') {
        Assert-Equal 'Running' ([string](Get-VM -Name $n).State) "$n runs"
        Assert-Equal 'NoContact' ([string](Get-VM -Name $n).Heartbeat) "${n}: no heartbeat"
    }
    Assert-True ((Get-VmEntry UefiCa1)['guest']['boot_failure'] -like 'secure boot*') 'why UefiCa1 does not boot'
    Stop-VM -Name Bare2, Blank1, UefiCa1 -TurnOff
}

# ---- tearing down ------------------------------------------------------------------------------

Test-Case 'Remove-VM: asks without -Force, turns a running VM off, removes the configuration, keeps the disks' {
    Assert-Error { Remove-VM -Name Guest1 } -Message 'PowerShell is in NonInteractive mode. Read and Prompt functionality is not available.' `
        -FullyQualifiedErrorId 'InvalidOperation,Microsoft.HyperV.PowerShell.Commands.RemoveVM' | Out-Null
    $vm = Get-VM -Name Guest1
    $config = "D:\VMs\Guest1\Virtual Machines\$($vm.Id.ToString().ToUpperInvariant()).vmcx"
    Assert-True (Test-Path -LiteralPath $config) 'its configuration file'
    Assert-Equal 'Running' ([string]$vm.State) 'running'
    Remove-VM -Name Guest1 -Force
    Assert-Equal 0 @(Get-VM -Name Guest1 -ErrorAction SilentlyContinue).Count 'gone'
    Assert-Equal $false (Test-Path -LiteralPath $config) 'the configuration file went'
    Assert-True (Test-Path -LiteralPath 'D:\VMs\Guest1.vhdx') 'the disk stays'
    Assert-Equal 'Differencing' ([string](Get-VHD -Path 'D:\VMs\Guest1.vhdx').VhdType) 'and is still a disk'
    Assert-Equal $null @(Get-DiskEntry 'D:\VMs\Guest1.vhdx')[0]['attached_to'] 'attached to nothing'
    Get-VM -Name Dup1 | Remove-VM -Force
    Assert-Equal 0 @(Get-VM -Name 'Dup1' -ErrorAction SilentlyContinue).Count 'both duplicates'
    $removed = Remove-VM -Name Bare1 -Force -Passthru
    Assert-True ($removed -is [Microsoft.HyperV.PowerShell.VirtualMachine]) '-Passthru'
    Assert-Equal 'Name' (Get-LastCall 'Remove-VM')['parameter_set'] 'parameter set'
}

Test-Case 'Remove-Item -LiteralPath on a disk removes it from the state; Test-Path then answers False; a VM on it fails to start' {
    $p = 'D:\VMs\Old9.vhdx'
    Remove-Item -LiteralPath $p
    Assert-Equal $false (Test-Path -LiteralPath $p) 'Test-Path'
    Assert-Equal 0 @(Get-DiskEntry $p).Count 'the record went with the file'
    Assert-Error { Get-VHD -Path $p } -Message "'$p' is not an existing virtual hard disk file." | Out-Null
    $err = Assert-Error { Start-VM -Name Old9 } -FullyQualifiedErrorId 'ObjectNotFound,Microsoft.HyperV.PowerShell.Commands.StartVM'
    Assert-True ($err.Exception.Message -like "*Failed to open attachment '$p'*") $err.Exception.Message
    # Names with wildcard characters: -LiteralPath, as nestvirt's scripts must.
    $odd = 'D:\VMs\Lab [1].vhdx'
    $null = New-VHD -Path $odd -SizeBytes 1GB
    Assert-True (Test-Path -LiteralPath $odd) 'created'
    Microsoft.PowerShell.Management\Remove-Item -LiteralPath $odd
    Assert-Equal 0 @(Get-DiskEntry $odd).Count 'removed'
}

Test-Case 'a copy of a disk (Copy-Item) is a disk; another engine sees the disks, the drives and the mounted letters' {
    Copy-Item -LiteralPath 'D:\VMs\Guest1.vhdx' -Destination 'D:\VMs\Guest1-copy.vhdx'
    $copy = Get-VHD -Path 'D:\VMs\Guest1-copy.vhdx'
    Assert-Equal 'Differencing' ([string]$copy.VhdType) 'a differencing disk'
    Assert-True ($copy.DiskIdentifier -ne (Get-VHD -Path 'D:\VMs\Guest1.vhdx').DiskIdentifier) 'its own identifier'
    $vhd = Mount-VHD -Path 'D:\VMs\Guest1-copy.vhdx' -Passthru
    try {
        $letter = (Get-Partition -DiskNumber $vhd.DiskNumber | Where-Object Type -eq Basic).DriveLetter
        $r = Invoke-Engine "Import-Module `$env:NESTVIRT_SIM_PRELOAD; [string](Test-Path -LiteralPath '$($letter):\Windows\Panther\unattend.xml') + '/' + [string](Test-Path -LiteralPath 'D:\VMs\New1\New1.vhdx')"
        Assert-Equal 'True/True' (($r.Output -split "`n")[-1]) "the child engine: $($r.Output)"
    }
    finally { Dismount-VHD -Path 'D:\VMs\Guest1-copy.vhdx' }
}

Test-Case 'Start-VM without enough free memory: OutOfMemory' {
    Edit-State { param($s) $s['host']['memory_free_bytes'] = 1GB }
    try {
        $err = Assert-Error { Start-VM -Name Guest2 -WarningAction SilentlyContinue; Stop-VM -Name Guest2 -TurnOff; Start-VM -Name Guest2 } -FullyQualifiedErrorId 'OutOfMemory,Microsoft.HyperV.PowerShell.Commands.StartVM'
        Assert-True ($err.Exception.Message -like "*Not enough memory in the system to start the virtual machine Guest2 with ram size 2048 megabytes.*") $err.Exception.Message
    }
    finally { Edit-State { param($s) $s['host']['memory_free_bytes'] = 1030792151040 } }
}

# ---- other hosts -------------------------------------------------------------------------------

Test-Case 'amd-windows11-23h2-empty (client): dynamic memory, automatic checkpoints, 254.0/255.0 to filter, -Prerelease, a Linux image' {
    $script = @'
$v = @(Hyper-V\Get-VMHostSupportedVersion); "versions=" + ($v.Version -join ',')
"default=" + (Hyper-V\Get-VMHostSupportedVersion -Default).Version
"filtered=" + (($v.Version | Where-Object { $_.Major -lt 254 } | Sort-Object | Select-Object -Last 1))
$vm = Hyper-V\New-VM -Name C1 -Generation 2; "dynamic=" + $vm.DynamicMemoryEnabled + " checkpoints=" + $vm.AutomaticCheckpointsEnabled + " version=" + $vm.Version + " path=" + $vm.Path
"pre=" + (Hyper-V\New-VM -Name P1 -Prerelease).Version
$null = Hyper-V\New-VHD -Path D:\VMs\u1.vhdx -ParentPath D:\images\ubuntu-24.04.vhdx -Differencing
$null = Hyper-V\New-VM -Name U1 -Generation 2 -VHDPath D:\VMs\u1.vhdx
Hyper-V\Start-VM -Name U1; Start-Sleep -Milliseconds 1500; "linux-default-template=" + (Hyper-V\Get-VM -Name U1).Heartbeat
Hyper-V\Stop-VM -Name U1 -TurnOff; Hyper-V\Set-VMFirmware -VMName U1 -SecureBootTemplate MicrosoftUEFICertificateAuthority
Hyper-V\Start-VM -Name U1; Start-Sleep -Milliseconds 1500; "linux-uefi-ca=" + (Hyper-V\Get-VM -Name U1).Heartbeat
'@
    $r = Invoke-Engine $script -Prefix @($withSim, 'amd-windows11-23h2-empty', '--')
    Assert-True ($r.Output -match 'versions=8\.0,8\.1,8\.2,8\.3,9\.0,9\.1,9\.2,9\.3,10\.0,11\.0,254\.0,255\.0') "versions: $($r.Output)"
    Assert-True ($r.Output -match 'default=11\.0') 'default'
    Assert-True ($r.Output -match 'filtered=11\.0') 'Major < 254'
    Assert-True ($r.Output -match 'dynamic=True checkpoints=True version=11\.0 path=C:\\ProgramData\\Microsoft\\Windows\\Hyper-V') 'client defaults'
    Assert-True ($r.Output -match 'pre=254\.0') '-Prerelease'
    Assert-True ($r.Output -match 'linux-default-template=NoContact') 'a Linux image does not boot with the MicrosoftWindows template'
    Assert-True ($r.Output -match 'linux-uefi-ca=OkApplicationsHealthy') 'it boots with the UEFI CA template'
}

Test-Case 'older scenarios: New-VM works on their default C: folders; Set-VM lacks -AutomaticCheckpointsEnabled before 1709' {
    $r = Invoke-Engine '$vm = Hyper-V\New-VM -Name X1 -Generation 2 -NewVHDPath X1.vhdx -NewVHDSizeBytes 1GB; $vm.Path; (Test-Path -LiteralPath "C:\ProgramData\Microsoft\Windows\Virtual Hard Disks\X1.vhdx"); (Get-Command Hyper-V\Set-VM).Parameters.ContainsKey("AutomaticCheckpointsEnabled"); (Get-Command Hyper-V\Set-VM).Parameters.ContainsKey("CheckpointType")' -Prefix @($withSim, 'intel-windows10-1607', '--')
    Assert-Equal "C:\ProgramData\Microsoft\Windows\Hyper-V`nTrue`nFalse`nTrue" $r.Output "output: $($r.Output)"
}

Write-Host ''
Write-Host "$($script:passed) passed, $($script:failed) failed"
if ($script:failed -gt 0) { exit 1 }
exit 0
