// net-nat as users read it: what exists and what was done; or one JSON document.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "nestvirt/core/results.h"

namespace nestvirt::report {

nlohmann::json nat_to_json(const core::NatResult& result, bool dry_run);
std::string nat_to_text(const core::NatResult& result, bool dry_run);

}  // namespace nestvirt::report
