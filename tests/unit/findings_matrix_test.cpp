// The prerequisite matrix of docs/prerequisites.md, every cell asserted: CPU vendor × product
// kind × host build (both sides of each threshold) × VM configuration version. Expected values
// are written out by hand, one letter per column, so the test does not re-derive the rules.
#include <array>
#include <string>

#include "catch.h"
#include "findings_support.h"
#include "nestvirt/core/findings.h"

using namespace nestvirt::core;
using nestvirt::core::testing::by_id;
using nestvirt::core::testing::good_host;
using nestvirt::core::testing::good_vm;

namespace {

constexpr std::array<int, 12> kBuilds{10240, 10586, 14392, 14393, 17763, 19045,
                                      20347, 20348, 21999, 22000, 22631, 26100};
// The highest configuration version each build supports (Microsoft, "Upgrade virtual machine
// version in Hyper-V", docs/prerequisites.md Sources; the made-up builds 14392, 20347 and 21999
// take the value of the release before them).
const std::array<Version, 12> kHighest{
    Version{6, 2}, Version{6, 2},  Version{7, 1},  Version{8, 0},  Version{9, 0},  Version{9, 2},
    Version{9, 2}, Version{10, 0}, Version{10, 0}, Version{10, 0}, Version{11, 0}, Version{12, 0}};
const std::array<Version, 7> kVersions{Version{5, 0}, Version{8, 0},  Version{9, 0}, Version{9, 2},
                                       Version{9, 3}, Version{10, 0}, Version{12, 0}};

struct OsRow {
  CpuVendor vendor;
  ProductKind kind;
  const char* expected;  // per kBuilds: P pass, F fail, U unknown
};

// Builds:                                  10240 10586 14392 14393 17763 19045 20347 20348
//                                          21999 22000 22631 26100
const OsRow kOsRows[] = {
    {CpuVendor::Intel, ProductKind::Client, "FFFPPPPPPPPP"},
    {CpuVendor::Intel, ProductKind::Server, "FFFPPPPPPPPP"},
    {CpuVendor::Intel, ProductKind::Unknown, "FFFPPPPPPPPP"},
    {CpuVendor::Amd, ProductKind::Client, "FFFFFFFFFPPP"},   // Windows 11: 22000+
    {CpuVendor::Amd, ProductKind::Server, "FFFFFFFPPPPP"},   // Server 2022: 20348+
    {CpuVendor::Amd, ProductKind::Unknown, "FFFFFFFUUPPP"},  // 20348..21999: depends on kind
    // Unknown vendor: decided only where Intel and AMD agree.
    {CpuVendor::Unknown, ProductKind::Client, "FFFUUUUUUPPP"},
    {CpuVendor::Unknown, ProductKind::Server, "FFFUUUUPPPPP"},
    {CpuVendor::Unknown, ProductKind::Unknown, "FFFUUUUUUPPP"},
    {CpuVendor::Other, ProductKind::Client, "UUUUUUUUUUUU"},
    {CpuVendor::Other, ProductKind::Server, "UUUUUUUUUUUU"},
};

struct VersionRow {
  CpuVendor vendor;
  const char* expected;  // per kVersions 5.0 8.0 9.0 9.2 9.3 10.0 12.0
};

const VersionRow kVersionRows[] = {
    {CpuVendor::Intel, "FPPPPPP"},    // 8.0 or higher
    {CpuVendor::Amd, "FFFFPPP"},      // 9.3 or higher
    {CpuVendor::Unknown, "UUUUPPP"},  // 9.3+ meets both vendors
    {CpuVendor::Other, "UUUUUUU"},    // no version helps
};

Status status_of(char letter) {
  switch (letter) {
    case 'P':
      return Status::Pass;
    case 'F':
      return Status::Fail;
    default:
      return Status::Unknown;
  }
}

const char* version_row(CpuVendor vendor) {
  for (const VersionRow& row : kVersionRows) {
    if (row.vendor == vendor) return row.expected;
  }
  return nullptr;
}

}  // namespace

