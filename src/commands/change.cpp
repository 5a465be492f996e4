#include "nestvirt/commands/change.h"

#include <set>

#include "nestvirt/core/exit_rules.h"
#include "nestvirt/engine/requests.h"

namespace nestvirt::commands {

namespace {

core::Outcome outcome_without_running(core::Decision decision, bool dry_run) {
  switch (decision) {
    case core::Decision::Change:
      return dry_run ? core::Outcome::Planned : core::Outcome::Changed;
    case core::Decision::Unchanged:
      return core::Outcome::Unchanged;
    case core::Decision::Refused:
      return core::Outcome::Refused;
    case core::Decision::NotFound:
      break;
  }
  return core::Outcome::NotFound;
}

}  // namespace

ChangeResult run_change(powershell::ScriptHost& host, const ChangeRequest& request,
                        const engine::ExecOptions& options) {
  const core::Facts facts = engine::read_facts(host, request.vms);
  ChangeResult result;
  result.host_findings = core::evaluate_host(facts.host);
  // Each VM on its own: one VM's refusal or failure does not stop the others. A VM that two
  // --vm arguments match (Web1 and Web*) is handled once, by id.
  std::set<std::string> seen;
  std::vector<int> codes;
  for (const auto& vm : facts.vms) {
    if (vm.exists && !seen.insert(vm.id).second) continue;
    VmReport report;
    report.plan =
        request.spoof
            ? core::plan_spoof(request.spoof_options, facts.host, result.host_findings, vm)
            : core::plan_change(request.options, facts.host, result.host_findings, vm);
    if (request.dry_run || report.plan.decision != core::Decision::Change) {
      report.run = core::not_run(report.plan.steps,
                                 outcome_without_running(report.plan.decision, request.dry_run));
    } else {
      report.run = engine::execute(host, report.plan.steps, options);
    }
    codes.push_back(core::item_exit_code(report.run.outcome, report.plan.refusals));
    result.vms.push_back(std::move(report));
  }
  result.exit_code = core::combine_exit_codes(codes);
  return result;
}

}  // namespace nestvirt::commands
