// core::verify, core::undo_step and core::took_effect on each kind of step: what counts as a
// change that held, what puts it back, and what tells whether an irreversible step ran.
#include "nestvirt/core/recovery.h"
#include "catch.h"
#include "nestvirt/core/guest_plan.h"
#include "nestvirt/core/hyperv_guest.h"
#include "nestvirt/core/nat_plan.h"
#include "nestvirt/core/plan.h"
#include "unit/findings_support.h"

using namespace nestvirt::core;
using nestvirt::core::testing::good_host;
using nestvirt::core::testing::good_vm;

namespace {

VmPlan enable_plan() {
  VmFacts vm = good_vm("Lab1");
  vm.state = "Running";
  vm.expose_virtualization_extensions = false;
  vm.dynamic_memory = true;
  vm.version = Version{9, 0};
  vm.version_text = "9.0";
  vm.adapters = {{"Network Adapter", "External", "Off", "nic-1"}};
  ChangeOptions o;
  o.restart = o.upgrade_version = o.disable_dynamic_memory = o.mac_spoofing = true;
  const HostFacts host = good_host(CpuVendor::Amd, ProductKind::Client, 22631);
  return plan_change(o, host, evaluate_host(host), vm);
}

const Step& step_of(const VmPlan& p, StepKind kind) {
  for (const auto& s : p.steps) {
    if (s.kind == kind) return s;
  }
  FAIL("no step " << to_string(kind));
  throw std::logic_error("unreachable");
}

VmReadback vm_state(std::string state, bool expose, bool dynamic, std::string version = "9.0") {
  VmReadback r;
  r.state = std::move(state);
  r.version = std::move(version);
  r.expose_virtualization_extensions = expose;
  r.dynamic_memory = dynamic;
  r.adapters = {{"nic-1", "Network Adapter", "External", "On"}};
  return r;
}

}  // namespace

TEST_CASE("verify: a VM step holds only when the VM reports what was asked", "[recovery]") {
  const VmPlan p = enable_plan();
  const Step& processor = step_of(p, StepKind::SetProcessor);
  CHECK_FALSE(verify(processor, vm_state("Off", true, false)));
  const auto mismatch = verify(processor, vm_state("Off", false, false));
  REQUIRE(mismatch);
  CHECK(*mismatch ==
        "the change was accepted, but afterwards the host reports ExposeVirtualizationExtensions "
        "false");
  CHECK(verify(processor, Readback{}));  // nothing read back: nothing proves it
  CHECK(verify(step_of(p, StepKind::SetDynamicMemory), vm_state("Off", true, true)));
  CHECK(verify(step_of(p, StepKind::StopVm), vm_state("Running", false, true)));
  CHECK_FALSE(verify(step_of(p, StepKind::StartVm), vm_state("Running", true, false)));
  CHECK_FALSE(verify(step_of(p, StepKind::SetMacSpoofing), vm_state("Off", true, false)));
  VmReadback other = vm_state("Off", true, false);
  other.adapters[0].id = "nic-9";
  CHECK(verify(step_of(p, StepKind::SetMacSpoofing), other));
}

TEST_CASE("took_effect: an irreversible step's effect is read from the VM", "[recovery]") {
  const VmPlan p = enable_plan();
  const Step& upgrade = step_of(p, StepKind::UpdateVersion);
  CHECK(took_effect(upgrade, vm_state("Off", false, true, "9.0")) == false);
  CHECK(took_effect(upgrade, vm_state("Off", false, true, "11.0")) == true);
  CHECK_FALSE(took_effect(upgrade, Readback{}).has_value());
  NetReadback gone;
  CHECK(took_effect(step_of(p, StepKind::StopVm), gone) == std::nullopt);
}

