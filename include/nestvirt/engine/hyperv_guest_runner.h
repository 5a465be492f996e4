// enable --install-hyperv and check --guest, against a real PowerShell: waits for the guest
// (Heartbeat OK, then PowerShell Direct answering, both within --guest-timeout), reads it,
// plans with core/hyperv_guest.h, runs the steps, waits through the guest's reboots (a new
// LastBootUpTime is a reboot), and proves Hyper-V runs. Nothing here is undone: a role install
// is not rolled back, and the report says exactly what is left.
#pragma once

#include <chrono>
#include <optional>
#include <vector>

#include "nestvirt/core/findings.h"
#include "nestvirt/core/hyperv_guest.h"
#include "nestvirt/core/outcome.h"
#include "nestvirt/engine/executor.h"
#include "nestvirt/engine/requests.h"

namespace nestvirt::engine {

struct HyperVGuestRequest {
  core::VmRef vm;
  core::HyperVGuestOptions options;
  bool dry_run = false;
  std::chrono::seconds guest_timeout{900};  // each wait: the first boot, each reboot
};

// One read (guest_hyperv.ps1 'read'); throws SessionError / ScriptFailure / core::ReplyError.
core::HyperVGuestFacts read_hyperv_guest(powershell::ScriptHost& host, const core::VmRef& vm,
                                         const core::GuestLogin& login);

core::HyperVGuestRun run_hyperv_guest(powershell::ScriptHost& host,
                                      const HyperVGuestRequest& request,
                                      const core::GuestLogin& login, const ExecOptions& options);

}  // namespace nestvirt::engine
