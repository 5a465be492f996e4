// VM findings other than the configuration-version matrix (findings_matrix_test.cpp).
#include "catch.h"
#include "findings_support.h"
#include "nestvirt/core/findings.h"

using namespace nestvirt::core;
using nestvirt::core::testing::by_id;
using nestvirt::core::testing::good_host;
using nestvirt::core::testing::good_vm;

namespace {
Finding vm_finding(const VmFacts& vm, const char* id) {
  return by_id(evaluate_vm(good_host(), vm), id);
}
}  // namespace

TEST_CASE("evaluate_vm: fixed order, VM name and id on every finding", "[findings]") {
  const auto findings = evaluate_vm(good_host(), good_vm("lab"));
  REQUIRE(findings.size() == 6);
  const char* ids[] = {"vm.exists",         "vm.config-version", "vm.vcpus",
                       "vm.dynamic-memory", "vm.memory",         "vm.nested-enabled"};
  for (std::size_t i = 0; i < findings.size(); ++i) {
    CAPTURE(i);
    CHECK(findings[i].id == ids[i]);
    CHECK(findings[i].status == Status::Pass);
    CHECK(findings[i].vm == "lab");
    CHECK(findings[i].vm_id == "3f2504e0-4f89-11d3-9a0c-0305e82c3301");
    CHECK(findings[i].fix.empty());
  }
  CHECK(findings[0].seen == "found 'lab', state Off, generation 2");
  CHECK(findings[1].seen == "version 10.0");
  CHECK(findings[2].seen == "4 virtual processors");
  CHECK(findings[3].seen == "off");
  CHECK(findings[4].seen == "8 GiB");
  CHECK(findings[5].seen == "enabled");
}

TEST_CASE("vm.exists fails alone for a VM that is not there", "[findings]") {
  VmFacts vm;
  vm.requested_name = "o'brien";
  vm.looked_up = true;
  const auto findings = evaluate_vm(good_host(), vm);
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].id == "vm.exists");
  CHECK(findings[0].status == Status::Fail);
  CHECK(findings[0].vm == "o'brien");
  CHECK(findings[0].vm_id.empty());
  CHECK(findings[0].seen == "no VM named 'o''brien'");
  CHECK(findings[0].fix ==
        "Check the name with Get-VM (it lists the VMs on this host). Run it elevated: without "
        "Hyper-V permissions Hyper-V can also answer that a VM does not exist.");
}

TEST_CASE("vm.vcpus warns above 225 (Windows Server 2019 L1 limit)", "[findings]") {
  VmFacts vm = good_vm("big");
  vm.processor_count = 225;
  CHECK(vm_finding(vm, "vm.vcpus").status == Status::Pass);
  vm.processor_count = 226;
  const Finding f = vm_finding(vm, "vm.vcpus");
  CHECK(f.status == Status::Warn);
  CHECK(f.seen == "226 virtual processors");
  CHECK(f.needed ==
        "225 or fewer if the guest (L1) runs Windows Server 2019 or earlier; nestvirt cannot see "
        "the guest OS from the host");
  CHECK(f.fix ==
        "If the guest runs Windows Server 2019 or earlier, lower the count with the VM off: "
        "Hyper-V\\Set-VMProcessor -VM (Hyper-V\\Get-VM -Id '3f2504e0-4f89-11d3-9a0c-0305e82c3301') "
        "-Count 225");
  vm.processor_count = 1;
  CHECK(vm_finding(vm, "vm.vcpus").status == Status::Pass);
  vm.processor_count.reset();
  CHECK(vm_finding(vm, "vm.vcpus").status == Status::Unknown);
}

