// net-nat guest's steps: each runs inside the nested VM, on one adapter chosen by interface
// index (an alias may hold wildcard characters). guest_step.ps1 runs these same cmdlets with
// these parameters through PowerShell Direct; --print writes them for an admin, with the index
// in $ifIndex.
#include "step_builders.h"

namespace nestvirt::core::detail {

namespace {

std::string index_of(const GuestArgs& a) {
  return a.if_index > 0 ? std::to_string(a.if_index) : "$ifIndex";
}

std::string quoted_list(const std::vector<std::string>& values) {
  std::string out;
  for (const auto& v : values) out += (out.empty() ? "" : ",") + ps_quote(v);
  return out;
}

std::string default_route(const GuestArgs& a) {
  return "-InterfaceIndex " + index_of(a) + " -DestinationPrefix '0.0.0.0/0' -NextHop " +
         ps_quote(a.gateway);
}

}  // namespace

Step guest_add_address_step(const GuestArgs& a, const std::string& why) {
  std::string cmd = "NetTCPIP\\New-NetIPAddress -InterfaceIndex " + index_of(a) + " -IPAddress " +
                    ps_quote(a.ip) + " -PrefixLength " + std::to_string(a.prefix_length);
  if (!a.gateway.empty()) cmd += " -DefaultGateway " + ps_quote(a.gateway);
  return make_step(StepKind::GuestAddAddress,
                   "Give the guest's adapter " + ps_quote(a.alias) + " the address " + a.ip + "/" +
                       std::to_string(a.prefix_length) +
                       (a.gateway.empty() ? "" : " and the default gateway " + a.gateway),
                   why, a, {cmd});
}

Step guest_add_gateway_step(const GuestArgs& a, const std::string& why) {
  return make_step(
      StepKind::GuestAddGateway,
      "Give the guest's adapter " + ps_quote(a.alias) + " the default gateway " + a.gateway, why, a,
      {"NetTCPIP\\New-NetRoute " + default_route(a)});
}

Step guest_set_dns_step(const GuestArgs& a, const std::string& why) {
  std::string servers;
  for (const auto& d : a.dns) servers += (servers.empty() ? "" : ", ") + d;
  const std::string cmd =
      "DnsClient\\Set-DnsClientServerAddress -InterfaceIndex " + index_of(a) +
      (a.dns.empty() ? " -ResetServerAddresses" : " -ServerAddresses " + quoted_list(a.dns));
  return make_step(StepKind::GuestSetDns,
                   a.dns.empty()
                       ? "Reset the guest's DNS servers on " + ps_quote(a.alias)
                       : "Set the guest's DNS servers on " + ps_quote(a.alias) + " to " + servers,
                   why, a, {cmd});
}

Step guest_remove_address_step(const GuestArgs& a, const std::string& why) {
  std::vector<std::string> commands;
  if (!a.gateway.empty()) {
    commands.push_back("NetTCPIP\\Remove-NetRoute " + default_route(a) + " -Confirm:$false");
  }
  commands.push_back("NetTCPIP\\Remove-NetIPAddress -InterfaceIndex " + index_of(a) +
                     " -IPAddress " + ps_quote(a.ip) + " -Confirm:$false");
  if (a.restore_dhcp) {
    commands.push_back("NetTCPIP\\Set-NetIPInterface -InterfaceIndex " + index_of(a) +
                       " -AddressFamily IPv4 -Dhcp Enabled");
  }
  return make_step(StepKind::GuestRemoveAddress,
                   "Remove the address " + a.ip + " from the guest's adapter " + ps_quote(a.alias),
                   why, a, commands);
}

Step guest_remove_gateway_step(const GuestArgs& a, const std::string& why) {
  return make_step(
      StepKind::GuestRemoveGateway,
      "Remove the default gateway " + a.gateway + " from the guest's adapter " + ps_quote(a.alias),
      why, a, {"NetTCPIP\\Remove-NetRoute " + default_route(a) + " -Confirm:$false"});
}

}  // namespace nestvirt::core::detail
