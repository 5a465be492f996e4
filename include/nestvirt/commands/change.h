// `nestvirt enable` and `nestvirt disable`: plan each VM from facts, then run the plan (or
// show it with --dry-run).
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "nestvirt/commands/apply.h"
#include "nestvirt/core/plan.h"

namespace nestvirt::commands {

struct ChangeRequest {
  std::vector<std::string> vms;
  core::ChangeOptions options;
  bool dry_run = false;
  // net-spoof plans with plan_spoof instead of plan_change.
  bool spoof = false;
  core::SpoofOptions spoof_options;
};

struct ChangeResult {
  std::vector<core::Finding> host_findings;
  std::vector<VmReport> vms;
  int exit_code = 0;
};

ChangeResult run_change(powershell::ScriptHost& host, const ChangeRequest& request,
                        const ApplyOptions& apply_options);

nlohmann::json change_to_json(const ChangeResult& result, bool dry_run);
// `what` names the change for the summary line, e.g. "nested virtualization enabled".
std::string change_to_text(const ChangeResult& result, const std::string& what, bool dry_run);

}  // namespace nestvirt::commands
