// Evaluates Microsoft's nested-virtualization prerequisites against Facts. Pure functions.
// The matrix and its sources: docs/prerequisites.md.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "nestvirt/core/facts.h"

namespace nestvirt::core {

enum class Status { Pass, Warn, Fail, Unknown };
std::string to_string(Status status);  // "pass", "warn", "fail", "unknown"

struct Finding {
  std::string id;  // stable, e.g. "host.os-build", "vm.config-version"
  Status status = Status::Unknown;
  std::string vm;      // empty for host findings; else the VM name
  std::string vm_id;   // VM GUID, empty for host findings
  std::string title;   // short words: "Host OS build"
  std::string seen;    // what was seen: "build 19045 (Windows 10 22H2), client"
  std::string needed;  // what is needed: "Windows 11 (build 22000+) or Windows Server 2022+"
  std::string fix;     // what to do; empty when nothing is to be done
  // When the fix is one nestvirt command that, run as it is on the same host, gets past this
  // finding: that command line exactly as it appears in `fix`, so scripts and the [fixes] test
  // can run it without parsing prose. Empty when the fix is anything else.
  std::string fix_command;
};

// Host-level findings: CPU vendor, OS build/product for that vendor, virtualization support,
// Hyper-V module, permissions.
std::vector<Finding> evaluate_host(const HostFacts& host);

// Per-VM findings: exists, configuration version for the vendor (with Update-VMVersion as the
// fix when the host supports a high enough version), vCPU count (> 225 warns), dynamic memory.
std::vector<Finding> evaluate_vm(const HostFacts& host, const VmFacts& vm);

// The configuration version the CPU vendor needs: 8.0 Intel, 9.3 AMD; nullopt otherwise.
std::optional<Version> required_version(CpuVendor vendor);

// Everything `check` reports: the host's findings, then each VM's in order (a VM that could
// not be looked up gets one vm.lookup finding saying why).
std::vector<Finding> evaluate_facts(const Facts& facts);

// Worst status of a set: Fail > Unknown > Warn > Pass. Pass for an empty set.
Status worst(const std::vector<Finding>& findings);

// Helpers the messages use, public so they are tested on their own.

// A PowerShell single-quoted literal for display in a fix: 'it''s'. PowerShell also ends
// single-quoted strings at the typographic quotes U+2018..U+201B, so those are doubled too.
std::string ps_quote(std::string_view text);

// The Windows release of a build number (Win32_OperatingSystem.BuildNumber), e.g. 19045 ->
// "Windows 10 22H2", 17763 -> "Windows Server 2019" for a server; "build N" when unnamed.
// Where client and server share a build, kind picks the name (Unknown: both, " / ").
std::string windows_release_name(int build, ProductKind kind);

}  // namespace nestvirt::core
