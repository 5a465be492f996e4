// Status helpers, the vendor's configuration version, and the quoting every fix relies on.
#include <string>
#include <utility>

#include "findings_detail.h"

namespace nestvirt::core {

std::string to_string(Status status) {
  switch (status) {
    case Status::Pass:
      return "pass";
    case Status::Warn:
      return "warn";
    case Status::Fail:
      return "fail";
    case Status::Unknown:
      return "unknown";
  }
  return "unknown";
}

Status worst(const std::vector<Finding>& findings) {
  // Unknown ranks above Warn: a check that could not be made may hide a failure.
  auto rank = [](Status status) {
    switch (status) {
      case Status::Pass:
        return 0;
      case Status::Warn:
        return 1;
      case Status::Unknown:
        return 2;
      case Status::Fail:
        return 3;
    }
    return 2;
  };
  Status result = Status::Pass;
  for (const Finding& finding : findings) {
    if (rank(finding.status) > rank(result)) result = finding.status;
  }
  return result;
}

std::optional<Version> required_version(CpuVendor vendor) {
  // enable-nested-virtualization.md: Intel 8.0 or higher; AMD 9.3 or higher (lowered from 10.0
  // in July 2023).
  switch (vendor) {
    case CpuVendor::Intel:
      return Version{8, 0};
    case CpuVendor::Amd:
      return Version{9, 3};
    case CpuVendor::Other:
    case CpuVendor::Unknown:
      break;
  }
  return std::nullopt;
}

std::string ps_quote(std::string_view text) {
  // U+2018..U+201B in UTF-8 are E2 80 98..9B; PowerShell treats each as a single quote, and
  // escapes any of them by writing it twice.
  std::string out = "'";
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\'') {
      out += "''";
      continue;
    }
    if (text.substr(i, 2) == "\xE2\x80" && i + 2 < text.size()) {
      const auto third = static_cast<unsigned char>(text[i + 2]);
      if (third >= 0x98 && third <= 0x9B) {
        const std::string_view quote = text.substr(i, 3);
        out += quote;
        out += quote;
        i += 2;
        continue;
      }
    }
    out += text[i];
  }
  out += '\'';
  return out;
}

namespace detail {

Finding make_finding(std::string id, std::string title) {
  Finding finding;
  finding.id = std::move(id);
  finding.title = std::move(title);
  return finding;
}

std::string kind_word(ProductKind kind) {
  switch (kind) {
    case ProductKind::Client:
      return "client";
    case ProductKind::Server:
      return "server";
    case ProductKind::Unknown:
      break;
  }
  return "product type unknown";
}

std::string format_bytes(std::int64_t bytes) {
  constexpr std::int64_t kMiB = 1024 * 1024;
  constexpr std::int64_t kGiB = 1024 * kMiB;
  if (bytes > 0 && bytes % kGiB == 0) return std::to_string(bytes / kGiB) + " GiB";
  if (bytes > 0 && bytes % kMiB == 0) return std::to_string(bytes / kMiB) + " MiB";
  return std::to_string(bytes) + " bytes";
}

const std::string& vm_display_name(const VmFacts& vm) {
  return vm.name.empty() ? vm.requested_name : vm.name;
}

std::string vm_command(const VmFacts& vm, std::string_view cmdlet, std::string_view args) {
  std::string command = "Hyper-V\\" + std::string(cmdlet) +
                        (vm.id.empty() ? " -VMName " + ps_quote(vm_display_name(vm))
                                       : " -VM (Hyper-V\\Get-VM -Id " + ps_quote(vm.id) + ")");
  if (!args.empty()) command += " " + std::string(args);
  return command;
}

std::string vm_selector(const VmFacts& vm) {
  const std::string& name = vm_display_name(vm);
  const bool pattern = name.find_first_of("*?[]`") != std::string::npos;
  if (vm.id.empty() || (vm.name_unique && !pattern)) return ps_quote(name);
  return ps_quote(vm.id);
}

}  // namespace detail
}  // namespace nestvirt::core
