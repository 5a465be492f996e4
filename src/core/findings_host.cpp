// Host prerequisites from enable-nested-virtualization.md (CPU vendor, host OS for that vendor)
// and from what Hyper-V itself needs (virtualization support, hypervisor, module, permissions).
// Sources and the full matrix: docs/prerequisites.md.
#include <string>
#include <utility>

#include "findings_detail.h"

namespace nestvirt::core {
namespace {

using detail::make_finding;

Finding cpu_vendor(const HostFacts& host) {
  Finding f = make_finding("host.cpu-vendor", "CPU vendor");
  f.needed = "an Intel CPU with VT-x and EPT, or an AMD EPYC/Ryzen CPU or later";
  f.seen = host.cpu_manufacturer.empty() ? "CPU manufacturer not reported" : host.cpu_manufacturer;
  if (!host.cpu_name.empty()) f.seen += " (" + host.cpu_name + ")";
  switch (host.vendor()) {
    case CpuVendor::Intel:
    case CpuVendor::Amd:
      f.status = Status::Pass;
      break;
    case CpuVendor::Other:
      f.status = Status::Fail;
      f.fix =
          "Use another host: nested virtualization needs an Intel CPU with VT-x and EPT, or AMD "
          "EPYC/Ryzen. Hyper-V cannot expose virtualization extensions on this processor.";
      break;
    case CpuVendor::Unknown:
      f.status = Status::Unknown;
      f.fix = "Check by hand: Get-CimInstance Win32_Processor | Select-Object Manufacturer, Name";
      break;
  }
  return f;
}

// Win32_Processor's three flags read False while the hypervisor runs (it owns VT-x/AMD-V), so
// they only count on a host without a running hypervisor.
Finding virtualization(const HostFacts& host) {
  Finding f = make_finding("host.virtualization", "Hardware virtualization");
  f.needed =
      "VM Monitor Mode extensions (VT-x/AMD-V), SLAT (EPT/NPT), and virtualization enabled "
      "in the firmware";
  if (host.hypervisor_present == true) {
    f.status = Status::Pass;
    f.seen =
        "unknown (hypervisor running): Windows reports the processor's virtualization flags "
        "as False while a hypervisor owns them; a running hypervisor shows they are present";
    return f;
  }
  const std::pair<const std::optional<bool>*, const char*> flags[] = {
      {&host.vm_monitor_mode_extensions, "VM Monitor Mode extensions (VT-x/AMD-V)"},
      {&host.slat, "SLAT (EPT/NPT)"},
      {&host.virtualization_firmware_enabled, "virtualization enabled in firmware"},
  };
  std::string missing;
  int unknown = 0;
  int absent = 0;
  for (const auto& [value, label] : flags) {
    if (!value->has_value()) {
      ++unknown;
    } else if (!**value) {
      ++absent;
      missing += (missing.empty() ? "" : ", ") + std::string(label);
    }
  }
  if (missing.empty()) {
    f.status = unknown == 0 ? Status::Pass : Status::Unknown;
    f.seen = unknown == 0 ? "all present" : "not reported";
    return f;
  }
  f.seen = "missing: " + missing;
  if (absent == 3 && !host.hypervisor_present.has_value()) {
    // All three False is also exactly what a running hypervisor looks like.
    f.status = Status::Unknown;
    f.seen += " (but whether a hypervisor runs is unknown; one would make them read False)";
    return f;
  }
  f.status = Status::Fail;
  f.fix =
      "Enable virtualization (Intel VT-x, \"Intel Virtualization Technology\", or AMD-V, \"SVM "
      "Mode\") in the firmware (BIOS/UEFI) setup, then start Windows again. A CPU without "
      "VM Monitor Mode extensions or SLAT cannot run Hyper-V at all: use another host.";
  return f;
}

Finding hypervisor(const HostFacts& host) {
  Finding f = make_finding("host.hypervisor", "Hyper-V hypervisor");
  f.needed = "Hyper-V installed and its hypervisor running";
  if (!host.hypervisor_present) {
    f.status = Status::Unknown;
    f.seen = "not reported";
    return f;
  }
  if (*host.hypervisor_present) {
    f.status = Status::Pass;
    f.seen = "a hypervisor is running";
    return f;
  }
  f.status = Status::Fail;
  f.seen = "no hypervisor running";
  const std::string client =
      "Enable-WindowsOptionalFeature -Online -FeatureName Microsoft-Hyper-V -All, then restart "
      "Windows (Home editions cannot install Hyper-V: Pro, Enterprise or Education is needed)";
  const std::string server =
      "Install-WindowsFeature -Name Hyper-V -IncludeManagementTools -Restart";
  const ProductKind kind = host.product_kind();
  if (kind == ProductKind::Client) {
    f.fix = "From an elevated PowerShell: " + client + ".";
  } else if (kind == ProductKind::Server) {
    f.fix = "From an elevated PowerShell: " + server + " (the server restarts).";
  } else {
    f.fix = "From an elevated PowerShell, on Windows 10/11: " + client +
            "; on Windows Server: " + server + ".";
  }
  f.fix +=
      " If Hyper-V is already installed, its hypervisor may be switched off at boot: run "
      "bcdedit /set hypervisorlaunchtype auto and restart.";
  return f;
}

Finding hyperv_module(const HostFacts& host) {
  Finding f = make_finding("host.hyperv-module", "Hyper-V PowerShell module");
  f.needed = "the Hyper-V PowerShell module (Get-Module -ListAvailable Hyper-V)";
  if (host.hyperv_module_present) {
    f.status = Status::Pass;
    f.seen = "available";
    return f;
  }
  f.status = Status::Fail;
  f.seen = "not installed";
  const std::string client =
      "Enable-WindowsOptionalFeature -Online -FeatureName Microsoft-Hyper-V-Tools-All -All (or "
      "only Microsoft-Hyper-V-Management-PowerShell)";
  const std::string server = "Install-WindowsFeature RSAT-Hyper-V-Tools";
  const ProductKind kind = host.product_kind();
  if (kind == ProductKind::Client) {
    f.fix = "From an elevated PowerShell: " + client + ".";
  } else if (kind == ProductKind::Server) {
    f.fix = "From an elevated PowerShell: " + server + ".";
  } else {
    f.fix = "From an elevated PowerShell, on Windows 10/11: " + client +
            "; on Windows Server: " + server + ".";
  }
  return f;
}

// Whether Hyper-V cmdlets answered is what counts; the token and group only explain it.
Finding permissions(const HostFacts& host) {
  Finding f = make_finding("host.permissions", "Hyper-V permissions");
  f.needed =
      "an elevated PowerShell (Run as administrator), or membership in Hyper-V "
      "Administrators";
  if (!host.hyperv_access) {
    f.status = Status::Unknown;
    f.seen = "not tested";
    return f;
  }
  if (*host.hyperv_access) {
    f.status = Status::Pass;
    f.seen = "Hyper-V cmdlets answered";
    if (host.is_admin == true) f.seen += "; running elevated as administrator";
    if (host.is_admin == false) f.seen += "; not elevated";
    if (host.is_admin == std::nullopt) f.seen += "; the Windows token could not be read";
    if (host.is_hyperv_admin == true) f.seen += "; member of Hyper-V Administrators";
    return f;
  }
  const std::string error =
      host.hyperv_access_error.empty() ? "no error text" : host.hyperv_access_error;
  if (!host.hyperv_module_present) {
    // Without the module every cmdlet fails; that says nothing about permissions.
    f.status = Status::Unknown;
    f.seen = "could not be tested: the Hyper-V module is missing (" + error + ")";
    return f;
  }
  f.status = Status::Fail;
  f.seen = "a Hyper-V cmdlet failed: " + error;
  f.fix =
      "Run from an elevated PowerShell (Run as administrator), or add the account to the "
      "Hyper-V Administrators group and sign out and in again. From an elevated PowerShell: "
      "Add-LocalGroupMember -SID 'S-1-5-32-578' -Member \"$env:USERDOMAIN\\$env:USERNAME\"";
  return f;
}

}  // namespace

std::vector<Finding> evaluate_host(const HostFacts& host) {
  return {cpu_vendor(host), detail::os_build(host), virtualization(host),
          hypervisor(host), hyperv_module(host),    permissions(host)};
}

}  // namespace nestvirt::core
