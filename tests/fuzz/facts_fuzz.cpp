// The facts readers, core::parse_facts (facts.ps1's reply) and core::parse_net_facts
// (net_facts.ps1's), on any JSON document: the properties of support/facts_properties.h.
// Input: JSON text, mutated structurally (support/json_mutator.h) with the keys the readers
// look for; text that is not JSON is dropped here (that is the reply decoder's business).
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "support/facts_properties.h"
#include "support/json_mutator.h"

namespace {

const std::vector<std::string_view> kKeys = {
    // facts.ps1
    "host", "vms", "errors", "hyperv_checked", "os_build", "os_caption", "product_type",
    "cpu_manufacturer", "cpu_name", "vm_monitor_mode_extensions", "virtualization_firmware_enabled",
    "slat", "hypervisor_present", "hyperv_module_present", "is_admin", "is_hyperv_admin",
    "hyperv_access", "hyperv_access_error", "supported_versions", "default_version", "requested",
    "matches", "error", "name", "id", "state", "version", "generation", "processor_count",
    "memory_startup_bytes", "dynamic_memory", "expose_virtualization_extensions", "adapters",
    "switch_name", "mac_address_spoofing", "probe", "message", "fqid",
    // net_facts.ps1
    "switches", "switch_type", "nats", "internal_prefix", "addresses", "ip", "prefix_length",
    "interface_alias", "host_adapter", "host_adapter_present", "connected", "vm_name", "vm_id",
    "adapter", "adapter_id"};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const nlohmann::json doc = nlohmann::json::parse(data, data + size, nullptr, false);
  if (doc.is_discarded()) return -1;  // not JSON: not worth keeping in the corpus
  fuzz::check_facts_document(doc);
  return 0;
}

extern "C" std::size_t LLVMFuzzerCustomMutator(std::uint8_t* data, std::size_t size,
                                               std::size_t max_size, unsigned int seed) {
  return fuzz::mutate_json(data, size, max_size, seed, kKeys);
}
