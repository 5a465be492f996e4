// Host findings other than the vendor × build matrix (findings_matrix_test.cpp): exact texts.
#include "catch.h"
#include "findings_support.h"
#include "nestvirt/core/findings.h"

using namespace nestvirt::core;
using nestvirt::core::testing::by_id;
using nestvirt::core::testing::good_host;

namespace {
Finding host_finding(const HostFacts& host, const char* id) {
  return by_id(evaluate_host(host), id);
}
}  // namespace

TEST_CASE("host.os-build names the release and the minimum", "[findings]") {
  SECTION("Intel on Windows 10 1511 fails: 8.0 needs build 14393") {
    const Finding f =
        host_finding(good_host(CpuVendor::Intel, ProductKind::Client, 10586), "host.os-build");
    CHECK(f.status == Status::Fail);
    CHECK(f.seen == "build 10586 (Windows 10 1511), client");
    CHECK(f.needed ==
          "build 14393 or later: Windows 10 1607 / Windows Server 2016 or newer. Microsoft's page "
          "says \"Windows 10 or later\", but configuration version 8.0, which nested "
          "virtualization needs on Intel, exists only from build 14393 on");
    CHECK(f.fix == "Upgrade the host to Windows 10 1607 or later.");
  }
  SECTION("AMD on Windows 10 22H2 fails: Windows 11 needed") {
    const Finding f =
        host_finding(good_host(CpuVendor::Amd, ProductKind::Client, 19045), "host.os-build");
    CHECK(f.status == Status::Fail);
    CHECK(f.seen == "build 19045 (Windows 10 22H2), client");
    CHECK(f.needed ==
          "Windows 11 or later (build 22000+); no Windows 10 release supports configuration "
          "version 9.3");
    CHECK(f.fix ==
          "Upgrade the host to Windows 11 or later. No Windows 10 release can run nested "
          "virtualization on AMD: configuration version 9.3 exists only on Windows 11 and "
          "Windows Server 2022 or later.");
  }
  SECTION("AMD on Windows Server 2019 fails: Server 2022 needed") {
    const Finding f =
        host_finding(good_host(CpuVendor::Amd, ProductKind::Server, 17763), "host.os-build");
    CHECK(f.status == Status::Fail);
    CHECK(f.seen == "build 17763 (Windows Server 2019), server");
    CHECK(f.needed == "Windows Server 2022 or later (build 20348+)");
    CHECK(f.fix == "Upgrade the host to Windows Server 2022 or later.");
  }
  SECTION("AMD on Windows Server 2022 passes although 20348 < 22000") {
    const Finding f =
        host_finding(good_host(CpuVendor::Amd, ProductKind::Server, 20348), "host.os-build");
    CHECK(f.status == Status::Pass);
    CHECK(f.seen == "build 20348 (Windows Server 2022), server");
    CHECK(f.fix.empty());
  }
  SECTION("an unnamed build is shown as a number only") {
    const Finding f =
        host_finding(good_host(CpuVendor::Intel, ProductKind::Server, 14392), "host.os-build");
    CHECK(f.seen == "build 14392, server");
    CHECK(f.fix == "Upgrade the host to Windows Server 2016 or later.");
  }
  SECTION("AMD with an unknown product type between 20348 and 22000 is unknown") {
    const Finding f =
        host_finding(good_host(CpuVendor::Amd, ProductKind::Unknown, 20348), "host.os-build");
    CHECK(f.status == Status::Unknown);
    CHECK(f.seen == "build 20348 (Windows Server 2022), product type unknown");
    CHECK(f.needed ==
          "Windows Server 2022 or later (build 20348+) or Windows 11 or later (build 22000+)");
  }
  SECTION("an unknown build is unknown") {
    HostFacts host = good_host(CpuVendor::Intel, ProductKind::Client);
    host.os_build.reset();
    const Finding f = host_finding(host, "host.os-build");
    CHECK(f.status == Status::Unknown);
    CHECK(f.seen == "build unknown, client");
    CHECK(f.fix ==
          "Check by hand: Get-CimInstance Win32_OperatingSystem | Select-Object Caption, "
          "BuildNumber, ProductType");
  }
}

