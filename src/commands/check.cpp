#include "nestvirt/commands/check.h"

#include "nestvirt/core/exit_rules.h"
#include "nestvirt/core/findings.h"
#include "nestvirt/core/hyperv_guest.h"
#include "nestvirt/engine/requests.h"
#include "nestvirt/process/interrupt.h"
#include "nestvirt/report/check.h"

namespace nestvirt::commands {

core::CheckResult run_check(powershell::ScriptHost& host, const CheckRequest& request) {
  core::CheckResult result;
  result.facts = engine::read_facts(host, request.vms, request.vms.empty());
  result.findings = core::evaluate_facts(result.facts);
  if (request.login != nullptr) {
    // --guest: each VM's guest, read through PowerShell Direct (read-only; no waiting).
    for (const auto& vm : result.facts.vms) {
      if (!vm.exists) continue;
      if (process::interrupt_count() > 0) {
        throw powershell::SessionError(
            powershell::SessionError::Kind::Interrupted, "guest_hyperv",
            "interrupted (" + process::interrupt_name() + ") between two guests' reads", "");
      }
      core::HyperVGuestOptions o;
      o.vm_selector = core::ps_quote(vm.name);
      o.nesting_exposed = vm.expose_virtualization_extensions.value_or(false);
      const core::VmRef ref{vm.id, vm.name};
      const auto guest = engine::read_hyperv_guest(host, ref, *request.login);
      for (auto& f : core::hyperv_guest_findings(guest, o, ref)) {
        result.findings.push_back(std::move(f));
      }
    }
  }
  result.exit_code = core::findings_exit_code(result.findings);
  if (result.facts.all_vms) {
    result.overview = core::overview_vms(result.facts.host, core::evaluate_host(result.facts.host),
                                         result.facts.all_vms->vms);
  }
  return result;
}

int check_command(CheckRequest request, bool guest, const GlobalOptions& global) {
  std::optional<core::GuestLogin> login;
  if (guest) {
    std::string error;
    login = guest_login(global, true, error);
    if (!login) {
      return usage_error("check", global,
                         "--guest needs an administrator account of the guest: " + error);
    }
    request.login = &*login;
  }
  return run_command("check", global, [&](powershell::ScriptHost& host) {
    const core::CheckResult result = run_check(host, request);
    return CommandOutput{result.exit_code, report::check_to_json(result),
                         report::check_to_text(result), "", ""};
  });
}

}  // namespace nestvirt::commands
