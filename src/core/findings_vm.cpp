// Per-VM prerequisites: the configuration version the CPU vendor needs
// (enable-nested-virtualization.md, VM version table), the 225-vCPU limit of a Windows Server
// 2019 (or older) L1 guest, and the memory advice of nested-virtualization.md and Microsoft's
// Enable-NestedVm.ps1. Sources and the matrix: docs/prerequisites.md.
#include <string>

#include "findings_detail.h"

namespace nestvirt::core {
namespace {

using detail::format_bytes;
using detail::make_finding;
using detail::vm_command;

constexpr std::int64_t kMaxVcpusForOldGuests = 225;
constexpr std::int64_t kMinStartupBytes = std::int64_t{4} * 1024 * 1024 * 1024;

Finding exists(const VmFacts& vm) {
  Finding f = make_finding("vm.exists", "VM exists");
  f.needed = "a VM of that name on this host";
  if (!vm.exists) {
    f.status = Status::Fail;
    f.seen = "no VM named " + ps_quote(vm.requested_name);
    f.fix =
        "Check the name with Get-VM (it lists the VMs on this host). Run it elevated: without "
        "Hyper-V permissions Hyper-V can also answer that a VM does not exist.";
    return f;
  }
  f.status = Status::Pass;
  f.seen = "found " + ps_quote(detail::vm_display_name(vm));
  if (!vm.state.empty()) f.seen += ", state " + vm.state;
  if (vm.generation) f.seen += ", generation " + std::to_string(*vm.generation);
  return f;
}

// The `nestvirt enable` line that gets this VM past enable's refusals, or "" when none can:
// a failed host finding refuses every VM (an AMD Windows 10 host can never nest), a Saved or
// Paused VM needs the admin's choice first, and a version below the vendor's needs
// --upgrade-version where the host supports it. A running VM needs --restart.
bool host_fails(const HostFacts& host) {
  for (const auto& f : evaluate_host(host)) {
    if (f.status == Status::Fail) return true;
  }
  return false;
}

std::string enable_command(const HostFacts& host, const VmFacts& vm, bool upgrade,
                           const std::string& options) {
  if (host_fails(host)) return "";
  const auto needed = required_version(host.vendor());
  const auto highest = host.highest_supported_version();
  const bool version_ok = !needed || !vm.version || *vm.version >= *needed;
  if (!version_ok && !(upgrade && highest && *highest >= *needed)) return "";
  if (vm.state != "Off" && vm.state != "Running") return "";
  return "nestvirt enable --vm " + detail::vm_selector(vm) + options +
         (vm.state == "Running" ? " --restart" : "");
}

std::string upgrade_fix(const HostFacts& host, const VmFacts& vm, const Version& needed,
                        std::string& command) {
  const std::string update = vm_command(vm, "Update-VMVersion", "-Force");
  const auto highest = host.highest_supported_version();
  if (highest && *highest >= needed) {
    command = enable_command(host, vm, true, " --upgrade-version");
    return "With the VM turned off (not saved), run " + update +
           (command.empty() ? std::string() : " (or " + command + ", which does it)") +
           ". This upgrades the VM to " + highest->str() +
           ", the highest version this host supports; it is irreversible: the VM will no longer "
           "start on hosts that lack version " +
           highest->str() + ".";
  }
  if (highest) {
    return "This host supports configuration versions up to " + highest->str() +
           ", so it cannot run version " + needed.str() +
           ": upgrade the host first (see host.os-build), then run " + update +
           ", or recreate the VM on a host that supports " + needed.str() + ".";
  }
  // nestvirt enable --upgrade-version refuses while the host's versions are unknown.
  return "Run Get-VMHostSupportedVersion. If it lists " + needed.str() +
         " or higher, turn the VM off and run " + update +
         "; this is irreversible. Otherwise the host cannot run version " + needed.str() +
         ": upgrade the host first, or recreate the VM on a newer host.";
}

Finding config_version(const HostFacts& host, const VmFacts& vm) {
  Finding f = make_finding("vm.config-version", "VM configuration version");
  const CpuVendor vendor = host.vendor();
  const auto needed = required_version(vendor);
  if (vm.version) {
    f.seen = "version " + vm.version->str();
  } else {
    f.seen = vm.version_text.empty() ? "version not reported"
                                     : "version " + ps_quote(vm.version_text) + " not understood";
  }
  if (!needed) {
    f.needed = vendor == CpuVendor::Other
                   ? "none: no configuration version enables nested virtualization on this CPU "
                     "(see host.cpu-vendor)"
                   : "8.0 or higher on Intel, 9.3 or higher on AMD (CPU vendor unknown)";
    // 9.3 satisfies both vendors, so a VM at 9.3+ passes even when the vendor is unknown.
    const bool meets_both = vm.version && *vm.version >= Version{9, 3};
    f.status = vendor == CpuVendor::Unknown && meets_both ? Status::Pass : Status::Unknown;
    return f;
  }
  f.needed = needed->str() + " or higher (" + (vendor == CpuVendor::Amd ? "AMD" : "Intel") + ")";
  if (!vm.version) {
    f.status = Status::Unknown;
    f.fix = "Check by hand: Get-VM | Format-Table Name, Version";
    return f;
  }
  if (*vm.version >= *needed) {
    f.status = Status::Pass;
    return f;
  }
  f.status = Status::Fail;
  f.fix = upgrade_fix(host, vm, *needed, f.fix_command);
  return f;
}

Finding vcpus(const VmFacts& vm) {
  Finding f = make_finding("vm.vcpus", "Virtual processors");
  f.needed =
      "225 or fewer if the guest (L1) runs Windows Server 2019 or earlier; nestvirt cannot "
      "see the guest OS from the host";
  if (!vm.processor_count) {
    f.status = Status::Unknown;
    f.seen = "not reported";
    return f;
  }
  f.seen = std::to_string(*vm.processor_count) + " virtual processors";
  if (*vm.processor_count <= kMaxVcpusForOldGuests) {
    f.status = Status::Pass;
    return f;
  }
  f.status = Status::Warn;
  f.fix = "If the guest runs Windows Server 2019 or earlier, lower the count with the VM off: " +
          vm_command(vm, "Set-VMProcessor", "-Count 225");
  return f;
}

Finding dynamic_memory(const HostFacts& host, const VmFacts& vm) {
  Finding f = make_finding("vm.dynamic-memory", "Dynamic memory");
  f.needed =
      "static memory recommended: while Hyper-V runs inside the VM its memory stops "
      "fluctuating and cannot be resized while it runs";
  if (!vm.dynamic_memory) {
    f.status = Status::Unknown;
    f.seen = "not reported";
    return f;
  }
  if (!*vm.dynamic_memory) {
    f.status = Status::Pass;
    f.seen = "off";
    return f;
  }
  f.status = Status::Warn;
  f.seen = "on";
  f.fix_command = enable_command(host, vm, false, " --disable-dynamic-memory");
  f.fix = "With the VM off: " + vm_command(vm, "Set-VMMemory", "-DynamicMemoryEnabled $false") +
          (f.fix_command.empty() ? std::string() : " (or " + f.fix_command + ")");
  return f;
}

Finding memory(const VmFacts& vm) {
  Finding f = make_finding("vm.memory", "Startup memory");
  f.needed = "4 GiB or more: the nested VMs take their memory from this VM";
  if (!vm.memory_startup_bytes) {
    f.status = Status::Unknown;
    f.seen = "not reported";
    return f;
  }
  f.seen = format_bytes(*vm.memory_startup_bytes);
  if (*vm.memory_startup_bytes >= kMinStartupBytes) {
    f.status = Status::Pass;
    return f;
  }
  f.status = Status::Warn;
  f.fix = "With the VM off: " + vm_command(vm, "Set-VMMemory", "-StartupBytes 4GB");
  return f;
}

// Not yet enabled is the normal state before `nestvirt enable`, so it warns (nested
// virtualization does not work yet) rather than fails (nothing prevents enabling it).
Finding nested_enabled(const HostFacts& host, const VmFacts& vm) {
  Finding f = make_finding("vm.nested-enabled", "Nested virtualization setting");
  f.needed = "ExposeVirtualizationExtensions on (what nestvirt enable sets)";
  if (!vm.expose_virtualization_extensions) {
    f.status = Status::Unknown;
    f.seen = "not reported";
    return f;
  }
  if (*vm.expose_virtualization_extensions) {
    f.status = Status::Pass;
    f.seen = "enabled";
    return f;
  }
  f.status = Status::Warn;
  f.seen = "not enabled yet";
  f.fix_command = enable_command(host, vm, false, "");
  const std::string by_hand =
      vm_command(vm, "Set-VMProcessor", "-ExposeVirtualizationExtensions $true");
  if (!f.fix_command.empty()) {
    f.fix = f.fix_command + ", or with the VM off: " + by_hand;
  } else if (host_fails(host)) {
    f.fix =
        "None while the host findings above fail: this host cannot run nested virtualization "
        "until they are fixed (nestvirt enable refuses every VM).";
  } else if (vm.state != "Off" && vm.state != "Running") {
    f.fix = "The VM is " + vm.state +
            ": start it and shut the guest down cleanly (or resume, then shut down), then run "
            "nestvirt enable; or, with the VM off: " +
            by_hand;
  } else {
    f.fix =
        "Fix vm.config-version first: nestvirt enable refuses a VM below the version this "
        "CPU needs.";
  }
  return f;
}

}  // namespace

std::vector<Finding> evaluate_vm(const HostFacts& host, const VmFacts& vm) {
  std::vector<Finding> findings{exists(vm)};
  // Nothing else can be said about a VM that is not there.
  if (vm.exists) {
    findings.push_back(config_version(host, vm));
    findings.push_back(vcpus(vm));
    findings.push_back(dynamic_memory(host, vm));
    findings.push_back(memory(vm));
    findings.push_back(nested_enabled(host, vm));
  }
  for (Finding& finding : findings) {
    finding.vm = detail::vm_display_name(vm);
    finding.vm_id = vm.id;
  }
  return findings;
}

}  // namespace nestvirt::core
