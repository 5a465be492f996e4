// `nestvirt enable`, `disable` and `net-spoof`: plan each VM from facts (core/plan.h), then run
// the plan through the one executor (or show it with --dry-run).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "nestvirt/core/outcome.h"
#include "nestvirt/core/plan.h"
#include "nestvirt/engine/executor.h"
#include "nestvirt/engine/hyperv_guest_runner.h"

namespace nestvirt::commands {

struct ChangeRequest {
  std::vector<std::string> vms;
  core::ChangeOptions options;
  bool dry_run = false;
  // net-spoof plans with plan_spoof instead of plan_change.
  bool spoof = false;
  core::SpoofOptions spoof_options;
  // enable --install-hyperv: after nesting is on and the VM runs, Hyper-V inside the guest.
  bool install_hyperv = false;
  std::chrono::seconds guest_timeout{900};
  std::string install_source;
  bool reboot_guest_first = false;
  const engine::GuestLogin* login = nullptr;  // set with install_hyperv (not for a dry run)
};

struct VmReport {
  core::VmPlan plan;
  core::ExecReport run;  // what happened (Planned with --dry-run); guest steps appended
  // --install-hyperv: the guest's part, when it was reached (its steps are also in run.steps).
  std::optional<engine::HyperVGuestRun> guest;
  bool guest_unread = false;  // a dry run that could not read the guest: generic guest steps
};

struct ChangeResult {
  std::vector<core::Finding> host_findings;
  std::vector<VmReport> vms;
  int exit_code = 0;
};

// Reads the facts (one request), plans each VM, and runs each plan that changes something.
// Throws what engine::read_facts throws; never for a failed step.
ChangeResult run_change(powershell::ScriptHost& host, const ChangeRequest& request,
                        const engine::ExecOptions& options);

nlohmann::json change_to_json(const ChangeResult& result, bool dry_run);
// `what` names the change for the summary line, e.g. "nested virtualization enabled".
std::string change_to_text(const ChangeResult& result, const std::string& what, bool dry_run);

}  // namespace nestvirt::commands
