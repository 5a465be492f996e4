// `nestvirt enable`, `disable` and `net-spoof`: plan each VM from facts (core/plan.h), then run
// the plan through the one executor (or show it with --dry-run).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "nestvirt/commands/common.h"
#include "nestvirt/core/guest_credentials.h"
#include "nestvirt/core/plan.h"
#include "nestvirt/core/results.h"
#include "nestvirt/engine/executor.h"

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
  const core::GuestLogin* login = nullptr;  // set with install_hyperv (not for a dry run)
};

// Reads the facts (one request), plans each VM, and runs each plan that changes something.
// Throws what engine::read_facts throws; never for a failed step.
core::ChangeResult run_change(powershell::ScriptHost& host, const ChangeRequest& request,
                              const engine::ExecOptions& options);

// The whole command: credentials first for --install-hyperv (from the environment, or asked on a
// terminal; a dry run only takes them from the environment and otherwise shows the generic guest
// steps), then run_change, then its report. `name` is "enable", "disable" or "net-spoof"; `what`
// names the change for the summary line, e.g. "nested virtualization enabled".
int change_command(const std::string& name, const std::string& what, ChangeRequest request,
                   const GlobalOptions& global);

}  // namespace nestvirt::commands
