# The simulated host's drive letters as PowerShell drives (docs/simulator.md, "Files, disks and images").
#
# types/SimFs.cs keeps the host's volumes, folders, VHD files and mounted partitions as real files in
# "<state>.fs/drives": a folder per volume letter (drives/D) and a "<L>.mount" file per mounted
# partition naming its folder. Register-SimDrives makes each of them a FileSystem drive of the global
# scope, so that "D:\VMs\lab.vhdx" means that file to every FileSystem cmdlet of the session
# (Test-Path, Remove-Item, Set-Content, New-Item... unqualified or Microsoft.PowerShell.Management\-
# qualified): nothing is intercepted, the paths simply exist. Needs no simulator type (it reads the
# folder only), so the PowerShell Direct stand-in can call it at its import, before the simulator's
# code is loaded. Dot-sourced into Hyper-V, Storage and NestvirtSimDirect; never used inside guests.

function script:Register-SimDrives {
    if ($env:NESTVIRT_SIM_GUEST -or -not $env:NESTVIRT_SIM_STATE) { return }
    $fsRoot = [System.IO.Path]::GetFullPath($env:NESTVIRT_SIM_STATE) + '.fs'
    $drivesDir = [System.IO.Path]::Combine($fsRoot, 'drives')
    if (-not [System.IO.Directory]::Exists($drivesDir)) { return }
    $wanted = @{}
    foreach ($dir in [System.IO.Directory]::GetDirectories($drivesDir)) {
        $name = [System.IO.Path]::GetFileName($dir)
        if ($name -cmatch '^[A-Z]$') { $wanted[$name] = $dir }
    }
    foreach ($file in [System.IO.Directory]::GetFiles($drivesDir, '*.mount')) {
        $name = [System.IO.Path]::GetFileNameWithoutExtension($file)
        if ($name -cmatch '^[A-Z]$' -and -not $wanted.ContainsKey($name)) {
            $wanted[$name] = [System.IO.Path]::GetFullPath([System.IO.Path]::Combine($fsRoot, [System.IO.File]::ReadAllText($file).Trim()))
        }
    }
    $drives = $ExecutionContext.SessionState.Drive
    $provider = $ExecutionContext.SessionState.Provider.GetOne('FileSystem')
    $onWindows = [System.IO.Path]::DirectorySeparatorChar -eq '\'
    foreach ($existing in @($drives.GetAllAtScope('Global'))) {
        # A letter of this state that is gone (a dismounted partition): its drive goes too.
        if ($existing.Name -cmatch '^[A-Z]$' -and -not $wanted.ContainsKey($existing.Name) -and
            $existing.Root.StartsWith($fsRoot, [System.StringComparison]::Ordinal)) {
            $drives.Remove($existing.Name, $true, 'Global')
        }
    }
    foreach ($name in $wanted.Keys) {
        $root = $wanted[$name]
        $existing = $drives.GetAtScope($name, 'Global')
        if ($null -ne $existing) {
            if ($existing.Root.TrimEnd('/', '\') -eq $root.TrimEnd('/', '\')) { continue }
            # Windows (wine) has its own C: and Z:: they stay; on Linux a letter drive can only be ours.
            if ($onWindows -and -not $existing.Root.StartsWith($fsRoot, [System.StringComparison]::OrdinalIgnoreCase)) { continue }
            $drives.Remove($name, $true, 'Global')
        }
        $null = $drives.New([System.Management.Automation.PSDriveInfo]::new($name, $provider, $root, '', $null), 'Global')
    }
}
