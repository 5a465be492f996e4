// net-nat guest: one request to the guest_address script, and what its answer means.
#include <stdexcept>

#include "nestvirt/commands/net_nat_guest.h"
#include "nestvirt/core/exit_codes.h"
#include "nestvirt/core/findings.h"

namespace nestvirt::commands {

using nlohmann::json;

namespace {

std::string text(const json& j, const char* key) {
  return j.is_object() && j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : "";
}

// Windows PowerShell 5.1 writes a one-element array as the element itself.
std::vector<std::string> strings(const json& j, const char* key) {
  std::vector<std::string> out;
  if (!j.is_object() || !j.contains(key) || j[key].is_null()) return out;
  const json list = j[key].is_array() ? j[key] : json::array({j[key]});
  for (const auto& v : list) {
    if (v.is_string() && !v.get<std::string>().empty()) out.push_back(v.get<std::string>());
  }
  return out;
}

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

// The message and fix of a refusal (nothing was changed anywhere).
void explain_refusal(GuestResult& g, const std::string& guest_message) {
  const std::string vm = core::ps_quote(g.request.vm);
  const std::string adapters = g.adapters.empty() ? "none" : joined(g.adapters);
  const std::string& k = g.kind;
  if (k == "vm-not-found") {
    g.message = "there is no VM named " + vm +
                " on this host (names are compared exactly, not "
                "as wildcards)";
    g.fix =
        "Check the name with Hyper-V\\Get-VM, and run nestvirt where the nested VM lives "
        "(inside the L1 VM).";
  } else if (k == "vm-ambiguous") {
    g.message = "several VMs are named " + vm + ", so nestvirt cannot tell which one is meant";
    g.fix = "Give each VM its own name (Hyper-V\\Rename-VM), then run this again.";
  } else if (k == "vm-not-running") {
    g.message = "the VM " + vm + " is " + g.vm_state +
                ": PowerShell Direct needs it running, with Windows booted inside";
    g.fix = "Start it (Hyper-V\\Start-VM -VM (Hyper-V\\Get-VM -Id " + core::ps_quote(g.vm_id) +
            ")), wait until Windows inside has booted, then run this again.";
  } else if (k == "hyperv-access") {
    g.message = "Hyper-V refused to list the VMs: " + guest_message;
    g.fix =
        "Run nestvirt from an elevated PowerShell, or as a member of Hyper-V Administrators "
        "(PowerShell Direct needs one of them).";
  } else if (k == "hyperv-missing") {
    g.message = "the Hyper-V PowerShell module is not available here: " + guest_message;
    g.fix =
        "Run nestvirt on the Hyper-V host where the nested VM lives (inside the L1 VM), with the "
        "Hyper-V module installed.";
  } else if (k == "credential-invalid") {
    g.message = "the guest " + vm + " rejected the credentials";
    g.fix = std::string("Check ") + kGuestUserVariable + " and " + kGuestPasswordVariable +
            " (or what was typed): an administrator of the guest, such as Administrator, "
            ".\\name or DOMAIN\\name.";
  } else if (k == "direct-failed") {
    g.message = "PowerShell Direct could not reach the guest " + vm;
    g.fix =
        "Wait until Windows inside the VM has booted; PowerShell Direct also needs Windows 10 "
        "or Windows Server 2016 (or later) in the guest.";
  } else if (k == "adapter-not-found" || k == "no-adapter-up" || k == "adapter-ambiguous") {
    g.message = guest_message + " (its adapters: " + adapters + ")";
    g.fix =
        k == "no-adapter-up"
            ? "Connect the VM's network adapter to the NAT switch (nestvirt net-nat --connect-vm "
              "...), or name an adapter with --guest-adapter."
            : "Name the adapter to configure with --guest-adapter.";
  } else if (k == "address-conflict") {
    g.message = guest_message;
    g.fix =
        "Inside the guest, remove the address that should not be there "
        "(NetTCPIP\\Remove-NetIPAddress -IPAddress <address> -Confirm:$false), or choose "
        "another --ip. nestvirt does not replace addresses it did not set.";
  } else if (k == "gateway-conflict") {
    g.message = guest_message;
    g.fix =
        "If that is the NAT host's address, pass it as --gateway; otherwise remove the old "
        "default route inside the guest (NetTCPIP\\Remove-NetRoute -DestinationPrefix "
        "'0.0.0.0/0' -Confirm:$false) and run this again.";
  } else {
    g.message = guest_message.empty() ? "the guest refused the change (" + k + ")" : guest_message;
  }
}

}  // namespace

GuestResult printed_result(const GuestRequest& request) {
  GuestResult g;
  g.request = request;
  g.result = "printed";
  g.items = {{"address",
              request.ip.str() + "/" + std::to_string(request.prefix.length),
              {},
              {},
              "planned"},
             {"gateway", request.gateway.str(), {}, {}, "planned"},
             {"dns", dns_text(request), {}, {}, request.dns.empty() ? "not-requested" : "planned"}};
  return g;
}

GuestResult parse_guest_reply(const GuestRequest& request, const json& reply) {
  if (!reply.is_object()) throw std::runtime_error("the guest_address script answered no object");
  GuestResult g = printed_result(request);
  const std::string status = text(reply, "status");
  g.kind = text(reply, "kind");
  if (reply.contains("vm") && reply["vm"].is_object()) {
    g.vm_name = text(reply["vm"], "name");
    g.vm_id = text(reply["vm"], "id");
    g.vm_state = text(reply["vm"], "state");
  }
  g.adapter = text(reply, "adapter");
  g.adapters = strings(reply, "adapters");
  for (auto& item : g.items) {
    const std::string key = item.item;
    item.before = strings(reply, (key + "_before").c_str());
    item.after = strings(reply, (key + "_after").c_str());
    const std::string action = text(reply, (key + "_action").c_str());
    item.action = action.empty() ? "not-run" : action;
  }
  const std::string guest_message = text(reply, "message");
  const std::string fqid = text(reply, "fqid");
  if (!guest_message.empty() && (status != "refused" || !fqid.empty())) {
    g.powershell_error = guest_message + (fqid.empty() ? "" : " [" + fqid + "]");
  }
  if (status == "ok") {
    bool changed = false;
    for (const auto& i : g.items) changed = changed || i.action == "added" || i.action == "changed";
    g.result = changed ? "changed" : "unchanged";
    g.exit_code = core::kExitOk;
  } else if (status == "refused") {
    g.result = "refused";
    g.exit_code = core::kExitPrerequisitesNotMet;
    explain_refusal(g, guest_message);
  } else if (status == "failed" || status == "incomplete") {
    g.result = status;
    if (g.kind != "change-failed") {
      g.message = "PowerShell Direct to " + core::ps_quote(request.vm) +
                  " did not answer as "
                  "expected: " +
                  guest_message;
      g.exit_code = core::kExitPowerShellFailed;
      return g;
    }
    g.message = "a change inside the guest failed: " + guest_message;
    g.exit_code = status == "failed" ? core::kExitChangeFailed : core::kExitChangeIncomplete;
    for (const auto& i : g.items) {
      if (i.action != "added" && i.action != "changed") continue;
      g.left_for_admin.push_back("the " + i.item +
                                 " was set inside the guest before the failure (" + i.wanted +
                                 "); it stays, run this command again to finish");
    }
  } else {
    throw std::runtime_error("the guest_address script answered an unknown status '" + status +
                             "'");
  }
  return g;
}

GuestResult run_net_nat_guest(powershell::ScriptHost& host, const GuestRequest& request,
                              const GuestCredentials& credentials) {
  json dns = json::array();
  for (const auto& d : request.dns) dns.push_back(d.str());
  json args = {{"vm", request.vm},
               {"user", credentials.user},
               {"password", credentials.password},
               {"adapter", request.adapter},
               {"ip", request.ip.str()},
               {"prefix_length", request.prefix.length},
               {"gateway", request.gateway.str()},
               {"dns", dns}};
  powershell::Reply reply = host.call("guest_address", args);
  wipe(args["password"].get_ref<std::string&>());
  if (!reply.ok) {
    std::string error = reply.error.message;
    if (!reply.error.fully_qualified_error_id.empty()) {
      error += " [" + reply.error.fully_qualified_error_id + "]";
    }
    throw std::runtime_error("setting the guest's address failed in PowerShell: " + error);
  }
  GuestResult g = parse_guest_reply(request, reply.result);
  g.credential_source = credentials.source;
  return g;
}

}  // namespace nestvirt::commands
