// What a step script reads back after its change: Hyper-V accepting a change is no proof that
// it holds, so every step answers with the state it finds afterwards, and core::verify compares
// it with what the step asked for. Decoded from replies by core/replies.h. Pure data.
#pragma once

#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace nestvirt::core {

struct VmAdapterState {
  std::string id;
  std::string name;
  std::string switch_name;  // empty: not connected
  std::string mac_address_spoofing;
  bool operator==(const VmAdapterState&) const = default;
};

// vm_step.ps1: the VM as Hyper-V reports it after the step.
struct VmReadback {
  std::string state;    // "Running", "Off", ...
  std::string version;  // configuration version text
  std::optional<bool> dynamic_memory;
  std::optional<bool> expose_virtualization_extensions;
  std::vector<VmAdapterState> adapters;
  std::vector<std::string> changed;  // ids of the adapters this step changed
  bool operator==(const VmReadback&) const = default;
};

// nat_step.ps1: the one object the step is about, as the host reports it afterwards.
struct NetReadback {
  int count = 0;                // objects matching the step's key (switch id/name, address, NAT)
  std::string id;               // switches: the id (a new switch's, for its undo)
  std::string switch_type;      // switches
  int prefix_length = 0;        // addresses
  std::string prefix;           // NATs: the internal prefix
  std::string adapter_switch;   // Connect/Disconnect: the VM adapter's switch now ("": none)
  bool adapter_present = true;  // Connect/Disconnect: the VM adapter still exists
  bool switch_present = true;   // adapter-present: the switch whose host adapter it is exists
  bool operator==(const NetReadback&) const = default;
};

// An IPv4 address inside a guest, as Get-NetIPAddress reports it.
struct GuestAddress {
  std::string ip;
  int prefix_length = 0;
  std::string origin;  // PrefixOrigin: "Manual", "Dhcp", "WellKnown" (APIPA), ...
  bool operator==(const GuestAddress&) const = default;
};

// guest_step.ps1: the adapter's IPv4 configuration after the step.
struct GuestReadback {
  std::vector<GuestAddress> addresses;
  std::vector<std::string> gateways;  // next hops of the default routes
  std::vector<std::string> dns;       // IPv4 DNS servers, in order
  bool operator==(const GuestReadback&) const = default;
};

// Nothing was read (the step failed before, or never ran).
using Readback = std::variant<std::monostate, VmReadback, NetReadback, GuestReadback>;

}  // namespace nestvirt::core
