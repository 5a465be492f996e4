// check's overview without --vm: whether `nestvirt enable` could turn nesting on, per VM, as
// plan_change decides it — without any process.
#include "nestvirt/core/overview.h"

#include <string>
#include <vector>

#include "catch.h"
#include "unit/findings_support.h"

using namespace nestvirt::core;
using nestvirt::core::testing::good_host;
using nestvirt::core::testing::good_vm;

namespace {

VmFacts vm_in(const std::string& state, Version version = Version{10, 0}, bool on = false) {
  VmFacts vm = good_vm("Lab1");
  vm.state = state;
  vm.version = version;
  vm.version_text = version.str();
  vm.expose_virtualization_extensions = on;
  return vm;
}

VmOverview look(const VmFacts& vm, const HostFacts& host = good_host()) {
  return overview_vm(host, evaluate_host(host), vm);
}

// Windows 10 22H2 on AMD: no release of Windows 10 nests on AMD (host.os-build fails).
HostFacts amd_windows10() {
  HostFacts host = good_host(CpuVendor::Amd, ProductKind::Client, 19045);
  host.supported_versions = {Version{8, 0}, Version{9, 0}, Version{9, 2}};
  host.default_version = Version{9, 2};
  return host;
}

// The options of a suggested `nestvirt enable` line, as enable's command line would set them.
ChangeOptions options_of(const VmOverview& line) {
  ChangeOptions o;
  for (const auto& flag : line.options) {
    bool known = false;
    for (const auto& tried : overview_options()) {
      if (flag == tried.flag) {
        o.*(tried.field) = true;
        known = true;
      }
    }
    CHECK(known);
  }
  return o;
}

}  // namespace

TEST_CASE("overview: an Off VM on a good host: yes, enable as typed", "[overview]") {
  const VmOverview line = look(vm_in("Off"));
  CHECK(line.verdict == EnableVerdict::Yes);
  CHECK(to_string(line.verdict) == "yes");
  CHECK(line.options.empty());
  CHECK(line.enable_command == "nestvirt enable --vm 'Lab1'");
  CHECK(line.refusals.empty());
}

TEST_CASE("overview: a running VM needs --restart", "[overview]") {
  const VmOverview line = look(vm_in("Running"));
  CHECK(line.verdict == EnableVerdict::WithOptions);
  CHECK(to_string(line.verdict) == "with-options");
  CHECK(line.options == std::vector<std::string>{"--restart"});
  CHECK(line.enable_command == "nestvirt enable --vm 'Lab1' --restart");
  // What enable as typed says, which --restart gets past.
  REQUIRE(line.refusals.size() == 1);
  CHECK(line.refusals[0].id == "vm.running");
}

TEST_CASE("overview: an Off VM below the vendor's version needs --upgrade-version", "[overview]") {
  // AMD on Windows 11 needs 9.3; this host supports up to 11.0, so Update-VMVersion fixes it.
  const HostFacts amd11 = good_host(CpuVendor::Amd, ProductKind::Client, 22631);
  const VmOverview line = look(vm_in("Off", Version{9, 0}), amd11);
  CHECK(line.verdict == EnableVerdict::WithOptions);
  CHECK(line.options == std::vector<std::string>{"--upgrade-version"});
  CHECK(line.enable_command == "nestvirt enable --vm 'Lab1' --upgrade-version");
  REQUIRE(line.refusals.size() == 1);
  CHECK(line.refusals[0].id == "vm.config-version");

  // Intel needs 8.0: a 5.0 VM on a host that supports 10.0, and running as well.
  const VmOverview both = look(vm_in("Running", Version{5, 0}));
  CHECK(both.verdict == EnableVerdict::WithOptions);
  CHECK(both.options == std::vector<std::string>{"--restart", "--upgrade-version"});
  CHECK(both.enable_command == "nestvirt enable --vm 'Lab1' --restart --upgrade-version");
}

TEST_CASE("overview: a saved VM needs --discard-saved-state", "[overview]") {
  const VmOverview line = look(vm_in("Saved"));
  CHECK(line.verdict == EnableVerdict::WithOptions);
  CHECK(line.options == std::vector<std::string>{"--discard-saved-state"});
}

TEST_CASE("overview: nesting already on", "[overview]") {
  for (const char* state : {"Off", "Running", "Saved"}) {
    INFO(state);
    const VmOverview line = look(vm_in(state, Version{10, 0}, true));
    CHECK(line.verdict == EnableVerdict::AlreadyOn);
    CHECK(to_string(line.verdict) == "already-on");
    CHECK(line.enable_command.empty());
    CHECK(line.options.empty());
    CHECK(line.refusals.empty());
  }
}