TEST_CASE("prerequisite matrix: vendor x kind x build x configuration version",
          "[findings][matrix]") {
  const OsRow row = GENERATE(from_range(std::begin(kOsRows), std::end(kOsRows)));
  const std::size_t b = GENERATE(range(std::size_t{0}, kBuilds.size()));
  const std::size_t v = GENERATE(range(std::size_t{0}, kVersions.size()));

  HostFacts host = good_host(row.vendor, row.kind, kBuilds[b]);
  host.supported_versions = {Version{5, 0}, kHighest[b]};
  host.default_version.reset();
  VmFacts vm = good_vm("lab");
  vm.version = kVersions[v];
  CAPTURE(host.cpu_manufacturer, kBuilds[b], kVersions[v].str());

  const auto host_findings = evaluate_host(host);
  const auto vm_findings = evaluate_vm(host, vm);
  const Finding& os = by_id(host_findings, "host.os-build");
  const Finding& config = by_id(vm_findings, "vm.config-version");

  const Status os_expected = status_of(row.expected[b]);
  const Status config_expected = status_of(version_row(row.vendor)[v]);
  CHECK(os.status == os_expected);
  CHECK(config.status == config_expected);
  CHECK(os.fix.empty() == (os_expected != Status::Fail));
  CHECK(config.fix.empty() == (config_expected != Status::Fail));

  // Nesting is possible exactly when vendor, OS and version all pass.
  const bool possible = os_expected == Status::Pass && config_expected == Status::Pass &&
                        (row.vendor == CpuVendor::Intel || row.vendor == CpuVendor::Amd);
  const Status overall = worst({by_id(host_findings, "host.cpu-vendor"), os, config});
  CHECK((overall == Status::Pass) == possible);

  if (config_expected != Status::Fail) return;
  const std::string needed = row.vendor == CpuVendor::Amd ? "9.3" : "8.0";
  CHECK(config.needed ==
        needed + (row.vendor == CpuVendor::Amd ? " or higher (AMD)" : " or higher (Intel)"));
  CHECK(config.seen == "version " + kVersions[v].str());
  const std::string highest = kHighest[b].str();
  if (kHighest[b] >= *Version::parse(needed)) {
    // nestvirt enable is offered only where it gets through: not while the host fails.
    const bool host_ok = worst(host_findings) != Status::Fail;
    CHECK(config.fix_command ==
          (host_ok ? "nestvirt enable --vm 'lab' --upgrade-version" : std::string()));
    CHECK(config.fix ==
          "With the VM turned off (not saved), run Hyper-V\\Update-VMVersion -VM (Hyper-V\\Get-VM "
          "-Id '3f2504e0-4f89-11d3-9a0c-0305e82c3301') -Force" +
              std::string(host_ok ? " (or nestvirt enable --vm 'lab' --upgrade-version, which "
                                    "does it)"
                                  : "") +
              ". This upgrades the VM to " + highest +
              ", the highest version this host supports; it is irreversible: the VM will no "
              "longer start on hosts that lack version " +
              highest + ".");
  } else {
    CHECK(config.fix ==
          "This host supports configuration versions up to " + highest +
              ", so it cannot run version " + needed +
              ": upgrade the host first (see host.os-build), then run "
              "Hyper-V\\Update-VMVersion -VM (Hyper-V\\Get-VM -Id "
              "'3f2504e0-4f89-11d3-9a0c-0305e82c3301') -Force, or recreate the VM on a host "
              "that supports " +
              needed + ".");
    CHECK(config.fix.find("--upgrade-version") == std::string::npos);
  }
}

