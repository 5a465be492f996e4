// How net-nat guest reports: per item what the guest had before and has after, or one JSON
// document (fields: docs/json-output.md, "net-nat guest"). Never a credential, only its source.
#include "nestvirt/report/net_nat_guest.h"
#include "nestvirt/core/findings.h"
#include "nestvirt/core/guest_findings.h"
#include "nestvirt/report/findings_json.h"
#include "nestvirt/report/steps_json.h"
#include "nestvirt/report/text.h"

namespace nestvirt::report {

using core::GuestRequest;
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

// The item's action (what the plan does: add, change, keep, none) and its status (what is true
// now), the words net-nat's items use, from the one word the plan keeps.
struct GuestItemState {
  std::string action, status;
};
GuestItemState guest_item_state(const std::string& word) {
  if (word == "added") return {"add", "done"};
  if (word == "changed") return {"change", "done"};
  if (word == "unchanged") return {"keep", "unchanged"};
  if (word == "not-requested") return {"none", "unchanged"};
  if (word == "failed") return {"add", "failed"};
  if (word == "not-run") return {"add", "not-run"};
  if (word == "undone") return {"add", "undone"};
  return {"add", "planned"};
}

std::string action_words(const std::string& action) {
  if (action == "added") return "added";
  if (action == "changed") return "changed";
  if (action == "unchanged") return "already set, unchanged";
  if (action == "not-requested") return "not asked for, left alone";
  if (action == "failed") return "FAILED";
  if (action == "planned") return "to set";
  if (action == "undone") return "added, then removed again after a later failure";
  return "not done";
}

// The failed step's error, when a change failed.
std::string failure(const core::GuestResult& g) {
  for (const auto& s : g.run.steps) {
    if (s.status == core::StepStatus::Failed) return s.error;
  }
  return "";
}

std::vector<std::string> commands_of(const core::GuestResult& g) {
  std::vector<std::string> out;
  if (g.print) {
    // The whole script but its comments: the commands use $ifIndex, which its first lines set.
    std::string text = core::guest_print_text(g.request);
    std::size_t start = 0;
    while (start < text.size()) {
      const std::size_t end = text.find('\n', start);
      std::string line = text.substr(start, end - start);
      if (!line.empty() && line[0] != '#') out.push_back(line);
      if (end == std::string::npos) break;
      start = end + 1;
    }
    return out;
  }
  for (const auto& s : g.plan.steps) out.insert(out.end(), s.commands.begin(), s.commands.end());
  return out;
}

}  // namespace

json guest_to_json(const core::GuestResult& g) {
  const GuestRequest& r = g.request;
  json dns = json::array();
  for (const auto& d : r.dns) dns.push_back(d.str());
  json items = json::array();
  for (const auto& i : g.items) {
    const GuestItemState st = guest_item_state(i.action);
    items.push_back({{"kind", i.item},
                     {"name", text_or_null(i.wanted)},
                     {"before", i.before},
                     {"after", i.after},
                     {"action", st.action},
                     {"status", st.status}});
  }
  // Why it did not go on, as findings: the shape every command reports refusals in.
  std::vector<core::Finding> refusals;
  if (g.plan.problem) refusals.push_back(core::guest_finding(*g.plan.problem, r.vm, g.plan.vm.id));
  return {{"print", g.print},
          {"dry_run", g.dry_run},
          {"vm",
           {{"requested", r.vm},
            {"name", text_or_null(g.plan.vm.name)},
            {"id", text_or_null(g.plan.vm.id)},
            {"state", text_or_null(g.plan.vm_state)}}},
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
          {"commands", commands_of(g)},
          {"result", g.result},
          {"adapter", text_or_null(g.plan.adapter)},
          {"adapters", g.plan.adapters},
          {"items", items},
          {"steps", steps_to_json(g.run.steps)},
          {"refusals", findings_to_json(refusals)},
          {"left_for_admin", g.run.left_for_admin}};
}

std::string guest_to_text(const core::GuestResult& g) {
  const GuestRequest& r = g.request;
  if (g.print) return core::guest_print_text(r);
  std::string out = "net-nat guest: VM " + core::ps_quote(r.vm) + ", address " + r.ip.str() + "/" +
                    std::to_string(r.prefix.length) + ", gateway " + r.gateway.str();
  if (r.prefix_source == "host-nat") out += " (prefix " + r.prefix.str() + " from the host's NAT)";
  out += "\n";
  if (!g.plan.adapter.empty())
    out += "Adapter in the guest: " + core::ps_quote(g.plan.adapter) + "\n";
  if (g.plan.problem) {
    const auto& p = *g.plan.problem;
    out += (p.unreadable ? "\nFailed, nothing was changed: " : "\nRefused, nothing was changed: ") +
           p.message + "\n";
    if (!p.fix.empty()) out += "Fix: " + p.fix + "\n";
    if (!p.powershell_error.empty()) out += "PowerShell said: " + p.powershell_error + "\n";
    return out;
  }
  Rows rows;
  for (const auto& i : g.items) {
    if (i.action == "not-requested" && i.wanted.empty()) {
      rows.add("DNS", action_words(i.action));
      continue;
    }
    std::string label = i.item == "dns" ? "DNS " + i.wanted : i.item + " " + i.wanted;
    std::string value = action_words(i.action);
    if (i.action == "planned") {
      value += " (now: " + list_or_none(i.before) + ")";
    } else if (i.action != "unchanged" && i.action != "not-run") {
      value += " (before: " + list_or_none(i.before) + "; now: " + list_or_none(i.after) + ")";
    }
    rows.add(label, value);
  }
  out += rows.str();
  if (g.result == "planned") {
    // As enable's --dry-run: each step with why and its exact commands, nothing run.
    out += "\nPlan (nothing has been changed):\n";
    int n = 1;
    for (const auto& s : g.run.steps) {
      out += "  " + std::to_string(n++) + ". " + s.step.title + "\n     why: " + s.step.why + "\n";
      for (const auto& c : s.step.commands) out += "     " + c + "\n";
    }
    out += "\nResult: planned (--dry-run); nothing was changed.\n";
    return out;
  }
  const std::string failed = failure(g);
  if (!failed.empty()) out += "\nA change inside the guest failed: " + failed + "\n";
  for (const auto& l : g.run.left_for_admin) out += "Left for you to do: " + l + "\n";
  if (g.result == "changed")
    out += "\nResult: done.\n";
  else if (g.result == "unchanged")
    out += "\nResult: everything was already in place; nothing changed.\n";
  else if (g.result == "incomplete")
    out += "\nResult: FAILED, and not everything could be put back (see above).\n";
  else
    out += "\nResult: FAILED; what this run set inside the guest was removed again.\n";
  return out;
}

}  // namespace nestvirt::report
