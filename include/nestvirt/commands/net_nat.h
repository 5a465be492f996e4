// `nestvirt net-nat`: create (or --remove) the internal switch, gateway address and NAT, run
// through the session with undo of what this run created when a step fails.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "nestvirt/commands/apply.h"
#include "nestvirt/core/nat_plan.h"
#include "nestvirt/powershell/session.h"

namespace nestvirt::commands {

struct NatStepReport {
  core::NatStep step;
  StepStatus status = StepStatus::Planned;
  double duration_ms = 0;
  std::string error;
};

struct NatResult {
  core::NatRequest request;
  std::vector<std::string> input_warnings;
  core::NatPlan plan;
  std::vector<NatStepReport> steps;
  VmOutcome outcome = VmOutcome::Planned;
  std::vector<std::string> left_for_admin;
  std::vector<core::ProbeError> probe_errors;
  int exit_code = 0;
};

struct NatApplyOptions {
  std::chrono::milliseconds poll_interval{500};
  std::chrono::seconds adapter_timeout{30};  // the host adapter can lag the new switch
};

NatResult run_net_nat(powershell::ScriptHost& host, const core::NatRequest& request, bool dry_run,
                      const NatApplyOptions& options);

nlohmann::json nat_to_json(const NatResult& result, bool dry_run);
std::string nat_to_text(const NatResult& result, bool dry_run);

}  // namespace nestvirt::commands
