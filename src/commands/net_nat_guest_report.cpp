// How net-nat guest reports: per item what the guest had before and has after, or one JSON
// document (fields: docs/json-output.md, "net-nat guest"). Never a credential, only its source.
#include "nestvirt/commands/net_nat_guest.h"
#include "nestvirt/core/findings.h"
#include "nestvirt/report/text.h"

namespace nestvirt::commands {

using nlohmann::json;

namespace {

json text_or_null(const std::string& s) {
  return s.empty() ? json(nullptr) : json(s);
}

std::string list_or_none(const std::vector<std::string>& v) {
  if (v.empty()) return "none";
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
  return out;
}

std::string action_words(const std::string& action) {
  if (action == "added") return "added";
  if (action == "changed") return "changed";
  if (action == "unchanged") return "already set, unchanged";
  if (action == "not-requested") return "not asked for, left alone";
  if (action == "failed") return "FAILED";
  if (action == "planned") return "to set";
  return "not done";
}

}  // namespace

json guest_to_json(const GuestResult& g) {
  const GuestRequest& r = g.request;
  json dns = json::array();
  for (const auto& d : r.dns) dns.push_back(d.str());
  json items = json::array();
  for (const auto& i : g.items) {
    items.push_back({{"item", i.item},
                     {"wanted", text_or_null(i.wanted)},
                     {"before", i.before},
                     {"after", i.after},
                     {"action", i.action}});
  }
  json problem = nullptr;
  if (!g.kind.empty() || !g.message.empty()) {
    problem = {{"kind", text_or_null(g.kind)},
               {"message", g.message},
               {"fix", text_or_null(g.fix)},
               {"powershell_error", text_or_null(g.powershell_error)}};
  }
  return {{"print", g.result == "printed"},
          {"vm",
           {{"requested", r.vm},
            {"name", text_or_null(g.vm_name)},
            {"id", text_or_null(g.vm_id)},
            {"state", text_or_null(g.vm_state)}}},
          {"request",
           {{"ip", r.ip.str()},
            {"prefix", r.prefix.str()},
            {"prefix_length", r.prefix.length},
            {"prefix_source", r.prefix_source},
            {"gateway", r.gateway.str()},
            {"gateway_source", r.gateway_source},
            {"dns", dns},
            {"guest_adapter", text_or_null(r.adapter)}}},
          {"credential_source", text_or_null(g.credential_source)},
          {"commands", guest_commands(r)},
          {"result", g.result},
          {"adapter", text_or_null(g.adapter)},
          {"adapters", g.adapters},
          {"items", items},
          {"problem", problem},
          {"left_for_admin", g.left_for_admin}};
}

std::string guest_to_text(const GuestResult& g) {
  const GuestRequest& r = g.request;
  if (g.result == "printed") return guest_print_text(r);
  std::string out = "net-nat guest: VM " + core::ps_quote(r.vm) + ", address " + r.ip.str() + "/" +
                    std::to_string(r.prefix.length) + ", gateway " + r.gateway.str();
  if (r.prefix_source == "host-nat") out += " (prefix " + r.prefix.str() + " from the host's NAT)";
  out += "\n";
  if (!g.adapter.empty()) out += "Adapter in the guest: " + core::ps_quote(g.adapter) + "\n";
  if (g.result == "refused") {
    out += "\nRefused, nothing was changed: " + g.message + "\n";
    if (!g.fix.empty()) out += "Fix: " + g.fix + "\n";
    if (!g.powershell_error.empty()) out += "PowerShell said: " + g.powershell_error + "\n";
    return out;
  }
  report::Rows rows;
  for (const auto& i : g.items) {
    if (i.action == "not-requested" && i.wanted.empty()) {
      rows.add("DNS", action_words(i.action));
      continue;
    }
    std::string label = i.item == "dns" ? "DNS " + i.wanted : i.item + " " + i.wanted;
    std::string value = action_words(i.action);
    if (i.action != "unchanged" && i.action != "not-run") {
      value += " (before: " + list_or_none(i.before) + "; now: " + list_or_none(i.after) + ")";
    }
    rows.add(label, value);
  }
  out += rows.str();
  if (!g.message.empty()) out += "\n" + g.message + "\n";
  if (!g.powershell_error.empty()) out += "PowerShell said: " + g.powershell_error + "\n";
  for (const auto& l : g.left_for_admin) out += "Left for you to do: " + l + "\n";
  if (g.result == "changed")
    out += "\nResult: done.\n";
  else if (g.result == "unchanged")
    out += "\nResult: everything was already in place; nothing changed.\n";
  else if (g.result == "incomplete")
    out += "\nResult: FAILED part way; see above.\n";
  else
    out += "\nResult: FAILED; nothing was changed.\n";
  return out;
}

}  // namespace nestvirt::commands
