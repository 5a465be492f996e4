// Step builders shared by plan.cpp; each step carries the data its script needs and the
// PowerShell it runs, shown by --dry-run.
#pragma once

#include <string>
#include <vector>

#include "nestvirt/core/plan.h"

namespace nestvirt::core::detail {

// (Hyper-V\Get-VM -Id '<id>'): steps name the VM by id, so duplicates and wildcard
// characters in names cannot make a step touch another VM.
std::string vm_by_id(const VmFacts& vm);

Step remove_saved_state_step(const VmFacts& vm);
Step stop_step(const ChangeOptions& o, const VmFacts& vm);
Step upgrade_step(const HostFacts& host, const VmFacts& vm);
Step memory_step(const VmFacts& vm, bool dynamic);
Step processor_step(const VmFacts& vm, bool expose);
Step mac_spoofing_step(const VmFacts& vm, const AdapterFacts& adapter, const std::string& value);
Step start_step(const VmFacts& vm, const std::string& why);

// Why a VM in its current power state cannot be changed with these options, and the fix.
Finding state_refusal(const ChangeOptions& o, const VmFacts& vm);

}  // namespace nestvirt::core::detail
