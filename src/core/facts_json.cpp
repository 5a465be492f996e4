#include "nestvirt/core/facts_json.h"

#include <stdexcept>
#include <string>

namespace nestvirt::core {
namespace {

using nlohmann::json;

// Windows PowerShell 5.1 and 7 differ in small ways (a number may come as a string, an array
// of one as the object itself); these readers accept both and reject what is neither.

std::optional<bool> opt_bool(const json& j, const char* key) {
  if (!j.contains(key) || j.at(key).is_null()) return std::nullopt;
  const json& v = j.at(key);
  if (v.is_boolean()) return v.get<bool>();
  if (v.is_string()) {
    const auto& s = v.get_ref<const std::string&>();
    if (s == "True" || s == "true") return true;
    if (s == "False" || s == "false") return false;
  }
  throw std::runtime_error(std::string("facts: '") + key + "' is not a boolean");
}

std::optional<int64_t> opt_int(const json& j, const char* key) {
  if (!j.contains(key) || j.at(key).is_null()) return std::nullopt;
  const json& v = j.at(key);
  if (v.is_number_integer()) return v.get<int64_t>();
  if (v.is_string()) {
    try {
      std::size_t used = 0;
      const auto& s = v.get_ref<const std::string&>();
      long long n = std::stoll(s, &used);
      if (used == s.size()) return n;
    } catch (const std::exception&) {
    }
  }
  throw std::runtime_error(std::string("facts: '") + key + "' is not an integer");
}

std::string str(const json& j, const char* key) {
  if (!j.contains(key) || j.at(key).is_null()) return {};
  const json& v = j.at(key);
  if (v.is_string()) return v.get<std::string>();
  return v.dump();
}

const json& array_or_empty(const json& j, const char* key) {
  static const json empty = json::array();
  if (!j.contains(key) || j.at(key).is_null()) return empty;
  return j.at(key);
}

// 5.1's ConvertTo-Json writes a one-element array as the element itself in some shapes.
json as_array(const json& v) {
  if (v.is_array()) return v;
  if (v.is_null()) return json::array();
  return json::array({v});
}

HostFacts parse_host(const json& h) {
  HostFacts host;
  if (auto b = opt_int(h, "os_build")) host.os_build = static_cast<int>(*b);
  host.os_caption = str(h, "os_caption");
  if (auto p = opt_int(h, "product_type")) host.product_type = static_cast<int>(*p);
  host.cpu_manufacturer = str(h, "cpu_manufacturer");
  host.cpu_name = str(h, "cpu_name");
  host.vm_monitor_mode_extensions = opt_bool(h, "vm_monitor_mode_extensions");
  host.virtualization_firmware_enabled = opt_bool(h, "virtualization_firmware_enabled");
  host.slat = opt_bool(h, "slat");
  host.hypervisor_present = opt_bool(h, "hypervisor_present");
  host.hyperv_module_present = opt_bool(h, "hyperv_module_present").value_or(false);
  host.is_admin = opt_bool(h, "is_admin");
  host.is_hyperv_admin = opt_bool(h, "is_hyperv_admin");
  host.hyperv_access = opt_bool(h, "hyperv_access");
  host.hyperv_access_error = str(h, "hyperv_access_error");
  for (const auto& v : as_array(array_or_empty(h, "supported_versions"))) {
    if (!v.is_string()) throw std::runtime_error("facts: a supported version is not a string");
    if (auto parsed = Version::parse(v.get<std::string>()))
      host.supported_versions.push_back(*parsed);
  }
  if (auto d = str(h, "default_version"); !d.empty()) host.default_version = Version::parse(d);
  return host;
}

VmFacts parse_vm(const json& v, const std::string& requested) {
  VmFacts vm;
  vm.requested_name = requested;
  vm.exists = true;
  vm.looked_up = true;
  vm.name = str(v, "name");
  vm.id = str(v, "id");
  vm.state = str(v, "state");
  vm.version_text = str(v, "version");
  vm.version = Version::parse(vm.version_text);
  if (auto g = opt_int(v, "generation")) vm.generation = static_cast<int>(*g);
  vm.processor_count = opt_int(v, "processor_count");
  vm.memory_startup_bytes = opt_int(v, "memory_startup_bytes");
  vm.dynamic_memory = opt_bool(v, "dynamic_memory");
  vm.expose_virtualization_extensions = opt_bool(v, "expose_virtualization_extensions");
  for (const auto& a : as_array(array_or_empty(v, "adapters"))) {
    vm.adapters.push_back(
        {str(a, "name"), str(a, "switch_name"), str(a, "mac_address_spoofing"), str(a, "id")});
  }
  return vm;
}

}  // namespace

Facts parse_facts(const json& reply) {
  if (!reply.is_object() || !reply.contains("host") || !reply.at("host").is_object()) {
    throw std::runtime_error("facts: the reply has no 'host' object");
  }
  Facts facts;
  facts.host = parse_host(reply.at("host"));
  for (const auto& e : as_array(array_or_empty(reply, "errors"))) {
    facts.probe_errors.push_back({str(e, "probe"), str(e, "message"), str(e, "fqid")});
  }
  const bool checked = opt_bool(reply, "hyperv_checked").value_or(false);
  for (const auto& entry : as_array(array_or_empty(reply, "vms"))) {
    const std::string requested = str(entry, "requested");
    const json matches = as_array(array_or_empty(entry, "matches"));
    if (matches.empty()) {
      VmFacts missing;
      missing.requested_name = requested;
      missing.looked_up = checked;
      if (entry.contains("error") && entry.at("error").is_object()) {
        missing.lookup_error = str(entry.at("error"), "message");
      }
      facts.vms.push_back(std::move(missing));
      continue;
    }
    for (const auto& m : matches) facts.vms.push_back(parse_vm(m, requested));
  }
  return facts;
}

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

}  // namespace nestvirt::core
