// check as users read it: the host, each VM, the findings with their fixes and without --vm
// one line per VM; or one JSON document (docs/json-output.md).
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "nestvirt/core/results.h"

namespace nestvirt::report {

nlohmann::json check_to_json(const core::CheckResult& result);
std::string check_to_text(const core::CheckResult& result);

}  // namespace nestvirt::report