TEST_CASE("undo of net-nat's steps removes only what the step made", "[recovery]") {
  NatInput in;
  in.switch_name = "NestedNAT";
  in.prefix = "192.168.100.0/24";
  const NatRequest r = *check_nat_input(in).request;
  NetFacts net;
  net.host_adapter = "vEthernet (NestedNAT)";
  const NatPlan plan = plan_nat(r, net, {}, {});
  REQUIRE(plan.steps.size() == 3);
  // A new switch whose id never came back is removed by its name (the plan saw none).
  const auto by_name = undo_step(plan.steps[0], Readback{}, false);
  REQUIRE(by_name);
  CHECK(by_name->kind == StepKind::RemoveSwitch);
  CHECK(std::get<SwitchArgs>(by_name->args) == SwitchArgs{"NestedNAT", ""});
  CHECK(by_name->commands.front().find("Where-Object { $_.Name -eq 'NestedNAT' }") !=
        std::string::npos);
  NetReadback made;
  made.count = 1;
  made.id = "sw-7";
  const auto by_id = undo_step(plan.steps[0], made, true);
  REQUIRE(by_id);
  CHECK(std::get<SwitchArgs>(by_id->args) == SwitchArgs{"NestedNAT", "sw-7"});
  CHECK(by_id->commands.front() ==
        "Hyper-V\\Remove-VMSwitch -VMSwitch (Hyper-V\\Get-VMSwitch -Id 'sw-7') -Force");
  const auto address = undo_step(plan.steps[1], Readback{}, true);
  REQUIRE(address);
  CHECK(std::get<AddressArgs>(address->args) ==
        AddressArgs{"192.168.100.1", 24, "NestedNAT", "vEthernet (NestedNAT)"});
}

TEST_CASE("undo of the guest's steps puts back DNS servers and DHCP", "[recovery]") {
  GuestArgs dns;
  dns.vm = {"vm-1", "L2"};
  dns.if_index = 4;
  dns.alias = "Ethernet";
  dns.dns = {"1.1.1.1"};
  dns.previous_dns = {"9.9.9.9"};
  Step set;
  set.kind = StepKind::GuestSetDns;
  set.args = dns;
  const auto back = undo_step(set, Readback{}, true);
  REQUIRE(back);
  CHECK(std::get<GuestArgs>(back->args).dns == std::vector<std::string>{"9.9.9.9"});
  CHECK(back->commands.front() ==
        "DnsClient\\Set-DnsClientServerAddress -InterfaceIndex 4 -ServerAddresses '9.9.9.9'");
  dns.previous_dns.clear();
  set.args = dns;
  CHECK(undo_step(set, Readback{}, true)->commands.front() ==
        "DnsClient\\Set-DnsClientServerAddress -InterfaceIndex 4 -ResetServerAddresses");

  GuestArgs address = dns;
  address.ip = "192.168.100.2";
  address.prefix_length = 24;
  address.gateway = "192.168.100.1";
  address.restore_dhcp = true;
  Step add;
  add.kind = StepKind::GuestAddAddress;
  add.args = address;
  const auto removed = undo_step(add, Readback{}, true);
  REQUIRE(removed);
  CHECK(removed->commands ==
        std::vector<std::string>{"NetTCPIP\\Remove-NetRoute -InterfaceIndex 4 -DestinationPrefix "
                                 "'0.0.0.0/0' -NextHop '192.168.100.1' -Confirm:$false",
                                 "NetTCPIP\\Remove-NetIPAddress -InterfaceIndex 4 -IPAddress "
                                 "'192.168.100.2' -Confirm:$false",
                                 "NetTCPIP\\Set-NetIPInterface -InterfaceIndex 4 -AddressFamily "
                                 "IPv4 -Dhcp Enabled"});
}

TEST_CASE("left_for_admin names the step and how to put it back", "[recovery]") {
  const VmPlan p = enable_plan();
  const Step& processor = step_of(p, StepKind::SetProcessor);
  const std::string text =
      left_for_admin(processor, undo_step(processor, Readback{}, true), "the VM is Running");
  CHECK(text ==
        "Done on 'Lab1' and not undone (the VM is Running): Turn nested virtualization on. To put "
        "it back: Hyper-V\\Set-VMProcessor -VM (Hyper-V\\Get-VM -Id "
        "'3f2504e0-4f89-11d3-9a0c-0305e82c3301') -ExposeVirtualizationExtensions $false");
  CHECK(left_for_admin(step_of(p, StepKind::UpdateVersion), std::nullopt, "x")
            .find("cannot be downgraded") != std::string::npos);
}

