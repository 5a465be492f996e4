// Which exit code a refusal or a failed finding gives: each code means one thing
// (docs/json-output.md), so the reason behind a refusal, not the command, picks it. Pure.
#pragma once

#include <string>
#include <vector>

#include "nestvirt/core/findings.h"
#include "nestvirt/core/outcome.h"

namespace nestvirt::core {

enum class RefusalKind {
  Prerequisite,  // 3: one of Microsoft's prerequisites for nesting is not met
  Unreadable,    // 4: a fact needed to decide could not be read
  NotFound,      // 10: a named VM, adapter, switch or NAT does not exist
  Conflict,      // 11: refused in this state, or because of something already there
  Credentials,   // 12: the guest rejected the credentials
  Garbled,       // 6: PowerShell answered, but not in a shape nestvirt can read
  NotReady,      // 17: the guest did not boot or answer in time
};

// By finding id (docs/prerequisites.md lists them with their kind). An id this table does not
// know is a Conflict: a refusal, not a claim about Microsoft's prerequisites.
RefusalKind refusal_kind(const std::string& finding_id);
int exit_code_of(RefusalKind kind);

// The exit code of a set of findings: the most severe kind among the failing ones (by the
// order of combine_exit_codes); else 4 if any is unknown; else 0. `check` exits with it, and a
// refused VM or NAT with that of its refusals.
int findings_exit_code(const std::vector<Finding>& findings);

// The exit code of one item (a VM, a NAT, a guest): 9 Incomplete, 8 Failed, 18 Interrupted, a
// refusal's by
// its findings (10 for NotFound, 11 for Refused when they say nothing more), else 0.
int item_exit_code(Outcome outcome, const std::vector<Finding>& refusals);

// One exit code for several items (VMs) or hosts: the most severe, in this order: 1, 9, 8, 18, 16,
// 7, 6, 5, 15, 14, 13, 17, 2, 3, 12, 4, 11, 10, 0. A bug first; a failed change outranks a host
// that could not be used, which outranks a refusal elsewhere; a missing prerequisite outranks a VM
// that is merely in the wrong state.
int combine_exit_codes(const std::vector<int>& codes);

}  // namespace nestvirt::core
