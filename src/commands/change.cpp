#include "nestvirt/commands/change.h"

#include <set>

#include "nestvirt/commands/check.h"

namespace nestvirt::commands {

ChangeResult run_change(powershell::ScriptHost& host, const ChangeRequest& request,
                        const ApplyOptions& apply_options) {
  const core::Facts facts = gather_facts(host, request.vms);
  ChangeResult result;
  result.host_findings = core::evaluate_host(facts.host);
  // Each VM on its own: one VM's refusal or failure does not stop the others. A VM that two
  // --vm arguments match (Web1 and Web*) is handled once, by id.
  std::set<std::string> seen;
  for (const auto& vm : facts.vms) {
    if (vm.exists && !seen.insert(vm.id).second) continue;
    core::VmPlan plan =
        request.spoof
            ? core::plan_spoof(request.spoof_options, facts.host, result.host_findings, vm)
            : core::plan_change(request.options, facts.host, result.host_findings, vm);
    if (request.dry_run || plan.decision != core::Decision::Change) {
      result.vms.push_back(report_without_running(plan, request.dry_run));
    } else {
      result.vms.push_back(apply_plan(host, plan, apply_options));
    }
  }
  result.exit_code = change_exit_code(result.vms);
  return result;
}

}  // namespace nestvirt::commands
