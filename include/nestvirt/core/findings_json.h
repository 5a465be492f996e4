// Findings as every --json document shows them (docs/json-output.md). Pure.
#pragma once

#include <vector>

#include <nlohmann/json.hpp>

#include "nestvirt/core/facts.h"
#include "nestvirt/core/findings.h"

namespace nestvirt::core {

nlohmann::json findings_to_json(const std::vector<Finding>& findings);
nlohmann::json probe_errors_to_json(const std::vector<ProbeError>& errors);

}  // namespace nestvirt::core
