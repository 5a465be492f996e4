// net-nat's steps: what each creates or removes, and the PowerShell it runs. The step script
// (src/powershell/scripts/nat_step.ps1) runs these same cmdlets with these parameters; the
// end-to-end test tests/e2e/commands_match_test.cpp fails when the two drift apart.
#include "step_builders.h"

namespace nestvirt::core::detail {

namespace {

// Adapters are found by Id: Hyper-V names every added adapter "Network Adapter".
std::string adapter_by_id(const VmRef& vm, const std::string& adapter_id) {
  return "Hyper-V\\Get-VMNetworkAdapter -VM " + vm_by_id(vm.id) + " | Where-Object { $_.Id -eq " +
         ps_quote(adapter_id) + " }";
}

}  // namespace

std::string wildcard_escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '[' || c == ']' || c == '*' || c == '?' || c == '`') out += '`';
    out += c;
  }
  return out;
}

Step new_switch_step(const std::string& name) {
  return make_step(StepKind::NewSwitch, "Create the internal switch " + ps_quote(name),
                   "no switch of that name exists", SwitchArgs{name, ""},
                   {"Hyper-V\\New-VMSwitch -Name " + ps_quote(name) + " -SwitchType Internal"});
}

Step remove_switch_step(const std::string& name, const std::string& id, const std::string& why) {
  // By id when it is known; a switch nestvirt just created but whose id never came back is
  // the only switch of its name (the plan saw none before).
  const std::string which = id.empty() ? "(@(Hyper-V\\Get-VMSwitch | Where-Object { $_.Name -eq " +
                                             ps_quote(name) + " }))[0]"
                                       : "(Hyper-V\\Get-VMSwitch -Id " + ps_quote(id) + ")";
  Step s =
      make_step(StepKind::RemoveSwitch, "Remove the internal switch " + ps_quote(name), why,
                SwitchArgs{name, id}, {"Hyper-V\\Remove-VMSwitch -VMSwitch " + which + " -Force"});
  // A switch created again would be another switch (a new id): removing one is final.
  s.reversible = false;
  return s;
}

std::string host_adapter_alias(const std::string& switch_name) {
  return "vEthernet (" + switch_name + ")";
}

Step new_address_step(const std::string& ip, int prefix_length, const std::string& switch_name,
                      const std::string& why) {
  const std::string alias = host_adapter_alias(switch_name);
  return make_step(StepKind::NewAddress, "Give " + ps_quote(alias) + " the gateway address " + ip,
                   why, AddressArgs{ip, prefix_length, switch_name, alias},
                   {"# wait until NetAdapter\\Get-NetAdapter lists " + ps_quote(alias) +
                        " (it can lag the switch)",
                    "NetTCPIP\\New-NetIPAddress -IPAddress " + ps_quote(ip) + " -PrefixLength " +
                        std::to_string(prefix_length) + " -InterfaceAlias " + ps_quote(alias)});
}

Step remove_address_step(const std::string& ip, int prefix_length, const std::string& switch_name,
                         const std::string& why) {
  const std::string alias = host_adapter_alias(switch_name);
  return make_step(
      StepKind::RemoveAddress, "Remove the gateway address " + ip + " from " + ps_quote(alias), why,
      AddressArgs{ip, prefix_length, switch_name, alias},
      {"NetTCPIP\\Get-NetIPAddress -AddressFamily IPv4 | Where-Object { $_.IPAddress -eq " +
       ps_quote(ip) + " -and $_.InterfaceAlias -ceq " + ps_quote(alias) +
       " } | NetTCPIP\\Remove-NetIPAddress -Confirm:$false"});
}

Step new_nat_step(const std::string& name, const std::string& prefix, const std::string& why) {
  return make_step(StepKind::NewNat, "Create the NAT " + ps_quote(name) + " for " + prefix, why,
                   NatArgs{name, prefix},
                   {"NetNat\\New-NetNat -Name " + ps_quote(name) +
                    " -InternalIPInterfaceAddressPrefix " + ps_quote(prefix)});
}

Step remove_nat_step(const std::string& name, const std::string& prefix, const std::string& why) {
  // Always with -Name: without it Remove-NetNat removes every NAT on the host. Escaped, since
  // -Name is a pattern ("Lab[1]" would not match itself).
  return make_step(
      StepKind::RemoveNat, "Remove the NAT " + ps_quote(name), why, NatArgs{name, prefix},
      {"NetNat\\Remove-NetNat -Name " + ps_quote(wildcard_escape(name)) + " -Confirm:$false"});
}

Step connect_step(const VmRef& vm, const std::string& adapter_id, const std::string& adapter_name,
                  const std::string& to_switch, const std::string& from_switch,
                  const std::string& why) {
  const bool disconnect = to_switch.empty();
  const std::string cmd =
      adapter_by_id(vm, adapter_id) +
      (disconnect ? " | Hyper-V\\Disconnect-VMNetworkAdapter"
                  : " | Hyper-V\\Connect-VMNetworkAdapter -VMSwitch (@(Hyper-V\\Get-VMSwitch | "
                    "Where-Object { $_.Name -eq " +
                        ps_quote(to_switch) + " })[0])");
  return make_step(
      disconnect ? StepKind::Disconnect : StepKind::Connect,
      (disconnect ? "Disconnect " : "Connect ") + ps_quote(vm.name) + " adapter " +
          ps_quote(adapter_name) +
          (disconnect ? " from " + ps_quote(from_switch) : " to " + ps_quote(to_switch)),
      why, ConnectArgs{vm, adapter_id, adapter_name, to_switch, from_switch}, {cmd});
}

}  // namespace nestvirt::core::detail
