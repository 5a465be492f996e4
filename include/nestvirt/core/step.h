// One change nestvirt makes. Every command's plan is a list of these, and one executor
// (src/engine/executor.cpp) runs them all: a kind with typed arguments, the words --dry-run
// shows, and the PowerShell it runs. Pure data.
#pragma once

#include <iterator>
#include <string>
#include <variant>
#include <vector>

namespace nestvirt::core {

enum class StepKind {
  // enable, disable, net-spoof: Hyper-V settings of one VM, on the host.
  RemoveSavedState,
  StopVm,
  UpdateVersion,
  SetDynamicMemory,
  SetProcessor,
  SetMacSpoofing,
  StartVm,
  // net-nat: the host's network where the nested VMs live.
  NewSwitch,
  NewAddress,
  NewNat,
  Connect,
  Disconnect,
  RemoveNat,
  RemoveAddress,
  RemoveSwitch,
  // net-nat guest: inside one VM, through PowerShell Direct.
  GuestAddAddress,
  GuestAddGateway,
  GuestSetDns,
  GuestRemoveAddress,
  GuestRemoveGateway,
  // enable --install-hyperv: Hyper-V inside the L1 guest, through PowerShell Direct. Not
  // undone by a later failure (a role install is not rolled back).
  GuestInstallHyperV,
  GuestSetLaunchType,
  GuestReboot,
  GuestVerifyHyperV,
};
// Every kind, in the order above, for tests that must reach each one (the fault matrix).
inline constexpr StepKind kAllStepKinds[] = {
    StepKind::RemoveSavedState,
    StepKind::StopVm,
    StepKind::UpdateVersion,
    StepKind::SetDynamicMemory,
    StepKind::SetProcessor,
    StepKind::SetMacSpoofing,
    StepKind::StartVm,
    StepKind::NewSwitch,
    StepKind::NewAddress,
    StepKind::NewNat,
    StepKind::Connect,
    StepKind::Disconnect,
    StepKind::RemoveNat,
    StepKind::RemoveAddress,
    StepKind::RemoveSwitch,
    StepKind::GuestAddAddress,
    StepKind::GuestAddGateway,
    StepKind::GuestSetDns,
    StepKind::GuestRemoveAddress,
    StepKind::GuestRemoveGateway,
    StepKind::GuestInstallHyperV,
    StepKind::GuestSetLaunchType,
    StepKind::GuestReboot,
    StepKind::GuestVerifyHyperV,
};
static_assert(static_cast<int>(kAllStepKinds[std::size(kAllStepKinds) - 1]) + 1 ==
                  static_cast<int>(std::size(kAllStepKinds)),
              "kAllStepKinds lists every StepKind, in order");

// "stop-vm", "new-switch", "guest-add-address", ...: the `kind` of a step in JSON.
std::string to_string(StepKind kind);

// Where a step acts, which decides the script that runs it.
enum class StepScope { Vm, HostNetwork, Guest, GuestHyperV };
StepScope scope_of(StepKind kind);

// A VM as steps name it: always by id (names repeat and are wildcard patterns), with the name
// for messages.
struct VmRef {
  std::string id;
  std::string name;
  bool operator==(const VmRef&) const = default;
};

// RemoveSavedState, StopVm, UpdateVersion, StartVm.
struct VmPowerArgs {
  VmRef vm;
  int shutdown_timeout_seconds = 0;     // StopVm: how long the guest gets
  bool turn_off_after_timeout = false;  // StopVm: --force
  std::string version_before;           // UpdateVersion: to tell afterwards whether it ran
  bool operator==(const VmPowerArgs&) const = default;
};
// SetDynamicMemory, SetProcessor.
struct VmFlagArgs {
  VmRef vm;
  bool value = false;
  bool operator==(const VmFlagArgs&) const = default;
};
// SetMacSpoofing: one adapter, found by its id (Hyper-V names every adapter "Network Adapter").
struct SpoofArgs {
  VmRef vm;
  std::string adapter_id;
  std::string adapter_name;
  bool on = true;
  bool operator==(const SpoofArgs&) const = default;
};
// NewSwitch (name), RemoveSwitch (id; when the id is unknown, the one switch of that name).
struct SwitchArgs {
  std::string name;
  std::string id;
  bool operator==(const SwitchArgs&) const = default;
};
// NewAddress, RemoveAddress: an IPv4 address on the host adapter of that alias.
struct AddressArgs {
  std::string ip;
  int prefix_length = 0;
  std::string switch_name;  // whose host adapter carries the address
  std::string alias;        // that adapter: "vEthernet (<switch_name>)"
  bool operator==(const AddressArgs&) const = default;
};
// NewNat, RemoveNat.
struct NatArgs {
  std::string name;
  std::string prefix;
  bool operator==(const NatArgs&) const = default;
};
// Connect (to `to_switch`), Disconnect (to_switch empty). `from_switch` is where the adapter
// was, so the undo can put it back.
struct ConnectArgs {
  VmRef vm;
  std::string adapter_id;
  std::string adapter_name;
  std::string to_switch;
  std::string from_switch;
  bool operator==(const ConnectArgs&) const = default;
};
// The guest steps: one adapter inside the VM, by interface index (an alias may hold wildcard
// characters). `gateway` with GuestAddAddress: also the default route; `dns` is what
// GuestSetDns sets, `previous_dns` what was there (the undo puts it back; empty: reset).
struct GuestArgs {
  VmRef vm;
  int if_index = 0;
  std::string alias;
  std::string ip;
  int prefix_length = 0;
  std::string gateway;
  std::vector<std::string> dns;
  std::vector<std::string> previous_dns;
  // GuestAddAddress on an adapter that had DHCP: Windows turns DHCP off for a static address,
  // so the undo turns it on again.
  bool restore_dhcp = false;
  bool operator==(const GuestArgs&) const = default;
};

// The Hyper-V steps inside a guest: `server` picks Install-WindowsFeature over
// Enable-WindowsOptionalFeature; `source` is --install-source.
struct HyperVArgs {
  VmRef vm;
  bool server = false;
  std::string source;
  bool operator==(const HyperVArgs&) const = default;
};

using StepArgs = std::variant<VmPowerArgs, VmFlagArgs, SpoofArgs, SwitchArgs, AddressArgs, NatArgs,
                              ConnectArgs, GuestArgs, HyperVArgs>;

struct Step {
  StepKind kind = StepKind::SetProcessor;
  std::string title;       // "Turn nested virtualization on"
  std::string why;         // why this step is in the plan
  bool reversible = true;  // false: Update-VMVersion, Remove-VMSavedState
  StepArgs args;
  std::vector<std::string> commands;  // the PowerShell it runs, shown by --dry-run
};

}  // namespace nestvirt::core
