#pragma once

#include <string>
#include <vector>

#include "nestvirt/commands/common.h"

namespace nestvirt::commands {

// Parses the arguments (args[0] is the program), runs the subcommand, prints the report and
// returns the exit code (docs/json-output.md lists them). Never throws: whatever escapes a
// command ends in one handler (exit 1, internal-error).
int run_cli(const std::vector<std::string>& args, Io& io);
// The same on the real stdout, stderr and PowerShell.
int run_cli(int argc, char** argv);

}  // namespace nestvirt::commands