TEST_CASE("vm.dynamic-memory warns when on", "[findings]") {
  VmFacts vm = good_vm("it's");
  vm.dynamic_memory = true;
  const Finding f = vm_finding(vm, "vm.dynamic-memory");
  CHECK(f.status == Status::Warn);
  CHECK(f.seen == "on");
  CHECK(f.fix ==
        "With the VM off: Hyper-V\\Set-VMMemory -VM (Hyper-V\\Get-VM -Id "
        "'3f2504e0-4f89-11d3-9a0c-0305e82c3301') "
        "-DynamicMemoryEnabled $false (or nestvirt enable --vm 'it''s' --disable-dynamic-memory)");
  CHECK(f.fix_command == "nestvirt enable --vm 'it''s' --disable-dynamic-memory");
  vm.dynamic_memory.reset();
  CHECK(vm_finding(vm, "vm.dynamic-memory").status == Status::Unknown);
}

TEST_CASE("vm.memory warns below 4 GiB", "[findings]") {
  VmFacts vm = good_vm("lab");
  const std::int64_t gib = std::int64_t{1} << 30;
  vm.memory_startup_bytes = 4 * gib;
  CHECK(vm_finding(vm, "vm.memory").status == Status::Pass);
  CHECK(vm_finding(vm, "vm.memory").seen == "4 GiB");
  vm.memory_startup_bytes = 4 * gib - 1;
  Finding f = vm_finding(vm, "vm.memory");
  CHECK(f.status == Status::Warn);
  CHECK(f.seen == "4294967295 bytes");
  CHECK(f.fix ==
        "With the VM off: Hyper-V\\Set-VMMemory -VM (Hyper-V\\Get-VM -Id "
        "'3f2504e0-4f89-11d3-9a0c-0305e82c3301') -StartupBytes 4GB");
  vm.memory_startup_bytes = 1536 * (std::int64_t{1} << 20);
  CHECK(vm_finding(vm, "vm.memory").seen == "1536 MiB");
  vm.memory_startup_bytes = 2 * gib;
  CHECK(vm_finding(vm, "vm.memory").seen == "2 GiB");
  vm.memory_startup_bytes.reset();
  CHECK(vm_finding(vm, "vm.memory").status == Status::Unknown);
}

TEST_CASE("vm.nested-enabled: not yet enabled warns, it does not fail", "[findings]") {
  VmFacts vm = good_vm("lab");
  vm.expose_virtualization_extensions = false;
  const Finding f = vm_finding(vm, "vm.nested-enabled");
  CHECK(f.status == Status::Warn);
  CHECK(f.seen == "not enabled yet");
  CHECK(f.fix ==
        "nestvirt enable --vm 'lab', or with the VM off: Hyper-V\\Set-VMProcessor -VM "
        "(Hyper-V\\Get-VM -Id '3f2504e0-4f89-11d3-9a0c-0305e82c3301') "
        "-ExposeVirtualizationExtensions $true");
  vm.expose_virtualization_extensions.reset();
  CHECK(vm_finding(vm, "vm.nested-enabled").status == Status::Unknown);
}

TEST_CASE("fixes name a VM so that no other VM can match", "[findings]") {
  // Hyper-V commands always select the VM by id: names repeat, and -VMName is a pattern.
  VmFacts vm = good_vm("web[1]");
  vm.dynamic_memory = true;
  CHECK(vm_finding(vm, "vm.dynamic-memory").fix ==
        "With the VM off: Hyper-V\\Set-VMMemory -VM (Hyper-V\\Get-VM -Id "
        "'3f2504e0-4f89-11d3-9a0c-0305e82c3301') -DynamicMemoryEnabled $false (or nestvirt enable "
        "--vm '3f2504e0-4f89-11d3-9a0c-0305e82c3301' --disable-dynamic-memory)");
  vm.id.clear();  // no id: the name is all there is
  CHECK(vm_finding(vm, "vm.dynamic-memory").fix ==
        "With the VM off: Hyper-V\\Set-VMMemory -VMName 'web[1]' -DynamicMemoryEnabled $false (or "
        "nestvirt enable --vm 'web[1]' --disable-dynamic-memory)");
  // nestvirt's --vm takes the name where it is the VM's own, else the id.
  VmFacts off = good_vm("lab");
  off.expose_virtualization_extensions = false;
  CHECK(vm_finding(off, "vm.nested-enabled").fix.rfind("nestvirt enable --vm 'lab',", 0) == 0);
  off.name_unique = false;  // another VM is called lab too
  CHECK(vm_finding(off, "vm.nested-enabled")
            .fix.rfind("nestvirt enable --vm '3f2504e0-4f89-11d3-9a0c-0305e82c3301',", 0) == 0);
  VmFacts pattern = good_vm("lab*");
  pattern.expose_virtualization_extensions = false;
  CHECK(vm_finding(pattern, "vm.nested-enabled")
            .fix.rfind("nestvirt enable --vm '3f2504e0-4f89-11d3-9a0c-0305e82c3301',", 0) == 0);
}

