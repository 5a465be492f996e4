// How net-nat reports: what exists and what was done, or one JSON document.
#include <algorithm>

#include "nestvirt/report/findings_json.h"
#include "nestvirt/report/net_nat.h"
#include "nestvirt/report/steps_json.h"
#include "nestvirt/report/text.h"

namespace nestvirt::report {

using core::Outcome;
using nlohmann::json;

namespace {

// The step that makes an item: the n-th item of a kind is made by the n-th step of its kinds.
const core::StepReport* step_of(const core::NatResult& r, std::size_t index) {
  auto kinds_of = [](const std::string& item) -> std::vector<core::StepKind> {
    using core::StepKind;
    if (item == "switch") return {StepKind::NewSwitch, StepKind::RemoveSwitch};
    if (item == "gateway-address") return {StepKind::NewAddress, StepKind::RemoveAddress};
    if (item == "nat") return {StepKind::NewNat, StepKind::RemoveNat};
    return {StepKind::Connect, StepKind::Disconnect};
  };
  const auto& items = r.plan.items;
  const auto kinds = kinds_of(items[index].item);
  std::size_t nth = 0;
  for (std::size_t i = 0; i < index; ++i)
    if (items[i].item == items[index].item) ++nth;
  for (const auto& s : r.run.steps) {
    if (std::find(kinds.begin(), kinds.end(), s.step.kind) == kinds.end()) continue;
    if (nth-- == 0) return &s;
  }
  return nullptr;
}

// An item's action (what the plan does to it) and its status (what is true now).
struct ItemState {
  std::string action;  // "keep", "create", "remove", "none"
  std::string status;  // "unchanged", "planned", "done", "undone", "failed", "not-run", "left"
};

ItemState item_state(const core::NatResult& r, std::size_t index) {
  const std::string& plan = r.plan.items[index].status;
  ItemState st;
  st.action = plan == "present" ? "keep" : plan == "absent" ? "none" : plan;
  if (st.action == "keep" || st.action == "none") {
    st.status = "unchanged";
  } else if (const core::StepReport* s = step_of(r, index)) {
    st.status = part_status(s->status);
  } else {
    st.status = "planned";
  }
  return st;
}

// The item's status in words that are true when printed.
std::string item_words(const ItemState& st, bool dry_run) {
  const bool create = st.action == "create";
  if (st.action == "keep") return "already there, kept";
  if (st.action == "none") return "not there";
  if (st.status == "planned" || st.status == "not-run") {
    return std::string(dry_run                  ? "would be "
                       : st.status == "planned" ? "to be "
                                                : "not ") +
           (create ? "created" : "removed");
  }
  if (st.status == "done") return create ? "created" : "removed";
  if (st.status == "undone")
    return create ? "created, then removed again" : "removed, then put back";
  if (st.status == "left") return create ? "created, and could not be removed again" : "removed";
  return "failed";
}

}  // namespace

json nat_to_json(const core::NatResult& r, bool dry_run) {
  json items = json::array();
  for (std::size_t i = 0; i < r.plan.items.size(); ++i) {
    const auto& item = r.plan.items[i];
    const ItemState st = item_state(r, i);
    items.push_back({{"kind", item.item},
                     {"name", item.name},
                     {"action", st.action},
                     {"status", st.status},
                     {"detail", item.detail}});
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
          {"steps", steps_to_json(r.run.steps)},
          {"left_for_admin", r.run.left_for_admin},
          {"probe_errors", probe_errors_to_json(r.probe_errors)}};
}

std::string nat_to_text(const core::NatResult& r, bool dry_run) {
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
    for (const auto& f : r.plan.refusals) out += finding_block(f);
    return out;
  }
  Rows rows;
  for (std::size_t n = 0; n < r.plan.items.size(); ++n) {
    const auto& i = r.plan.items[n];
    const std::string status = item_words(item_state(r, n), dry_run);
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
      out += r.run.interrupted
                 ? "\nResult: INTERRUPTED (" + r.run.interrupted_by +
                       "), and not everything could be put back (see above).\n"
                 : "\nResult: FAILED, and not everything could be put back (see above).\n";
      break;
    case Outcome::Interrupted:
      out += "\nResult: INTERRUPTED (" + r.run.interrupted_by +
             "); what this run created was removed again.\n";
      break;
    case Outcome::Planned:  // the plan above says it; a refusal's findings say why
    case Outcome::Refused:
    case Outcome::NotFound:
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

}  // namespace nestvirt::report
