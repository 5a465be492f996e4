# bcdedit.exe of the simulator, shared by a guest's (lib/NestvirtSimGuest.psm1) and the host's
# (lib/NestvirtSimHost.psm1): the layout of "bcdedit /enum" and the few commands modelled. Only the
# {current} loader's hypervisorlaunchtype and hypervisorloadoptions exist as data; everything else of
# the store is fixed text. docs/simulator.md, "The guest OS" and "The host's boot entry".

# The {current} loader. Elements in bcdedit's order (by element type: systemroot 0x22000002,
# hypervisorloadoptions 0x220000F4, resumeobject 0x23000003, ..., hypervisorlaunchtype 0x250000F0);
# the two hypervisor lines only when set.
function script:Get-SimBcdLoaderLines([string]$Description, [bool]$Efi, [string]$LaunchType, [string]$LoadOptions) {
    $lines = [System.Collections.Generic.List[string]]::new()
    $lines.Add('Windows Boot Loader')
    $lines.Add('-------------------')
    $lines.Add('identifier              {current}')
    $lines.Add('device                  partition=C:')
    $lines.Add('path                    \Windows\system32\winload.' + $(if ($Efi) { 'efi' } else { 'exe' }))
    $lines.Add("description             $Description")
    $lines.Add('locale                  en-US')
    $lines.Add('inherit                 {bootloadersettings}')
    $lines.Add('recoverysequence        {4f5e6d7c-1a2b-11ef-9c3d-00155d000001}')
    $lines.Add('displaymessageoverride  Recovery')
    $lines.Add('recoveryenabled         Yes')
    if ($Efi) { $lines.Add('isolatedcontext         Yes') }
    $lines.Add('allowedinmemorysettings 0x15000075')
    $lines.Add('osdevice                partition=C:')
    $lines.Add('systemroot              \Windows')
    if ($LoadOptions) { $lines.Add("hypervisorloadoptions   $LoadOptions") }
    $lines.Add('resumeobject            {4f5e6d7b-1a2b-11ef-9c3d-00155d000001}')
    $lines.Add('nx                      OptOut')
    $lines.Add('bootmenupolicy          Standard')
    if ($LaunchType) { $lines.Add("hypervisorlaunchtype    $LaunchType") }
    return , $lines
}

function script:Get-SimBcdManagerLines([bool]$Efi) {
    $lines = [System.Collections.Generic.List[string]]::new()
    $lines.Add('Windows Boot Manager')
    $lines.Add('--------------------')
    $lines.Add('identifier              {bootmgr}')
    $lines.Add('device                  partition=' + $(if ($Efi) { '\Device\HarddiskVolume1' } else { 'C:' }))
    if ($Efi) { $lines.Add('path                    \EFI\Microsoft\Boot\bootmgfw.efi') }
    $lines.Add('description             Windows Boot Manager')
    $lines.Add('locale                  en-US')
    $lines.Add('inherit                 {globalsettings}')
    $lines.Add('default                 {current}')
    $lines.Add('resumeobject            {4f5e6d7b-1a2b-11ef-9c3d-00155d000001}')
    $lines.Add('displayorder            {current}')
    $lines.Add('toolsdisplayorder       {memdiag}')
    $lines.Add('timeout                 30')
    return , $lines
}

# Runs one bcdedit command line. $Entry: @{ Description; Efi; LaunchType; LoadOptions; Elevated };
# $Set: a scriptblock (element name, value or $null to delete) that changes the store.
# Returns @{ Lines = output lines; ExitCode }.
function script:Invoke-SimBcdEdit([object[]]$Arguments, $Entry, [scriptblock]$Set) {
    $out = [System.Collections.Generic.List[string]]::new()
    $code = 0
    # '/enum', '-enum' -> 'enum'; values stay as they are.
    $a = @(foreach ($x in $Arguments) { $t = [string]$x; if ($t.Length -ge 2 -and ($t[0] -eq '/' -or $t[0] -eq '-')) { $t.Substring(1).ToLowerInvariant() } else { $t } })
    $isCurrent = { param($id) ([string]$id).ToLowerInvariant() -in '{current}', '{default}' }
    $elements = @{ hypervisorlaunchtype = 'hypervisorlaunchtype'; hypervisorloadoptions = 'hypervisorloadoptions' }
    if (-not $Entry.Elevated) {
        $out.Add('The boot configuration data store could not be opened.')
        $out.Add('Access is denied.')
        $code = 1
    }
    elseif ($a.Count -eq 0 -or ($a[0] -eq 'enum' -and ($a.Count -eq 1 -or $a[1] -in 'active', 'all', '/v', 'v'))) {
        $out.Add('')
        $out.AddRange((Get-SimBcdManagerLines $Entry.Efi))
        $out.Add('')
        $out.AddRange((Get-SimBcdLoaderLines $Entry.Description $Entry.Efi $Entry.LaunchType $Entry.LoadOptions))
    }
    elseif ($a[0] -eq 'enum' -and (& $isCurrent $a[1])) {
        $out.Add('')
        $out.AddRange((Get-SimBcdLoaderLines $Entry.Description $Entry.Efi $Entry.LaunchType $Entry.LoadOptions))
    }
    elseif ($a[0] -eq 'enum' -and ([string]$a[1]).ToLowerInvariant() -eq '{bootmgr}') {
        $out.Add('')
        $out.AddRange((Get-SimBcdManagerLines $Entry.Efi))
    }
    elseif ($a[0] -eq 'set' -and $a.Count -eq 4 -and (& $isCurrent $a[1]) -and $a[2] -ieq 'hypervisorlaunchtype' -and $a[3] -in 'auto', 'off') {
        & $Set 'hypervisorlaunchtype' $(if ($a[3] -ieq 'auto') { 'Auto' } else { 'Off' })
        $out.Add('The operation completed successfully.')
    }
    elseif ($a[0] -eq 'set' -and $a.Count -eq 4 -and (& $isCurrent $a[1]) -and $a[2] -ieq 'hypervisorloadoptions') {
        & $Set 'hypervisorloadoptions' ([string]$Arguments[3])
        $out.Add('The operation completed successfully.')
    }
    elseif ($a[0] -eq 'deletevalue' -and $a.Count -eq 3 -and (& $isCurrent $a[1]) -and $elements.ContainsKey(([string]$a[2]).ToLowerInvariant())) {
        & $Set $elements[([string]$a[2]).ToLowerInvariant()] $null
        $out.Add('The operation completed successfully.')
    }
    else {
        # Anything else of the store is not modelled.
        $out.Add('The parameter is incorrect.')
        $out.Add('Run "bcdedit /?" for command line assistance.')
        $code = 1
    }
    return @{ Lines = $out; ExitCode = $code }
}
