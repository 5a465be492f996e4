// `nestvirt net-nat guest`: a nested VM's address, gateway and DNS servers, set inside it
// through PowerShell Direct (core/guest_plan.h decides; the one executor runs the steps), or
// the commands for an admin to run there (--print).
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "nestvirt/core/guest_plan.h"
#include "nestvirt/core/outcome.h"
#include "nestvirt/engine/executor.h"

namespace nestvirt::commands {

struct GuestResult {
  core::GuestRequest request;
  bool print = false;
  bool dry_run = false;           // --dry-run: read and planned, nothing ran
  std::string credential_source;  // "environment", "prompt", or empty: never the values
  core::GuestPlan plan;
  core::ExecReport run;
  std::vector<core::GuestItem> items;  // before and after, with what was done to each
  std::string result;  // printed, planned, changed, unchanged, refused, failed, incomplete
  int exit_code = 0;
};

// The request, with nothing executed (--print).
GuestResult printed_result(const core::GuestRequest& request);

// Reads the guest (one request), plans against the host's network `net` (read before, for
// the prefix and the checks that the address can work), and runs the plan's steps; with
// `dry_run` it reads and plans the same way but runs nothing (result "planned").
GuestResult run_net_nat_guest(powershell::ScriptHost& host, const core::GuestRequest& request,
                              const core::NetFacts& net, const engine::GuestLogin& login,
                              const std::string& credential_source, bool dry_run,
                              const engine::ExecOptions& options);

nlohmann::json guest_to_json(const GuestResult& result);
std::string guest_to_text(const GuestResult& result);

}  // namespace nestvirt::commands
