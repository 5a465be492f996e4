#include "nestvirt/commands/check.h"

#include "nestvirt/core/exit_rules.h"
#include "nestvirt/engine/requests.h"

namespace nestvirt::commands {

CheckResult run_check(powershell::ScriptHost& host, const CheckRequest& request) {
  CheckResult result;
  result.facts = engine::read_facts(host, request.vms, request.vms.empty());
  result.findings = core::evaluate_facts(result.facts);
  result.exit_code = core::findings_exit_code(result.findings);
  if (result.facts.all_vms) {
    result.overview = core::overview_vms(result.facts.host, core::evaluate_host(result.facts.host),
                                         result.facts.all_vms->vms);
  }
  return result;
}

}  // namespace nestvirt::commands
