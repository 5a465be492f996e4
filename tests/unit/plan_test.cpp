// plan_change: which steps, in which order, and every refusal — without any process.
#include "nestvirt/core/plan.h"
#include "catch.h"
#include "nestvirt/core/recovery.h"
#include "unit/findings_support.h"

using namespace nestvirt::core;
using nestvirt::core::testing::good_host;
using nestvirt::core::testing::good_vm;

namespace {

VmFacts off_vm() {
  VmFacts vm = good_vm("Lab1");
  vm.expose_virtualization_extensions = false;
  // Two adapters, as Hyper-V names them: the name repeats, the Id does not.
  vm.adapters = {{"Network Adapter", "Default Switch", "Off", "nic-1"},
                 {"Network Adapter", "", "On", "nic-2"}};
  return vm;
}

VmPlan plan(const ChangeOptions& o, const VmFacts& vm, const HostFacts& host = good_host()) {
  return plan_change(o, host, evaluate_host(host), vm);
}

std::vector<StepKind> kinds(const VmPlan& p) {
  std::vector<StepKind> out;
  for (const auto& s : p.steps) out.push_back(s.kind);
  return out;
}

bool refused_with(const VmPlan& p, const std::string& id) {
  for (const auto& f : p.refusals) {
    if (f.id == id) return p.decision == Decision::Refused;
  }
  return false;
}

}  // namespace

TEST_CASE("enable an Off VM: one step, Set-VMProcessor by id", "[plan]") {
  VmPlan p = plan({}, off_vm());
  REQUIRE(p.decision == Decision::Change);
  REQUIRE(kinds(p) == std::vector<StepKind>{StepKind::SetProcessor});
  CHECK(std::get<VmFlagArgs>(p.steps[0].args) ==
        VmFlagArgs{{"3f2504e0-4f89-11d3-9a0c-0305e82c3301", "Lab1"}, true});
  CHECK(p.steps[0].commands ==
        std::vector<std::string>{"Hyper-V\\Set-VMProcessor -VM (Hyper-V\\Get-VM -Id "
                                 "'3f2504e0-4f89-11d3-9a0c-0305e82c3301') "
                                 "-ExposeVirtualizationExtensions $true"});
}

TEST_CASE("already enabled, or already disabled: unchanged, no steps", "[plan]") {
  VmFacts on = off_vm();
  on.expose_virtualization_extensions = true;
  CHECK(plan({}, on).decision == Decision::Unchanged);
  CHECK(plan({}, on).steps.empty());
  ChangeOptions disable;
  disable.action = Action::Disable;
  CHECK(plan(disable, off_vm()).decision == Decision::Unchanged);
  CHECK(plan(disable, on).decision == Decision::Change);
}

TEST_CASE("a running VM is refused without --restart, cycled with it", "[plan]") {
  VmFacts vm = off_vm();
  vm.state = "Running";
  VmPlan refused = plan({}, vm);
  CHECK(refused_with(refused, "vm.running"));
  CHECK(refused.steps.empty());
  CHECK(refused.refusals[0].fix.find("--restart") != std::string::npos);

  ChangeOptions o;
  o.restart = true;
  VmPlan p = plan(o, vm);
  CHECK(kinds(p) ==
        std::vector<StepKind>{StepKind::StopVm, StepKind::SetProcessor, StepKind::StartVm});
  CHECK(std::get<VmPowerArgs>(p.steps[0].args).turn_off_after_timeout == false);
  CHECK(std::get<VmPowerArgs>(p.steps[0].args).shutdown_timeout_seconds == 300);
  o.force = true;
  o.shutdown_timeout_seconds = 20;
  p = plan(o, vm);
  CHECK(std::get<VmPowerArgs>(p.steps[0].args).turn_off_after_timeout == true);
  CHECK(std::get<VmPowerArgs>(p.steps[0].args).shutdown_timeout_seconds == 20);
  CHECK(p.steps[0].commands.back().find("-TurnOff -Force") != std::string::npos);
}

TEST_CASE("saved and paused VMs are refused; saved state is discarded only on request", "[plan]") {
  VmFacts vm = off_vm();
  vm.state = "Saved";
  CHECK(refused_with(plan({}, vm), "vm.saved"));
  ChangeOptions restart;
  restart.restart = true;
  CHECK(refused_with(plan(restart, vm), "vm.saved"));  // --restart never discards
  ChangeOptions discard;
  discard.discard_saved_state = true;
  VmPlan p = plan(discard, vm);
  CHECK(kinds(p) == std::vector<StepKind>{StepKind::RemoveSavedState, StepKind::SetProcessor});
  CHECK_FALSE(p.steps[0].reversible);

  vm.state = "Paused";
  CHECK(refused_with(plan(restart, vm), "vm.paused"));
  vm.state = "Stopping";
  CHECK(refused_with(plan(restart, vm), "vm.state"));
}

