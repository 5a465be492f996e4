// Carries out VM plans through the session, one step at a time, and undoes what a run changed
// when a later step fails. The report says per step: done, skipped, failed, undone, or
// not-undone (and then what is left for the admin).
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "nestvirt/core/plan.h"
#include "nestvirt/powershell/session.h"

namespace nestvirt::commands {

enum class StepStatus { Planned, Done, Skipped, Failed, Undone, NotUndone };
std::string to_string(StepStatus status);

struct StepReport {
  core::Step step;
  StepStatus status = StepStatus::Planned;
  double duration_ms = 0;
  std::string error;      // why it failed (or why its undo failed)
  std::string note;       // e.g. "powered off after the guest ignored the shutdown for 300 s"
  nlohmann::json result;  // what the step script read back
};

enum class VmOutcome { Planned, Changed, Unchanged, Refused, NotFound, Failed, Incomplete };
std::string to_string(VmOutcome outcome);

struct VmReport {
  core::VmPlan plan;
  VmOutcome outcome = VmOutcome::Planned;
  std::vector<StepReport> steps;
  nlohmann::json after;  // the VM as last read back; null if never read
  std::vector<std::string> left_for_admin;
};

// How long to wait and how to tell the user while waiting (tests pass a quiet one).
struct ApplyOptions {
  std::chrono::milliseconds poll_interval{1000};
  std::chrono::seconds start_timeout{120};
  std::function<void(const std::string& vm, const std::string& text, bool final)> progress;
};

// Runs a plan (decision Change) and returns its report. Never throws for a failed step;
// throws SessionError when PowerShell itself fails.
VmReport apply_plan(powershell::ScriptHost& host, const core::VmPlan& plan,
                    const ApplyOptions& options);

// A report for a plan that is not run (dry run, refused, unchanged, not found).
VmReport report_without_running(const core::VmPlan& plan, bool dry_run);

// 9 if any VM is incomplete, else 8 if any failed, else 3 if any was refused or not found,
// else 0.
int change_exit_code(const std::vector<VmReport>& reports);

}  // namespace nestvirt::commands
