// Waiting for a guest, as Microsoft's virtualization blog describes it: the Heartbeat
// integration service OK first, then PowerShell Direct retried until it answers, both within
// --guest-timeout. Used before a guest is planned (enable --install-hyperv) and by the restart
// step (a new LastBootUpTime is a restart).
#pragma once

#include <string>

#include "nestvirt/core/guest_credentials.h"
#include "nestvirt/core/hyperv_guest.h"
#include "nestvirt/engine/executor.h"

namespace nestvirt::engine {

struct GuestWait {
  core::HyperVGuestFacts facts;  // the last read
  int seconds = 0;               // how long it waited
  bool interrupted = false;      // an interruption ended the wait (process/interrupt.h)
};

// Polls guest_hyperv.ps1 'read' until PowerShell Direct answers (with a boot time other than
// `old_boot` when that is given), or the guest says something waiting cannot change (not
// Windows, credentials rejected, the VM neither running nor starting), or options.guest_timeout
// passes. `doing` names the wait in the progress line ("booting", "rebooting (1)").
// Throws what read_hyperv_guest throws.
GuestWait wait_for_guest(powershell::ScriptHost& host, const core::VmRef& vm,
                         const core::GuestLogin& login, const ExecOptions& options,
                         const std::string& doing, const std::string& old_boot = "");

}  // namespace nestvirt::engine
