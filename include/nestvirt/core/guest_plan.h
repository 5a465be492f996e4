// net-nat guest, decided in C++: the per-nested-VM half of Microsoft's NAT recipe. Each nested
// VM needs an address in the NAT's prefix, the gateway and optionally DNS servers, set INSIDE
// that VM (docs/network.md: the published page wrongly puts them on the L1 host's vNIC).
// Input checks before PowerShell starts, then a plan from what the guest reported
// (guest_facts.h). Pure.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "nestvirt/core/guest_facts.h"
#include "nestvirt/core/ipv4.h"
#include "nestvirt/core/nat_plan.h"
#include "nestvirt/core/step.h"

namespace nestvirt::core {

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
  Ipv4 ip;
  Prefix prefix;
  Ipv4 gateway;
  std::vector<Ipv4> dns;
  std::string adapter;
  std::string prefix_source;   // "option" or "host-nat"
  std::string gateway_source;  // "option", "host-nat" (the host's address there) or "default"
};

// The host's NAT (the host is where nestvirt runs: the L1 VM that holds the nested VMs).
struct HostNat {
  std::optional<Prefix> prefix;
  std::optional<Ipv4> gateway;      // the host's own address inside the prefix, if one
  std::string error;                // no NAT, several, or unreadable: asks for --prefix
  std::string name;                 // the NAT's name
  std::string gateway_alias;        // the host adapter that has the gateway
  std::string switch_name;          // the internal switch whose host adapter has the gateway
  bool unreadable = false;          // the host's network could not be read: nothing is known
  std::vector<std::string> others;  // the host's other NATs, "'name' (prefix)", for messages
};
// The host's one NAT, when --prefix was omitted.
HostNat host_nat(const NetFacts& net);
// The NAT whose prefix contains `ip`: what net-nat guest checks the VM against before it
// changes anything. Its error says why there is none.
HostNat host_nat_for(const NetFacts& net, Ipv4 ip);

struct GuestInputCheck {
  std::optional<GuestRequest> request;
  std::vector<std::string> errors;  // each names the option and the fix
  bool needs_host_nat = false;      // input is fine so far; the prefix must come from the host
};

// Checks everything that can be checked before PowerShell starts: the address is IPv4, inside
// the prefix, and neither its network, broadcast nor gateway address; the gateway is inside
// the prefix; DNS servers are IPv4. `nat` is the host's NAT when --prefix was omitted (nullopt
// on the first pass: then only the syntax is checked and needs_host_nat is set).
GuestInputCheck check_guest_input(const GuestInput& input, const std::optional<HostNat>& nat);

// One of the three things net-nat guest sets, before and after.
struct GuestItem {
  std::string item;    // "address", "gateway", "dns"
  std::string wanted;  // "192.168.100.2/24", "192.168.100.1", "1.1.1.1, 8.8.8.8"
  std::vector<std::string> before, after;
  std::string action;  // added, changed, unchanged, not-requested, failed, not-run, planned
};

// Why net-nat guest will not (or cannot) go on; nothing has been changed.
struct GuestProblem {
  std::string kind;  // vm-not-found, credential-invalid, address-conflict, ... (json-output.md)
  std::string message;
  std::string fix;
  std::string powershell_error;  // PowerShell's own message and error id, when there is one
  bool unreadable = false;       // the guest answered in a way nestvirt cannot use (exit 6)
  std::string fix_command;       // as Finding::fix_command: the fix when it is one nestvirt line
  // The finding's parts (guest_findings.h), for the checks against the host's NAT, whose
  // `message` is "title: seen; needed: needed". Empty for the kinds guest_findings knows,
  // where its table gives the title and needed and `message` is what was seen.
  std::string title;
  std::string seen;
  std::string needed;
};

struct GuestPlan {
  VmRef vm;              // empty id: no VM was found
  std::string vm_state;  // as Hyper-V reported it
  std::optional<GuestProblem> problem;
  std::string adapter;                // the adapter inside the guest that is changed
  int if_index = 0;                   // its interface index
  std::vector<std::string> adapters;  // the guest's adapters, "Name (Status)"
  std::vector<GuestItem> items;       // address, gateway, dns (before filled in)
  std::vector<Step> steps;
};

// Decides from what the guest and the host reported: whether the address can work at all
// (the host has a NAT whose prefix is --prefix and contains --ip, with its gateway on the
// host, and the VM has an adapter on that NAT's switch), which adapter, whether anything
// conflicts (nestvirt never replaces addresses or gateways it did not set), and the steps that
// add what is missing, in order: address (with the gateway when there is none), gateway, DNS.
// `nat` is host_nat_for(the host's network, request.ip).
GuestPlan plan_guest(const GuestRequest& request, const GuestFacts& facts, const HostNat& nat);

// The net-nat guest command line that asks for `r` (options that differ from what nestvirt
// would take anyway are left out), for fixes.
std::string net_nat_guest_command(const GuestRequest& r);

// The adapter --print names when --guest-adapter is not given: the name Windows gives a VM's
// only network adapter.
inline constexpr const char* kDefaultGuestAdapter = "Ethernet";

// What --print shows: comment lines, a line choosing the adapter as the real run does (by exact
// name, or the only one that is Up), then the commands of the same steps the real run would
// make on an adapter that has nothing yet, by $ifIndex. A script an admin can save and run.
std::string guest_print_text(const GuestRequest& request);
// The steps of that script (their commands use `$ifIndex`).
std::vector<Step> guest_print_steps(const GuestRequest& request);
// The items of --print: everything "planned".
std::vector<GuestItem> guest_print_items(const GuestRequest& request);

}  // namespace nestvirt::core
