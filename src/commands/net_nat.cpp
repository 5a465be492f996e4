#include "nestvirt/commands/net_nat.h"

#include "nestvirt/core/exit_codes.h"
#include "nestvirt/core/exit_rules.h"
#include "nestvirt/engine/requests.h"
#include "nestvirt/report/net_nat.h"

namespace nestvirt::commands {

core::NatResult run_net_nat(powershell::ScriptHost& host, const core::NatRequest& request,
                            bool dry_run, const engine::ExecOptions& options) {
  core::NatResult result;
  result.request = request;
  const core::Facts facts = engine::read_facts(host, request.connect_vms);
  const core::NetFacts net = engine::read_net_facts(host, request.switch_name);
  result.probe_errors = net.errors;
  result.plan = core::plan_nat(request, net, core::evaluate_host(facts.host), facts.vms);
  if (result.plan.refused()) {
    // Only names that do not exist (a --remove or --connect-vm name): the result says so, as
    // its exit code (10) does, like enable's and net-nat guest's.
    const bool not_found = core::findings_exit_code(result.plan.refusals) == core::kExitNotFound;
    result.run = core::not_run(result.plan.steps,
                               not_found ? core::Outcome::NotFound : core::Outcome::Refused);
  } else if (result.plan.steps.empty()) {
    result.run = core::not_run(result.plan.steps, core::Outcome::Unchanged);
  } else if (dry_run) {
    result.run = core::not_run(result.plan.steps, core::Outcome::Planned);
  } else {
    result.run = engine::execute(host, result.plan.steps, options);
  }
  result.exit_code = core::item_exit_code(result.run.outcome, result.plan.refusals);
  return result;
}

int net_nat_command(const core::NatInput& input, bool dry_run, const GlobalOptions& global) {
  const core::NatInputCheck checked = core::check_nat_input(input);
  if (!checked.request) {
    std::string message;
    for (const auto& e : checked.errors) message += (message.empty() ? "" : "\n  ") + e;
    return usage_error("net-nat", global, message);
  }
  const engine::ExecOptions options = exec_options(global);
  return run_command("net-nat", global, [&](powershell::ScriptHost& host) {
    core::NatResult result = run_net_nat(host, *checked.request, dry_run, options);
    result.input_warnings = checked.warnings;
    return CommandOutput{result.exit_code, report::nat_to_json(result, dry_run),
                         report::nat_to_text(result, dry_run), "", ""};
  });
}

}  // namespace nestvirt::commands
