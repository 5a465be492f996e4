// `nestvirt net-nat`: create (or --remove) the internal switch, gateway address and NAT
// (core/nat_plan.h decides), run through the one executor.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "nestvirt/core/nat_plan.h"
#include "nestvirt/core/outcome.h"
#include "nestvirt/engine/executor.h"

namespace nestvirt::commands {

struct NatResult {
  core::NatRequest request;
  std::vector<std::string> input_warnings;
  core::NatPlan plan;
  core::ExecReport run;
  std::vector<core::ProbeError> probe_errors;
  int exit_code = 0;
};

NatResult run_net_nat(powershell::ScriptHost& host, const core::NatRequest& request, bool dry_run,
                      const engine::ExecOptions& options);

nlohmann::json nat_to_json(const NatResult& result, bool dry_run);
std::string nat_to_text(const NatResult& result, bool dry_run);

}  // namespace nestvirt::commands
