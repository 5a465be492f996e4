// The recovery rules of the one executor: which steps are undone after a failure, in which
// order, and what is reported as left for the admin. How a step runs is step_runner.cpp.
#include "nestvirt/engine/executor.h"

#include "nestvirt/core/findings.h"
#include "nestvirt/core/recovery.h"
#include "nestvirt/engine/step_runner.h"
#include "nestvirt/process/interrupt.h"

namespace nestvirt::engine {

using core::StepKind;
using core::StepStatus;
using Clock = std::chrono::steady_clock;

namespace {

double ms_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

std::string start_command(const core::VmRef& vm) {
  return "Hyper-V\\Start-VM -VM (Hyper-V\\Get-VM -Id " + core::ps_quote(vm.id) + ")";
}

class Run {
 public:
  Run(StepRunner& runner, core::ExecReport& report) : runner_(runner), report_(report) {}

  Attempt attempt(const core::Step& step) {
    Attempt a = runner_.run(step);
    if (a.session_lost) ++report_.fresh_sessions;  // the session starts PowerShell again
    report_.guest_reboots += a.guest_reboots;
    report_.guest_waited_s += a.guest_waited_s;
    if (a.ok) report_.last = a.readback;
    return a;
  }

  // Runs `undo` for `done`; when it fails, says what is left. Returns whether it held.
  bool undo(const core::Step& done, const core::Step& undo, std::string& error) {
    Attempt a = attempt(undo);
    if (a.ok) return true;
    error = a.error;
    left(core::left_for_admin(done, undo, a.error));
    return false;
  }

  void left(std::string text) {
    report_.left_for_admin.push_back(std::move(text));
    incomplete = true;
  }

  // A shutdown that timed out, was interrupted or whose request got no answer may still finish
  // later. nestvirt asked the VM to stop, so if it is off now it is started again; if it is still
  // stopping or running, the admin is told it may still go off.
  void recover_stop(core::StepReport& failed) {
    const auto& vm = std::get<core::VmPowerArgs>(failed.step.args).vm;
    const auto now = runner_.vm_state(vm);
    if (!now) {
      left(core::ps_quote(vm.name) +
           " was asked to shut down and its state could not be read afterwards. Check it, and "
           "start it again with " +
           start_command(vm) + " if it should run.");
      return;
    }
    report_.last = *now;
    if (now->state == "Off") {
      std::string error;
      const auto start = *core::undo_step(failed.step, {}, true);
      if (undo(failed.step, start, error)) {
        failed.note = "the VM was off after all and was started again";
      } else {
        failed.error += "; starting it again failed: " + error;
      }
    } else if (now->state != "Running") {
      left(core::ps_quote(vm.name) + " is " + now->state +
           " (still shutting down). nestvirt changed nothing else; start it again with " +
           start_command(vm) + " once it is Off, if it should run.");
    } else {
      // Still running, but the guest was asked to shut down, and a shutdown request cannot be
      // taken back: it may still go off, after nestvirt has ended, with nobody to start it.
      left(core::ps_quote(vm.name) +
           " still runs, but its guest was asked to shut down and may still do so after "
           "nestvirt has ended. If it goes off, start it again with " +
           start_command(vm) + ".");
    }
  }

  // A step whose outcome is unknown (PowerShell died, hung or answered unreadably, or the
  // read-back differs) is undone as if it had taken effect: every undo is safe when it had not.
  void recover_unknown(core::StepReport& failed, const core::Readback& readback) {
    if (auto u = core::undo_step(failed.step, readback, false)) {
      std::string error;
      if (undo(failed.step, *u, error)) {
        failed.note = "whatever it may have changed was put back";
      } else {
        failed.error += "; putting back what it may have changed failed: " + error;
      }
    } else if (!failed.step.reversible && core::leaves_something(failed.step)) {
      // It cannot be undone; its target as it is now may still tell whether it ran.
      std::optional<bool> ran;
      if (auto now = runner_.current(failed.step)) ran = core::took_effect(failed.step, *now);
      if (ran == false) {
        failed.note = "a fresh read shows it did not take effect";
      } else if (ran == true) {
        failed.note = "a fresh read shows it took effect";
        left(core::left_for_admin(failed.step, std::nullopt, "it cannot be undone"));
      } else {
        left(core::unknown_effect_left(failed.step));
      }
    }
  }

  bool incomplete = false;

