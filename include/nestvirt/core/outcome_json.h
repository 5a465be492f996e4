// The parts every change command's --json document shares (docs/json-output.md): steps with
// the same fields everywhere, one `result` word for a run of several items, and the status of
// a part (a switch, an address) that follows from the step that made it. Pure.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "nestvirt/core/outcome.h"

namespace nestvirt::core {

nlohmann::json steps_to_json(const std::vector<StepReport>& steps);

// The `result` of a run of several items: the most telling one, in this order: incomplete,
// failed, refused, not-found, changed, planned, unchanged (unchanged for no items).
Outcome overall(const std::vector<Outcome>& outcomes);

// A part's `status` from the status of the step that makes it: "planned", "done", "undone",
// "failed", "not-run" (skipped after a failure), "left" (done, and its undo failed).
std::string part_status(StepStatus status);

}  // namespace nestvirt::core