TEST_CASE("vm.config-version reports what it could not read", "[findings]") {
  VmFacts vm = good_vm("lab");
  vm.version.reset();
  vm.version_text = "banana";
  Finding f = vm_finding(vm, "vm.config-version");
  CHECK(f.status == Status::Unknown);
  CHECK(f.seen == "version 'banana' not understood");
  CHECK(f.fix == "Check by hand: Get-VM | Format-Table Name, Version");
  vm.version_text.clear();
  CHECK(vm_finding(vm, "vm.config-version").seen == "version not reported");
}

// Every fix that names a nestvirt command must get past the finding when run as it is:
// --restart for a running VM, nothing where enable would refuse anyway.
TEST_CASE("fixes suggest nestvirt enable only where it would get through", "[findings]") {
  VmFacts vm = good_vm("lab");
  vm.expose_virtualization_extensions = false;
  CHECK(vm_finding(vm, "vm.nested-enabled").fix_command == "nestvirt enable --vm 'lab'");
  vm.state = "Running";
  Finding running = vm_finding(vm, "vm.nested-enabled");
  CHECK(running.fix_command == "nestvirt enable --vm 'lab' --restart");
  CHECK(running.fix.rfind("nestvirt enable --vm 'lab' --restart, or with the VM off: ", 0) == 0);
  vm.state = "Saved";
  Finding saved = vm_finding(vm, "vm.nested-enabled");
  CHECK(saved.fix_command.empty());
  CHECK(saved.fix.rfind("The VM is Saved: start it and shut the guest down cleanly", 0) == 0);
  CHECK(saved.fix.find("nestvirt enable --vm") == std::string::npos);

  // AMD on Windows 10 can never nest: no nestvirt enable at all.
  HostFacts amd10 = good_host(CpuVendor::Amd, ProductKind::Client, 19045);
  vm.state = "Off";
  vm.dynamic_memory = true;
  for (const auto& f : evaluate_vm(amd10, vm)) {
    INFO(f.id << ": " << f.fix);
    CHECK(f.fix_command.empty());
    CHECK(f.fix.find("nestvirt enable --vm") == std::string::npos);
  }
  CHECK(by_id(evaluate_vm(amd10, vm), "vm.nested-enabled").fix.rfind("None while the host", 0) ==
        0);

  // Below the vendor's version: only the upgrade gets through, and it enables nesting too.
  VmFacts old = good_vm("old");
  old.version = Version{9, 0};
  old.expose_virtualization_extensions = false;
  old.state = "Running";
  const auto findings = evaluate_vm(good_host(CpuVendor::Amd), old);
  CHECK(by_id(findings, "vm.config-version").fix_command ==
        "nestvirt enable --vm 'old' --upgrade-version --restart");
  CHECK(by_id(findings, "vm.nested-enabled").fix_command.empty());
  CHECK(by_id(findings, "vm.nested-enabled").fix.rfind("Fix vm.config-version first", 0) == 0);
  HostFacts unknown_versions = good_host(CpuVendor::Amd);
  unknown_versions.supported_versions.clear();
  unknown_versions.default_version.reset();
  for (const auto& f : evaluate_vm(unknown_versions, old)) CHECK(f.fix_command.empty());
}
