// net-nat guest, before anything inside the guest changes: an address only works when the
// host has a NAT for it, the host's own address in that NAT is the gateway, and the VM is
// plugged into the switch whose host adapter carries that address. Without these checks the
// command would report success for a nested VM that cannot reach anything. Pure.
#include "guest_nat_checks.h"

#include "nestvirt/core/findings.h"
#include "nestvirt/core/nat_plan.h"
#include "step_builders.h"

namespace nestvirt::core::detail {

namespace {

// The switch nestvirt's docs and examples use when the host has no NAT yet.
constexpr const char* kDefaultNatSwitch = "NestedNAT";

GuestProblem refusal(std::string kind, std::string title, std::string seen, std::string needed,
                     std::string fix, std::string fix_command = "") {
  GuestProblem p;
  p.kind = std::move(kind);
  // The text report's one message: title, what was seen and what is needed, in order; the
  // finding (refusals[]) keeps the three apart.
  p.message = title + ": " + seen + "; needed: " + needed;
  p.title = std::move(title);
  p.seen = std::move(seen);
  p.needed = std::move(needed);
  p.fix = std::move(fix);
  p.fix_command = std::move(fix_command);
  return p;
}

// --connect-vm takes the name unless the name is a pattern; then the id, which it accepts too.
std::string vm_arg(const GuestVm& vm) {
  return vm.name.find_first_of("*?[]`") == std::string::npos ? vm.name : vm.id;
}

std::string listed(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
  return out;
}

std::string adapters_of(const GuestVm& vm) {
  std::vector<std::string> out;
  for (const auto& a : vm.adapters) {
    out.push_back(ps_quote(a.name) +
                  (a.switch_name.empty() ? " not connected" : " on " + ps_quote(a.switch_name)));
  }
  return out.empty() ? "none" : listed(out);
}

// net-nat for the NAT that is there, connecting this VM: what makes the VM reach it.
NatRequest connect_request(const HostNat& nat, const GuestVm& vm, std::string switch_name,
                           Ipv4 gateway) {
  NatRequest n;
  n.switch_name = std::move(switch_name);
  n.nat_name = nat.name;
  n.prefix = *nat.prefix;
  n.gateway = gateway;
  n.connect_vms = {vm_arg(vm)};
  return n;
}

std::optional<GuestProblem> no_nat(const GuestRequest& r, const GuestVm& vm, const HostNat& nat) {
  const std::string seen =
      "no NAT on this host has " + r.ip.str() + " in its prefix" +
      (nat.others.empty() ? " (it has no NAT)" : " (its NATs: " + listed(nat.others) + ")");
  const std::string needed = "a NAT for " + r.prefix.str() + " on this host (the L1 VM)";
  if (nat.others.empty()) {
    NatRequest n;
    n.switch_name = kDefaultNatSwitch;
    n.nat_name = kDefaultNatSwitch;
    n.prefix = r.prefix;
    n.gateway = r.gateway;
    n.connect_vms = {vm_arg(vm)};
    const std::string command = net_nat_command(n);
    return refusal(
        "guest.no-host-nat", "No NAT for this address", seen, needed,
        "Create the NAT and connect the VM to its switch: " + command + ", then run this again.",
        command);
  }
  return refusal("guest.no-host-nat", "No NAT for this address", seen, needed,
                 "WinNAT has one NAT per host: give the nested VM an address in the NAT that is "
                 "there (--ip, and --prefix or none), or remove that NAT first if nothing else "
                 "uses it (NetNat\\Remove-NetNat).");
}

}  // namespace

std::optional<GuestProblem> host_nat_problem(const GuestRequest& r, const GuestVm& vm,
                                             const HostNat& nat) {
  if (nat.unreadable) {
    return refusal(
        "guest.host-unreadable", "Host network could not be read", nat.error,
        "the host's NATs, addresses and switches, to check that " + r.ip.str() + " can work",
        "Run nestvirt from an elevated PowerShell (Run as administrator): NetNat and "
        "NetTCPIP need it even for members of Hyper-V Administrators.");
  }
  if (!nat.prefix) return no_nat(r, vm, nat);
  const Prefix& prefix = *nat.prefix;
  const std::string which = "NAT " + ps_quote(nat.name) + " (" + prefix.str() + ")";
  if (r.prefix != prefix) {
    GuestRequest fixed = r;
    fixed.prefix = prefix;
    if (r.gateway_source != "option" || !prefix.contains(r.gateway)) {
      fixed.gateway = nat.gateway.value_or(prefix.first_host());
      fixed.gateway_source = "host-nat";
    }
    const std::string command = net_nat_guest_command(fixed);
    return refusal("guest.prefix-not-host-nat", "Prefix is not the host's NAT",
                   "--prefix " + r.prefix.str() + ", but " + r.ip.str() + " belongs to " + which,
                   "--prefix equal to the prefix of the host's NAT",
                   "Use the NAT's prefix: " + command + ".", command);
  }
  if (!nat.gateway) {
    const std::string command =
        net_nat_command(connect_request(nat, vm, kDefaultNatSwitch, r.gateway));
    return refusal("guest.nat-no-gateway", "NAT has no gateway on this host",
                   which + " has no single address of this host in it",
                   "the host's own address in " + prefix.str() +
                       ", on the switch the nested VMs use: that is their gateway",
                   "Give it one on a switch and connect the VM: " + command + ".", command);
  }
  if (r.gateway != *nat.gateway) {
    GuestRequest fixed = r;
    fixed.gateway = *nat.gateway;
    fixed.gateway_source = "host-nat";
    const std::string command = net_nat_guest_command(fixed);
    return refusal("guest.gateway-not-host", "Gateway is not the host's address",
                   "--gateway " + r.gateway.str() + ", but the host's address in " + which +
                       " is " + nat.gateway->str(),
                   "the host's address in the NAT as the gateway: the host routes for the NAT",
                   "Leave --gateway out (it is taken from the host): " + command + ".", command);
  }
  if (nat.switch_name.empty()) {
    return refusal(
        "guest.nat-switch", "NAT's gateway is on no internal switch",
        "the host's address " + nat.gateway->str() + " in " + which + " is on " +
            ps_quote(nat.gateway_alias),
        "the gateway on an internal switch's host adapter (vEthernet (<switch>)), so VMs on that "
        "switch reach it",
        "Check the NAT's setup (Get-NetNat; Get-NetIPAddress -IPAddress " +
            ps_quote(nat.gateway->str()) +
            "); net-nat creates it that way: nestvirt net-nat --switch <name> --prefix " +
            prefix.str() + ".");
  }
  for (const auto& a : vm.adapters) {
    if (a.switch_name == nat.switch_name) return std::nullopt;
  }
  const std::string seen = ps_quote(vm.name) + " has no network adapter on " +
                           ps_quote(nat.switch_name) + " (its adapters: " + adapters_of(vm) + ")";
  const std::string needed =
      "a network adapter of the VM on " + ps_quote(nat.switch_name) + ", the switch of " + which;
  if (vm.adapters.empty()) {
    return refusal("guest.adapter-switch", "VM is not on the NAT's switch", seen, needed,
                   "Add one on that switch: Hyper-V\\Add-VMNetworkAdapter -VM " + vm_by_id(vm.id) +
                       " -SwitchName " + ps_quote(nat.switch_name) + ", then run this again.");
  }
  const std::string command =
      net_nat_command(connect_request(nat, vm, nat.switch_name, *nat.gateway));
  return refusal("guest.adapter-switch", "VM is not on the NAT's switch", seen, needed,
                 "Connect it (every adapter of the VM; --adapter picks one): " + command +
                     ", then run this again.",
                 command);
}

}  // namespace nestvirt::core::detail
