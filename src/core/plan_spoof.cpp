// net-spoof: the first networking option of Microsoft's page. Spoofing can change while the VM
// runs, so there is no power step; only Hyper-V access matters of the host's prerequisites.
#include "nestvirt/core/plan.h"
#include "step_builders.h"

namespace nestvirt::core {

namespace {

Finding warning(const VmFacts& vm, const std::string& id, std::string title, std::string seen,
                std::string needed, std::string fix) {
  return {id,
          Status::Warn,
          vm.name,
          vm.id,
          std::move(title),
          std::move(seen),
          std::move(needed),
          std::move(fix),
          ""};
}

}  // namespace

VmPlan plan_spoof(const SpoofOptions& o, const HostFacts& host,
                  const std::vector<Finding>& host_findings, const VmFacts& vm) {
  if (!vm.exists) {
    ChangeOptions as_disable;  // the same answers for VMs that are missing or not looked up
    as_disable.action = Action::Disable;
    return plan_change(as_disable, host, host_findings, vm);
  }
  VmPlan plan;
  plan.vm = vm;
  for (const auto& f : host_findings) {
    if (f.id != "host.hyperv-module" && f.id != "host.permissions") continue;
    if (f.status == Status::Fail) plan.refusals.push_back(f);
    if (f.status == Status::Unknown) plan.warnings.push_back(f);
  }
  if (!plan.refusals.empty()) {
    plan.decision = Decision::Refused;
    return plan;
  }

  const std::string wanted = o.on ? "On" : "Off";
  std::vector<AdapterFacts> change;
  bool matched = false;
  std::string names;
  for (const auto& a : vm.adapters) {
    names += (names.empty() ? "" : ", ") + ps_quote(a.name);
    if (!o.adapter.empty() && a.name != o.adapter) continue;
    matched = true;
    if (a.switch_name.empty()) {
      plan.warnings.push_back(
          warning(vm, "adapter.not-connected", "Adapter not connected",
                  "adapter " + ps_quote(a.name) + " is not connected to any virtual switch",
                  "a switch, for nested VMs to reach a network",
                  "Connect it: Hyper-V\\Get-VMNetworkAdapter -VM " + detail::vm_by_id(vm.id) +
                      " | Where-Object { $_.Id -eq " + ps_quote(a.id) +
                      " } | Hyper-V\\Connect-VMNetworkAdapter -SwitchName '<switch>'"));
    }
    if (a.mac_address_spoofing != wanted) change.push_back(a);
  }
  if (!matched) {
    Finding f;
    f.id = "vm.adapter";
    f.status = Status::Fail;
    f.vm = vm.name;
    f.vm_id = vm.id;
    f.title = o.adapter.empty() ? "VM has no network adapter" : "No such network adapter";
    f.seen = o.adapter.empty() ? "the VM has no network adapters"
                               : "no adapter named " + ps_quote(o.adapter) +
                                     " (adapters: " + (names.empty() ? "none" : names) + ")";
    f.needed = "a network adapter on the VM";
    f.fix = o.adapter.empty()
                ? "Add one: Hyper-V\\Add-VMNetworkAdapter -VM " + detail::vm_by_id(vm.id) +
                      " -SwitchName '<switch>'"
                : "Name one of the adapters listed (Hyper-V\\Get-VMNetworkAdapter -VM " +
                      detail::vm_by_id(vm.id) + "), or leave --adapter out to change them all.";
    plan.refusals.push_back(f);
    plan.decision = Decision::Refused;
    return plan;
  }
  if (change.empty()) {
    plan.decision = Decision::Unchanged;
    return plan;
  }
  plan.decision = Decision::Change;
  for (const auto& a : change) {
    Step step = detail::mac_spoofing_step(detail::ref_of(vm), a.id, a.name, o.on);
    step.why = o.on ? "nested VMs' packets leave this adapter with their own MAC addresses, "
                      "which it must be allowed to send"
                    : "--off: the adapter may send only its own MAC address again";
    plan.steps.push_back(step);
  }
  return plan;
}

}  // namespace nestvirt::core
