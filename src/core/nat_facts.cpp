#include <stdexcept>

#include "nestvirt/core/nat_plan.h"

namespace nestvirt::core {

namespace {
using nlohmann::json;

std::string text(const json& j, const char* key) {
  return j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : std::string();
}

// Windows PowerShell 5.1 may write a one-element array as the element itself.
json list(const json& j, const char* key) {
  if (!j.contains(key) || j[key].is_null()) return json::array();
  return j[key].is_array() ? j[key] : json::array({j[key]});
}
}  // namespace

NetFacts parse_net_facts(const json& reply) {
  if (!reply.is_object()) throw std::runtime_error("net facts: the reply is not an object");
  NetFacts net;
  for (const auto& s : list(reply, "switches")) {
    net.switches.push_back({text(s, "name"), text(s, "id"), text(s, "switch_type")});
  }
  for (const auto& n : list(reply, "nats")) {
    net.nats.push_back({text(n, "name"), text(n, "internal_prefix")});
  }
  for (const auto& a : list(reply, "addresses")) {
    net.addresses.push_back(
        {text(a, "ip"), a.value("prefix_length", 0), text(a, "interface_alias")});
  }
  net.host_adapter = text(reply, "host_adapter");
  net.host_adapter_present = reply.value("host_adapter_present", false);
  for (const auto& c : list(reply, "connected")) {
    net.connected.push_back(
        {text(c, "vm_name"), text(c, "vm_id"), text(c, "adapter"), text(c, "adapter_id")});
  }
  for (const auto& e : list(reply, "errors")) {
    net.errors.push_back({text(e, "probe"), text(e, "message"), text(e, "fqid")});
  }
  return net;
}

}  // namespace nestvirt::core
