// `nestvirt net-nat guest`: a nested VM's address, gateway and DNS servers, set inside it
// through PowerShell Direct (core/guest_plan.h decides; the one executor runs the steps), or
// the commands for an admin to run there (--print).
#pragma once

#include <string>

#include "nestvirt/commands/common.h"
#include "nestvirt/core/guest_credentials.h"
#include "nestvirt/core/guest_plan.h"
#include "nestvirt/core/results.h"
#include "nestvirt/engine/executor.h"

namespace nestvirt::commands {

// The request, with nothing executed (--print).
core::GuestResult printed_result(const core::GuestRequest& request);

// Reads the guest (one request), plans against the host's network `net` (read before, for
// the prefix and the checks that the address can work), and runs the plan's steps; with
// `dry_run` it reads and plans the same way but runs nothing (result "planned").
core::GuestResult run_net_nat_guest(powershell::ScriptHost& host, const core::GuestRequest& request,
                                    const core::NetFacts& net, const core::GuestLogin& login,
                                    bool dry_run, const engine::ExecOptions& options);

// The whole command: input checked before PowerShell starts (--print starts nothing at all),
// credentials, the host's NAT read first, then run_net_nat_guest and its report.
int net_nat_guest_command(const core::GuestInput& input, bool dry_run, const GlobalOptions& global);

}  // namespace nestvirt::commands
