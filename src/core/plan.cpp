// Deciding, per VM, what enable/disable must do and whether it may. The order of steps is
// Microsoft's (enable-nested-virtualization.md): the VM must be off for Set-VMProcessor, so
// stop → (upgrade) → memory → processor → MAC spoofing → start again if it was running.
#include "nestvirt/core/plan.h"

#include <algorithm>

#include "step_builders.h"

namespace nestvirt::core {

std::string to_string(Decision decision) {
  switch (decision) {
    case Decision::Change:
      return "change";
    case Decision::Unchanged:
      return "unchanged";
    case Decision::Refused:
      return "refused";
    case Decision::NotFound:
      break;
  }
  return "not-found";
}

namespace {

using detail::state_refusal;

bool upgrade_possible(const HostFacts& host) {
  const auto needed = required_version(host.vendor());
  const auto highest = host.highest_supported_version();
  return needed && highest && *highest >= *needed;
}

// Sorts the evaluated prerequisites into refusals and warnings for this action.
void apply_prerequisites(const ChangeOptions& o, const HostFacts& host,
                         const std::vector<Finding>& host_findings, const VmFacts& vm, VmPlan& plan,
                         bool& upgrade) {
  const bool enable = o.action == Action::Enable;
  for (const auto& f : host_findings) {
    // Disabling needs no nested-virtualization support, only a Hyper-V that answers.
    const bool relevant = enable || f.id == "host.hyperv-module" || f.id == "host.permissions";
    if (!relevant) continue;
    if (f.status == Status::Fail) plan.refusals.push_back(f);
    if (f.status == Status::Unknown) plan.warnings.push_back(f);
  }
  if (!enable) return;
  for (const auto& f : evaluate_vm(host, vm)) {
    if (f.id == "vm.nested-enabled" || f.id == "vm.exists") continue;  // what enable is for
    if (f.id == "vm.config-version" && f.status == Status::Fail && o.upgrade_version &&
        upgrade_possible(host)) {
      upgrade = true;
      continue;
    }
    if (f.id == "vm.dynamic-memory" && o.disable_dynamic_memory) continue;  // becomes a step
    if (f.status == Status::Fail) plan.refusals.push_back(f);
    if (f.status == Status::Warn || f.status == Status::Unknown) plan.warnings.push_back(f);
  }
}

}  // namespace

VmPlan plan_change(const ChangeOptions& o, const HostFacts& host,
                   const std::vector<Finding>& host_findings, const VmFacts& vm) {
  VmPlan plan;
  plan.vm = vm;
  if (!vm.exists && !vm.looked_up) {
    // Hyper-V could not be asked: the host's failures say why; the VM may well exist.
    plan.decision = Decision::Refused;
    for (const auto& f : host_findings) {
      if (f.status == Status::Fail) plan.refusals.push_back(f);
    }
    if (plan.refusals.empty()) {
      Finding f;
      f.id = "vm.lookup";
      f.status = Status::Fail;
      f.vm = vm.requested_name;
      f.title = "VM lookup";
      f.seen = "Hyper-V could not be asked about " + ps_quote(vm.requested_name);
      f.needed = "a Hyper-V PowerShell module that answers";
      f.fix = "Run nestvirt check for details.";
      plan.refusals.push_back(f);
    }
    return plan;
  }
  if (!vm.exists) {
    plan.decision = Decision::NotFound;
    for (const auto& f : evaluate_vm(host, vm)) {
      if (f.status == Status::Fail) plan.refusals.push_back(f);
    }
    return plan;
  }
  const bool enable = o.action == Action::Enable;
  bool upgrade = false;
  apply_prerequisites(o, host, host_findings, vm, plan, upgrade);

  const bool want = enable;
  const bool processor = vm.expose_virtualization_extensions != want;  // unknown: set it
  const bool memory = enable && o.disable_dynamic_memory && vm.dynamic_memory.value_or(false);
  std::vector<AdapterFacts> adapters;
  if (enable && o.mac_spoofing) {
    for (const auto& a : vm.adapters) {
      if (a.mac_address_spoofing != "On") adapters.push_back(a);
    }
  }
  if (!plan.refusals.empty()) {
    plan.decision = Decision::Refused;
    return plan;
  }
  const char* const start_why = "--install-hyperv: Hyper-V is installed in the running guest";
  if (!processor && !memory && !upgrade && adapters.empty()) {
    if (o.start && vm.state == "Off") {
      plan.decision = Decision::Change;
      plan.steps.push_back(detail::start_step(detail::ref_of(vm), start_why, "Start the VM"));
      return plan;
    }
    plan.decision = Decision::Unchanged;
    return plan;
  }

  // Set-VMProcessor, Set-VMMemory -DynamicMemoryEnabled and Update-VMVersion need the VM off.
  const bool needs_off = processor || memory || upgrade;
  bool stop = false;
  bool discard = false;
  if (needs_off && vm.state != "Off") {
    if (vm.state == "Running" && o.restart) {
      stop = true;
    } else if (vm.state == "Saved" && o.discard_saved_state) {
      discard = true;
    } else {
      plan.refusals.push_back(state_refusal(o, vm));
      plan.decision = Decision::Refused;
      return plan;
    }
  }

  plan.decision = Decision::Change;
  const VmRef ref = detail::ref_of(vm);
  if (discard) plan.steps.push_back(detail::remove_saved_state_step(ref));
  if (stop) plan.steps.push_back(detail::stop_step(o, ref));
  if (upgrade) plan.steps.push_back(detail::upgrade_step(host, vm));
  if (memory) plan.steps.push_back(detail::memory_step(ref, false));
  if (processor) plan.steps.push_back(detail::processor_step(ref, want));
  // One step per adapter, so a failure on the second undoes the first.
  for (const auto& a : adapters)
    plan.steps.push_back(detail::mac_spoofing_step(ref, a.id, a.name, true));
  if (stop) {
    plan.steps.push_back(detail::start_step(ref, "it was running before nestvirt stopped it"));
  } else if (o.start && (vm.state == "Off" || discard)) {
    plan.steps.push_back(detail::start_step(ref, start_why, "Start the VM"));
  }
  return plan;
}

}  // namespace nestvirt::core
