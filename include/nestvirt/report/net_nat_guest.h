// net-nat guest as users read it: per item what the guest had before and has after; or one
// JSON document. Never a credential, only its source.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "nestvirt/core/results.h"

namespace nestvirt::report {

nlohmann::json guest_to_json(const core::GuestResult& result);
std::string guest_to_text(const core::GuestResult& result);

}  // namespace nestvirt::report
