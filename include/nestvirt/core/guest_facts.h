// What nestvirt reads before it changes anything inside a nested VM (net-nat guest): the VMs
// of that exact name on this host, and, through PowerShell Direct, the guest's network
// adapters with their IPv4 addresses, default gateways and DNS servers. The script that reads
// them (guest_read.ps1) decides nothing; core/guest_plan.h does. Pure data.
#pragma once

#include <string>
#include <vector>

#include "nestvirt/core/readback.h"

namespace nestvirt::core {

// A VM of the requested name, as Hyper-V reports it on the host.
struct GuestVm {
  std::string name;
  std::string id;
  std::string state;
  std::vector<VmAdapterState> adapters;  // its network adapters and their switches
};

// One network adapter inside the guest.
struct GuestAdapter {
  std::string name;    // InterfaceAlias
  std::string status;  // "Up", "Disconnected", ...
  int if_index = 0;
  bool dhcp = false;     // IPv4 DHCP enabled (Get-NetIPInterface)
  GuestReadback config;  // its IPv4 addresses, default gateways, DNS servers
};

struct GuestFacts {
  PsError hyperv_error;          // Get-VM itself failed (no module, no permission)
  std::vector<GuestVm> matches;  // VMs named exactly as asked (never a pattern)
  PsError direct_error;          // PowerShell Direct failed (not booted, credentials, ...)
  bool guest_answered = false;   // the guest's adapters below were read
  std::vector<GuestAdapter> adapters;
};

}  // namespace nestvirt::core
