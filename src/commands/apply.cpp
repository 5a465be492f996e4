#include "nestvirt/commands/apply.h"

#include <thread>

#include "nestvirt/core/exit_codes.h"

namespace nestvirt::commands {

using core::Step;
using core::StepKind;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

std::string to_string(StepStatus status) {
  switch (status) {
    case StepStatus::Planned:
      return "planned";
    case StepStatus::Done:
      return "done";
    case StepStatus::Skipped:
      return "skipped";
    case StepStatus::Failed:
      return "failed";
    case StepStatus::Undone:
      return "undone";
    case StepStatus::NotUndone:
      break;
  }
  return "not-undone";
}

std::string to_string(VmOutcome outcome) {
  switch (outcome) {
    case VmOutcome::Planned:
      return "planned";
    case VmOutcome::Changed:
      return "changed";
    case VmOutcome::Unchanged:
      return "unchanged";
    case VmOutcome::Refused:
      return "refused";
    case VmOutcome::NotFound:
      return "not-found";
    case VmOutcome::Failed:
      return "failed";
    case VmOutcome::Incomplete:
      break;
  }
  return "incomplete";
}

namespace {

struct StepRun {
  bool ok = false;
  std::string error;
  std::string note;
  json result;
};

class Runner {
 public:
  Runner(powershell::ScriptHost& host, const core::VmFacts& vm, const ApplyOptions& options)
      : host_(host), vm_(vm), options_(options) {}

  // One request to vm_step.ps1. A script error is a failed step, not an exception.
  StepRun call(const std::string& action, json args = json::object()) {
    args["vm_id"] = vm_.id;
    args["action"] = action;
    powershell::Reply reply;
    try {
      reply = host_.call("vm_step", args);
    } catch (const powershell::SessionError& e) {
      // PowerShell hung or died mid-plan: this step failed, and the undo that follows starts a
      // new PowerShell (the session relaunches on its next request) to put the VM back.
      StepRun failed;
      failed.error = e.what();
      if (!e.detail().empty()) failed.error += ": " + e.detail();
      return failed;
    }
    StepRun run;
    run.ok = reply.ok;
    run.result = reply.result;
    if (!reply.ok) {
      run.error = reply.error.message;
      if (!reply.error.fully_qualified_error_id.empty()) {
        run.error += " [" + reply.error.fully_qualified_error_id + "]";
      }
    } else {
      last_ = reply.result;
    }
    return run;
  }

  // Polls until the VM reports `state`, or the time is up.
  bool wait_for(const std::string& state, std::chrono::milliseconds limit,
                const std::string& doing) {
    const auto start = Clock::now();
    for (;;) {
      StepRun s = call("state");
      const std::string now = s.ok ? s.result.value("state", "") : "unknown";
      const auto elapsed = std::chrono::duration_cast<std::chrono::seconds>(Clock::now() - start);
      if (options_.progress) {
        options_.progress(
            vm_.name,
            doing + ": state " + now + ", " + std::to_string(elapsed.count()) + " s of " +
                std::to_string(std::chrono::duration_cast<std::chrono::seconds>(limit).count()) +
                " s",
            false);
      }
      if (s.ok && now == state) return true;
      if (Clock::now() - start >= limit) return false;
      std::this_thread::sleep_for(options_.poll_interval);
    }
  }

  StepRun run(const Step& step) {
    switch (step.kind) {
      case StepKind::StopVm:
        return stop(step);
      case StepKind::StartVm:
        return start();
      default:
        break;
    }
    StepRun r = call(step.args.value("action", ""), step.args);
    if (r.ok) verify(step, r);
    return r;
  }

  const json& last() const { return last_; }

