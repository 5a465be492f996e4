// net-nat decisions: refuse every conflict before changing anything (WinNAT, Microsoft "Set up a
// NAT network": one WinNAT per host; a prefix must not overlap the host's own networks), then
// create only what is missing, in the order of Microsoft's setup-nat-network page: switch, gateway
// address, NAT.
#include "nestvirt/core/nat_plan.h"

#include "nestvirt/core/similar.h"
#include "step_builders.h"

namespace nestvirt::core {

namespace {

using detail::wildcard_escape;

// A read refused for want of elevation: CIM's "Access denied" (Windows error 5) or an
// UnauthorizedAccess / PermissionDenied error.
bool access_denied(const ProbeError& e) {
  auto has = [](const std::string& text, const char* part) {
    std::string lower;
    for (const char c : text) lower += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    return lower.find(part) != std::string::npos;
  };
  return has(e.message, "access denied") || has(e.message, "access is denied") ||
         has(e.fully_qualified_error_id, "windows system error 5,") ||
         has(e.fully_qualified_error_id, "accessdenied") ||
         has(e.fully_qualified_error_id, "unauthorizedaccess");
}

Finding refusal(std::string id, std::string title, std::string seen, std::string needed,
                std::string fix, std::string fix_command = "") {
  return {std::move(id),
          Status::Fail,
          "",
          "",
          std::move(title),
          std::move(seen),
          std::move(needed),
          std::move(fix),
          std::move(fix_command)};
}

std::string q(const std::string& s) {
  return ps_quote(s);
}

void host_refusals(const std::vector<Finding>& host_findings, NatPlan& plan) {
  for (const auto& f : host_findings) {
    if ((f.id == "host.hyperv-module" || f.id == "host.permissions") && f.status == Status::Fail) {
      plan.refusals.push_back(f);
    }
  }
}

// Duplicate or non-internal switches of that name: both commands refuse.
const SwitchFacts* the_switch(const NatRequest& r, const NetFacts& net, NatPlan& plan) {
  if (net.switches.size() > 1) {
    std::string ids;
    for (const auto& s : net.switches) ids += (ids.empty() ? "" : ", ") + s.id;
    plan.refusals.push_back(refusal(
        "net.switch-duplicate", "Several switches share the name",
        std::to_string(net.switches.size()) + " switches are named " + q(r.switch_name) + " (ids " +
            ids + ")",
        "exactly one switch of that name, so nestvirt knows which one is meant",
        "Rename or remove the extra ones (Rename-VMSwitch -VMSwitch (Get-VMSwitch -Id '<id>') "
        "-NewName '<name>'), or choose another --switch name."));
    return nullptr;
  }
  if (net.switches.empty()) return nullptr;
  const SwitchFacts& s = net.switches.front();
  if (s.switch_type != "Internal") {
    plan.refusals.push_back(refusal(
        "net.switch-type", "Switch is not internal", "switch " + q(s.name) + " is " + s.switch_type,
        "an Internal switch: the NAT routes between it and the host",
        "Choose another --switch name (nestvirt creates it as Internal); nestvirt never changes "
        "or removes a switch that is not internal."));
    return nullptr;
  }
  return &s;
}

// The NAT of that name has another prefix: keep it by asking for its prefix (and the gateway
// already on our switch's adapter, if one is there).
Finding nat_prefix_refusal(const NatRequest& r, const NetFacts& net, const NatFacts& n,
                           const std::string& remove) {
  std::string command;
  if (auto theirs = parse_prefix(n.internal_prefix).prefix) {
    const NatHostSide side = nat_host_side(net, *theirs);
    NatRequest keep = r;
    keep.prefix = *theirs;
    keep.gateway = theirs->first_host();
    const bool on_ours = side.gateway && side.alias == detail::host_adapter_alias(r.switch_name) &&
                         side.prefix_length == theirs->length;
    if (on_ours) keep.gateway = *side.gateway;
    if (on_ours || !side.gateway) command = net_nat_command(keep);
  }
  return refusal(
      "net.nat-prefix", "NAT exists with another prefix",
      "NAT " + q(n.name) + " exists for " + n.internal_prefix + ", not " + r.prefix.str(),
      "a NAT " + q(r.nat_name) + " for " + r.prefix.str(),
      (command.empty() ? "Use --prefix " + n.internal_prefix + " to keep it"
                       : "Keep it: " + command) +
          ", or remove it yourself first (" + remove + ") if nothing else uses it.",
      command);
}

Finding gateway_other_refusal(const NatRequest& r, const AddressFacts& a, Ipv4 existing) {
  const std::string have = a.ip + "/" + std::to_string(a.prefix_length);
  NatRequest keep = r;
  keep.gateway = existing;
  NatRequest removal;
  removal.switch_name = r.switch_name;
  removal.nat_name = r.nat_name;
  removal.remove = true;
  std::string command;
  if (a.prefix_length == r.prefix.length) command = net_nat_command(keep);
  return refusal("net.gateway-other", "Switch already has another gateway address",
                 q(a.interface_alias) + " already has " + have + " in " + r.prefix.str() +
                     ", not " + r.gateway.str(),
                 "one gateway address per NAT switch: the nested VMs use the one that is there",
                 (command.empty() ? "Use the existing gateway " + a.ip
                                  : "Keep the existing gateway: " + command) +
                     ". Or remove the NAT setup first (" + net_nat_command(removal) +
                     ") and run net-nat again with --gateway " + r.gateway.str() + ".",
                 command);
}

// WinNAT has one NAT per host, so the fix is to reuse the one there: on the switch that carries
// its gateway (asking for another switch would put a second copy of that gateway address on the
// new switch's adapter: net.gateway-in-use), with its gateway, and with what else was asked.
Finding other_nat_refusal(const NatRequest& r, const NetFacts& net, const NatFacts& n,
                          bool overlaps, const std::string& remove) {
  const std::string removal =
      "If nothing uses it (Docker, WSL and Windows containers create "
      "NATs too), remove it yourself: " +
      remove + ". nestvirt never removes a NAT it was not asked to.";
  std::string fix = removal;
  std::string command;
  if (auto theirs = parse_prefix(n.internal_prefix).prefix) {
    const NatHostSide side = nat_host_side(net, *theirs);
    NatRequest reuse = r;
    reuse.nat_name = n.name;
    reuse.prefix = *theirs;
    reuse.gateway = theirs->first_host();
    if (side.gateway && side.prefix_length == theirs->length && side.switch_type == "Internal") {
      reuse.switch_name = side.switch_name;
      reuse.gateway = *side.gateway;
      command = net_nat_command(reuse);
    } else if (!side.gateway) {  // no address in it yet: any switch of ours can carry one
      command = net_nat_command(reuse);
    }
    if (!command.empty()) fix = "Reuse it: " + command + ". Or, i" + removal.substr(1);
  }
  return refusal(overlaps ? "net.nat-overlap" : "net.nat-other",
                 overlaps ? "Another NAT overlaps the prefix" : "Another NAT exists (one per host)",
                 "NAT " + q(n.name) + " exists for " + n.internal_prefix +
                     (overlaps ? ", which overlaps " + r.prefix.str() : ""),
                 "no other NAT: WinNAT supports one NAT network per host", fix, command);
}

void plan_create(const NatRequest& r, const NetFacts& net, const std::vector<VmFacts>& vms,
                 NatPlan& plan) {
  const SwitchFacts* sw = the_switch(r, net, plan);
  if (!sw && net.host_adapter_present) {
    // Renamed switches keep their adapter's old name: an adapter called "vEthernet (<name>)"
    // without that switch belongs to another one, and the gateway must not land on it.
    plan.refusals.push_back(refusal(
        "net.adapter-name-taken", "Host adapter name already taken",
        "an adapter named " + q(net.host_adapter) + " exists, but no switch " + q(r.switch_name),
        "a free name for the new switch's host adapter",
        "Choose another --switch name, or rename that adapter (Rename-NetAdapter -Name " +
            q(net.host_adapter) + " -NewName '<name>')."));
  }
  const std::string alias = detail::host_adapter_alias(r.switch_name);
  const std::string gw = r.gateway.str();

  bool nat_present = false;
  for (const auto& n : net.nats) {
    auto theirs = parse_prefix(n.internal_prefix).prefix;
    const bool overlaps = theirs && theirs->overlaps(r.prefix);
    if (n.name == r.nat_name && theirs && *theirs == r.prefix) {
      nat_present = true;
      continue;
    }
    const std::string remove =
        "NetNat\\Remove-NetNat -Name " + q(wildcard_escape(n.name)) + " -Confirm:$false";
    if (n.name == r.nat_name) {
      plan.refusals.push_back(nat_prefix_refusal(r, net, n, remove));
      continue;
    }
    plan.refusals.push_back(other_nat_refusal(r, net, n, overlaps, remove));
  }

  bool gateway_present = false;
  for (const auto& a : net.addresses) {
    auto ip = Ipv4::parse(a.ip);
    if (!ip) continue;
    const bool ours = a.interface_alias == alias;
    if (*ip == r.gateway) {
      if (!ours) {
        plan.refusals.push_back(refusal(
            "net.gateway-in-use", "Gateway address already in use",
            gw + " is already on adapter " + q(a.interface_alias), gw + " free for " + q(alias),
            "Choose another --gateway inside " + r.prefix.str() +
                ", or remove it there: "
                "NetTCPIP\\Remove-NetIPAddress -IPAddress " +
                q(gw) + " -InterfaceAlias " + q(a.interface_alias) + " -Confirm:$false"));
      } else if (a.prefix_length != r.prefix.length) {
        plan.refusals.push_back(refusal(
            "net.gateway-prefix", "Gateway address has another prefix length",
            gw + "/" + std::to_string(a.prefix_length) + " is on " + q(alias),
            gw + "/" + std::to_string(r.prefix.length),
            "Remove it (NetTCPIP\\Remove-NetIPAddress -IPAddress " + q(gw) + " -InterfaceAlias " +
                q(alias) + " -Confirm:$false) and rerun, or use --prefix with length /" +
                std::to_string(a.prefix_length) + "."));
      } else {
        gateway_present = true;
      }
      continue;
    }
    if (ours && r.prefix.contains(*ip)) {
      // A rerun with another --gateway: a second gateway address on the same adapter would
      // leave the nested VMs with two candidate gateways and undo nothing of the first.
      plan.refusals.push_back(gateway_other_refusal(r, a, *ip));
      continue;
    }
    if (!ours && prefix_of(*ip, a.prefix_length).overlaps(r.prefix)) {
      plan.refusals.push_back(refusal(
          "net.prefix-overlap", "Prefix overlaps a host network",
          r.prefix.str() + " overlaps " + a.ip + "/" + std::to_string(a.prefix_length) +
              " on adapter " + q(a.interface_alias),
          "an internal prefix the host does not already use",
          "Choose a --prefix that does not overlap the host's networks, for example another "
          "192.168.x.0/24."));
    }
  }

  // --connect-vm targets.
  std::vector<Step> connects;
  for (const auto& vm : vms) {
    if (!vm.exists) {
      plan.refusals.push_back(refusal("vm.exists", "VM exists",
                                      "no VM named " + q(vm.requested_name) + " (--connect-vm)",
                                      "a VM of that name", "Check the name with Get-VM."));
      continue;
    }
    bool any = false;
    for (const auto& a : vm.adapters) {
      if (!r.adapter.empty() && a.name != r.adapter) continue;
      any = true;
      if (a.switch_name == r.switch_name) {
        plan.items.push_back(
            {"vm-adapter", vm.name + " / " + a.name, "present", "already connected"});
        continue;
      }
      plan.items.push_back({"vm-adapter", vm.name + " / " + a.name, "create",
                            a.switch_name.empty() ? "not connected" : "on " + q(a.switch_name)});
      connects.push_back(detail::connect_step(detail::ref_of(vm), a.id, a.name, r.switch_name,
                                              a.switch_name,
                                              "--connect-vm: the VM's nested guests reach the "
                                              "network through this switch"));
    }
    if (!any) {
      plan.refusals.push_back(
          refusal("vm.adapter", "No such network adapter",
                  q(vm.name) + " has no " +
                      (r.adapter.empty() ? "network adapter" : "adapter " + q(r.adapter)),
                  "a network adapter to connect",
                  "Hyper-V\\Add-VMNetworkAdapter -VM " + detail::vm_by_id(vm.id) + " -SwitchName " +
                      q(r.switch_name)));
    }
  }
  if (plan.refused()) return;

  plan.items.push_back({"switch", r.switch_name, sw ? "present" : "create",
                        sw ? "internal switch, id " + sw->id : "internal switch"});
  if (!sw) plan.steps.push_back(detail::new_switch_step(r.switch_name));
  plan.items.push_back({"gateway-address", gw + "/" + std::to_string(r.prefix.length),
                        gateway_present ? "present" : "create", "on " + q(alias)});
  if (!gateway_present) {
    plan.steps.push_back(detail::new_address_step(
        gw, r.prefix.length, r.switch_name, "the nested VMs send their traffic to this address"));
  }
  plan.items.push_back({"nat", r.nat_name, nat_present ? "present" : "create", r.prefix.str()});
  if (!nat_present) {
    plan.steps.push_back(detail::new_nat_step(
        r.nat_name, r.prefix.str(), "WinNAT translates the nested VMs' addresses to the host's"));
  }
  plan.steps.insert(plan.steps.end(), connects.begin(), connects.end());
}

// Each connected adapter, by VM id and adapter id: names repeat.
std::string disconnect_commands(const std::vector<ConnectedAdapter>& connected) {
  std::string out;
  for (const auto& c : connected) {
    out += (out.empty() ? "" : "; ") + std::string("Hyper-V\\Get-VMNetworkAdapter -VM ") +
           detail::vm_by_id(c.vm_id) + " | Where-Object { $_.Id -eq " + q(c.adapter_id) +
           " } | Hyper-V\\Disconnect-VMNetworkAdapter";
  }
  return out;
}

Finding remove_not_found(const NatRequest& r, const NetFacts& net) {
  std::vector<std::string> names;
  for (const auto& s : net.all_switches) {
    if (s.switch_type == "Internal") names.push_back(s.name);  // net-nat removes only those
  }
  const auto close = closest_name(r.switch_name, names);
  std::string command;
  std::string fix =
      "Check the name: Hyper-V\\Get-VMSwitch -SwitchType Internal lists the "
      "switches, NetNat\\Get-NetNat the NATs.";
  if (close) {
    NatRequest meant = r;
    meant.switch_name = *close;
    if (r.nat_name == r.switch_name) meant.nat_name = *close;
    command = net_nat_command(meant);
    fix = "Did you mean " + q(*close) + "? " + command + ". Or: " + fix;
  }
  std::string seen = "no switch " + q(r.switch_name);
  if (r.nat_name != r.switch_name)
    seen += ", no NAT " + q(r.nat_name);
  else
    seen += ", no NAT";
  seen += " and no address on " + q(detail::host_adapter_alias(r.switch_name));
  return refusal("net.remove-not-found", "Nothing of that name to remove", seen,
                 "an existing net-nat setup (switch, NAT or gateway address) of that name", fix,
                 command);
}

void plan_remove(const NatRequest& r, const NetFacts& net, NatPlan& plan) {
  const SwitchFacts* sw = the_switch(r, net, plan);
  const std::string alias = detail::host_adapter_alias(r.switch_name);
  if (!net.connected.empty() && !r.force) {
    std::string who;
    for (const auto& c : net.connected)
      who += (who.empty() ? "" : ", ") + q(c.vm_name) + " (" + q(c.adapter) + ")";
    plan.refusals.push_back(
        refusal("net.switch-in-use", "VMs are still connected",
                "connected to " + q(r.switch_name) + ": " + who, "no VM adapter on the switch",
                "Rerun with --force to disconnect them first, or disconnect them yourself (" +
                    disconnect_commands(net.connected) + ")."));
  }
  if (plan.refused()) return;

  for (const auto& c : net.connected) {
    plan.steps.push_back(
        detail::connect_step({c.vm_id, c.vm_name}, c.adapter_id, c.adapter, "", r.switch_name,
                             "--force: the switch is removed, so its VMs are disconnected first"));
  }

  std::optional<Prefix> prefix;
  if (r.prefix.length != 0) prefix = r.prefix;
  bool nat_found = false;
  for (const auto& n : net.nats) {
    if (n.name != r.nat_name) continue;
    nat_found = true;
    if (!prefix) prefix = parse_prefix(n.internal_prefix).prefix;
    plan.items.push_back({"nat", n.name, "remove", n.internal_prefix});
    plan.steps.push_back(detail::remove_nat_step(
        n.name, n.internal_prefix, "--remove: only the NAT of that name; other NATs stay"));
  }
  if (!nat_found) plan.items.push_back({"nat", r.nat_name, "absent", ""});

  bool address_found = false;
  for (const auto& a : net.addresses) {
    auto ip = Ipv4::parse(a.ip);
    if (a.interface_alias != alias || !ip || !prefix || !prefix->contains(*ip)) continue;
    address_found = true;
    plan.items.push_back({"gateway-address", a.ip + "/" + std::to_string(a.prefix_length), "remove",
                          "on " + q(alias)});
    plan.steps.push_back(
        detail::remove_address_step(a.ip, a.prefix_length, r.switch_name, "--remove"));
  }
  if (!address_found) plan.items.push_back({"gateway-address", alias, "absent", ""});

  if (sw) {
    plan.items.push_back({"switch", sw->name, "remove", "internal switch, id " + sw->id});
    plan.steps.push_back(detail::remove_switch_step(sw->name, sw->id, "--remove"));
  } else {
    plan.items.push_back({"switch", r.switch_name, "absent", ""});
  }
  // Nothing of that name at all is most likely a typo: "already in place" would hide it.
  if (!sw && !nat_found && !address_found && net.switches.empty()) {
    plan.refusals.push_back(remove_not_found(r, net));
    plan.items.clear();
    plan.steps.clear();
  }
}

}  // namespace

NatPlan plan_nat(const NatRequest& request, const NetFacts& net,
                 const std::vector<Finding>& host_findings, const std::vector<VmFacts>& vms) {
  NatPlan plan;
  host_refusals(host_findings, plan);
  // Deciding without knowing the NATs, switches or addresses could create the second NAT
  // WinNAT cannot have: a read that failed refuses.
  for (const auto& e : net.errors) {
    // "Access denied" is no unknown: it is the missing elevation, refused as such (3), like
    // host.permissions; anything else leaves the network unknown (4).
    const bool denied = access_denied(e);
    plan.refusals.push_back(refusal(
        denied ? "net.permissions" : "net.unreadable",
        denied ? "Permission to read the host's network" : "Host network could not be read",
        e.probe + " failed: " + e.message,
        denied ? "an elevated PowerShell (Run as administrator)"
               : "the host's switches, NATs and addresses, to check for conflicts",
        "Run nestvirt from an elevated PowerShell (Run as administrator): NetNat and NetTCPIP "
        "need it even for members of Hyper-V Administrators."));
  }
  if (plan.refused()) return plan;
  if (request.remove) {
    plan_remove(request, net, plan);
  } else {
    plan_create(request, net, vms, plan);
  }
  return plan;
}

}  // namespace nestvirt::core
