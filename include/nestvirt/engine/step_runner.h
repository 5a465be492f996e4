// How each kind of step runs through PowerShell: which script, which data, which waits, and
// the decoding of what it reads back. Used by the executor; separate so that the recovery
// rules (executor.cpp) read apart from the mechanics (step_runner.cpp).
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "nestvirt/core/guest_credentials.h"
#include "nestvirt/core/readback.h"
#include "nestvirt/core/step.h"
#include "nestvirt/engine/executor.h"
#include "nestvirt/engine/poll.h"

namespace nestvirt::engine {

// One attempt at a step.
struct Attempt {
  bool ok = false;
  // false when PowerShell died, hung or answered something unreadable, or the read-back does
  // not match: whether the change took effect is then unknown.
  bool effect_known = true;
  bool session_lost = false;  // PowerShell died or hung: the next request starts it again
  std::string error;
  std::string note;
  core::Readback readback;
  bool shutdown_asked = false;  // StopVm: the guest was asked to shut down, and has not yet
  int guest_reboots = 0;        // a guest step: the guest's restarts it saw
  int guest_waited_s = 0;       // and how long it waited for the guest
};

class StepRunner {
 public:
  StepRunner(powershell::ScriptHost& host, const ExecOptions& options,
             const core::GuestLogin* login)
      : host_(host), options_(options), login_(login) {}

  // From now on only a second interruption ends a wait: the run is undoing.
  void undoing() { options_.interrupts_to_stop = 2; }

  // Runs the step and checks its read-back (core::verify).
  Attempt run(const core::Step& step);
  // The VM as Hyper-V reports it now; nullopt if it could not be read.
  std::optional<core::VmReadback> vm_state(const core::VmRef& vm);
  // What the step's target looks like now, read afresh, for core::took_effect: the VM for VM
  // steps, the switch (by id) for RemoveSwitch, the guest for a guest's Hyper-V steps; nullopt
  // when it cannot be read.
  std::optional<core::Readback> current(const core::Step& step);

 private:
  Attempt call(std::string_view script, const nlohmann::json& args, core::StepScope scope);
  Attempt vm_call(const core::VmRef& vm, const std::string& action, nlohmann::json args = {});
  Attempt stop(const core::Step& step);
  Attempt start(const core::Step& step);
  Attempt net(const core::Step& step);
  Attempt guest(const core::Step& step);
  // A guest's Hyper-V steps (guest_hyperv.ps1): each reads the guest back.
  Attempt hyperv_call(const core::HyperVArgs& args, const std::string& action);
  Attempt install_hyperv(const core::HyperVArgs& args);
  Attempt set_launch_type(const core::HyperVArgs& args);
  Attempt reboot(const core::HyperVArgs& args);
  Attempt verify_hyperv(const core::HyperVArgs& args);
  void settle(const core::VmRef& vm, Attempt& a);
  Poll wait_for_state(const core::VmRef& vm, const std::string& state,
                      std::chrono::milliseconds limit, const std::string& doing);
  Attempt wait_for_adapter(const core::AddressArgs& a);
  void progress(const std::string& who, const std::string& text, bool final);

  powershell::ScriptHost& host_;
  ExecOptions options_;
  const core::GuestLogin* login_;
  // What the guest said last (a guest Hyper-V step's read-back): the boot time a restart must
  // change.
  std::optional<core::HyperVGuestFacts> last_guest_;
};

}  // namespace nestvirt::engine
