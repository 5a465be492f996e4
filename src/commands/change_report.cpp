// How enable/disable report: one line per VM, then details for anything not plain success;
// or one JSON document (docs/json-output.md).
#include <string>

#include "nestvirt/commands/change.h"
#include "nestvirt/core/facts_json.h"
#include "nestvirt/core/findings_json.h"
#include "nestvirt/report/text.h"

namespace nestvirt::commands {

using core::findings_to_json;
using core::Outcome;
using nlohmann::json;

namespace {

json vm_state_json(const core::VmFacts& vm) {
  json adapters = json::array();
  for (const auto& a : vm.adapters) {
    adapters.push_back({{"name", a.name}, {"mac_address_spoofing", a.mac_address_spoofing}});
  }
  return {{"state", vm.state},
          {"configuration_version", vm.version_text},
          {"dynamic_memory", vm.dynamic_memory ? json(*vm.dynamic_memory) : json(nullptr)},
          {"expose_virtualization_extensions", vm.expose_virtualization_extensions
                                                   ? json(*vm.expose_virtualization_extensions)
                                                   : json(nullptr)},
          {"adapters", adapters}};
}

json opt(const std::optional<bool>& v) {
  return v ? json(*v) : json(nullptr);
}

json after_json(const core::Readback& readback) {
  const auto* r = std::get_if<core::VmReadback>(&readback);
  if (r == nullptr) return nullptr;
  json adapters = json::array();
  for (const auto& a : r->adapters) {
    adapters.push_back(
        {{"name", a.name}, {"id", a.id}, {"mac_address_spoofing", a.mac_address_spoofing}});
  }
  return {{"state", r->state},
          {"configuration_version", r->version},
          {"dynamic_memory", opt(r->dynamic_memory)},
          {"expose_virtualization_extensions", opt(r->expose_virtualization_extensions)},
          {"adapters", adapters}};
}

std::string summary_line(const VmReport& r, const std::string& what) {
  switch (r.run.outcome) {
    case Outcome::Changed: {
      std::string s = what;
      bool stopped = false;
      for (const auto& st : r.run.steps) stopped |= st.step.kind == core::StepKind::StopVm;
      if (stopped) s += "; the VM was shut down and started again";
      return s;
    }
    case Outcome::Planned:
      return std::to_string(r.run.steps.size()) + " step(s) planned (dry run: nothing changed)";
    case Outcome::Unchanged:
      return "already as asked; nothing to do";
    case Outcome::Refused:
      // The outcome column already says "refused": name the first reason.
      return r.plan.refusals.empty() ? std::string("see below") : r.plan.refusals.front().title;
    case Outcome::NotFound:
      return "no VM matches this name";
    case Outcome::Failed:
      return "FAILED; everything nestvirt changed was put back";
    case Outcome::Incomplete:
      break;
  }
  return "FAILED and could not put everything back: action needed (see below)";
}

std::string vm_label(const VmReport& r) {
  if (r.plan.decision == core::Decision::NotFound) return r.plan.vm.requested_name;
  if (r.plan.vm.id.empty()) return r.plan.vm.requested_name;
  return r.plan.vm.name + " {" + r.plan.vm.id + "}";
}

std::string steps_text(const VmReport& r, bool dry_run) {
  std::string out;
  int n = 1;
  for (const auto& s : r.run.steps) {
    out += "    " + std::to_string(n++) + ". " + s.step.title;
    if (!dry_run) out += " — " + core::to_string(s.status);
    out += "\n       why: " + s.step.why + "\n";
    if (dry_run) {
      for (const auto& c : s.step.commands) out += "       " + c + "\n";
    }
    if (!s.note.empty()) out += "       note: " + s.note + "\n";
    if (!s.error.empty()) out += "       error: " + s.error + "\n";
  }
  return out;
}

}  // namespace

json change_to_json(const ChangeResult& result, bool dry_run) {
  json vms = json::array();
  for (const auto& r : result.vms) {
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
    const bool exists = r.plan.vm.exists;
    vms.push_back({{"requested", r.plan.vm.requested_name},
                   {"name", exists ? json(r.plan.vm.name) : json(nullptr)},
                   {"id", exists ? json(r.plan.vm.id) : json(nullptr)},
                   {"decision", core::to_string(r.plan.decision)},
                   {"outcome", core::to_string(r.run.outcome)},
                   {"before", exists ? vm_state_json(r.plan.vm) : json(nullptr)},
                   {"after", r.run.outcome == Outcome::Unchanged ? vm_state_json(r.plan.vm)
                                                                 : after_json(r.run.last)},
                   {"refusals", findings_to_json(r.plan.refusals)},
                   {"warnings", findings_to_json(r.plan.warnings)},
                   {"steps", steps},
                   {"left_for_admin", r.run.left_for_admin}});
  }
  return {{"dry_run", dry_run},
          {"host_findings", findings_to_json(result.host_findings)},
          {"vms", vms}};
}

std::string change_to_text(const ChangeResult& result, const std::string& what, bool dry_run) {
  std::string out;
  std::size_t width = 0;
  for (const auto& r : result.vms) width = std::max(width, vm_label(r).size());
  for (const auto& r : result.vms) {
    const std::string label = vm_label(r);
    out += label + std::string(width - label.size() + 2, ' ') + core::to_string(r.run.outcome) +
           ": " + summary_line(r, what) + "\n";
  }
  for (const auto& r : result.vms) {
    const bool plain = r.run.outcome == Outcome::Unchanged ||
                       (r.run.outcome == Outcome::Changed && r.plan.warnings.empty());
    if (plain && !dry_run) continue;
    out += "\n" + vm_label(r) + ": " + core::to_string(r.run.outcome) + "\n";
    for (const auto& f : r.plan.refusals) out += report::finding_block(f);
    for (const auto& f : r.plan.warnings) out += report::finding_block(f);
    if (!r.run.steps.empty()) {
      out += dry_run ? "  Plan (nothing has been changed):\n" : "  Steps:\n";
      out += steps_text(r, dry_run);
    }
    if (!r.run.left_for_admin.empty()) {
      out += "  Left for you to do:\n";
      for (const auto& l : r.run.left_for_admin) out += "    - " + l + "\n";
    }
  }
  return out;
}

}  // namespace nestvirt::commands