TEST_CASE("prerequisites refuse enable: AMD on Windows 10, Intel below 14393, old versions",
          "[plan]") {
  HostFacts amd10 = good_host(CpuVendor::Amd, ProductKind::Client, 19045);
  CHECK(refused_with(plan({}, off_vm(), amd10), "host.os-build"));

  HostFacts intel1511 = good_host(CpuVendor::Intel, ProductKind::Client, 10586);
  CHECK(refused_with(plan({}, off_vm(), intel1511), "host.os-build"));

  HostFacts amd11 = good_host(CpuVendor::Amd, ProductKind::Client, 22631);
  VmFacts old = off_vm();
  old.version = Version{9, 0};
  old.version_text = "9.0";
  CHECK(refused_with(plan({}, old, amd11), "vm.config-version"));
  ChangeOptions upgrade;
  upgrade.upgrade_version = true;
  VmPlan p = plan(upgrade, old, amd11);
  REQUIRE(p.decision == Decision::Change);
  CHECK(kinds(p) == std::vector<StepKind>{StepKind::UpdateVersion, StepKind::SetProcessor});
  CHECK_FALSE(p.steps[0].reversible);
  CHECK(p.steps[0].why.find("IRREVERSIBLE") != std::string::npos);

  // A host that tops out below 9.3 cannot upgrade far enough: still refused.
  HostFacts low = amd11;
  low.supported_versions = {Version{8, 0}, Version{9, 0}, Version{9, 2}};
  low.default_version = Version{9, 2};
  CHECK(refused_with(plan(upgrade, old, low), "vm.config-version"));
}

TEST_CASE("disable ignores nested prerequisites but needs Hyper-V", "[plan]") {
  HostFacts amd10 = good_host(CpuVendor::Amd, ProductKind::Client, 19045);
  VmFacts on = off_vm();
  on.expose_virtualization_extensions = true;
  ChangeOptions disable;
  disable.action = Action::Disable;
  CHECK(plan(disable, on, amd10).decision == Decision::Change);
  HostFacts denied = amd10;
  denied.hyperv_access = false;
  denied.hyperv_access_error = "You do not have the required permission";
  CHECK(refused_with(plan(disable, on, denied), "host.permissions"));
}

TEST_CASE("dynamic memory: a warning, or a step with --disable-dynamic-memory", "[plan]") {
  VmFacts vm = off_vm();
  vm.dynamic_memory = true;
  VmPlan warned = plan({}, vm);
  CHECK(warned.decision == Decision::Change);
  bool warns = false;
  for (const auto& w : warned.warnings) warns |= w.id == "vm.dynamic-memory";
  CHECK(warns);
  ChangeOptions o;
  o.disable_dynamic_memory = true;
  VmPlan p = plan(o, vm);
  CHECK(kinds(p) == std::vector<StepKind>{StepKind::SetDynamicMemory, StepKind::SetProcessor});
  CHECK(std::get<VmFlagArgs>(p.steps[0].args).value == false);
  for (const auto& w : p.warnings) CHECK(w.id != "vm.dynamic-memory");
}

TEST_CASE("the longest plan, in Microsoft's order", "[plan]") {
  HostFacts amd11 = good_host(CpuVendor::Amd, ProductKind::Client, 22631);
  VmFacts vm = off_vm();
  vm.state = "Running";
  vm.version = Version{9, 0};
  vm.version_text = "9.0";
  vm.dynamic_memory = true;
  ChangeOptions o;
  o.restart = o.force = o.upgrade_version = o.disable_dynamic_memory = o.mac_spoofing = true;
  VmPlan p = plan(o, vm, amd11);
  CHECK(kinds(p) == std::vector<StepKind>{StepKind::StopVm, StepKind::UpdateVersion,
                                          StepKind::SetDynamicMemory, StepKind::SetProcessor,
                                          StepKind::SetMacSpoofing, StepKind::StartVm});
  // Only the adapter that is Off is changed, found by its Id.
  CHECK(std::get<SpoofArgs>(p.steps[4].args).adapter_id == "nic-1");
}

TEST_CASE("MAC spoofing alone does not need the VM off", "[plan]") {
  VmFacts vm = off_vm();
  vm.state = "Running";
  vm.expose_virtualization_extensions = true;
  ChangeOptions o;
  o.mac_spoofing = true;
  VmPlan p = plan(o, vm);
  CHECK(p.decision == Decision::Change);
  CHECK(kinds(p) == std::vector<StepKind>{StepKind::SetMacSpoofing});
}

