// Hyper-V inside an L1 guest, decided in C++: the last step of Microsoft's page ("install
// Hyper-V within the virtual machine"). What the host and the guest report (guest_hyperv.ps1),
// what that means (ready to talk to? which edition? Hyper-V running?), the findings check
// --guest shows, and the steps enable --install-hyperv runs. Pure.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "nestvirt/core/findings.h"
#include "nestvirt/core/guest_facts.h"
#include "nestvirt/core/outcome.h"
#include "nestvirt/core/step.h"

namespace nestvirt::core {

// Decodes guest_hyperv.ps1's reply; throws ReplyError when it breaks its shape.
HyperVGuestFacts decode_hyperv_guest(const nlohmann::json& result);

// Where the guest stands, as far as talking to it goes.
enum class GuestReach {
  VmNotRunning,  // the VM is not Running
  Booting,       // heartbeat not OK yet, or PowerShell Direct not answering yet
  NotWindows,    // the guest reports a non-Windows OS: PowerShell Direct cannot reach it
  Credentials,   // the guest rejected the credentials
  Answered,      // PowerShell Direct answered
};
GuestReach reach_of(const HyperVGuestFacts& facts);

enum class GuestEdition { Server, Client, Home, Unknown };
// Home editions (SKU 98-101, or a caption with "Home") have no Hyper-V.
GuestEdition edition_of(const HyperVGuestInside& inside);

// The role is installed (or enabled) and needs no reboot to be so.
bool feature_installed(const std::string& state);
// Installed or enabled, waiting for a reboot.
bool feature_pending(const std::string& state);
// Hyper-V runs in the guest: the feature installed, vmms Running, launch type Auto. Not
// HypervisorPresent, which is true under the L0's hypervisor too.
bool hyperv_running(const HyperVGuestInside& inside);
// What keeps Hyper-V from running, in words: "the feature is Available, vmms is Stopped".
std::string missing_words(const HyperVGuestInside& inside);

struct HyperVGuestOptions {
  std::string source;           // --install-source: where the payload is
  bool reboot_first = false;    // --reboot-guest-first: a reboot already pending is done first
  bool nesting_exposed = true;  // the VM's processor exposes virtualization extensions
  std::string vm_selector;      // the VM as a fix command names it ('Lab1')
};

struct HyperVGuestPlan {
  std::vector<Finding> refusals;  // why it cannot go on (each with its fix), nothing run
  std::vector<Step> steps;        // empty with no refusals: Hyper-V already runs
};

// The steps that get Hyper-V running, from what the guest said; only what is missing.
HyperVGuestPlan plan_hyperv_guest(const HyperVGuestFacts& facts, const HyperVGuestOptions& options,
                                  const VmRef& vm);

// The steps --dry-run shows for a guest it cannot read yet (the VM is off): the install for
// both kinds of Windows, then the reboot.
std::vector<Step> unread_guest_steps(const VmRef& vm, const std::string& source);

// check --guest: the guest's findings (reachable, edition, role, vmms, launch type, pending
// reboot, nesting exposed).
std::vector<Finding> hyperv_guest_findings(const HyperVGuestFacts& facts,
                                           const HyperVGuestOptions& options, const VmRef& vm);

// The refusal for a guest that cannot be talked to (VM off, not Windows, credentials, not
// booted in time): shared by check --guest and enable --install-hyperv.
std::optional<Finding> reach_refusal(const HyperVGuestFacts& facts, const VmRef& vm,
                                     const std::string& vm_selector, int waited_seconds);

// enable --install-hyperv: one result for a VM and its guest. The VM's steps (nesting on, the VM
// started) ran first and are not undone when the guest's part fails: they are what Microsoft's
// page asks before the guest's install anyway. So when the guest's part fails after the VM
// changed, the VM stays changed, and the result says so (Incomplete, with what stays).
struct VmAndGuest {
  Outcome outcome = Outcome::Unchanged;
  std::vector<std::string> left_for_admin;  // after the guest's own
};
VmAndGuest combine_vm_and_guest(Outcome vm, Outcome guest, const VmRef& ref);

// What enable --install-hyperv did in the guest.
struct HyperVGuestRun {
  ExecReport run;                 // Changed, Unchanged, Planned, Refused, Failed, Incomplete
  std::vector<Finding> refusals;  // when Refused
  std::optional<HyperVGuestFacts> before;
  std::optional<HyperVGuestFacts> after;
  int reboots = 0;    // guest reboots seen (its own included)
  int waited_s = 0;   // seconds spent waiting for the guest
  std::string error;  // Failed before any step: why the guest could not be read
};

}  // namespace nestvirt::core
