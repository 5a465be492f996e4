#include "nestvirt/core/outcome_json.h"

#include <algorithm>
#include <array>

namespace nestvirt::core {

using nlohmann::json;

namespace {

json text_or_null(const std::string& text) {
  return text.empty() ? json(nullptr) : json(text);
}

}  // namespace

json steps_to_json(const std::vector<StepReport>& steps) {
  json out = json::array();
  for (const auto& s : steps) {
    out.push_back({{"kind", to_string(s.step.kind)},
                   {"title", s.step.title},
                   {"why", s.step.why},
                   {"reversible", s.step.reversible},
                   {"commands", s.step.commands},
                   {"status", to_string(s.status)},
                   {"duration_ms", s.duration_ms},
                   {"note", text_or_null(s.note)},
                   {"error", text_or_null(s.error)}});
  }
  return out;
}

Outcome overall(const std::vector<Outcome>& outcomes) {
  static const std::array<Outcome, 7> kOrder = {
      Outcome::Incomplete, Outcome::Failed,  Outcome::Refused,  Outcome::NotFound,
      Outcome::Changed,    Outcome::Planned, Outcome::Unchanged};
  for (const Outcome o : kOrder) {
    if (std::find(outcomes.begin(), outcomes.end(), o) != outcomes.end()) return o;
  }
  return Outcome::Unchanged;
}

std::string part_status(StepStatus status) {
  switch (status) {
    case StepStatus::Planned:
      return "planned";
    case StepStatus::Done:
      return "done";
    case StepStatus::Undone:
      return "undone";
    case StepStatus::Failed:
      return "failed";
    case StepStatus::Skipped:
      return "not-run";
    case StepStatus::NotUndone:
      break;
  }
  return "left";
}

}  // namespace nestvirt::core
