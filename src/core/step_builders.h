// The builders of every step (step.h): each one carries its typed arguments and the exact
// PowerShell it runs, which --dry-run shows. The planners and core::undo_step use them, so a
// step and its undo are always described the same way. Not part of the public interface.
#pragma once

#include <string>
#include <vector>

#include "nestvirt/core/findings.h"
#include "nestvirt/core/plan.h"
#include "nestvirt/core/step.h"

namespace nestvirt::core::detail {

// Every step is built here: its kind, words, typed arguments, PowerShell and reversibility.
Step make_step(StepKind kind, std::string title, std::string why, StepArgs args,
               std::vector<std::string> commands, bool reversible = true);

// (Hyper-V\Get-VM -Id '<id>'): steps name the VM by id, so duplicates and wildcard
// characters in names cannot make a step touch another VM.
std::string vm_by_id(const std::string& id);
VmRef ref_of(const VmFacts& vm);

// enable, disable, net-spoof (plan_steps.cpp).
Step remove_saved_state_step(const VmRef& vm);
Step stop_step(const ChangeOptions& o, const VmRef& vm);
Step upgrade_step(const HostFacts& host, const VmFacts& vm);
Step memory_step(const VmRef& vm, bool dynamic);
Step processor_step(const VmRef& vm, bool expose);
Step mac_spoofing_step(const VmRef& vm, const std::string& adapter_id,
                       const std::string& adapter_name, bool on);
Step start_step(const VmRef& vm, const std::string& why,
                const std::string& title = "Start the VM again");

// Why a VM in its current power state cannot be changed with these options, and the fix.
Finding state_refusal(const ChangeOptions& o, const VmFacts& vm);

// net-nat (nat_steps.cpp). `why` says why the step is in the plan.
std::string wildcard_escape(const std::string& s);  // [WildcardPattern]::Escape
Step new_switch_step(const std::string& name);
Step remove_switch_step(const std::string& name, const std::string& id, const std::string& why);
// The host adapter Hyper-V gives a switch: where the gateway address goes.
std::string host_adapter_alias(const std::string& switch_name);
Step new_address_step(const std::string& ip, int prefix_length, const std::string& switch_name,
                      const std::string& why);
Step remove_address_step(const std::string& ip, int prefix_length, const std::string& switch_name,
                         const std::string& why);
Step new_nat_step(const std::string& name, const std::string& prefix, const std::string& why);
Step remove_nat_step(const std::string& name, const std::string& prefix, const std::string& why);
// to_switch empty: disconnect. from_switch: where the adapter is now.
Step connect_step(const VmRef& vm, const std::string& adapter_id, const std::string& adapter_name,
                  const std::string& to_switch, const std::string& from_switch,
                  const std::string& why);

// net-nat guest (guest_steps.cpp). if_index 0 writes `$ifIndex` (the --print script sets it).
Step guest_add_address_step(const GuestArgs& args, const std::string& why);
Step guest_add_gateway_step(const GuestArgs& args, const std::string& why);
Step guest_set_dns_step(const GuestArgs& args, const std::string& why);
Step guest_remove_address_step(const GuestArgs& args, const std::string& why);
Step guest_remove_gateway_step(const GuestArgs& args, const std::string& why);

}  // namespace nestvirt::core::detail
