// `nestvirt net-nat`: create (or --remove) the internal switch, gateway address and NAT
// (core/nat_plan.h decides), run through the one executor.
#pragma once

#include <string>
#include <vector>

#include "nestvirt/commands/common.h"
#include "nestvirt/core/nat_plan.h"
#include "nestvirt/core/results.h"
#include "nestvirt/engine/executor.h"

namespace nestvirt::commands {

core::NatResult run_net_nat(powershell::ScriptHost& host, const core::NatRequest& request,
                            bool dry_run, const engine::ExecOptions& options);

// The whole command: the input checked (exit 2 before PowerShell starts), then run_net_nat and
// its report.
int net_nat_command(const core::NatInput& input, bool dry_run, const GlobalOptions& global);

}  // namespace nestvirt::commands
