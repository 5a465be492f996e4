#include "nestvirt/report/steps_json.h"

namespace nestvirt::report {

using core::StepStatus;

using nlohmann::json;

namespace {

json text_or_null(const std::string& text) {
  return text.empty() ? json(nullptr) : json(text);
}

}  // namespace

json steps_to_json(const std::vector<core::StepReport>& steps) {
  json out = json::array();
  for (const auto& s : steps) {
    out.push_back({{"kind", core::to_string(s.step.kind)},
                   {"title", s.step.title},
                   {"why", s.step.why},
                   {"reversible", s.step.reversible},
                   {"commands", s.step.commands},
                   {"status", core::to_string(s.status)},
                   {"duration_ms", s.duration_ms},
                   {"note", text_or_null(s.note)},
                   {"error", text_or_null(s.error)}});
  }
  return out;
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

}  // namespace nestvirt::report
