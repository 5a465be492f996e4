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

// A command aimed at one VM, for a fix: `Set-VMMemory -VMName 'web' -StartupBytes 4GB`.
// A name with wildcard characters (* ? [ ] `) could match other VMs, so when the VM id is
// known the command selects the VM by id instead: `Get-VM -Id '<guid>' | Set-VMMemory ...`.
std::string vm_command(const VmFacts& vm, std::string_view cmdlet, std::string_view name_param,
                       std::string_view args);

// The name to show for a VM: the name Hyper-V reported, else the name that was asked for.
const std::string& vm_display_name(const VmFacts& vm);

}  // namespace nestvirt::core::detail