TEST_CASE("overview: an AMD host that can never nest says no, with the host's reason",
          "[overview]") {
  // Every VM, whatever its state or version: no option of enable gets past host.os-build.
  for (const VmFacts& vm :
       {vm_in("Off", Version{9, 0}), vm_in("Running", Version{9, 2}), vm_in("Saved")}) {
    INFO(vm.state << " " << vm.version_text);
    const VmOverview line = look(vm, amd_windows10());
    CHECK(line.verdict == EnableVerdict::No);
    CHECK(to_string(line.verdict) == "no");
    CHECK(line.enable_command.empty());
    CHECK(line.options.empty());
    REQUIRE_FALSE(line.refusals.empty());
    CHECK(line.refusals[0].id == "host.os-build");
  }
  // Even with ExposeVirtualizationExtensions already on (Set-VMProcessor accepts it there):
  // enable would refuse, so it is not "already on".
  CHECK(look(vm_in("Off", Version{9, 2}, true), amd_windows10()).verdict == EnableVerdict::No);
}

TEST_CASE("overview: no, for a reason of the VM no option gets past", "[overview]") {
  // Intel on Windows 10 1511 supports up to 6.2: a VM can never reach 8.0 there. Its host
  // findings fail too (host.os-build); a good host with versions up to 6.2 isolates the VM.
  HostFacts old = good_host();
  old.supported_versions = {Version{5, 0}, Version{6, 2}};
  old.default_version = Version{6, 2};
  const VmOverview version = look(vm_in("Off", Version{6, 2}), old);
  CHECK(version.verdict == EnableVerdict::No);
  REQUIRE(version.refusals.size() == 1);
  CHECK(version.refusals[0].id == "vm.config-version");

  // Paused: no option resumes it. Its version is too low as well, but --upgrade-version
  // gets past that, so the reason that remains is the state.
  const VmOverview paused = look(vm_in("Paused", Version{5, 0}));
  CHECK(paused.verdict == EnableVerdict::No);
  REQUIRE(paused.refusals.size() == 1);
  CHECK(paused.refusals[0].id == "vm.paused");
}

TEST_CASE("overview: a VM whose name is not its own is named by id", "[overview]") {
  VmFacts vm = vm_in("Running");
  vm.name_unique = false;
  CHECK(look(vm).enable_command ==
        "nestvirt enable --vm '3f2504e0-4f89-11d3-9a0c-0305e82c3301' --restart");
}

TEST_CASE("overview: every verdict is what plan_change says", "[overview]") {
  // The overview must never disagree with enable: its suggested options make plan_change a
  // change, no fewer options do, and a "no" has no options that would.
  const std::vector<HostFacts> hosts = {
      good_host(), good_host(CpuVendor::Amd, ProductKind::Client, 22631), amd_windows10()};
  for (const auto& host : hosts) {
    const auto host_findings = evaluate_host(host);
    for (const char* state : {"Off", "Running", "Saved", "Paused", "Stopping"}) {
      for (const Version& version : {Version{5, 0}, Version{9, 0}, Version{10, 0}}) {
        for (bool on : {false, true}) {
          for (bool dynamic : {false, true}) {
            VmFacts vm = vm_in(state, version, on);
            vm.dynamic_memory = dynamic;
            INFO(host.os_build.value_or(0)
                 << " " << state << " " << version.str() << " on=" << on << " dynamic=" << dynamic);
            const VmOverview line = overview_vm(host, host_findings, vm);
            const VmPlan as_typed = plan_change({}, host, host_findings, vm);
            switch (line.verdict) {
              case EnableVerdict::AlreadyOn:
                CHECK(as_typed.decision == Decision::Unchanged);
                break;
              case EnableVerdict::Yes:
                CHECK(as_typed.decision == Decision::Change);
                break;
              case EnableVerdict::WithOptions: {
                CHECK(as_typed.decision == Decision::Refused);
                const ChangeOptions o = options_of(line);
                CHECK(plan_change(o, host, host_findings, vm).decision == Decision::Change);
                // Leaving out any one of them makes enable refuse again.
                for (const auto& tried : overview_options()) {
                  if (!(o.*(tried.field))) continue;
                  ChangeOptions fewer = o;
                  fewer.*(tried.field) = false;
                  CHECK(plan_change(fewer, host, host_findings, vm).decision != Decision::Change);
                }
                break;
              }
              case EnableVerdict::No: {
                CHECK(as_typed.decision == Decision::Refused);
                CHECK_FALSE(line.refusals.empty());
                ChangeOptions every;
                for (const auto& tried : overview_options()) every.*(tried.field) = true;
                CHECK(plan_change(every, host, host_findings, vm).decision == Decision::Refused);
                break;
              }
            }
          }
        }
      }
    }
  }
}

TEST_CASE("overview: every VM in the order given", "[overview]") {
  VmFacts web = vm_in("Running");
  web.name = web.requested_name = "Web1";
  web.id = "2";
  const auto lines = overview_vms(good_host(), evaluate_host(good_host()), {vm_in("Off"), web});
  REQUIRE(lines.size() == 2);
  CHECK(lines[0].vm.name == "Lab1");
  CHECK(lines[0].verdict == EnableVerdict::Yes);
  CHECK(lines[1].vm.name == "Web1");
  CHECK(lines[1].enable_command == "nestvirt enable --vm 'Web1' --restart");
}
