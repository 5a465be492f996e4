// net-nat guest's reasons not to go on, as findings: the one shape every command reports
// refusals in (docs/json-output.md), with ids shared with the other commands where the cause
// is the same (a VM that does not exist is vm.exists everywhere). Pure.
#pragma once

#include <string>

#include "nestvirt/core/findings.h"
#include "nestvirt/core/guest_plan.h"

namespace nestvirt::core {

// The finding id of a problem kind: "vm-not-found" -> "vm.exists",
// "credential-invalid" -> "guest.credentials", "address-conflict" -> "guest.address-conflict".
std::string guest_finding_id(const std::string& problem_kind);

// The problem as a failing finding of the VM `vm` (as typed) with `vm_id` (empty if none).
Finding guest_finding(const GuestProblem& problem, const std::string& vm, const std::string& vm_id);

}  // namespace nestvirt::core
