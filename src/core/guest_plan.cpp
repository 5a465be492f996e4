// net-nat guest: from what the guest reported to the steps that add what is missing, or the
// reason nothing will be changed. guest_read.ps1 only reads; every decision is here.
#include <algorithm>

#include "guest_nat_checks.h"
#include "nestvirt/core/findings.h"
#include "nestvirt/core/guest_plan.h"
#include "step_builders.h"

namespace nestvirt::core {

namespace {

std::string joined(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
  return out;
}

std::string dns_text(const GuestRequest& r) {
  std::string out;
  for (const auto& d : r.dns) out += (out.empty() ? "" : ", ") + d.str();
  return out;
}

std::string with_id(const PsError& e) {
  return e.message + (e.fqid.empty() ? "" : " [" + e.fqid + "]");
}

std::vector<std::string> formatted(const std::vector<GuestAddress>& addresses) {
  std::vector<std::string> out;
  for (const auto& a : addresses) out.push_back(a.ip + "/" + std::to_string(a.prefix_length));
  return out;
}

// Texts shared by the refusals below; they name the credentials' variables, not their values.
constexpr const char* kCredentialFix =
    "Check NESTVIRT_GUEST_USER and NESTVIRT_GUEST_PASSWORD (or what was typed): an "
    "administrator of the guest, such as Administrator, .\\name or DOMAIN\\name.";

GuestProblem problem(std::string kind, std::string message, std::string fix,
                     std::string powershell_error = "") {
  GuestProblem p;
  p.kind = std::move(kind);
  p.message = std::move(message);
  p.fix = std::move(fix);
  p.powershell_error = std::move(powershell_error);
  return p;
}

// Nothing can be planned until the VM is found, running, and its guest answers.
std::optional<GuestProblem> reach_problem(const GuestRequest& r, const GuestFacts& f) {
  const std::string vm = ps_quote(r.vm);
  if (!f.hyperv_error.empty()) {
    if (f.hyperv_error.exception == "CommandNotFoundException") {
      return problem(
          "hyperv-missing",
          "the Hyper-V PowerShell module is not available here: " + f.hyperv_error.message,
          "Run nestvirt on the Hyper-V host where the nested VM lives (inside the L1 "
          "VM), with the Hyper-V module installed.",
          with_id(f.hyperv_error));
    }
    return problem("hyperv-access", "Hyper-V refused to list the VMs: " + f.hyperv_error.message,
                   "Run nestvirt from an elevated PowerShell, or as a member of Hyper-V "
                   "Administrators (PowerShell Direct needs one of them).",
                   with_id(f.hyperv_error));
  }
  if (f.matches.empty()) {
    return problem("vm-not-found",
                   "there is no VM named " + vm +
                       " on this host (names are compared exactly, not as wildcards)",
                   "Check the name with Hyper-V\\Get-VM, and run nestvirt where the nested VM "
                   "lives (inside the L1 VM).");
  }
  if (f.matches.size() > 1) {
    return problem("vm-ambiguous",
                   "several VMs are named " + vm + ", so nestvirt cannot tell which one is meant",
                   "Give each VM its own name (Hyper-V\\Rename-VM), then run this again.");
  }
  const GuestVm& found = f.matches.front();
  if (found.state != "Running") {
    return problem("vm-not-running",
                   "the VM " + vm + " is " + found.state +
                       ": PowerShell Direct needs it running, with Windows booted inside",
                   "Start it (Hyper-V\\Start-VM -VM " + detail::vm_by_id(found.id) +
                       "), wait until Windows inside has booted, then run this again.");
  }
  if (!f.direct_error.empty()) {
    const PsError& e = f.direct_error;
    if (e.fqid.rfind("InvalidCredential", 0) == 0 || e.message == "The credential is invalid.") {
      return problem("credential-invalid", "the guest " + vm + " rejected the credentials",
                     kCredentialFix, with_id(e));
    }
    if (e.fqid.rfind("InvalidVM", 0) == 0 && e.fqid.find("NotSingle") != std::string::npos) {
      return problem("vm-not-found",
                     "PowerShell Direct found no single VM " + vm + " (" + e.message + ")",
                     "Check the name with Hyper-V\\Get-VM, and run nestvirt where the nested VM "
                     "lives (inside the L1 VM).",
                     with_id(e));
    }
    return problem("direct-failed", "PowerShell Direct could not reach the guest " + vm,
                   "Wait until Windows inside the VM has booted; PowerShell Direct also needs "
                   "Windows 10 or Windows Server 2016 (or later) in the guest.",
                   with_id(e));
  }
  if (!f.guest_answered) {
    GuestProblem p =
        problem("direct-failed", "PowerShell Direct to " + vm + " did not answer as expected", "");
    p.unreadable = true;
    return p;
  }
  return std::nullopt;
}

// The adapter inside the guest to change: by exact name, or the only one that is Up.
const GuestAdapter* choose_adapter(const GuestRequest& r, const GuestFacts& f,
                                   std::optional<GuestProblem>& refusal,
                                   const std::string& adapters) {
  std::vector<const GuestAdapter*> candidates;
  for (const auto& a : f.adapters) {
    if (r.adapter.empty() ? a.status == "Up" : a.name == r.adapter) candidates.push_back(&a);
  }
  if (candidates.size() == 1) return candidates.front();
  const std::string listed = " (its adapters: " + adapters + ")";
  if (!r.adapter.empty()) {
    refusal = problem(candidates.empty() ? "adapter-not-found" : "adapter-ambiguous",
                      (candidates.empty() ? "the guest has no network adapter named "
                                          : "several network adapters of the guest are named ") +
                          ps_quote(r.adapter) + listed,
                      "Name the adapter to configure with --guest-adapter.");
  } else if (candidates.empty()) {
    refusal = problem("no-adapter-up", "no network adapter is Up in the guest" + listed,
                      "Connect the VM's network adapter to the NAT switch (nestvirt net-nat "
                      "--connect-vm ...), or name an adapter with --guest-adapter.");
  } else {
    refusal = problem("adapter-ambiguous", "several network adapters are Up in the guest" + listed,
                      "Name the adapter to configure with --guest-adapter.");
  }
  return nullptr;
}

constexpr const char* kAddressFix =
    "Inside the guest, remove the address that should not be there "
    "(NetTCPIP\\Remove-NetIPAddress -IPAddress <address> -Confirm:$false), or choose another "
    "--ip. nestvirt does not replace addresses it did not set.";

// nestvirt adds; it never replaces an address or gateway it did not set.
std::optional<GuestProblem> conflict(const GuestRequest& r, const GuestFacts& f,
                                     const GuestAdapter& nic) {
  const std::string ip = r.ip.str();
  const std::string alias = ps_quote(nic.name);
  for (const auto& other : f.adapters) {
    if (other.if_index == nic.if_index) continue;
    for (const auto& a : other.config.addresses) {
      if (a.ip == ip) {
        return problem("address-conflict",
                       ip + " is already on another adapter of the guest: " + ps_quote(other.name),
                       kAddressFix);
      }
    }
  }
  bool same = false;
  std::vector<GuestAddress> statics;
  for (const auto& a : nic.config.addresses) {
    if (a.ip == ip) {
      same = true;
      if (a.prefix_length != r.prefix.length) {
        return problem("address-conflict",
                       ip + "/" + std::to_string(a.prefix_length) + " is already on " + alias +
                           ", with another prefix length than /" + std::to_string(r.prefix.length),
                       kAddressFix);
      }
    } else if (a.origin == "Manual") {
      statics.push_back(a);
    }
  }
  if (!same && !statics.empty()) {
    return problem("address-conflict",
                   alias + " already has the static address " + joined(formatted(statics)),
                   kAddressFix);
  }
  const auto& gws = nic.config.gateways;
  if (!gws.empty() && std::find(gws.begin(), gws.end(), r.gateway.str()) == gws.end()) {
    return problem("gateway-conflict", alias + " already has the default gateway " + joined(gws),
                   "If that is the NAT host's address, pass it as --gateway; otherwise remove "
                   "the old default route inside the guest (NetTCPIP\\Remove-NetRoute "
                   "-DestinationPrefix '0.0.0.0/0' -Confirm:$false) and run this again.");
  }
  return std::nullopt;
}

GuestArgs args_for(const GuestRequest& r, const VmRef& vm, const GuestAdapter* nic) {
  GuestArgs a;
  a.vm = vm;
  a.if_index = nic ? nic->if_index : 0;
  a.alias = nic ? nic->name : (r.adapter.empty() ? kDefaultGuestAdapter : r.adapter);
  a.ip = r.ip.str();
  a.prefix_length = r.prefix.length;
  a.gateway = r.gateway.str();
  for (const auto& d : r.dns) a.dns.push_back(d.str());
  if (nic) a.previous_dns = nic->config.dns;
  a.restore_dhcp = nic ? nic->dhcp : false;
  return a;
}

const char* const kWhyAddress = "the nested VM's own address in the NAT's network";
const char* const kWhyGateway = "the NAT host's address: the nested VM sends its traffic there";
const char* const kWhyDns = "--dns: name resolution for the nested VM";

}  // namespace

std::vector<GuestItem> guest_print_items(const GuestRequest& r) {
  return {{"address", r.ip.str() + "/" + std::to_string(r.prefix.length), {}, {}, "planned"},
          {"gateway", r.gateway.str(), {}, {}, "planned"},
          {"dns", dns_text(r), {}, {}, r.dns.empty() ? "not-requested" : "planned"}};
}

GuestPlan plan_guest(const GuestRequest& r, const GuestFacts& f, const HostNat& nat) {
  GuestPlan plan;
  plan.items = guest_print_items(r);
  for (auto& item : plan.items) {
    if (item.action == "planned") item.action = "not-run";
  }
  if (f.matches.size() == 1) {
    plan.vm = {f.matches.front().id, f.matches.front().name};
    plan.vm_state = f.matches.front().state;
  }
  for (const auto& a : f.adapters) plan.adapters.push_back(a.name + " (" + a.status + ")");
  plan.problem = reach_problem(r, f);
  if (plan.problem) return plan;
  // The host before the guest: no setting inside it helps while the VM cannot reach the NAT.
  plan.problem = detail::host_nat_problem(r, f.matches.front(), nat);
  if (plan.problem) return plan;

  const GuestAdapter* nic = choose_adapter(r, f, plan.problem, joined(plan.adapters));
  if (!nic) return plan;
  plan.adapter = nic->name;
  plan.if_index = nic->if_index;
  plan.items[0].before = formatted(nic->config.addresses);
  plan.items[1].before = nic->config.gateways;
  plan.items[2].before = nic->config.dns;
  plan.problem = conflict(r, f, *nic);
  if (plan.problem) return plan;

  const GuestArgs args = args_for(r, plan.vm, nic);
  const bool has_ip = std::any_of(nic->config.addresses.begin(), nic->config.addresses.end(),
                                  [&](const GuestAddress& a) { return a.ip == args.ip; });
  const bool has_gateway = !nic->config.gateways.empty();  // conflict() made sure it is ours
  if (!has_ip) {
    GuestArgs with = args;
    if (has_gateway) with.gateway.clear();
    plan.steps.push_back(detail::guest_add_address_step(
        with, nic->dhcp ? std::string(kWhyAddress) +
                              "; the adapter uses DHCP, which Windows turns off for a static "
                              "address (an undo turns it on again)"
                        : kWhyAddress));
  } else if (!has_gateway) {
    plan.steps.push_back(detail::guest_add_gateway_step(args, kWhyGateway));
  }
  if (!args.dns.empty() && args.dns != nic->config.dns) {
    plan.steps.push_back(detail::guest_set_dns_step(args, kWhyDns));
  }
  for (auto& item : plan.items) {
    if (item.action == "not-run")
      item.action = item.item == "dns" && r.dns.empty() ? "not-requested" : "unchanged";
  }
  return plan;
}

std::string net_nat_guest_command(const GuestRequest& r) {
  std::string out = "nestvirt net-nat guest --vm " + ps_quote(r.vm) + " --ip " + r.ip.str();
  if (r.prefix_source == "option") out += " --prefix " + r.prefix.str();
  if (r.gateway_source == "option") out += " --gateway " + r.gateway.str();
  for (const auto& d : r.dns) out += " --dns " + d.str();
  if (!r.adapter.empty()) out += " --guest-adapter " + ps_quote(r.adapter);
  return out;
}

std::vector<Step> guest_print_steps(const GuestRequest& r) {
  const GuestArgs args = args_for(r, {"", r.vm}, nullptr);
  std::vector<Step> steps = {detail::guest_add_address_step(args, kWhyAddress)};
  if (!args.dns.empty()) steps.push_back(detail::guest_set_dns_step(args, kWhyDns));
  return steps;
}

namespace {

// Text for a comment line: a line break in a name must not end the comment early.
std::string comment_safe(std::string text) {
  for (char& c : text) {
    if (static_cast<unsigned char>(c) < 0x20) c = '?';
  }
  return text;
}

}  // namespace

std::string guest_print_text(const GuestRequest& r) {
  std::string out = "# Run inside the nested VM " + comment_safe(ps_quote(r.vm)) +
                    ", in an elevated PowerShell (nestvirt ran nothing).\n";
  // The adapter is chosen as the real run chooses it: by exact name (-eq compares, where
  // -InterfaceAlias would read [ ] * ? as wildcards), or the only adapter that is Up.
  if (r.adapter.empty()) {
    out += "# The adapter: the only one that is Up (name one with --guest-adapter).\n";
    out += "$nic = @(NetAdapter\\Get-NetAdapter | Where-Object { $_.Status -eq 'Up' })\n";
  } else {
    out += "$nic = @(NetAdapter\\Get-NetAdapter | Where-Object { $_.Name -eq " +
           ps_quote(r.adapter) + " })\n";
  }
  out +=
      "if ($nic.Count -ne 1) { throw ('Expected exactly one adapter, found ' + $nic.Count) }\n"
      "$ifIndex = $nic[0].ifIndex\n";
  for (const auto& step : guest_print_steps(r)) {
    for (const auto& c : step.commands) out += c + "\n";
  }
  return out;
}

}  // namespace nestvirt::core
