#include "nestvirt/commands/check.h"

#include <stdexcept>

#include "nestvirt/core/exit_codes.h"
#include "nestvirt/core/facts_json.h"

namespace nestvirt::commands {

using core::Finding;
using core::Status;

std::vector<Finding> evaluate_all(const core::Facts& facts) {
  std::vector<Finding> findings = core::evaluate_host(facts.host);
  for (const auto& vm : facts.vms) {
    if (!vm.looked_up) {
      // Hyper-V could not be asked (module missing or no permission): say so rather than
      // claiming the VM is missing.
      findings.push_back({"vm.lookup", Status::Unknown, vm.requested_name, "", "VM lookup",
                          "not checked: Hyper-V could not be asked on this host",
                          "a working Hyper-V PowerShell module and permission to use it",
                          "fix the host findings above, then run nestvirt check again"});
      continue;
    }
    if (!vm.exists && !vm.lookup_error.empty()) {
      findings.push_back(
          {"vm.lookup", Status::Unknown, vm.requested_name, "", "VM lookup",
           "Hyper-V could not look up '" + vm.requested_name + "': " + vm.lookup_error,
           "Hyper-V answering Get-VM", "see the message; retry with -v for details"});
      continue;
    }
    auto vm_findings = core::evaluate_vm(facts.host, vm);
    findings.insert(findings.end(), vm_findings.begin(), vm_findings.end());
  }
  return findings;
}

int check_exit_code(const std::vector<Finding>& findings) {
  switch (core::worst(findings)) {
    case Status::Fail:
      return core::kExitPrerequisitesNotMet;
    case Status::Unknown:
      return core::kExitPrerequisitesUnknown;
    default:
      return core::kExitOk;
  }
}

core::Facts gather_facts(powershell::ScriptHost& host, const std::vector<std::string>& vms) {
  const powershell::Reply reply = host.call("facts", {{"vms", vms}});
  if (!reply.ok) {
    throw std::runtime_error("reading the host failed: " + reply.error.message + " (" +
                             reply.error.fully_qualified_error_id + ")");
  }
  return core::parse_facts(reply.result);
}

CheckResult run_check(powershell::ScriptHost& host, const CheckRequest& request) {
  CheckResult result;
  result.facts = gather_facts(host, request.vms);
  result.findings = evaluate_all(result.facts);
  result.exit_code = check_exit_code(result.findings);
  return result;
}

}  // namespace nestvirt::commands