namespace {
struct VirtRow {
  std::optional<bool> hypervisor, vmx, slat, firmware;
  Status status;
  const char* seen;
};
}  // namespace

TEST_CASE("host.virtualization ignores the flags while a hypervisor runs", "[findings]") {
  const std::optional<bool> T = true, F = false, N = std::nullopt;
  const auto row = GENERATE_COPY(values<VirtRow>({
      // The flags read False under a running hypervisor: never "missing" then.
      {T, F, F, F, Status::Pass,
       "unknown (hypervisor running): Windows reports the processor's virtualization flags as "
       "False while a hypervisor owns them; a running hypervisor shows they are present"},
      {T, N, N, N, Status::Pass, nullptr},
      {T, T, T, T, Status::Pass, nullptr},
      {F, T, T, T, Status::Pass, "all present"},
      {N, T, T, T, Status::Pass, "all present"},
      {F, T, T, F, Status::Fail, "missing: virtualization enabled in firmware"},
      {F, T, F, T, Status::Fail, "missing: SLAT (EPT/NPT)"},
      {F, F, T, T, Status::Fail, "missing: VM Monitor Mode extensions (VT-x/AMD-V)"},
      {F, F, F, F, Status::Fail,
       "missing: VM Monitor Mode extensions (VT-x/AMD-V), SLAT (EPT/NPT), virtualization enabled "
       "in firmware"},
      {F, N, N, F, Status::Fail, "missing: virtualization enabled in firmware"},
      {N, T, T, F, Status::Fail, "missing: virtualization enabled in firmware"},
      // All False with the hypervisor unknown looks exactly like a running hypervisor.
      {N, F, F, F, Status::Unknown,
       "missing: VM Monitor Mode extensions (VT-x/AMD-V), SLAT (EPT/NPT), virtualization enabled "
       "in firmware (but whether a hypervisor runs is unknown; one would make them read False)"},
      {F, N, N, N, Status::Unknown, "not reported"},
      {N, N, N, N, Status::Unknown, "not reported"},
      {F, T, N, T, Status::Unknown, "not reported"},
  }));
  HostFacts host = good_host();
  host.hypervisor_present = row.hypervisor;
  host.vm_monitor_mode_extensions = row.vmx;
  host.slat = row.slat;
  host.virtualization_firmware_enabled = row.firmware;
  const Finding f = host_finding(host, "host.virtualization");
  CAPTURE(f.seen);
  CHECK(f.status == row.status);
  if (row.seen != nullptr) CHECK(f.seen == row.seen);
  if (row.status == Status::Pass) CHECK(f.seen.find("missing") == std::string::npos);
  if (row.status == Status::Fail) {
    CHECK(f.fix ==
          "Enable virtualization (Intel VT-x, \"Intel Virtualization Technology\", or AMD-V, \"SVM "
          "Mode\") in the firmware (BIOS/UEFI) setup, then start Windows again. A CPU without VM "
          "Monitor Mode extensions or SLAT cannot run Hyper-V at all: use another host.");
  } else {
    CHECK(f.fix.empty());
  }
}

TEST_CASE("host.hypervisor tells how to install Hyper-V for the edition", "[findings]") {
  HostFacts host = good_host(CpuVendor::Intel, ProductKind::Client);
  CHECK(host_finding(host, "host.hypervisor").status == Status::Pass);
  CHECK(host_finding(host, "host.hypervisor").seen == "a hypervisor is running");

  host.hypervisor_present = false;
  const std::string bcdedit =
      " If Hyper-V is already installed, its hypervisor may be switched off at boot: run bcdedit "
      "/set hypervisorlaunchtype auto and restart.";
  Finding f = host_finding(host, "host.hypervisor");
  CHECK(f.status == Status::Fail);
  CHECK(f.seen == "no hypervisor running");
  CHECK(f.fix ==
        "From an elevated PowerShell: Enable-WindowsOptionalFeature -Online -FeatureName "
        "Microsoft-Hyper-V -All, then restart Windows (Home editions cannot install Hyper-V: Pro, "
        "Enterprise or Education is needed)." +
            bcdedit);

  host.product_type = 2;
  f = host_finding(host, "host.hypervisor");
  CHECK(f.fix ==
        "From an elevated PowerShell: Install-WindowsFeature -Name Hyper-V -IncludeManagementTools "
        "-Restart (the server restarts)." +
            bcdedit);

  host.product_type.reset();
  f = host_finding(host, "host.hypervisor");
  CHECK(f.fix.find("on Windows 10/11: Enable-WindowsOptionalFeature -Online -FeatureName "
                   "Microsoft-Hyper-V -All") != std::string::npos);
  CHECK(f.fix.find("; on Windows Server: Install-WindowsFeature -Name Hyper-V "
                   "-IncludeManagementTools -Restart.") != std::string::npos);

  host.hypervisor_present.reset();
  f = host_finding(host, "host.hypervisor");
  CHECK(f.status == Status::Unknown);
  CHECK(f.fix.empty());
}

