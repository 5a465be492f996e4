#include "nestvirt/commands/change.h"

#include <set>

#include "nestvirt/core/exit_codes.h"
#include "nestvirt/core/exit_rules.h"
#include "nestvirt/core/findings.h"
#include "nestvirt/core/hyperv_guest.h"
#include "nestvirt/engine/guest_wait.h"
#include "nestvirt/engine/requests.h"
#include "nestvirt/process/interrupt.h"
#include "nestvirt/report/change.h"

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

bool has_step(const core::VmPlan& plan, core::StepKind kind) {
  for (const auto& s : plan.steps) {
    if (s.kind == kind) return true;
  }
  return false;
}

// --install-hyperv, with the VM running and nesting on: wait for the guest (Heartbeat OK, then
// PowerShell Direct answering), read it, plan only what is missing (core::plan_hyperv_guest)
// and run that through the one executor.
core::HyperVGuestRun run_hyperv_guest(powershell::ScriptHost& host, const core::VmRef& vm,
                                      const core::HyperVGuestOptions& o, bool dry_run,
                                      const core::GuestLogin& login,
                                      const engine::ExecOptions& options) {
  core::HyperVGuestRun out;
  if (process::interrupt_count() > 0) {  // interrupted while the VM's part ran
    out.run = core::interrupted_before({}, process::interrupt_name());
    return out;
  }
  engine::GuestWait boot;
  try {
    boot = engine::wait_for_guest(host, vm, login, options, "booting");
  } catch (const powershell::SessionError& e) {
    // The VM's part has run: its report must stand, so the guest's failure is said here
    // instead of ending the command (which would leave the VM's changes unreported).
    if (e.kind() == powershell::SessionError::Kind::Interrupted) {
      out.run = core::interrupted_before({}, process::interrupt_name());
    } else {
      out.run = core::not_run({}, core::Outcome::Failed);
      out.error = e.what() + (e.detail().empty() ? std::string() : ": " + e.detail());
    }
    return out;
  } catch (const std::exception& e) {  // engine::ScriptFailure, core::ReplyError
    out.run = core::not_run({}, core::Outcome::Failed);
    out.error = e.what();
    return out;
  }
  out.before = boot.facts;
  out.after = boot.facts;
  out.waited_s = boot.seconds;
  if (boot.interrupted) {
    out.run = core::interrupted_before({}, process::interrupt_name());
    return out;
  }
  const core::HyperVGuestPlan plan = core::plan_hyperv_guest(boot.facts, o, vm);
  if (!plan.refusals.empty()) {
    out.refusals = plan.refusals;
    // A guest that never answered in time says how long nestvirt waited.
    if (plan.refusals.front().id == "guest.not-ready") {
      out.refusals = {*core::reach_refusal(boot.facts, vm, o.vm_selector, boot.seconds)};
    }
    out.run = core::not_run({}, core::Outcome::Refused);
    return out;
  }
  if (plan.steps.empty()) {
    out.run = core::not_run({}, core::Outcome::Unchanged);
    return out;
  }
  if (dry_run) {
    out.run = core::not_run(plan.steps, core::Outcome::Planned);
    return out;
  }
  out.run = engine::execute(host, plan.steps, options, &login);
  out.reboots = out.run.guest_reboots;
  out.waited_s += out.run.guest_waited_s;
  for (auto it = out.run.steps.rbegin(); it != out.run.steps.rend(); ++it) {
    if (const auto* f = std::get_if<core::HyperVGuestFacts>(&it->readback)) {
      out.after = *f;  // what the guest said last
      break;
    }
  }
  return out;
}

