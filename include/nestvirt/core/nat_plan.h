// net-nat: the second networking option of Microsoft's page (an internal switch, a gateway
// address on its host adapter, and a WinNAT for the prefix), decided from facts alone. Pure.
// WinNAT supports one NAT network per host: nestvirt never removes a NAT it was not asked to.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "nestvirt/core/facts.h"
#include "nestvirt/core/findings.h"
#include "nestvirt/core/ipv4.h"
#include "nestvirt/core/step.h"

namespace nestvirt::core {

struct NatRequest {
  std::string switch_name;
  Prefix prefix;
  Ipv4 gateway;
  std::string nat_name;
  std::vector<std::string> connect_vms;  // --connect-vm
  std::string adapter;                   // --adapter for --connect-vm; empty: every adapter
  bool remove = false;
  bool force = false;  // --remove: disconnect connected VMs first
};

// The command line as typed, checked before PowerShell starts.
struct NatInput {
  std::string switch_name;
  std::string prefix;    // empty only with --remove
  std::string gateway;   // empty: the first host address of the prefix
  std::string nat_name;  // empty: the switch name
  std::vector<std::string> connect_vms;
  std::string adapter;
  bool remove = false;
  bool force = false;
};
struct NatInputCheck {
  std::optional<NatRequest> request;
  std::vector<std::string> errors;    // each names the input and the fix
  std::vector<std::string> warnings;  // e.g. a public range
};
NatInputCheck check_nat_input(const NatInput& input);

struct SwitchFacts {
  std::string name, id, switch_type;
};
struct NatFacts {
  std::string name, internal_prefix;
};
struct AddressFacts {
  std::string ip;
  int prefix_length = 0;
  std::string interface_alias;
};
struct ConnectedAdapter {
  std::string vm_name, vm_id, adapter, adapter_id;
};
struct NetFacts {
  std::vector<SwitchFacts> switches;  // only those named like the requested switch
  std::vector<NatFacts> nats;         // every NAT on the host
  std::vector<AddressFacts> addresses;
  std::string host_adapter;  // "vEthernet (<switch>)"
  bool host_adapter_present = false;
  std::vector<ConnectedAdapter> connected;
  std::vector<ProbeError> errors;
  std::vector<SwitchFacts> all_switches;  // every switch: "did you mean", a NAT's switch
};

// What exists already, per item: "present" (kept), "create", "remove", "absent".
struct NatItem {
  std::string item;  // "switch", "gateway-address", "nat", "vm-adapter"
  std::string name;
  std::string status;
  std::string detail;
};

struct NatPlan {
  std::vector<Finding> refusals;
  std::vector<Finding> warnings;
  std::vector<NatItem> items;
  std::vector<Step> steps;
  bool refused() const { return !refusals.empty(); }
};

// The host's side of an existing NAT: its address inside the NAT's prefix (the gateway the
// nested VMs use) and the switch whose host adapter, "vEthernet (<switch>)", carries it. Empty
// fields: not found, or more than one address in the prefix (nothing to choose from safely).
struct NatHostSide {
  std::optional<Ipv4> gateway;
  int prefix_length = 0;    // of that address
  std::string alias;        // the adapter it is on
  std::string switch_name;  // the switch of that adapter, when one of that name exists
  std::string switch_type;  // its SwitchType
};
NatHostSide nat_host_side(const NetFacts& net, const Prefix& nat_prefix);

// The net-nat command line that asks for `r`, options in a fixed order and only those that
// differ from their defaults (--gateway: the first host; --nat-name: the switch name), so a
// suggested fix reads as a user would type it. Names are PowerShell single-quoted literals,
// like every command nestvirt suggests: it runs from PowerShell.
std::string net_nat_command(const NatRequest& r);

// host_findings: Hyper-V module and permission failures refuse too. vms: facts of the
// --connect-vm names (empty when none).
NatPlan plan_nat(const NatRequest& request, const NetFacts& net,
                 const std::vector<Finding>& host_findings, const std::vector<VmFacts>& vms);

}  // namespace nestvirt::core
