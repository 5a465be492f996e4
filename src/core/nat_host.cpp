// Where an existing NAT lives on the host, and how to ask net-nat for it again: shared by the
// net-nat refusals that suggest reusing a NAT and by net-nat guest, which checks that a nested
// VM is on the NAT's switch. Pure.
#include <string_view>

#include "nestvirt/core/findings.h"
#include "nestvirt/core/nat_plan.h"

namespace nestvirt::core {

namespace {

// "vEthernet (X)" -> "X": the name Hyper-V gives an internal switch's host adapter. A renamed
// switch keeps the old adapter name, so the result is checked against the switches that exist.
std::string switch_of_alias(std::string_view alias) {
  constexpr std::string_view head = "vEthernet (";
  if (alias.size() <= head.size() + 1 || alias.substr(0, head.size()) != head ||
      alias.back() != ')') {
    return "";
  }
  return std::string(alias.substr(head.size(), alias.size() - head.size() - 1));
}

}  // namespace

NatHostSide nat_host_side(const NetFacts& net, const Prefix& nat_prefix) {
  NatHostSide side;
  int found = 0;
  for (const auto& a : net.addresses) {
    auto ip = Ipv4::parse(a.ip);
    if (!ip || !nat_prefix.contains(*ip)) continue;
    if (side.gateway && *side.gateway == *ip) continue;  // the same address listed twice
    ++found;
    side.gateway = ip;
    side.prefix_length = a.prefix_length;
    side.alias = a.interface_alias;
  }
  if (found != 1) return {};
  const std::string name = switch_of_alias(side.alias);
  for (const auto& s : net.all_switches) {
    if (!name.empty() && s.name == name) {
      side.switch_name = s.name;
      side.switch_type = s.switch_type;
    }
  }
  return side;
}

std::string net_nat_command(const NatRequest& r) {
  std::string out = "nestvirt net-nat";
  if (r.remove) out += " --remove";
  out += " --switch " + ps_quote(r.switch_name);
  if (!r.nat_name.empty() && r.nat_name != r.switch_name)
    out += " --nat-name " + ps_quote(r.nat_name);
  if (r.prefix.length != 0) {
    out += " --prefix " + r.prefix.str();
    if (r.gateway != r.prefix.first_host()) out += " --gateway " + r.gateway.str();
  }
  for (const auto& vm : r.connect_vms) out += " --connect-vm " + ps_quote(vm);
  if (!r.connect_vms.empty() && !r.adapter.empty()) out += " --adapter " + ps_quote(r.adapter);
  if (r.force) out += " --force";
  return out;
}

}  // namespace nestvirt::core