 private:
  StepRun stop(const Step& step) {
    const auto timeout = std::chrono::seconds(step.args.value("timeout_seconds", 300));
    // Without --force a plain guest shutdown: Stop-VM -Force would power the guest off on its
    // own after 5 minutes, long after nestvirt reported that it had changed nothing.
    StepRun begin = call("stop", {{"force", step.args.value("turn_off_after_timeout", false)}});
    if (!begin.ok) return begin;
    if (begin.result.value("state", "") == "Off" ||
        wait_for("Off", timeout, "waiting for the guest to shut down")) {
      done_progress();
      return begin;
    }
    done_progress();
    if (step.args.value("turn_off_after_timeout", false)) {
      StepRun off = call("turn-off");
      if (off.ok && off.result.value("state", "") == "Off") {
        off.note = "the guest did not shut down within " + std::to_string(timeout.count()) +
                   " s; powered off (--force)";
        return off;
      }
      if (off.ok)
        off.ok = false,
        off.error = "the VM is still " + off.result.value("state", "?") + " after Stop-VM -TurnOff";
      return off;
    }
    StepRun failed;
    failed.error = "the guest did not shut down within " + std::to_string(timeout.count()) +
                   " s (--shutdown-timeout); it was asked to, and may still do so. Rerun with "
                   "--force to power it off after the timeout";
    return failed;
  }

  StepRun start() {
    StepRun r = call("start");
    if (!r.ok) return r;
    if (r.result.value("state", "") != "Running" &&
        !wait_for("Running", options_.start_timeout, "waiting for the VM to start")) {
      done_progress();
      r.ok = false;
      r.error = "the VM did not reach Running within " +
                std::to_string(options_.start_timeout.count()) + " s";
      return r;
    }
    done_progress();
    return r;
  }

  // Hyper-V accepting a change is not proof it holds (users reported the setting "rolled
  // back"): compare what was read back with what was asked.
  static void verify(const Step& step, StepRun& r) {
    auto mismatch = [&r](const std::string& what) {
      r.ok = false;
      r.error = "Hyper-V accepted the change but the VM still reports " + what;
    };
    switch (step.kind) {
      case StepKind::SetProcessor:
        if (r.result.value("expose_virtualization_extensions", false) !=
            step.args.value("value", false)) {
          mismatch("ExposeVirtualizationExtensions " +
                   r.result.value("expose_virtualization_extensions", json()).dump());
        }
        break;
      case StepKind::SetDynamicMemory:
        if (r.result.value("dynamic_memory", false) != step.args.value("value", false)) {
          mismatch("DynamicMemoryEnabled " + r.result.value("dynamic_memory", json()).dump());
        }
        break;
      case StepKind::RemoveSavedState:
        if (r.result.value("state", "") != "Off") mismatch("state " + r.result.value("state", "?"));
        break;
      default:
        break;
    }
  }

  void done_progress() {
    if (options_.progress) options_.progress(vm_.name, "", true);
  }

