// Shared by findings_host.cpp and findings_vm.cpp; not part of the public interface.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "nestvirt/core/findings.h"

namespace nestvirt::core::detail {

Finding make_finding(std::string id, std::string title);

// The host.os-build finding (findings_os.cpp).
Finding os_build(const HostFacts& host);

// "client", "server" or "product type unknown", for `seen` texts.
std::string kind_word(ProductKind kind);

// "4 GiB", "1536 MiB", or "N bytes" when neither unit divides it.
std::string format_bytes(std::int64_t bytes);

// A Hyper-V command aimed at one VM, for a fix. A name can match other VMs (names repeat, and
// -VMName reads * ? [ ] as wildcards), so a VM whose id is known is selected by id:
// `Hyper-V\Set-VMMemory -VM (Hyper-V\Get-VM -Id '<guid>') -StartupBytes 4GB`; a VM that was
// not found can only be named: `Hyper-V\Set-VMMemory -VMName 'web' ...`.
std::string vm_command(const VmFacts& vm, std::string_view cmdlet, std::string_view args);

// The --vm value of a suggested nestvirt command: the name, quoted, when it matches only this
// VM (unique on the host, no wildcard characters); otherwise the VM's id, which --vm accepts.
std::string vm_selector(const VmFacts& vm);

// The name to show for a VM: the name Hyper-V reported, else the name that was asked for.
const std::string& vm_display_name(const VmFacts& vm);

}  // namespace nestvirt::core::detail
