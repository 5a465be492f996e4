// The one result type of every command that changes something (enable, disable, net-spoof,
// net-nat, net-nat guest): what happened to each step and to the whole, and the exit code
// that follows from it. Filled by the executor (src/engine/executor.cpp); pure data here.
#pragma once

#include <string>
#include <vector>

#include "nestvirt/core/readback.h"
#include "nestvirt/core/step.h"

namespace nestvirt::core {

enum class Outcome {
  Planned,     // --dry-run: the steps were shown, nothing ran
  Changed,     // every step ran and was read back as asked
  Unchanged,   // already as asked: nothing to run
  Refused,     // a prerequisite, the state or a conflict forbids it; nothing changed
  NotFound,    // the name matched nothing
  Failed,      // a step failed; everything this run had done was undone
  Incomplete,  // a step failed and something could not be undone: see left_for_admin
  // An interruption (Ctrl-C, SIGTERM, a closed console) stopped the run, and everything it had
  // done was put back (when something could not be, the outcome is Incomplete).
  Interrupted,
};
std::string to_string(Outcome outcome);  // "planned", "changed", ..., "not-found"

enum class StepStatus { Planned, Done, Skipped, Failed, Undone, NotUndone };
std::string to_string(StepStatus status);  // "planned", "done", ..., "not-undone"

struct StepReport {
  Step step;
  StepStatus status = StepStatus::Planned;
  double duration_ms = 0;
  std::string error;  // why it failed, or why its undo failed
  std::string note;   // e.g. "powered off after the guest ignored the shutdown for 300 s"
  Readback readback;  // what the step script read back (monostate if nothing)
};

struct ExecReport {
  Outcome outcome = Outcome::Planned;
  std::vector<StepReport> steps;
  std::vector<std::string> left_for_admin;  // exactly what is left when Incomplete
  Readback last;                            // the last state read back, if any
  int fresh_sessions = 0;    // PowerShell was started again to undo after it died or hung
  bool interrupted = false;  // an interruption stopped the run (Outcome Interrupted or Incomplete)
  std::string interrupted_by;  // its name: "SIGINT", "SIGTERM", "Ctrl-C", ...
  int guest_reboots = 0;       // guest restarts seen during guest steps (its own extra ones too)
  int guest_waited_s = 0;      // seconds guest steps spent waiting for the guest
};

// A report of steps that do not run: --dry-run (Planned) or nothing to do.
ExecReport not_run(const std::vector<Step>& steps, Outcome outcome);
// The report of steps an interruption kept from starting (each Skipped).
ExecReport interrupted_before(const std::vector<Step>& steps, const std::string& by);

// The `result` of a run of several items: the most telling one, in this order: incomplete,
// interrupted, failed, refused, not-found, changed, planned, unchanged (unchanged for no items).
Outcome overall(const std::vector<Outcome>& outcomes);

// The exit code of an outcome: core/exit_rules.h (it needs the refusals' findings).

}  // namespace nestvirt::core
