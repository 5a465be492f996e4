// How net-nat guest reports: per item what the guest had before and has after, or one JSON
// document (fields: docs/json-output.md, "net-nat guest"). Never a credential, only its source.
#include "nestvirt/commands/net_nat_guest.h"
#include "nestvirt/core/findings.h"
#include "nestvirt/report/text.h"

namespace nestvirt::commands {

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
std::string failure(const GuestResult& g) {
  for (const auto& s : g.run.steps) {
    if (s.status == core::StepStatus::Failed) return s.error;
  }
  return "";
}

std::vector<std::string> commands_of(const GuestResult& g) {
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
  if (g.plan.problem) {
    const auto& p = *g.plan.problem;
    problem = {{"kind", text_or_null(p.kind)},
               {"message", p.message},
               {"fix", text_or_null(p.fix)},
               {"fix_command", text_or_null(p.fix_command)},
               {"powershell_error", text_or_null(p.powershell_error)}};
  } else if (g.run.outcome == core::Outcome::Failed || g.run.outcome == core::Outcome::Incomplete) {
    problem = {{"kind", "change-failed"},
               {"message", "a change inside the guest failed: " + failure(g)},
               {"fix", nullptr},
               {"fix_command", nullptr},
               {"powershell_error", text_or_null(failure(g))}};
  }
  json steps = json::array();
  for (const auto& s : g.run.steps) {
    steps.push_back({{"kind", core::to_string(s.step.kind)},
                     {"title", s.step.title},
                     {"why", s.step.why},
                     {"reversible", s.step.reversible},
                     {"commands", s.step.commands},
                     {"status", core::to_string(s.status)},
                     {"duration_ms", s.duration_ms},
                     {"note", text_or_null(s.note)},
                     {"error", text_or_null(s.error)}});
  }
  return {{"print", g.print},
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
          {"steps", steps},
          {"problem", problem},
          {"left_for_admin", g.run.left_for_admin}};
}

std::string guest_to_text(const GuestResult& g) {
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

}  // namespace nestvirt::commands
