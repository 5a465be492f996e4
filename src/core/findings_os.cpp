// host.os-build: the Windows release the CPU vendor needs (enable-nested-virtualization.md,
// with the build thresholds derived in docs/prerequisites.md). AMD needs ProductType and build
// together: Windows Server 2022 (20348) is older than Windows 11 (22000).
#include <string>

#include "findings_detail.h"

namespace nestvirt::core::detail {
namespace {

constexpr int kIntelMinBuild = 14393;      // first build with configuration version 8.0
constexpr int kAmdServerMinBuild = 20348;  // Windows Server 2022
constexpr int kAmdClientMinBuild = 22000;  // Windows 11 21H2

// Whether a build meets the vendor's minimum; nullopt when the answer depends on facts that
// are missing (AMD with an unknown ProductType between Server 2022 and Windows 11).
std::optional<bool> build_ok(CpuVendor vendor, ProductKind kind, int build) {
  if (vendor == CpuVendor::Intel) return build >= kIntelMinBuild;
  if (vendor == CpuVendor::Amd) {
    if (kind == ProductKind::Server) return build >= kAmdServerMinBuild;
    if (kind == ProductKind::Client) return build >= kAmdClientMinBuild;
    if (build >= kAmdClientMinBuild) return true;
    if (build < kAmdServerMinBuild) return false;
    return std::nullopt;
  }
  if (vendor == CpuVendor::Unknown) {
    // Decided only where Intel and AMD agree (the AMD minimum is never below Intel's).
    const auto intel = build_ok(CpuVendor::Intel, kind, build);
    const auto amd = build_ok(CpuVendor::Amd, kind, build);
    if (intel && amd && *intel == *amd) return intel;
  }
  return std::nullopt;
}

std::string intel_needed() {
  return "build 14393 or later: Windows 10 1607 / Windows Server 2016 or newer. Microsoft's page "
         "says \"Windows 10 or later\", but configuration version 8.0, which nested "
         "virtualization needs on Intel, exists only from build 14393 on";
}

std::string amd_needed(ProductKind kind) {
  switch (kind) {
    case ProductKind::Server:
      return "Windows Server 2022 or later (build 20348+)";
    case ProductKind::Client:
      return "Windows 11 or later (build 22000+); no Windows 10 release supports configuration "
             "version 9.3";
    case ProductKind::Unknown:
      break;
  }
  return "Windows Server 2022 or later (build 20348+) or Windows 11 or later (build 22000+)";
}

std::string os_needed(CpuVendor vendor, ProductKind kind) {
  switch (vendor) {
    case CpuVendor::Intel:
      return intel_needed();
    case CpuVendor::Amd:
      return amd_needed(kind);
    case CpuVendor::Other:
      return "none: no Windows release runs nested virtualization on this CPU (see "
             "host.cpu-vendor)";
    case CpuVendor::Unknown:
      break;
  }
  return "on Intel, " + intel_needed() + "; on AMD, " + amd_needed(kind);
}

std::string os_fix(CpuVendor vendor, ProductKind kind) {
  if (vendor == CpuVendor::Intel) {
    if (kind == ProductKind::Client) return "Upgrade the host to Windows 10 1607 or later.";
    if (kind == ProductKind::Server) return "Upgrade the host to Windows Server 2016 or later.";
    return "Upgrade the host to Windows 10 1607 / Windows Server 2016 or later.";
  }
  if (vendor == CpuVendor::Amd) {
    if (kind == ProductKind::Server) return "Upgrade the host to Windows Server 2022 or later.";
    if (kind == ProductKind::Client)
      return "Upgrade the host to Windows 11 or later. No Windows 10 release can run nested "
             "virtualization on AMD: configuration version 9.3 exists only on Windows 11 and "
             "Windows Server 2022 or later.";
    return "Upgrade the host to Windows 11 or Windows Server 2022, or later.";
  }
  return "Upgrade the host OS: Windows 10 1607 / Windows Server 2016 or later on Intel, Windows 11 "
         "/ Windows Server 2022 or later on AMD.";
}

}  // namespace

Finding os_build(const HostFacts& host) {
  Finding f = make_finding("host.os-build", "Host OS build");
  const CpuVendor vendor = host.vendor();
  const ProductKind kind = host.product_kind();
  f.needed = os_needed(vendor, kind);
  if (!host.os_build) {
    f.seen = "build unknown, " + kind_word(kind);
    f.status = Status::Unknown;
    f.fix =
        "Check by hand: Get-CimInstance Win32_OperatingSystem | Select-Object Caption, "
        "BuildNumber, ProductType";
    return f;
  }
  const int build = *host.os_build;
  const std::string name = windows_release_name(build, kind);
  f.seen = "build " + std::to_string(build);
  if (name != f.seen) f.seen += " (" + name + ")";
  f.seen += ", " + kind_word(kind);
  const auto ok = build_ok(vendor, kind, build);
  if (!ok) {
    f.status = Status::Unknown;
  } else if (*ok) {
    f.status = Status::Pass;
  } else {
    f.status = Status::Fail;
    f.fix = os_fix(vendor, kind);
  }
  return f;
}

}  // namespace nestvirt::core::detail
