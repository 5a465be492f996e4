// `nestvirt check`: read the host and VMs, evaluate the prerequisites, change nothing.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "nestvirt/core/facts.h"
#include "nestvirt/core/findings.h"
#include "nestvirt/core/overview.h"
#include "nestvirt/engine/requests.h"
#include "nestvirt/powershell/session.h"

namespace nestvirt::commands {

struct CheckRequest {
  std::vector<std::string> vms;  // as typed; Hyper-V wildcards allowed
  // --guest: also each VM's guest (Hyper-V inside it), with these credentials.
  const engine::GuestLogin* login = nullptr;
};

struct CheckResult {
  core::Facts facts;
  std::vector<core::Finding> findings;  // host findings first, then each VM's in order
  // Without --vm: every VM on the host (facts.all_vms), one line each. The exit code stays the
  // host findings'.
  std::vector<core::VmOverview> overview;
  int exit_code = 0;
};

// Reads the facts (one request) and evaluates them (core::evaluate_facts). Without --vm the
// same request lists every VM, and each gets core::overview_vm. Throws what
// engine::read_facts throws.
CheckResult run_check(powershell::ScriptHost& host, const CheckRequest& request);

nlohmann::json check_to_json(const CheckResult& result);
std::string check_to_text(const CheckResult& result);

}  // namespace nestvirt::commands
