// Findings as every --json document shows them (docs/json-output.md).
#pragma once

#include <vector>

#include <nlohmann/json.hpp>

#include "nestvirt/core/facts.h"
#include "nestvirt/core/findings.h"

namespace nestvirt::report {

nlohmann::json findings_to_json(const std::vector<core::Finding>& findings);
nlohmann::json probe_errors_to_json(const std::vector<core::ProbeError>& errors);

}  // namespace nestvirt::report
