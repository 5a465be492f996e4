// Interpretations of raw host facts (vendor string, ProductType, supported versions) kept in
// small functions so each mapping has its own tests.
#include "nestvirt/core/facts.h"

#include <string_view>

namespace nestvirt::core {

CpuVendor HostFacts::vendor() const {
  // Win32_Processor.Manufacturer is the CPUID vendor string; trim in case the probe padded it.
  std::string_view text = cpu_manufacturer;
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  if (text.empty()) return CpuVendor::Unknown;
  if (text == "GenuineIntel") return CpuVendor::Intel;
  if (text == "AuthenticAMD") return CpuVendor::Amd;
  return CpuVendor::Other;
}

ProductKind HostFacts::product_kind() const {
  if (!product_type) return ProductKind::Unknown;
  switch (*product_type) {
    case 1:
      return ProductKind::Client;
    case 2:  // a domain controller is a server edition too
    case 3:
      return ProductKind::Server;
    default:
      return ProductKind::Unknown;
  }
}

std::optional<Version> HostFacts::highest_supported_version() const {
  // The default version is one of the supported ones; counting it too keeps an answer when
  // only the default could be read.
  std::optional<Version> highest = default_version;
  for (const Version& version : supported_versions) {
    if (!highest || version > *highest) highest = version;
  }
  return highest;
}

}  // namespace nestvirt::core
