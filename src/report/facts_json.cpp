#include "nestvirt/report/facts_json.h"

#include <string>

#include "nestvirt/report/findings_json.h"

namespace nestvirt::report {

using core::CpuVendor;
using core::Finding;
using core::HostFacts;
using core::ProbeError;
using core::ProductKind;
using core::VmFacts;
using nlohmann::json;

namespace {
template <typename T>
json opt(const std::optional<T>& v) {
  return v ? json(*v) : json(nullptr);
}
}  // namespace

json host_to_json(const HostFacts& host) {
  json versions = json::array();
  for (const auto& v : host.supported_versions) versions.push_back(v.str());
  const char* kind = host.product_kind() == ProductKind::Client   ? "client"
                     : host.product_kind() == ProductKind::Server ? "server"
                                                                  : nullptr;
  const char* vendor = host.vendor() == CpuVendor::Intel   ? "intel"
                       : host.vendor() == CpuVendor::Amd   ? "amd"
                       : host.vendor() == CpuVendor::Other ? "other"
                                                           : nullptr;
  return {
      {"os_build", opt(host.os_build)},
      {"os_caption", host.os_caption},
      {"product_type", opt(host.product_type)},
      {"product_kind", kind ? json(kind) : json(nullptr)},
      {"cpu_manufacturer", host.cpu_manufacturer},
      {"cpu_vendor", vendor ? json(vendor) : json(nullptr)},
      {"cpu_name", host.cpu_name},
      {"vm_monitor_mode_extensions", opt(host.vm_monitor_mode_extensions)},
      {"virtualization_firmware_enabled", opt(host.virtualization_firmware_enabled)},
      {"slat", opt(host.slat)},
      {"hypervisor_present", opt(host.hypervisor_present)},
      {"hyperv_module_present", host.hyperv_module_present},
      {"is_admin", opt(host.is_admin)},
      {"is_hyperv_admin", opt(host.is_hyperv_admin)},
      {"hyperv_access", opt(host.hyperv_access)},
      {"hyperv_access_error",
       host.hyperv_access_error.empty() ? json(nullptr) : json(host.hyperv_access_error)},
      {"supported_versions", versions},
      {"default_version", host.default_version ? json(host.default_version->str()) : json(nullptr)},
  };
}

json vm_to_json(const VmFacts& vm) {
  json adapters = json::array();
  for (const auto& a : vm.adapters) {
    adapters.push_back({{"name", a.name},
                        {"switch", a.switch_name.empty() ? json(nullptr) : json(a.switch_name)},
                        {"mac_address_spoofing", a.mac_address_spoofing}});
  }
  if (!vm.exists) {
    return {{"requested", vm.requested_name},
            {"exists", vm.looked_up ? json(false) : json(nullptr)},
            {"lookup_error", vm.lookup_error.empty() ? json(nullptr) : json(vm.lookup_error)}};
  }
  return {
      {"requested", vm.requested_name},
      {"exists", true},
      {"name", vm.name},
      {"id", vm.id},
      {"state", vm.state},
      {"configuration_version", vm.version_text},
      {"generation", opt(vm.generation)},
      {"processor_count", opt(vm.processor_count)},
      {"memory_startup_bytes", opt(vm.memory_startup_bytes)},
      {"dynamic_memory", opt(vm.dynamic_memory)},
      {"expose_virtualization_extensions", opt(vm.expose_virtualization_extensions)},
      {"adapters", adapters},
  };
}

json findings_to_json(const std::vector<Finding>& findings) {
  json out = json::array();
  for (const auto& f : findings) {
    out.push_back({{"id", f.id},
                   {"status", to_string(f.status)},
                   {"vm", f.vm.empty() ? json(nullptr) : json(f.vm)},
                   {"vm_id", f.vm_id.empty() ? json(nullptr) : json(f.vm_id)},
                   {"title", f.title},
                   {"seen", f.seen},
                   {"needed", f.needed},
                   {"fix", f.fix.empty() ? json(nullptr) : json(f.fix)},
                   {"fix_command", f.fix_command.empty() ? json(nullptr) : json(f.fix_command)}});
  }
  return out;
}

json probe_errors_to_json(const std::vector<ProbeError>& errors) {
  json out = json::array();
  for (const auto& e : errors) {
    out.push_back(
        {{"probe", e.probe}, {"message", e.message}, {"fqid", e.fully_qualified_error_id}});
  }
  return out;
}

}  // namespace nestvirt::report
