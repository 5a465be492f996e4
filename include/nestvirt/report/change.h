// enable, disable and net-spoof as users read them: one line per VM, then details for anything
// not plain success; or one JSON document (docs/json-output.md).
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "nestvirt/core/results.h"

namespace nestvirt::report {

nlohmann::json change_to_json(const core::ChangeResult& result, bool dry_run);
// `what` names the change for the summary line, e.g. "nested virtualization enabled".
std::string change_to_text(const core::ChangeResult& result, const std::string& what, bool dry_run);

}  // namespace nestvirt::report