TEST_CASE("undo steps put back exactly what was changed", "[plan]") {
  VmFacts vm = off_vm();
  ChangeOptions o;
  o.restart = true;
  vm.state = "Running";
  VmPlan p = plan(o, vm);
  auto undo_stop = undo_step(p.steps[0], {}, true);
  REQUIRE(undo_stop);
  CHECK(undo_stop->kind == StepKind::StartVm);
  auto undo_proc = undo_step(p.steps[1], {}, true);
  REQUIRE(undo_proc);
  CHECK(std::get<VmFlagArgs>(undo_proc->args).value == false);
  CHECK_FALSE(undo_step(p.steps[2], {}, true));  // start is last: nothing to undo

  o.mac_spoofing = true;
  VmPlan m = plan(o, vm);
  const Step& mac = m.steps[2];
  REQUIRE(mac.kind == StepKind::SetMacSpoofing);
  VmReadback changed;
  changed.state = "Off";
  changed.changed = {"nic-1"};
  auto undo_mac = undo_step(mac, changed, true);
  REQUIRE(undo_mac);
  CHECK(std::get<SpoofArgs>(undo_mac->args).on == false);
  CHECK(std::get<SpoofArgs>(undo_mac->args).adapter_id == "nic-1");
  // An adapter the step found already On was not changed, so it is not turned Off...
  VmReadback untouched;
  untouched.state = "Off";
  CHECK_FALSE(undo_step(mac, untouched, true));
  // ...unless what the step did is unknown: then it is put back to be sure.
  CHECK(undo_step(mac, {}, false));
}

TEST_CASE("names that match nothing, and hosts Hyper-V cannot be asked on", "[plan]") {
  VmFacts missing;
  missing.requested_name = "Nope";
  missing.looked_up = true;
  VmPlan p = plan({}, missing);
  CHECK(p.decision == Decision::NotFound);
  REQUIRE(p.refusals.size() == 1);
  CHECK(p.refusals[0].id == "vm.exists");
  CHECK(p.refusals[0].status == Status::Fail);
  CHECK(p.steps.empty());

  VmFacts unasked;
  unasked.requested_name = "Lab1";
  HostFacts no_module = good_host();
  no_module.hyperv_module_present = false;
  no_module.hyperv_access.reset();
  VmPlan q = plan({}, unasked, no_module);
  CHECK(refused_with(q, "host.hyperv-module"));
}

TEST_CASE("net-spoof: every adapter or one, running VMs included, not-connected warns",
          "[plan][spoof]") {
  VmFacts vm = off_vm();  // nic-1 Off on a switch; nic-2 On, not connected; both "Network Adapter"
  vm.adapters[1].name = "Second";
  vm.state = "Running";
  vm.expose_virtualization_extensions = true;
  const HostFacts host = good_host();
  const auto hf = evaluate_host(host);
  VmPlan on = plan_spoof({true, ""}, host, hf, vm);
  REQUIRE(on.decision == Decision::Change);
  REQUIRE(on.steps.size() == 1);
  CHECK(std::get<SpoofArgs>(on.steps[0].args).adapter_id == "nic-1");
  CHECK(std::get<SpoofArgs>(on.steps[0].args).on == true);
  REQUIRE(on.warnings.size() == 1);
  CHECK(on.warnings[0].id == "adapter.not-connected");

  VmPlan off = plan_spoof({false, ""}, host, hf, vm);
  CHECK(std::get<SpoofArgs>(off.steps[0].args).adapter_id == "nic-2");
  CHECK(std::get<SpoofArgs>(off.steps[0].args).on == false);

  CHECK(plan_spoof({true, "Second"}, host, hf, vm).decision == Decision::Unchanged);
  VmPlan missing = plan_spoof({true, "Third"}, host, hf, vm);
  CHECK(refused_with(missing, "vm.adapter"));
  CHECK(missing.refusals[0].seen ==
        "no adapter named 'Third' (adapters: 'Network Adapter', 'Second')");
}

TEST_CASE("net-spoof: adapters sharing a name are each a step of their own", "[plan][spoof]") {
  VmFacts vm = off_vm();
  vm.adapters[1].mac_address_spoofing = "Off";
  VmPlan p = plan_spoof({true, ""}, good_host(), evaluate_host(good_host()), vm);
  REQUIRE(p.steps.size() == 2);
  CHECK(std::get<SpoofArgs>(p.steps[0].args).adapter_id == "nic-1");
  CHECK(std::get<SpoofArgs>(p.steps[1].args).adapter_id == "nic-2");
}
