// check's evaluation of all facts, and the exit code its findings mean.
#include "nestvirt/core/exit_codes.h"
#include "nestvirt/core/findings.h"

namespace nestvirt::core {

std::vector<Finding> evaluate_facts(const Facts& facts) {
  std::vector<Finding> findings = evaluate_host(facts.host);
  for (const auto& vm : facts.vms) {
    if (!vm.looked_up) {
      // Hyper-V could not be asked (module missing or no permission): say so rather than
      // claiming the VM is missing.
      findings.push_back({"vm.lookup", Status::Unknown, vm.requested_name, "", "VM lookup",
                          "not checked: Hyper-V could not be asked on this host",
                          "a working Hyper-V PowerShell module and permission to use it",
                          "fix the host findings above, then run nestvirt check again", ""});
      continue;
    }
    if (!vm.exists && !vm.lookup_error.empty()) {
      findings.push_back(
          {"vm.lookup", Status::Unknown, vm.requested_name, "", "VM lookup",
           "Hyper-V could not look up '" + vm.requested_name + "': " + vm.lookup_error,
           "Hyper-V answering Get-VM", "see the message; retry with -v for details", ""});
      continue;
    }
    auto vm_findings = evaluate_vm(facts.host, vm);
    findings.insert(findings.end(), vm_findings.begin(), vm_findings.end());
  }
  return findings;
}

}  // namespace nestvirt::core
