// What `enable` and `disable` will do to each VM, decided from facts alone. Pure functions:
// the plan is tested without PowerShell; the executor (src/engine/) carries it out.
#pragma once

#include <string>
#include <vector>

#include "nestvirt/core/facts.h"
#include "nestvirt/core/findings.h"
#include "nestvirt/core/step.h"

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
  bool start = false;  // enable --install-hyperv: the VM ends running (started if it was off)
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

}  // namespace nestvirt::core
