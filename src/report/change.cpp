// How enable/disable report: one line per VM, then details for anything not plain success;
// or one JSON document (docs/json-output.md).
#include <algorithm>
#include <string>

#include "nestvirt/core/hyperv_guest.h"
#include "nestvirt/report/change.h"
#include "nestvirt/report/facts_json.h"
#include "nestvirt/report/findings_json.h"
#include "nestvirt/report/steps_json.h"
#include "nestvirt/report/text.h"

namespace nestvirt::report {

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

json guest_state_json(const std::optional<core::HyperVGuestFacts>& f) {
  if (!f) return nullptr;
  const auto& in = f->inside;
  auto text = [&](const std::string core::HyperVGuestInside::*field) -> json {
    return in ? json((*in).*field) : json(nullptr);
  };
  return {{"vm_state", f->state},
          {"heartbeat", f->heartbeat},
          {"os_name", f->os_name},
          {"edition", text(&core::HyperVGuestInside::caption)},
          {"product_type", in ? json(in->product_type) : json(nullptr)},
          {"feature", text(&core::HyperVGuestInside::feature)},
          {"vmms", text(&core::HyperVGuestInside::vmms)},
          {"launch_type", text(&core::HyperVGuestInside::launch_type)},
          {"reboot_pending", in ? json(in->pending_cbs || in->pending_update) : json(nullptr)},
          {"boot_time", text(&core::HyperVGuestInside::boot_time)},
          {"hyperv_running", in ? json(core::hyperv_running(*in)) : json(nullptr)}};
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

// What one step did, in words an admin checks against what they asked for.
std::string done_words(const core::StepReport& s) {
  using core::StepKind;
  switch (s.step.kind) {
    case StepKind::RemoveSavedState:
      return "saved state discarded";
    case StepKind::StopVm:
      return s.note.empty() ? "guest shut down" : "powered off hard after the shutdown timeout";
    case StepKind::UpdateVersion: {
      const auto* back = std::get_if<core::VmReadback>(&s.readback);
      return "configuration version upgraded" +
             (back && !back->version.empty() ? " to " + back->version : std::string()) +
             " (cannot be undone)";
    }
    case StepKind::SetDynamicMemory:
      return std::string("dynamic memory turned ") +
             (std::get<core::VmFlagArgs>(s.step.args).value ? "on" : "off");
    case StepKind::SetProcessor:
      return std::string("nested virtualization ") +
             (std::get<core::VmFlagArgs>(s.step.args).value ? "enabled" : "disabled");
    case StepKind::SetMacSpoofing: {
      const auto& a = std::get<core::SpoofArgs>(s.step.args);
      return "MAC spoofing " + std::string(a.on ? "on" : "off") + " for '" + a.adapter_name + "'";
    }
    case StepKind::StartVm:
      return s.step.title == "Start the VM" ? "started" : "started again";
    case StepKind::GuestInstallHyperV:
      return "Hyper-V installed in the guest";
    case StepKind::GuestSetLaunchType:
      return "hypervisor launch set to Auto in the guest";
    case StepKind::GuestReboot:
      return "guest restarted";
    case StepKind::GuestVerifyHyperV:
      return "Hyper-V proven running there";
    // Not steps of enable, disable or net-spoof: their title says it.
    case StepKind::NewSwitch:
    case StepKind::NewAddress:
    case StepKind::NewNat:
    case StepKind::Connect:
    case StepKind::Disconnect:
    case StepKind::RemoveNat:
    case StepKind::RemoveAddress:
    case StepKind::RemoveSwitch:
    case StepKind::GuestAddAddress:
    case StepKind::GuestAddGateway:
    case StepKind::GuestSetDns:
    case StepKind::GuestRemoveAddress:
    case StepKind::GuestRemoveGateway:
      break;
  }
  return s.step.title;
}

std::string summary_line(const core::VmReport& r, const std::string&) {
  switch (r.run.outcome) {
    case Outcome::Changed: {
      // Everything that was done, in order: a summary that leaves out a discarded saved state
      // or an irreversible upgrade would mislead.
      std::string s;
      for (const auto& st : r.run.steps) {
        if (st.status != core::StepStatus::Done) continue;
        s += (s.empty() ? "" : ", ") + done_words(st);
      }
      return s;
    }
    case Outcome::Planned:
      return std::to_string(r.run.steps.size()) + (r.run.steps.size() == 1 ? " step" : " steps") +
             " planned (dry run: nothing changed)";
    case Outcome::Unchanged:
      return r.guest ? "already as asked, and Hyper-V already runs in the guest; nothing to do"
                     : "already as asked; nothing to do";
    case Outcome::Refused: {
      // The outcome column already says "refused": name the first reason, and what ran before
      // the guest refused (--install-hyperv turns nesting on and starts the VM first).
      std::string s =
          r.plan.refusals.empty() ? std::string("see below") : r.plan.refusals.front().title;
      std::string done;
      for (const auto& st : r.run.steps) {
        if (st.status == core::StepStatus::Done)
          done += (done.empty() ? "" : ", ") + done_words(st);
      }
      return done.empty() ? s : s + " (before that: " + done + ")";
    }
    case Outcome::NotFound:
      return "no VM matches this name";
    case Outcome::Failed:
      return "a step failed; everything this run changed was put back";
    case Outcome::Interrupted:
      return "interrupted (" + r.run.interrupted_by + ") before it finished; " +
             (std::any_of(r.run.steps.begin(), r.run.steps.end(),
                          [](const auto& st) { return st.status == core::StepStatus::Undone; })
                  ? "everything this run changed was put back"
                  : "nothing had changed");
    case Outcome::Incomplete:
      break;
  }
  if (r.run.interrupted) {
    return "interrupted (" + r.run.interrupted_by +
           ") before it finished, and not everything could be put back: action needed (see "
           "below)";
  }
  return "a step failed and not everything could be put back: action needed (see below)";
}

// "1 changed, 1 refused, 1 not found": how many VMs ended each way, most telling first.
std::string result_counts(const core::ChangeResult& result) {
  static const std::pair<Outcome, const char*> kOrder[] = {
      {Outcome::Incomplete, "incomplete"}, {Outcome::Interrupted, "interrupted"},
      {Outcome::Failed, "failed"},         {Outcome::Refused, "refused"},
      {Outcome::NotFound, "not found"},    {Outcome::Changed, "changed"},
      {Outcome::Planned, "planned"},       {Outcome::Unchanged, "unchanged"}};
  std::string out;
  for (const auto& [outcome, word] : kOrder) {
    const auto n = std::count_if(result.vms.begin(), result.vms.end(),
                                 [o = outcome](const auto& r) { return r.run.outcome == o; });
    if (n > 0) out += (out.empty() ? "" : ", ") + std::to_string(n) + " " + word;
  }
  return out.empty() ? "no VM" : out;
}

// The VM's name; with its id only where another VM has the same name.
std::string vm_label(const core::VmReport& r) {
  if (r.plan.decision == core::Decision::NotFound) return r.plan.vm.requested_name;
  if (r.plan.vm.id.empty() || r.plan.vm.name_unique) return r.plan.vm.name;
  return r.plan.vm.name + " {" + r.plan.vm.id + "}";
}

std::string steps_text(const core::VmReport& r, bool dry_run) {
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

json change_to_json(const core::ChangeResult& result, bool dry_run) {
  json vms = json::array();
  for (const auto& r : result.vms) {
    const bool exists = r.plan.vm.exists;
    vms.push_back({{"requested", r.plan.vm.requested_name},
                   {"name", exists ? json(r.plan.vm.name) : json(nullptr)},
                   {"id", exists ? json(r.plan.vm.id) : json(nullptr)},
                   {"decision", core::to_string(r.plan.decision)},
                   {"result", core::to_string(r.run.outcome)},
                   {"before", exists ? vm_state_json(r.plan.vm) : json(nullptr)},
                   {"after", r.run.outcome == Outcome::Unchanged ? vm_state_json(r.plan.vm)
                                                                 : after_json(r.run.last)},
                   {"refusals", findings_to_json(r.plan.refusals)},
                   {"warnings", findings_to_json(r.plan.warnings)},
                   {"steps", steps_to_json(r.run.steps)},
                   {"left_for_admin", r.run.left_for_admin}});
    if (r.guest) {
      vms.back()["guest"] = {
          {"before", guest_state_json(r.guest->before)},
          {"after", guest_state_json(r.guest->after)},
          {"reboots", r.guest->reboots},
          {"waited_s", r.guest->waited_s},
          {"error", r.guest->error.empty() ? json(nullptr) : json(r.guest->error)}};
    }
  }
  std::vector<Outcome> outcomes;
  for (const auto& r : result.vms) outcomes.push_back(r.run.outcome);
  return {{"dry_run", dry_run},
          {"result", core::to_string(core::overall(outcomes))},
          {"host_findings", findings_to_json(result.host_findings)},
          {"vms", vms}};
}

std::string change_to_text(const core::ChangeResult& result, const std::string& what,
                           bool dry_run) {
  std::string out;
  std::size_t width = 0;
  for (const auto& r : result.vms) width = std::max(width, vm_label(r).size());
  for (const auto& r : result.vms) {
    const std::string label = vm_label(r);
    out += label + std::string(width - label.size() + 2, ' ') + core::to_string(r.run.outcome) +
           ": " + summary_line(r, what) + "\n";
  }
  // A host-level refusal is the same for every VM: said once, before the VMs.
  std::string host_block;
  for (const auto& f : result.host_findings) {
    if (f.status == core::Status::Fail) host_block += finding_block(f);
  }
  if (!host_block.empty()) out += "\nHost (refuses every VM):\n" + host_block;
  // Details for every VM except one that needed nothing: the steps of whatever changed,
  // failed or is planned, the VM's own refusals with their fixes, and warnings.
  for (const auto& r : result.vms) {
    if (r.run.outcome == Outcome::Unchanged && r.plan.warnings.empty()) continue;
    out += "\n" + vm_label(r) + ": " + core::to_string(r.run.outcome) + "\n";
    for (const auto& f : r.plan.refusals) {
      if (!f.vm.empty() || host_block.empty()) out += finding_block(f);
    }
    for (const auto& f : r.plan.warnings) out += finding_block(f);
    if (!r.run.steps.empty()) {
      out += dry_run ? "  Plan (nothing has been changed):\n" : "  Steps:\n";
      out += steps_text(r, dry_run);
    }
    if (r.guest && !r.guest->error.empty()) {
      out += "  The guest could not be read: " + r.guest->error + "\n";
    }
    if (!r.run.left_for_admin.empty()) {
      out += "  Left for you to do:\n";
      for (const auto& l : r.run.left_for_admin) out += "    - " + l + "\n";
    }
  }
  return out + "\nResult: " + result_counts(result) + ".\n";
}

}  // namespace nestvirt::report
