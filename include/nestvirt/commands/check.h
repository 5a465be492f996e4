// `nestvirt check`: read the host and VMs, evaluate the prerequisites, change nothing.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "nestvirt/core/facts.h"
#include "nestvirt/core/findings.h"
#include "nestvirt/powershell/session.h"

namespace nestvirt::commands {

struct CheckRequest {
  std::vector<std::string> vms;  // as typed; Hyper-V wildcards allowed
};

struct CheckResult {
  core::Facts facts;
  std::vector<core::Finding> findings;  // host findings first, then each VM's in order
  int exit_code = 0;
};

// One facts request for the named VMs (used by every command). Throws SessionError when
// PowerShell fails, std::runtime_error when the answer cannot be read.
core::Facts gather_facts(powershell::ScriptHost& host, const std::vector<std::string>& vms);

// Gathers facts through `host` (one request) and evaluates them. Throws SessionError when
// PowerShell fails, std::runtime_error when its answer cannot be read.
CheckResult run_check(powershell::ScriptHost& host, const CheckRequest& request);

// Pure: findings for facts, and the exit code they mean.
std::vector<core::Finding> evaluate_all(const core::Facts& facts);
int check_exit_code(const std::vector<core::Finding>& findings);

nlohmann::json check_to_json(const CheckResult& result);
std::string check_to_text(const CheckResult& result);

}  // namespace nestvirt::commands
