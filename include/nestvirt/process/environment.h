// This process's environment, as UTF-8 on every system.
#pragma once

#include <optional>
#include <string>

namespace nestvirt::process {

// A variable's value, or nullopt when unset (set but empty is ""). On Windows read from the
// UTF-16 environment: getenv gives the ANSI code page's text, which cannot carry every
// password or path.
std::optional<std::string> read_environment(const char* name);

// Removes a variable from this process's environment, so a child (PowerShell) does not inherit
// it: a password read from the environment is handed on in a request's data instead.
void forget_environment(const char* name);

}  // namespace nestvirt::process