// --install-hyperv, after the VM's own plan ran (or was shown): the guest's part, appended to
// the VM's report, and one result for both (core::combine_vm_and_guest).
void run_guest_part(powershell::ScriptHost& host, const ChangeRequest& request,
                    const engine::ExecOptions& options, core::VmReport& report) {
  const core::Outcome vm_outcome = report.run.outcome;
  if (vm_outcome != core::Outcome::Changed && vm_outcome != core::Outcome::Unchanged &&
      vm_outcome != core::Outcome::Planned) {
    return;  // refused, not found or failed: the guest is not reached
  }
  const core::VmFacts& vm = report.plan.vm;
  const core::VmRef ref{vm.id, vm.name};
  core::HyperVGuestOptions o;
  o.source = request.install_source;
  o.reboot_first = request.reboot_guest_first;
  o.vm_selector = core::ps_quote(vm.name);
  o.nesting_exposed = vm.expose_virtualization_extensions.value_or(false) ||
                      has_step(report.plan, core::StepKind::SetProcessor);
  if (request.dry_run &&
      (vm.state != "Running" || !report.plan.steps.empty() || request.login == nullptr)) {
    // The guest cannot be read as it will be: show what would run for either edition.
    for (auto& step : core::unread_guest_steps(ref, request.install_source)) {
      report.run.steps.push_back({step, core::StepStatus::Planned, 0, "", "", {}});
    }
    report.guest_unread = true;
    report.run.outcome = core::Outcome::Planned;
    return;
  }
  engine::ExecOptions guest_options = options;
  guest_options.guest_timeout = request.guest_timeout;
  core::HyperVGuestRun guest =
      run_hyperv_guest(host, ref, o, request.dry_run, *request.login, guest_options);
  for (const auto& s : guest.run.steps) report.run.steps.push_back(s);
  for (const auto& f : guest.refusals) report.plan.refusals.push_back(f);
  for (const auto& l : guest.run.left_for_admin) report.run.left_for_admin.push_back(l);
  const core::VmAndGuest both = core::combine_vm_and_guest(vm_outcome, guest.run.outcome, ref);
  report.run.outcome = both.outcome;
  for (const auto& l : both.left_for_admin) report.run.left_for_admin.push_back(l);
  report.guest = std::move(guest);
}

}  // namespace

core::ChangeResult run_change(powershell::ScriptHost& host, const ChangeRequest& request,
                              const engine::ExecOptions& options) {
  const core::Facts facts = engine::read_facts(host, request.vms);
  core::ChangeResult result;
  result.host_findings = core::evaluate_host(facts.host);
  // Each VM on its own: one VM's refusal or failure does not stop the others. A VM that two
  // --vm arguments match (Web1 and Web*) is handled once, by id.
  std::set<std::string> seen;
  std::vector<int> codes;
  for (const auto& vm : facts.vms) {
    if (vm.exists && !seen.insert(vm.id).second) continue;
    core::VmReport report;
    report.plan =
        request.spoof
            ? core::plan_spoof(request.spoof_options, facts.host, result.host_findings, vm)
            : core::plan_change(request.options, facts.host, result.host_findings, vm);
    if (process::interrupt_count() > 0 && !request.dry_run &&
        report.plan.decision == core::Decision::Change) {
      // Interrupted while an earlier VM ran: this one is not started.
      report.run = core::interrupted_before(report.plan.steps, process::interrupt_name());
    } else if (request.dry_run || report.plan.decision != core::Decision::Change) {
      core::Outcome outcome = outcome_without_running(report.plan.decision, request.dry_run);
      // Only names that do not exist (a VM, an --adapter): the result says so, as its exit code
      // (10) does, like net-nat's.
      if (outcome == core::Outcome::Refused &&
          core::findings_exit_code(report.plan.refusals) == core::kExitNotFound) {
        outcome = core::Outcome::NotFound;
      }
      report.run = core::not_run(report.plan.steps, outcome);
    } else {
      report.run = engine::execute(host, report.plan.steps, options);
    }
    if (request.install_hyperv) run_guest_part(host, request, options, report);
    codes.push_back(core::item_exit_code(report.run.outcome, report.plan.refusals));
    result.vms.push_back(std::move(report));
  }
  result.exit_code = core::combine_exit_codes(codes);
  return result;
}

int change_command(const std::string& name, const std::string& what, ChangeRequest request,
                   const GlobalOptions& global) {
  std::optional<core::GuestLogin> login;
  if (request.install_hyperv) {
    std::string error;
    login = guest_login(global, !request.dry_run, error);
    if (!login && !request.dry_run) {
      return usage_error(name, global,
                         "--install-hyperv needs an administrator account of the guest: " + error);
    }
    if (login) request.login = &*login;
  }
  const engine::ExecOptions options = exec_options(global);
  return run_command(name, global, [&](powershell::ScriptHost& host) {
    const core::ChangeResult result = run_change(host, request, options);
    return CommandOutput{result.exit_code, report::change_to_json(result, request.dry_run),
                         report::change_to_text(result, what, request.dry_run), "", ""};
  });
}

}  // namespace nestvirt::commands
