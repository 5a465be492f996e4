// The one executor of nestvirt: runs any command's steps (core/step.h) one at a time through
// one PowerShell session, reads every change back, and when a step fails undoes the steps
// that were done, in reverse. A PowerShell that dies, hangs past --timeout or answers in a
// shape nestvirt cannot read is a failed step like any other: the session starts PowerShell
// again for the undo, and the report says what was undone and what is left.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "nestvirt/core/outcome.h"
#include "nestvirt/core/step.h"
#include "nestvirt/engine/poll.h"
#include "nestvirt/engine/requests.h"
#include "nestvirt/powershell/session.h"

namespace nestvirt::engine {

struct ExecOptions {
  std::chrono::milliseconds poll_interval{1000};  // the first wait between polls, growing
  std::chrono::seconds start_timeout{120};        // a started VM must be Running by then
  std::chrono::milliseconds adapter_poll{500};    // a new switch's host adapter can lag
  std::chrono::seconds adapter_timeout{30};
  std::chrono::seconds guest_timeout{900};  // a guest's boot, and each of its restarts
  // How many interruptions end a wait (poll_until): 1 while a run goes forward; the executor
  // makes it 2 while it undoes, so that only a second one cuts the undo short.
  int interrupts_to_stop = 1;
  // -v: each command a step runs (its `commands`, comments left out), before it runs.
  std::function<void(const std::string& command)> trace;
  // Progress while waiting: who (a VM's name), what, and `final` once the wait is over.
  std::function<void(const std::string& who, const std::string& text, bool final)> progress;
};

// Runs `steps` (all done: Changed; a failure: Failed or Incomplete). Never throws for what
// PowerShell does; `login` is needed only for guest steps.
//
// The one place that decides what a failure leaves: the failed step and every step done before
// it are undone, last first (core::undo_step); what cannot be undone, and what the failure
// itself leaves (core::failure_left), is one sentence each in left_for_admin, and makes the
// outcome Incomplete instead of Failed.
//
// An interruption (process/interrupt.h; this process's first, whenever it came) is a failure
// like any other: no further step starts, what was done is undone, and the outcome is
// Interrupted (or Incomplete). A second one skips what is left of the undo, and each step not
// undone is named in left_for_admin. Interrupted before it starts, nothing runs.
core::ExecReport execute(powershell::ScriptHost& host, const std::vector<core::Step>& steps,
                         const ExecOptions& options, const core::GuestLogin* login = nullptr);

}  // namespace nestvirt::engine
