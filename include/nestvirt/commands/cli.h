#pragma once

namespace nestvirt::commands {

// Parses argv, runs the subcommand, prints the report, returns the exit code
// (docs/json-output.md lists them).
int run_cli(int argc, char** argv);

}  // namespace nestvirt::commands
