// Helpers and host findings. VM findings: findings_vm_test.cpp; the full prerequisite
// matrix: findings_matrix_test.cpp.
#include "nestvirt/core/findings.h"

#include "catch.h"
#include "findings_support.h"

using namespace nestvirt::core;
using nestvirt::core::testing::by_id;
using nestvirt::core::testing::good_host;

TEST_CASE("to_string names each status", "[findings]") {
  CHECK(to_string(Status::Pass) == "pass");
  CHECK(to_string(Status::Warn) == "warn");
  CHECK(to_string(Status::Fail) == "fail");
  CHECK(to_string(Status::Unknown) == "unknown");
}

TEST_CASE("worst ranks Fail > Unknown > Warn > Pass", "[findings]") {
  const auto of = [](std::initializer_list<Status> statuses) {
    std::vector<Finding> findings;
    for (Status status : statuses)
      findings.push_back(Finding{"x", status, "", "", "", "", "", "", ""});
    return worst(findings);
  };
  CHECK(of({}) == Status::Pass);
  CHECK(of({Status::Pass, Status::Pass}) == Status::Pass);
  CHECK(of({Status::Pass, Status::Warn}) == Status::Warn);
  CHECK(of({Status::Warn, Status::Unknown, Status::Pass}) == Status::Unknown);
  CHECK(of({Status::Unknown, Status::Fail, Status::Warn}) == Status::Fail);
  CHECK(of({Status::Fail, Status::Pass}) == Status::Fail);
}

TEST_CASE("required_version: 8.0 Intel, 9.3 AMD, none otherwise", "[findings]") {
  CHECK(required_version(CpuVendor::Intel) == Version{8, 0});
  CHECK(required_version(CpuVendor::Amd) == Version{9, 3});
  CHECK_FALSE(required_version(CpuVendor::Other).has_value());
  CHECK_FALSE(required_version(CpuVendor::Unknown).has_value());
}

TEST_CASE("ps_quote writes PowerShell single-quoted literals", "[findings]") {
  CHECK(ps_quote("web") == "'web'");
  CHECK(ps_quote("") == "''");
  CHECK(ps_quote("it's") == "'it''s'");
  CHECK(ps_quote("''") == "''''''");
  // Nothing but quotes is special inside single quotes: $, backtick, ; and " stay as they are.
  CHECK(ps_quote("$(rm -r C:\\)`;\"x\"") == "'$(rm -r C:\\)`;\"x\"'");
  CHECK(ps_quote("a\nb") == "'a\nb'");
  CHECK(ps_quote("caf\xC3\xA9") == "'caf\xC3\xA9'");
  // PowerShell also closes a single-quoted string at U+2018..U+201B.
  CHECK(ps_quote("a\xE2\x80\x98"
                 "b") ==
        "'a\xE2\x80\x98\xE2\x80\x98"
        "b'");
  CHECK(ps_quote("a\xE2\x80\x99"
                 "b") ==
        "'a\xE2\x80\x99\xE2\x80\x99"
        "b'");
  CHECK(ps_quote("\xE2\x80\x9A\xE2\x80\x9B") ==
        "'\xE2\x80\x9A\xE2\x80\x9A\xE2\x80\x9B\xE2\x80\x9B'");
  // Neighbours of the quote range and a cut-off sequence pass through unchanged.
  CHECK(ps_quote("\xE2\x80\x97\xE2\x80\x9C") == "'\xE2\x80\x97\xE2\x80\x9C'");
  CHECK(ps_quote("x\xE2\x80") == "'x\xE2\x80'");
}

namespace {
struct NameRow {
  int build;
  ProductKind kind;
  const char* name;
};
}  // namespace

TEST_CASE("windows_release_name maps builds to releases", "[findings]") {
  const auto row = GENERATE(values<NameRow>({
      {10240, ProductKind::Client, "Windows 10 1507"},
      {10586, ProductKind::Unknown, "Windows 10 1511"},
      {14393, ProductKind::Client, "Windows 10 1607"},
      {14393, ProductKind::Server, "Windows Server 2016"},
      {14393, ProductKind::Unknown, "Windows 10 1607 / Windows Server 2016"},
      {17763, ProductKind::Client, "Windows 10 1809"},
      {17763, ProductKind::Server, "Windows Server 2019"},
      {17763, ProductKind::Unknown, "Windows 10 1809 / Windows Server 2019"},
      {19041, ProductKind::Client, "Windows 10 2004"},
      {19041, ProductKind::Server, "Windows Server, version 2004"},
      {19042, ProductKind::Client, "Windows 10 20H2"},
      {19043, ProductKind::Client, "Windows 10 21H1"},
      {19044, ProductKind::Client, "Windows 10 21H2"},
      {19045, ProductKind::Client, "Windows 10 22H2"},
      {19045, ProductKind::Server, "Windows 10 22H2"},  // no server has this build
      {20348, ProductKind::Server, "Windows Server 2022"},
      {20348, ProductKind::Client, "Windows Server 2022"},
      {22000, ProductKind::Client, "Windows 11 21H2"},
      {22621, ProductKind::Client, "Windows 11 22H2"},
      {22631, ProductKind::Unknown, "Windows 11 23H2"},
      {25398, ProductKind::Server, "Windows Server, version 23H2"},
      {26100, ProductKind::Client, "Windows 11 24H2"},
      {26100, ProductKind::Server, "Windows Server 2025"},
      {26100, ProductKind::Unknown, "Windows 11 24H2 / Windows Server 2025"},
      {14392, ProductKind::Client, "build 14392"},
      {20347, ProductKind::Server, "build 20347"},
      {21999, ProductKind::Client, "build 21999"},
      {26200, ProductKind::Client, "build 26200"},
      {0, ProductKind::Unknown, "build 0"},
      {-1, ProductKind::Unknown, "build -1"},
  }));
  CAPTURE(row.build);
  CHECK(windows_release_name(row.build, row.kind) == row.name);
}

