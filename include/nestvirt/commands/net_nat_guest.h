// `nestvirt net-nat guest`: the per-nested-VM half of Microsoft's NAT recipe. Each nested VM
// needs an address in the NAT's prefix, the gateway and optionally DNS servers, set INSIDE that
// VM (REFERENCE.md §1.7: the published page wrongly puts them on the L1 host's vNIC). nestvirt
// sets them through PowerShell Direct, or prints the commands for an admin (--print).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "nestvirt/commands/credentials.h"
#include "nestvirt/core/ipv4.h"
#include "nestvirt/core/nat_plan.h"
#include "nestvirt/powershell/session.h"

namespace nestvirt::commands {

// The command line as typed.
struct GuestInput {
  std::string vm;
  std::string ip;
  std::string prefix;   // empty: taken from the host's one NAT (not with --print)
  std::string gateway;  // empty: the host's address in the prefix, else its first host
  std::vector<std::string> dns;
  std::string adapter;  // --guest-adapter; empty: the only adapter that is Up
  bool print = false;
};

struct GuestRequest {
  std::string vm;
  core::Ipv4 ip;
  core::Prefix prefix;
  core::Ipv4 gateway;
  std::vector<core::Ipv4> dns;
  std::string adapter;
  std::string prefix_source;   // "option" or "host-nat"
  std::string gateway_source;  // "option", "host-nat" (the host's address there) or "default"
};

// What the host's NAT says, when --prefix was omitted.
struct HostNat {
  std::optional<core::Prefix> prefix;
  std::optional<core::Ipv4> gateway;  // the host's own address inside the prefix, if one
  std::string error;                  // no NAT, several, or unreadable: asks for --prefix
};
HostNat host_nat(const core::NetFacts& net);

struct GuestInputCheck {
  std::optional<GuestRequest> request;
  std::vector<std::string> errors;  // each names the option and the fix
  bool needs_host_nat = false;      // input is fine so far; the prefix must come from the host
};

// Pure. Checks everything that can be checked before PowerShell starts: the address is IPv4,
// inside the prefix, and neither its network, broadcast nor gateway address; the gateway is
// inside the prefix; DNS servers are IPv4. `nat` is the host's NAT when --prefix was omitted
// (nullopt on the first pass: then only the syntax is checked and needs_host_nat is set).
GuestInputCheck check_guest_input(const GuestInput& input, const std::optional<HostNat>& nat);

// The adapter --print names when --guest-adapter is not given: the name Windows gives a VM's
// only network adapter (and the name Microsoft's page used before 2022).
inline constexpr const char* kDefaultGuestAdapter = "Ethernet";

// What an admin runs inside the guest, exactly as --print shows it. Module-qualified like
// everything nestvirt runs: the same text works in Windows PowerShell 5.1 and PowerShell 7, and
// no alias or function of the admin's profile can stand in for the real cmdlets.
std::vector<std::string> guest_commands(const GuestRequest& request);
// The whole --print text: comment lines, then the commands (a script that can be saved and run).
std::string guest_print_text(const GuestRequest& request);

struct GuestItem {
  std::string item;    // "address", "gateway", "dns"
  std::string wanted;  // "192.168.100.2/24", "192.168.100.1", "1.1.1.1, 8.8.8.8"
  std::vector<std::string> before, after;
  std::string action;  // added, changed, unchanged, not-requested, failed, planned
};

struct GuestResult {
  GuestRequest request;
  std::string credential_source;
  std::string vm_name, vm_id, vm_state;  // as Hyper-V reported them (empty if not found)
  std::string result;                    // printed, changed, unchanged, refused, failed, incomplete
  std::string kind;  // refusals and failures: vm-not-running, credential-invalid, ...
  std::string message, fix, powershell_error;
  std::string adapter;
  std::vector<std::string> adapters;  // the guest's adapters, "Name (Status)"
  std::vector<GuestItem> items;
  std::vector<std::string> left_for_admin;
  int exit_code = 0;
};

// Pure: the guest_address script's reply as a result, with exit code, message and fix.
// Throws std::runtime_error on a reply it cannot read.
GuestResult parse_guest_reply(const GuestRequest& request, const nlohmann::json& reply);
// The request, with nothing executed (--print).
GuestResult printed_result(const GuestRequest& request);

// Runs guest_address through the session. Throws SessionError if PowerShell itself fails.
GuestResult run_net_nat_guest(powershell::ScriptHost& host, const GuestRequest& request,
                              const GuestCredentials& credentials);

nlohmann::json guest_to_json(const GuestResult& result);
std::string guest_to_text(const GuestResult& result);

}  // namespace nestvirt::commands