 private:
  StepRunner& runner_;
  core::ExecReport& report_;
};

}  // namespace

core::ExecReport execute(powershell::ScriptHost& host, const std::vector<core::Step>& steps,
                         const ExecOptions& options, const core::GuestLogin* login) {
  core::ExecReport report = core::not_run(steps, core::Outcome::Changed);
  StepRunner runner(host, options, login);
  Run run(runner, report);
  // This process's first interruption, whenever it came, stops the run at its next safe point;
  // a second one stops the undo.
  auto interrupted = [] { return process::interrupt_count() >= 1; };
  auto undo_skipped = [] { return process::interrupt_count() >= 2; };

  // The first step not done: the one that failed, or the next one after an interruption.
  std::size_t stopped_at = steps.size();
  bool failed_step = false;
  Attempt failure;
  for (std::size_t i = 0; i < steps.size(); ++i) {
    if (interrupted()) {  // a safe point: between two steps
      stopped_at = i;
      break;
    }
    auto& sr = report.steps[i];
    const auto start = Clock::now();
    Attempt a = run.attempt(sr.step);
    sr.duration_ms = ms_since(start);
    sr.readback = a.readback;
    sr.note = a.note;
    if (a.ok) {
      sr.status = StepStatus::Done;
      continue;
    }
    sr.status = StepStatus::Failed;
    sr.error = a.error;
    stopped_at = i;
    failed_step = true;
    failure = a;
    break;
  }
  if (stopped_at == steps.size())
    return report;  // every step done (an interruption that
                    // came during the last one let it finish)
  report.interrupted = interrupted();
  report.interrupted_by = process::interrupt_name();

  for (std::size_t i = stopped_at + (failed_step ? 1 : 0); i < report.steps.size(); ++i)
    report.steps[i].status = StepStatus::Skipped;
  runner.undoing();

  // First the failed step itself, then what was done before it, in reverse.
  const std::string skipped_why =
      "interrupted again (" + process::interrupt_name() + "): nestvirt stopped without undoing it";
  if (failed_step) {
    auto& failed = report.steps[stopped_at];
    const auto start = Clock::now();
    const bool stop_pending =
        failed.step.kind == StepKind::StopVm && (failure.shutdown_asked || !failure.effect_known);
    if (undo_skipped()) {
      if (stop_pending || !failure.effect_known) {
        run.left(core::unknown_effect_left(failed.step));
      }
    } else if (stop_pending) {
      run.recover_stop(failed);
    } else if (!failure.effect_known) {
      run.recover_unknown(failed, failure.readback);
    }
    // What the failure itself leaves (a guest that did not come back from its restart).
    if (auto left = core::failure_left(failed.step, failure.readback, failure.effect_known,
                                       report.interrupted)) {
      run.left(*left);
    }
    failed.duration_ms += ms_since(start);
  }

  for (std::size_t i = stopped_at; i-- > 0;) {
    auto& done = report.steps[i];
    const auto undo = core::undo_step(done.step, done.readback, true);
    if (!undo) {
      // Reversible with no undo: nothing to put back. A restart leaves nothing either.
      if (!done.step.reversible && core::leaves_something(done.step)) {
        done.status = StepStatus::NotUndone;
        done.error = "cannot be undone";
        run.left(core::left_for_admin(done.step, std::nullopt, "it cannot be undone"));
      }
      continue;
    }
    if (undo_skipped()) {
      done.status = StepStatus::NotUndone;
      done.error = skipped_why;
      run.left(core::left_for_admin(done.step, undo, skipped_why));
      continue;
    }
    const auto undo_start = Clock::now();
    std::string error;
    if (run.undo(done.step, *undo, error)) {
      done.status = StepStatus::Undone;
    } else {
      done.status = StepStatus::NotUndone;
      done.error = "undo failed: " + error;
    }
    done.duration_ms += ms_since(undo_start);
  }

  // What the VM looks like now, for the report's "after".
  const core::Step& last =
      report.steps[failed_step ? stopped_at : stopped_at - (stopped_at > 0)].step;
  if (const core::VmRef* vm = core::vm_of(last);
      vm && core::scope_of(last.kind) == core::StepScope::Vm && !undo_skipped()) {
    if (auto now = runner.vm_state(*vm)) report.last = *now;
  }
  if (run.incomplete) {
    report.outcome = core::Outcome::Incomplete;
  } else {
    report.outcome = report.interrupted ? core::Outcome::Interrupted : core::Outcome::Failed;
  }
  return report;
}

}  // namespace nestvirt::engine