TEST_CASE("HostFacts::vendor reads the CPUID vendor string", "[findings]") {
  HostFacts host;
  const auto vendor_of = [&host](const char* text) {
    host.cpu_manufacturer = text;
    return host.vendor();
  };
  CHECK(vendor_of("GenuineIntel") == CpuVendor::Intel);
  CHECK(vendor_of("AuthenticAMD") == CpuVendor::Amd);
  CHECK(vendor_of(" GenuineIntel ") == CpuVendor::Intel);
  CHECK(vendor_of("") == CpuVendor::Unknown);
  CHECK(vendor_of("   ") == CpuVendor::Unknown);
  CHECK(vendor_of("CentaurHauls") == CpuVendor::Other);
  CHECK(vendor_of("HygonGenuine") == CpuVendor::Other);
  CHECK(vendor_of("genuineintel") == CpuVendor::Other);  // CPUID strings are exact
  CHECK(vendor_of("Intel") == CpuVendor::Other);
}

TEST_CASE("HostFacts::product_kind reads ProductType", "[findings]") {
  HostFacts host;
  CHECK(host.product_kind() == ProductKind::Unknown);
  host.product_type = 1;
  CHECK(host.product_kind() == ProductKind::Client);
  host.product_type = 2;  // domain controller
  CHECK(host.product_kind() == ProductKind::Server);
  host.product_type = 3;
  CHECK(host.product_kind() == ProductKind::Server);
  host.product_type = 0;
  CHECK(host.product_kind() == ProductKind::Unknown);
  host.product_type = 4;
  CHECK(host.product_kind() == ProductKind::Unknown);
}

TEST_CASE("HostFacts::highest_supported_version compares as versions", "[findings]") {
  HostFacts host;
  CHECK_FALSE(host.highest_supported_version().has_value());
  host.supported_versions = {Version{9, 3}, Version{10, 0}, Version{8, 0}, Version{9, 0}};
  CHECK(host.highest_supported_version() == Version{10, 0});
  host.default_version = Version{10, 0};
  CHECK(host.highest_supported_version() == Version{10, 0});
  host.supported_versions.clear();
  CHECK(host.highest_supported_version() == Version{10, 0});
  host.supported_versions = {Version{12, 0}};
  host.default_version = Version{9, 0};
  CHECK(host.highest_supported_version() == Version{12, 0});
}

TEST_CASE("evaluate_host returns the host findings in a fixed order", "[findings]") {
  const auto findings = evaluate_host(good_host());
  REQUIRE(findings.size() == 6);
  CHECK(findings[0].id == "host.cpu-vendor");
  CHECK(findings[1].id == "host.os-build");
  CHECK(findings[2].id == "host.virtualization");
  CHECK(findings[3].id == "host.hypervisor");
  CHECK(findings[4].id == "host.hyperv-module");
  CHECK(findings[5].id == "host.permissions");
  for (const Finding& finding : findings) {
    CAPTURE(finding.id);
    CHECK(finding.status == Status::Pass);
    CHECK(finding.fix.empty());
    CHECK(finding.vm.empty());
    CHECK(finding.vm_id.empty());
    CHECK_FALSE(finding.title.empty());
    CHECK_FALSE(finding.needed.empty());
  }
  CHECK(worst(findings) == Status::Pass);
}

TEST_CASE("host.cpu-vendor", "[findings]") {
  HostFacts host = good_host();
  host.cpu_name = "Intel(R) Xeon(R) Gold 6338";
  CHECK(by_id(evaluate_host(host), "host.cpu-vendor").seen ==
        "GenuineIntel (Intel(R) Xeon(R) Gold 6338)");

  host.cpu_manufacturer = "AuthenticAMD";
  CHECK(by_id(evaluate_host(host), "host.cpu-vendor").status == Status::Pass);

  host.cpu_manufacturer = "CentaurHauls";
  host.cpu_name.clear();
  const Finding other = by_id(evaluate_host(host), "host.cpu-vendor");
  CHECK(other.status == Status::Fail);
  CHECK(other.seen == "CentaurHauls");
  CHECK(other.fix ==
        "Use another host: nested virtualization needs an Intel CPU with VT-x and EPT, or AMD "
        "EPYC/Ryzen. Hyper-V cannot expose virtualization extensions on this processor.");

  host.cpu_manufacturer.clear();
  const Finding unknown = by_id(evaluate_host(host), "host.cpu-vendor");
  CHECK(unknown.status == Status::Unknown);
  CHECK(unknown.seen == "CPU manufacturer not reported");
}
