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

// What the guest itself said through PowerShell Direct.
struct HyperVGuestInside {
  std::string caption;   // "Microsoft Windows Server 2022 Datacenter"
  int product_type = 0;  // Win32_OperatingSystem.ProductType: 1 client, 2/3 server
  int sku = 0;           // OperatingSystemSKU
  std::string build;
  std::string boot_time;        // LastBootUpTime: a new value means the guest rebooted
  std::string feature;          // Server: Hyper-V's InstallState; client: Microsoft-Hyper-V's State
  std::optional<bool> tools;    // Server: Hyper-V-PowerShell and RSAT-Hyper-V-Tools installed
  PsError feature_error;        // the feature could not be read (Home: "Feature name ... unknown")
  std::string vmms;             // the vmms service: "Running", "Stopped", "" (no such service)
  std::string launch_type;      // bcdedit {current} hypervisorlaunchtype: "Auto", "Off", "" unset
  std::string bcd_error;        // bcdedit failed (not an administrator)
  bool pending_cbs = false;     // Component Based Servicing\RebootPending
  bool pending_update = false;  // WindowsUpdate\Auto Update\RebootRequired
};

struct HyperVGuestFacts {
  std::string state;        // the VM's state on the host
  std::string heartbeat;    // Heartbeat's PrimaryStatusDescription: "OK", "No Contact", ""
  std::string os_name;      // Key-Value Pair Exchange OSName ("" before the guest reports it)
  std::string os_platform;  // OSPlatformId: "2" Windows; anything else is not Windows
  PsError direct_error;     // PowerShell Direct failed
  std::optional<HyperVGuestInside> inside;  // PowerShell Direct answered
  // A guest step's own result (install, set-launch-type, reboot).
  PsError action_error;
  std::string restart_needed;  // install: "Yes"/"No"/"Maybe" (Server), "True"/"False" (client)
};

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

// What enable --install-hyperv did in the guest.
struct HyperVGuestRun {
  ExecReport run;                 // Changed, Unchanged, Planned, Refused, Failed, Incomplete
  std::vector<Finding> refusals;  // when Refused
  std::optional<HyperVGuestFacts> before;
  std::optional<HyperVGuestFacts> after;
  int reboots = 0;   // guest reboots seen (its own included)
  int waited_s = 0;  // seconds spent waiting for the guest
};

}  // namespace nestvirt::core
