// Builders shared by the findings tests: a host or VM described in one line.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "nestvirt/core/findings.h"

namespace nestvirt::core::testing {

inline std::string manufacturer_of(CpuVendor vendor) {
  switch (vendor) {
    case CpuVendor::Intel:
      return "GenuineIntel";
    case CpuVendor::Amd:
      return "AuthenticAMD";
    case CpuVendor::Other:
      return "CentaurHauls";
    case CpuVendor::Unknown:
      break;
  }
  return "";
}

inline std::optional<int> product_type_of(ProductKind kind) {
  switch (kind) {
    case ProductKind::Client:
      return 1;
    case ProductKind::Server:
      return 3;
    case ProductKind::Unknown:
      break;
  }
  return std::nullopt;
}

// A host where everything but vendor, kind and build is fine.
inline HostFacts good_host(CpuVendor vendor = CpuVendor::Intel,
                           ProductKind kind = ProductKind::Client, int build = 22631) {
  HostFacts host;
  host.os_build = build;
  host.product_type = product_type_of(kind);
  host.cpu_manufacturer = manufacturer_of(vendor);
  host.hypervisor_present = true;
  host.hyperv_module_present = true;
  host.is_admin = true;
  host.hyperv_access = true;
  host.supported_versions = {Version{8, 0}, Version{9, 0}, Version{10, 0}, Version{11, 0}};
  host.default_version = Version{11, 0};
  return host;
}

// A VM that meets every prerequisite on any vendor.
inline VmFacts good_vm(std::string name = "lab") {
  VmFacts vm;
  vm.requested_name = name;
  vm.exists = true;
  vm.looked_up = true;
  vm.name = name;
  vm.id = "3f2504e0-4f89-11d3-9a0c-0305e82c3301";
  vm.state = "Off";
  vm.version = Version{10, 0};
  vm.version_text = "10.0";
  vm.generation = 2;
  vm.processor_count = 4;
  vm.memory_startup_bytes = std::int64_t{8} << 30;
  vm.dynamic_memory = false;
  vm.expose_virtualization_extensions = true;
  return vm;
}

inline const Finding& by_id(const std::vector<Finding>& findings, std::string_view id) {
  for (const Finding& finding : findings) {
    if (finding.id == id) return finding;
  }
  throw std::logic_error("no finding " + std::string(id));
}

}  // namespace nestvirt::core::testing
