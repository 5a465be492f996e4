#include <cstdint>
#include <stdexcept>
#include <string>

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

// net_facts.ps1 writes [int]$a.PrefixLength: an integer 0-32, or nothing. Anything else is not
// a reply nestvirt can read, reported as the std::runtime_error the commands catch (json's own
// type_error would end nestvirt), and never a length that prefix_of could not shift by.
int prefix_length(const json& a) {
  if (!a.is_object() || !a.contains("prefix_length") || a["prefix_length"].is_null()) return 0;
  const json& v = a["prefix_length"];
  if (v.is_number_integer() && v.get<std::int64_t>() >= 0 && v.get<std::int64_t>() <= 32) {
    return v.get<int>();
  }
  throw std::runtime_error("net facts: 'prefix_length' is not a prefix length (0-32): " +
                           v.dump(-1, ' ', false, json::error_handler_t::replace));
}

bool flag(const json& j, const char* key) {
  if (!j.contains(key) || j[key].is_null()) return false;
  if (!j[key].is_boolean())
    throw std::runtime_error(std::string("net facts: '") + key + "' is not a boolean");
  return j[key].get<bool>();
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
    net.addresses.push_back({text(a, "ip"), prefix_length(a), text(a, "interface_alias")});
  }
  net.host_adapter = text(reply, "host_adapter");
  net.host_adapter_present = flag(reply, "host_adapter_present");
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
