// What `enable` and `disable` will do to each VM, decided from facts alone. Pure functions:
// the plan is tested without PowerShell; src/commands/apply.cpp carries it out.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "nestvirt/core/facts.h"
#include "nestvirt/core/findings.h"

namespace nestvirt::core {

enum class Action { Enable, Disable };

struct ChangeOptions {
  Action action = Action::Enable;
  bool restart = false;                 // stop a running VM (guest shutdown) and start it again
  bool force = false;                   // with --restart: power off if the guest does not stop
  int shutdown_timeout_seconds = 300;   // how long the guest gets to shut down
  bool discard_saved_state = false;     // a Saved VM: delete its saved state
  bool disable_dynamic_memory = false;  // enable: turn dynamic memory off as a step
  bool upgrade_version = false;         // enable: Update-VMVersion when the version is too low
  bool mac_spoofing = false;            // enable: MAC address spoofing on for every adapter
};

enum class StepKind {
  RemoveSavedState,
  StopVm,
  UpdateVersion,
  SetDynamicMemory,
  SetProcessor,
  SetMacSpoofing,
  StartVm,
};
std::string to_string(StepKind kind);  // "remove-saved-state", "stop-vm", ...

struct Step {
  StepKind kind = StepKind::SetProcessor;
  std::string title;       // "Turn nested virtualization on"
  std::string why;         // why this step is in the plan
  bool reversible = true;  // false: Update-VMVersion, Remove-VMSavedState
  nlohmann::json args;     // data for the step script (src/powershell/scripts/vm_step.ps1)
  std::vector<std::string> commands;  // the PowerShell it runs, VM named by id, values quoted
};

enum class Decision {
  Change,     // steps to run
  Unchanged,  // already as asked: nothing to run
  Refused,    // a prerequisite or the VM's state forbids it; nothing will be changed
  NotFound,   // the name matched no VM
};
std::string to_string(Decision decision);  // "change", "unchanged", "refused", "not-found"

struct VmPlan {
  VmFacts vm;
  Decision decision = Decision::Unchanged;
  std::vector<Finding> refusals;  // why it is refused, each with its fix (status fail)
  std::vector<Finding> warnings;  // proceeds anyway, but the admin should know (status warn)
  std::vector<Step> steps;
};

// Plans one VM. host_findings: evaluate_host(host), passed in so it is computed once.
VmPlan plan_change(const ChangeOptions& options, const HostFacts& host,
                   const std::vector<Finding>& host_findings, const VmFacts& vm);

// net-spoof: MAC address spoofing on (or off) for every adapter of the VM, or only `adapter`.
struct SpoofOptions {
  bool on = true;
  std::string adapter;  // empty: every adapter
};
VmPlan plan_spoof(const SpoofOptions& options, const HostFacts& host,
                  const std::vector<Finding>& host_findings, const VmFacts& vm);

// The step that puts back what `step` changed; nullopt when it cannot be undone
// (Update-VMVersion, Remove-VMSavedState) or needs nothing. `result` is what the step reported
// (e.g. which adapters it changed), so the undo touches only those.
std::optional<Step> undo_step(const Step& step, const VmFacts& vm, const nlohmann::json& result);

}  // namespace nestvirt::core
