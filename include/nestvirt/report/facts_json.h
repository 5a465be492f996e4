// Facts as --json shows them (docs/json-output.md). Reading facts from PowerShell's
// reply is core/replies.h's job.
#pragma once

#include <nlohmann/json.hpp>

#include "nestvirt/core/facts.h"

namespace nestvirt::report {

// The JSON form of facts for --json output (stable field names, docs/json-output.md).
nlohmann::json host_to_json(const core::HostFacts& host);
nlohmann::json vm_to_json(const core::VmFacts& vm);

}  // namespace nestvirt::report
