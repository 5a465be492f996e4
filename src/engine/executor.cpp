// The recovery rules of the one executor: which steps are undone after a failure, in which
// order, and what is reported as left for the admin. How a step runs is step_runner.cpp.
#include "nestvirt/engine/executor.h"

#include "nestvirt/core/findings.h"
#include "nestvirt/core/recovery.h"
#include "nestvirt/engine/step_runner.h"

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

  // A shutdown that failed or timed out may still finish later. nestvirt asked the VM to stop,
  // so if it is off now it is started again; if it is still stopping, the admin is told.
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

  std::size_t failed_at = steps.size();
  Attempt failure;
  for (std::size_t i = 0; i < steps.size(); ++i) {
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
    failed_at = i;
    failure = a;
    break;
  }
  if (failed_at == steps.size()) return report;

  for (std::size_t i = failed_at + 1; i < report.steps.size(); ++i)
    report.steps[i].status = StepStatus::Skipped;

  // First the failed step itself, then what was done before it, in reverse.
  auto& failed = report.steps[failed_at];
  const auto start = Clock::now();
  if (failed.step.kind == StepKind::StopVm) {
    run.recover_stop(failed);
  } else if (!failure.effect_known) {
    run.recover_unknown(failed, failure.readback);
  }
  // What the failure itself leaves (a guest that did not come back from its restart).
  if (auto left = core::failure_left(failed.step, failure.readback, failure.effect_known)) {
    run.left(*left);
  }
  failed.duration_ms += ms_since(start);

  for (std::size_t i = failed_at; i-- > 0;) {
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
  if (const core::VmRef* vm = core::vm_of(failed.step);
      vm && core::scope_of(failed.step.kind) == core::StepScope::Vm) {
    if (auto now = runner.vm_state(*vm)) report.last = *now;
  }
  report.outcome = run.incomplete ? core::Outcome::Incomplete : core::Outcome::Failed;
  return report;
}

}  // namespace nestvirt::engine
