// Evaluates Microsoft's nested-virtualization prerequisites against Facts. Pure functions.
// The matrix and its sources: docs/prerequisites.md.
#pragma once

#include <string>
#include <vector>

#include "nestvirt/core/facts.h"

namespace nestvirt::core {

enum class Status { Pass, Warn, Fail, Unknown };
std::string to_string(Status status);  // "pass", "warn", "fail", "unknown"

struct Finding {
  std::string id;      // stable, e.g. "host.os-build", "vm.config-version"
  Status status = Status::Unknown;
  std::string vm;      // empty for host findings; else the VM name
  std::string vm_id;   // VM GUID, empty for host findings
  std::string title;   // short words: "Host OS build"
  std::string seen;    // what was seen: "build 19045 (Windows 10 22H2), client"
  std::string needed;  // what is needed: "Windows 11 (build 22000+) or Windows Server 2022+"
  std::string fix;     // what to do; empty when nothing is to be done
};

// Host-level findings: CPU vendor, OS build/product for that vendor, virtualization support,
// Hyper-V module, permissions.
std::vector<Finding> evaluate_host(const HostFacts& host);

// Per-VM findings: exists, configuration version for the vendor (with Update-VMVersion as the
// fix when the host supports a high enough version), vCPU count (> 225 warns), dynamic memory.
std::vector<Finding> evaluate_vm(const HostFacts& host, const VmFacts& vm);

// The configuration version the CPU vendor needs: 8.0 Intel, 9.3 AMD; nullopt otherwise.
std::optional<Version> required_version(CpuVendor vendor);

// Worst status of a set: Fail > Unknown > Warn > Pass.
Status worst(const std::vector<Finding>& findings);

}  // namespace nestvirt::core
