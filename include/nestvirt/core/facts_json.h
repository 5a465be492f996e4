// Reads the facts script's reply (src/powershell/scripts/facts.ps1) into Facts. Pure.
// Tolerates what Windows PowerShell 5.1 produces (numbers for booleans? no: but nulls,
// strings for numbers, single objects where arrays were meant).
#pragma once

#include <nlohmann/json.hpp>

#include "nestvirt/core/facts.h"

namespace nestvirt::core {

// Throws std::runtime_error naming the field when the document is not a facts reply.
Facts parse_facts(const nlohmann::json& reply);

// The JSON form of facts for --json output (stable field names, docs/json-output.md).
nlohmann::json host_to_json(const HostFacts& host);
nlohmann::json vm_to_json(const VmFacts& vm);

}  // namespace nestvirt::core
