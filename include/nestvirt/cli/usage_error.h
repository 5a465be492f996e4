// What a command line that CLI11 refused gets told: the option or command named, the closest
// known one when it looks like a typo, and which command's help to read (that is appended by
// report_error from the command path).
#pragma once

#include <CLI/CLI.hpp>
#include <string>

namespace nestvirt::cli {

// The deepest subcommand that was recognised, as its full path ("net-nat guest"); empty when
// none was.
std::string command_path(const CLI::App& app);

// The message for `error`, raised while parsing into `app` (the top-level app).
std::string usage_error_message(CLI::App& app, const CLI::ParseError& error);

}  // namespace nestvirt::cli