TEST_CASE("host.hyperv-module names the feature to enable", "[findings]") {
  HostFacts host = good_host(CpuVendor::Amd, ProductKind::Client);
  CHECK(host_finding(host, "host.hyperv-module").status == Status::Pass);
  host.hyperv_module_present = false;
  Finding f = host_finding(host, "host.hyperv-module");
  CHECK(f.status == Status::Fail);
  CHECK(f.seen == "not installed");
  CHECK(f.fix ==
        "From an elevated PowerShell: Enable-WindowsOptionalFeature -Online -FeatureName "
        "Microsoft-Hyper-V-Tools-All -All (or only Microsoft-Hyper-V-Management-PowerShell).");
  host.product_type = 3;
  f = host_finding(host, "host.hyperv-module");
  CHECK(f.fix == "From an elevated PowerShell: Install-WindowsFeature RSAT-Hyper-V-Tools.");
}

TEST_CASE("host.permissions: what answered counts, the token explains", "[findings]") {
  HostFacts host = good_host();
  CHECK(host_finding(host, "host.permissions").seen ==
        "Hyper-V cmdlets answered; running elevated as administrator");
  host.is_admin = false;
  host.is_hyperv_admin = true;
  CHECK(host_finding(host, "host.permissions").seen ==
        "Hyper-V cmdlets answered; not elevated; member of Hyper-V Administrators");
  host.is_admin.reset();  // the token could not be read: not the same as "not admin"
  host.is_hyperv_admin.reset();
  Finding f = host_finding(host, "host.permissions");
  CHECK(f.status == Status::Pass);
  CHECK(f.seen == "Hyper-V cmdlets answered; the Windows token could not be read");

  host.hyperv_access = false;
  host.is_admin = false;
  host.hyperv_access_error =
      "You do not have the required permission to complete this task. Contact the administrator "
      "of the authorization policy for the computer 'HV01'.";
  f = host_finding(host, "host.permissions");
  CHECK(f.status == Status::Fail);
  CHECK(f.seen == "a Hyper-V cmdlet failed: " + host.hyperv_access_error);
  CHECK(f.fix ==
        "Run from an elevated PowerShell (Run as administrator), or add the account to the Hyper-V "
        "Administrators group and sign out and in again. From an elevated PowerShell: "
        "Add-LocalGroupMember -SID 'S-1-5-32-578' -Member \"$env:USERDOMAIN\\$env:USERNAME\"");

  host.hyperv_access_error.clear();
  CHECK(host_finding(host, "host.permissions").seen == "a Hyper-V cmdlet failed: no error text");

  // Without the module every cmdlet fails; that is not a permission problem.
  host.hyperv_module_present = false;
  host.hyperv_access_error = "The term 'Get-VM' is not recognized";
  f = host_finding(host, "host.permissions");
  CHECK(f.status == Status::Unknown);
  CHECK(f.seen ==
        "could not be tested: the Hyper-V module is missing (The term 'Get-VM' is not recognized)");
  CHECK(f.fix.empty());

  host.hyperv_access.reset();
  f = host_finding(host, "host.permissions");
  CHECK(f.status == Status::Unknown);
  CHECK(f.seen == "not tested");
}
