// `nestvirt check`: read the host and VMs, evaluate the prerequisites, change nothing.
#pragma once

#include <string>
#include <vector>

#include "nestvirt/commands/common.h"
#include "nestvirt/core/guest_credentials.h"
#include "nestvirt/core/results.h"
#include "nestvirt/powershell/session.h"

namespace nestvirt::commands {

struct CheckRequest {
  std::vector<std::string> vms;  // as typed; Hyper-V wildcards allowed
  // --guest: also each VM's guest (Hyper-V inside it), with these credentials.
  const core::GuestLogin* login = nullptr;
};

// Reads the facts (one request) and evaluates them (core::evaluate_facts). Without --vm the
// same request lists every VM, and each gets core::overview_vm. Throws what
// engine::read_facts throws.
core::CheckResult run_check(powershell::ScriptHost& host, const CheckRequest& request);

// The whole command: with `guest`, credentials first; then run_check and its report.
int check_command(CheckRequest request, bool guest, const GlobalOptions& global);

}  // namespace nestvirt::commands
