// How net-nat reports: what exists and what was done, or one JSON document.
#include "nestvirt/commands/net_nat.h"
#include "nestvirt/core/findings_json.h"
#include "nestvirt/report/text.h"

namespace nestvirt::commands {

using core::findings_to_json;
using core::Outcome;
using nlohmann::json;

json nat_to_json(const NatResult& r, bool dry_run) {
  json items = json::array();
  for (const auto& i : r.plan.items) {
    items.push_back(
        {{"item", i.item}, {"name", i.name}, {"status", i.status}, {"detail", i.detail}});
  }
  json steps = json::array();
  for (const auto& s : r.run.steps) {
    steps.push_back({{"kind", core::to_string(s.step.kind)},
                     {"title", s.step.title},
                     {"why", s.step.why},
                     {"reversible", s.step.reversible},
                     {"commands", s.step.commands},
                     {"status", core::to_string(s.status)},
                     {"duration_ms", s.duration_ms},
                     {"note", s.note.empty() ? json(nullptr) : json(s.note)},
                     {"error", s.error.empty() ? json(nullptr) : json(s.error)}});
  }
  return {{"dry_run", dry_run},
          {"remove", r.request.remove},
          {"switch", r.request.switch_name},
          {"nat_name", r.request.nat_name},
          {"prefix", r.request.prefix.length ? json(r.request.prefix.str()) : json(nullptr)},
          {"gateway", r.request.prefix.length ? json(r.request.gateway.str()) : json(nullptr)},
          {"result", core::to_string(r.run.outcome)},
          {"input_warnings", r.input_warnings},
          {"refusals", findings_to_json(r.plan.refusals)},
          {"items", items},
          {"steps", steps},
          {"left_for_admin", r.run.left_for_admin},
          {"probe_errors", core::probe_errors_to_json(r.probe_errors)}};
}

std::string nat_to_text(const NatResult& r, bool dry_run) {
  std::string out;
  for (const auto& w : r.input_warnings) out += "warning: " + w + "\n";
  if (r.request.remove) {
    out += "Removing NAT " + core::ps_quote(r.request.nat_name) + " and switch " +
           core::ps_quote(r.request.switch_name) + "\n";
  } else {
    out += "NAT for nested VMs: switch " + core::ps_quote(r.request.switch_name) + ", prefix " +
           r.request.prefix.str() + ", gateway " + r.request.gateway.str() + ", NAT " +
           core::ps_quote(r.request.nat_name) + "\n";
  }
  if (!r.plan.refusals.empty()) {
    out += "\nRefused, nothing was changed:\n";
    for (const auto& f : r.plan.refusals) out += report::finding_block(f);
    return out;
  }
  report::Rows rows;
  for (const auto& i : r.plan.items) {
    std::string status = i.status;
    if (status == "present") status = "already there, kept";
    if (status == "create") status = dry_run ? "would be created" : "to create";
    if (status == "remove") status = dry_run ? "would be removed" : "to remove";
    if (status == "absent") status = "not there";
    rows.add(i.item + " " + i.name, status + (i.detail.empty() ? "" : " (" + i.detail + ")"));
  }
  out += rows.str();
  if (!r.run.steps.empty()) {
    out += dry_run ? "\nPlan (nothing has been changed):\n" : "\nSteps:\n";
    int n = 1;
    for (const auto& s : r.run.steps) {
      out += "  " + std::to_string(n++) + ". " + s.step.title;
      if (!dry_run) out += " — " + core::to_string(s.status);
      out += "\n";
      if (dry_run) {
        for (const auto& c : s.step.commands) out += "     " + c + "\n";
      }
      if (!s.note.empty()) out += "     note: " + s.note + "\n";
      if (!s.error.empty()) out += "     error: " + s.error + "\n";
    }
  }
  for (const auto& l : r.run.left_for_admin) out += "Left for you to do: " + l + "\n";
  switch (r.run.outcome) {
    case Outcome::Unchanged:
      out += "\nResult: everything was already in place; nothing changed.\n";
      break;
    case Outcome::Changed:
      out += "\nResult: done.\n";
      break;
    case Outcome::Failed:
      out += "\nResult: FAILED; what this run created was removed again.\n";
      break;
    case Outcome::Incomplete:
      out += "\nResult: FAILED, and not everything could be put back (see above).\n";
      break;
    default:
      break;
  }
  if (!r.request.remove &&
      (r.run.outcome == Outcome::Changed || r.run.outcome == Outcome::Unchanged)) {
    out += "Next: inside each nested VM set an address in " + r.request.prefix.str() + " (not " +
           r.request.gateway.str() + "), gateway " + r.request.gateway.str() +
           " and a DNS server: nestvirt net-nat guest --vm <vm> --ip <address> --prefix " +
           r.request.prefix.str() + " --dns <server> [--print]\n";
  }
  return out;
}

}  // namespace nestvirt::commands