TEST_CASE("named cases of the matrix", "[findings][matrix]") {
  SECTION("AMD Ryzen, Windows 10 22H2, VM 9.0: host cannot reach 9.3") {
    HostFacts host = good_host(CpuVendor::Amd, ProductKind::Client, 19045);
    host.supported_versions = {Version{8, 0}, Version{9, 0}, Version{9, 1}, Version{9, 2}};
    host.default_version = Version{9, 2};
    VmFacts vm = good_vm("lab");
    vm.version = Version{9, 0};
    CHECK(by_id(evaluate_host(host), "host.os-build").status == Status::Fail);
    const Finding f = by_id(evaluate_vm(host, vm), "vm.config-version");
    CHECK(f.status == Status::Fail);
    CHECK(f.fix.find("--upgrade-version") == std::string::npos);
    CHECK(f.fix.rfind("This host supports configuration versions up to 9.2, so it cannot run "
                      "version 9.3",
                      0) == 0);
  }
  SECTION("AMD EPYC, Windows Server 2022, VM 9.0: Update-VMVersion to 10.0") {
    HostFacts host = good_host(CpuVendor::Amd, ProductKind::Server, 20348);
    host.supported_versions = {Version{8, 0}, Version{9, 0}, Version{9, 3}, Version{10, 0}};
    host.default_version = Version{10, 0};
    VmFacts vm = good_vm("o'brien");
    vm.version = Version{9, 0};
    CHECK(by_id(evaluate_host(host), "host.os-build").status == Status::Pass);
    const Finding f = by_id(evaluate_vm(host, vm), "vm.config-version");
    CHECK(f.status == Status::Fail);
    CHECK(f.fix ==
          "With the VM turned off (not saved), run Hyper-V\\Update-VMVersion -VM (Hyper-V\\Get-VM "
          "-Id '3f2504e0-4f89-11d3-9a0c-0305e82c3301') -Force (or nestvirt "
          "enable --vm 'o''brien' --upgrade-version, which does it). This upgrades the VM to 10.0, "
          "the highest "
          "version this host supports; it is irreversible: the VM will no longer start on hosts "
          "that lack version 10.0.");
  }
  SECTION("versions compare as numbers: 10.0 meets AMD's 9.3") {
    HostFacts host = good_host(CpuVendor::Amd, ProductKind::Client, 22631);
    VmFacts vm = good_vm("lab");
    vm.version = Version::parse("10.0");
    CHECK(by_id(evaluate_vm(host, vm), "vm.config-version").status == Status::Pass);
  }
  SECTION("host versions unknown: the fix says how to find out") {
    HostFacts host = good_host(CpuVendor::Intel, ProductKind::Server, 17763);
    host.supported_versions.clear();
    host.default_version.reset();
    VmFacts vm = good_vm("lab");
    vm.version = Version{5, 0};
    const Finding f = by_id(evaluate_vm(host, vm), "vm.config-version");
    CHECK(f.status == Status::Fail);
    CHECK(f.fix ==
          "Run Get-VMHostSupportedVersion. If it lists 8.0 or higher, turn the VM off and run "
          "Hyper-V\\Update-VMVersion -VM (Hyper-V\\Get-VM -Id "
          "'3f2504e0-4f89-11d3-9a0c-0305e82c3301') -Force; this is "
          "irreversible. Otherwise the host cannot run version 8.0: upgrade the host first, or "
          "recreate the VM on a newer host.");
    // nestvirt enable --upgrade-version refuses while the host's versions are unknown.
    CHECK(f.fix_command.empty());
  }
  SECTION("unknown and other vendors say what each vendor needs") {
    HostFacts host = good_host(CpuVendor::Unknown, ProductKind::Client, 22631);
    VmFacts vm = good_vm("lab");
    vm.version = Version{9, 0};
    CHECK(by_id(evaluate_vm(host, vm), "vm.config-version").needed ==
          "8.0 or higher on Intel, 9.3 or higher on AMD (CPU vendor unknown)");
    host.cpu_manufacturer = "CentaurHauls";
    CHECK(by_id(evaluate_vm(host, vm), "vm.config-version").needed ==
          "none: no configuration version enables nested virtualization on this CPU (see "
          "host.cpu-vendor)");
  }
}
