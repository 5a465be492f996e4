#include "nestvirt/commands/check.h"

#include "nestvirt/core/exit_rules.h"
#include "nestvirt/engine/requests.h"

namespace nestvirt::commands {

CheckResult run_check(powershell::ScriptHost& host, const CheckRequest& request) {
  CheckResult result;
  result.facts = engine::read_facts(host, request.vms);
  result.findings = core::evaluate_facts(result.facts);
  result.exit_code = core::findings_exit_code(result.findings);
  return result;
}

}  // namespace nestvirt::commands
