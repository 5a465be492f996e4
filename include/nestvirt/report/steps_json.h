// The parts every change command's --json document shares (docs/json-output.md): steps with
// the same fields everywhere, and the status of a part (a switch, an address) that follows from
// the step that made it.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "nestvirt/core/outcome.h"

namespace nestvirt::report {

nlohmann::json steps_to_json(const std::vector<core::StepReport>& steps);

// A part's `status` from the status of the step that makes it: "planned", "done", "undone",
// "failed", "not-run" (skipped after a failure), "left" (done, and its undo failed).
std::string part_status(core::StepStatus status);

}  // namespace nestvirt::report
