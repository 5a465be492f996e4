#include "nestvirt/core/outcome.h"

#include <algorithm>
#include <array>

namespace nestvirt::core {

std::string to_string(Outcome outcome) {
  switch (outcome) {
    case Outcome::Planned:
      return "planned";
    case Outcome::Changed:
      return "changed";
    case Outcome::Unchanged:
      return "unchanged";
    case Outcome::Refused:
      return "refused";
    case Outcome::NotFound:
      return "not-found";
    case Outcome::Failed:
      return "failed";
    case Outcome::Interrupted:
      return "interrupted";
    case Outcome::Incomplete:
      break;
  }
  return "incomplete";
}

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

ExecReport not_run(const std::vector<Step>& steps, Outcome outcome) {
  ExecReport report;
  report.outcome = outcome;
  for (const auto& s : steps) report.steps.push_back({s, StepStatus::Planned, 0, "", "", {}});
  return report;
}

ExecReport interrupted_before(const std::vector<Step>& steps, const std::string& by) {
  ExecReport report;
  report.outcome = Outcome::Interrupted;
  report.interrupted = true;
  report.interrupted_by = by;
  for (const auto& s : steps) report.steps.push_back({s, StepStatus::Skipped, 0, "", "", {}});
  return report;
}

Outcome overall(const std::vector<Outcome>& outcomes) {
  static const std::array<Outcome, 8> kOrder = {
      Outcome::Incomplete, Outcome::Interrupted, Outcome::Failed,  Outcome::Refused,
      Outcome::NotFound,   Outcome::Changed,     Outcome::Planned, Outcome::Unchanged};
  for (const Outcome o : kOrder) {
    if (std::find(outcomes.begin(), outcomes.end(), o) != outcomes.end()) return o;
  }
  return Outcome::Unchanged;
}

}  // namespace nestvirt::core