namespace {

HyperVGuestFacts guest_answering(const std::string& feature, const std::string& vmms,
                                 const std::string& launch) {
  HyperVGuestFacts f;
  f.state = "Running";
  f.heartbeat = "OK";
  f.os_platform = "2";
  HyperVGuestInside in;
  in.feature = feature;
  in.vmms = vmms;
  in.launch_type = launch;
  in.boot_time = "2026-12-02T06:00:00Z";
  f.inside = in;
  return f;
}

HyperVGuestFacts guest_silent() {
  HyperVGuestFacts f;
  f.state = "Running";
  f.heartbeat = "No Contact";
  return f;
}

Step guest_step_of(StepKind kind) {
  const HyperVGuestFacts f = guest_answering("Available", "", "");
  HyperVGuestOptions o;
  o.vm_selector = "'Lab1'";
  const auto plan = plan_hyperv_guest(f, o, {"vm-1", "Lab1"});
  for (const auto& s : plan.steps) {
    if (s.kind == kind) return s;
  }
  FAIL("no such step in the plan");
  return {};
}

}  // namespace

TEST_CASE("verify: a guest's Hyper-V steps hold when the guest reports them", "[recovery]") {
  const Step install = guest_step_of(StepKind::GuestInstallHyperV);
  const Step verify_hyperv = guest_step_of(StepKind::GuestVerifyHyperV);
  CHECK_FALSE(verify(install, guest_answering("InstallPending", "", "Auto")));
  CHECK(verify(install, guest_answering("Available", "", ""))->find("Available") !=
        std::string::npos);
  CHECK(verify(install, guest_silent()));
  CHECK_FALSE(verify(verify_hyperv, guest_answering("Installed", "Running", "Auto")));
  const auto stopped = verify(verify_hyperv, guest_answering("Installed", "Stopped", "Auto"));
  REQUIRE(stopped);
  CHECK(stopped->find("Hyper-V does not run in the guest: vmms is Stopped") == 0);
  CHECK(verify(verify_hyperv, Readback{}) ==
        std::optional<std::string>("Hyper-V does not run in the guest: nothing it "
                                   "could check"));
}

TEST_CASE("took_effect: a role install and a boot setting are read from the guest", "[recovery]") {
  const Step install = guest_step_of(StepKind::GuestInstallHyperV);
  CHECK(took_effect(install, guest_answering("InstallPending", "", "Auto")) == true);
  CHECK(took_effect(install, guest_answering("Available", "", "")) == false);
  CHECK_FALSE(took_effect(install, guest_silent()).has_value());
}

TEST_CASE("what a guest step leaves: a restart and the proof leave nothing", "[recovery]") {
  CHECK(leaves_something(guest_step_of(StepKind::GuestInstallHyperV)));
  CHECK_FALSE(leaves_something(guest_step_of(StepKind::GuestReboot)));
  CHECK_FALSE(leaves_something(guest_step_of(StepKind::GuestVerifyHyperV)));
  CHECK(left_for_admin(guest_step_of(StepKind::GuestInstallHyperV), std::nullopt,
                       "it cannot be undone")
            .find("Hyper-V stays installed in Lab1's guest") == 0);
}

TEST_CASE("failure_left: a restart that did not come back, a proof that failed", "[recovery]") {
  const Step reboot = guest_step_of(StepKind::GuestReboot);
  const Step verify_hyperv = guest_step_of(StepKind::GuestVerifyHyperV);
  // Not back after the restart: look at the console.
  CHECK(failure_left(reboot, guest_silent(), true)->find("did not come back") != std::string::npos);
  // Still answering from before: it never restarted.
  CHECK(failure_left(reboot, guest_answering("InstallPending", "", "Auto"), true)
            ->find("still answers from before it") != std::string::npos);
  // shutdown.exe refused: nothing happened, nothing left.
  HyperVGuestFacts refused = guest_answering("InstallPending", "", "Auto");
  refused.action_error.message = "Access is denied.";
  CHECK_FALSE(failure_left(reboot, refused, true));
  // The request never got there (a script error), or nobody knows (PowerShell died).
  CHECK_FALSE(failure_left(reboot, Readback{}, true));
  CHECK(failure_left(reboot, Readback{}, false)->find("unknown whether") != std::string::npos);
  CHECK(failure_left(verify_hyperv, guest_answering("Installed", "Stopped", "Auto"), false)
            ->find("vmms is Stopped") != std::string::npos);
  CHECK(failure_left(verify_hyperv, Readback{}, true)->find("could not prove") !=
        std::string::npos);
  // Other kinds leave nothing of their own (the executor undoes them).
  CHECK_FALSE(failure_left(step_of(enable_plan(), StepKind::SetProcessor), Readback{}, false));
}
