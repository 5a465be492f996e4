// The properties every decoded facts document must have, shared by the facts and reply
// targets: the parsers throw nothing but the std::runtime_error they document (the commands
// catch exactly that and report "PowerShell answered in a shape nestvirt cannot read"; anything
// else would end nestvirt through std::terminate), they are deterministic, what they return
// can be written as JSON again, and the pure decisions taken on it (findings, plans) run.
#pragma once

#include <nlohmann/json.hpp>

namespace fuzz {

// Runs core::parse_facts and core::parse_net_facts on `doc` and checks the properties above;
// aborts (fuzz::property_failed) when one does not hold.
void check_facts_document(const nlohmann::json& doc);

}  // namespace fuzz