  powershell::ScriptHost& host_;
  const core::VmFacts& vm_;
  const ApplyOptions& options_;
  json last_;
};

// Recovery commands name the VM by id: a name may be shared or read as a wildcard.
std::string start_command(const core::VmFacts& vm) {
  return "Hyper-V\\Start-VM -VM (Hyper-V\\Get-VM -Id " + core::ps_quote(vm.id) + ")";
}

double ms_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

std::string left_text(const Step& step, const core::VmFacts& vm) {
  switch (step.kind) {
    case StepKind::UpdateVersion:
      return "The configuration version of '" + vm.name +
             "' was upgraded and cannot be downgraded (Update-VMVersion is irreversible).";
    case StepKind::RemoveSavedState:
      return "The saved state of '" + vm.name + "' was discarded; it cannot be restored.";
    default:
      return "Check '" + vm.name + "' and put back: " + step.title + " (" + step.commands.front() +
             ").";
  }
}

}  // namespace

VmReport report_without_running(const core::VmPlan& plan, bool dry_run) {
  VmReport report;
  report.plan = plan;
  switch (plan.decision) {
    case core::Decision::Change:
      report.outcome = dry_run ? VmOutcome::Planned : VmOutcome::Changed;
      break;
    case core::Decision::Unchanged:
      report.outcome = VmOutcome::Unchanged;
      break;
    case core::Decision::Refused:
      report.outcome = VmOutcome::Refused;
      break;
    case core::Decision::NotFound:
      report.outcome = VmOutcome::NotFound;
      break;
  }
  for (const auto& s : plan.steps)
    report.steps.push_back({s, StepStatus::Planned, 0, "", "", json()});
  return report;
}

VmReport apply_plan(powershell::ScriptHost& host, const core::VmPlan& plan,
                    const ApplyOptions& options) {
  VmReport report = report_without_running(plan, false);
  Runner runner(host, plan.vm, options);
  std::size_t failed_at = plan.steps.size();
  for (std::size_t i = 0; i < plan.steps.size(); ++i) {
    auto& sr = report.steps[i];
    const auto start = Clock::now();
    StepRun r = runner.run(sr.step);
    sr.duration_ms = ms_since(start);
    sr.result = r.result;
    sr.note = r.note;
    if (r.ok) {
      sr.status = StepStatus::Done;
      continue;
    }
    sr.status = StepStatus::Failed;
    sr.error = r.error;
    failed_at = i;
    break;
  }

  if (failed_at == plan.steps.size()) {
    report.outcome = VmOutcome::Changed;
    report.after = runner.last();
    return report;
  }

  for (std::size_t i = failed_at + 1; i < report.steps.size(); ++i)
    report.steps[i].status = StepStatus::Skipped;

  // A stop that timed out may still finish later; if the VM is already off, start it again:
  // nestvirt asked it to stop.
  bool incomplete = false;
  const auto& failed = report.steps[failed_at];
  if (failed.step.kind == StepKind::StopVm) {
    StepRun now = runner.call("state");
    const std::string state = now.ok ? now.result.value("state", "") : "unknown";
    if (state == "Off") {
      StepRun s = runner.run(core::undo_step(failed.step, plan.vm, json()).value());
      if (!s.ok) {
        incomplete = true;
        report.left_for_admin.push_back(
            "'" + plan.vm.name + "' was shut down and could not be started again: " + s.error +
            ". Start it with " + start_command(plan.vm) + ".");
      }
    } else if (state != "Running") {
      report.left_for_admin.push_back(
          "'" + plan.vm.name + "' is " + state +
          " (still shutting down). nestvirt changed nothing else; start it "
          "again with " +
          start_command(plan.vm) + " once it is Off, if it should run.");
      incomplete = true;
    }
  }

  for (std::size_t i = failed_at; i-- > 0;) {
    auto& done = report.steps[i];
    auto undo = core::undo_step(done.step, plan.vm, done.result);
    if (!undo) {
      if (!done.step.reversible) {
        done.status = StepStatus::NotUndone;
        done.error = "cannot be undone";
        report.left_for_admin.push_back(left_text(done.step, plan.vm));
        incomplete = true;
      }
      continue;
    }
    const auto start = Clock::now();
    StepRun r = runner.run(*undo);
    done.duration_ms += ms_since(start);
    if (r.ok) {
      done.status = StepStatus::Undone;
    } else {
      done.status = StepStatus::NotUndone;
      done.error = "undo failed: " + r.error;
      report.left_for_admin.push_back(left_text(*undo, plan.vm));
      incomplete = true;
    }
  }
  StepRun final_state = runner.call("state");
  report.after = final_state.ok ? final_state.result : runner.last();
  report.outcome = incomplete ? VmOutcome::Incomplete : VmOutcome::Failed;
  return report;
}

int change_exit_code(const std::vector<VmReport>& reports) {
  bool incomplete = false, failed = false, refused = false;
  for (const auto& r : reports) {
    incomplete |= r.outcome == VmOutcome::Incomplete;
    failed |= r.outcome == VmOutcome::Failed;
    refused |= r.outcome == VmOutcome::Refused || r.outcome == VmOutcome::NotFound;
  }
  if (incomplete) return core::kExitChangeIncomplete;
  if (failed) return core::kExitChangeFailed;
  if (refused) return core::kExitPrerequisitesNotMet;
  return core::kExitOk;
}

}  // namespace nestvirt::commands
