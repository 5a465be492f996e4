// The command line: argv to one command's run. main() only forwards here.
#pragma once

#include <string>
#include <vector>

#include "nestvirt/commands/common.h"

namespace nestvirt::cli {

// Parses the arguments (args[0] is the program), runs the command, prints the report and
// returns the exit code (docs/json-output.md lists them). Never throws and never exits the
// process: whatever escapes a command ends in one handler (exit 1, internal-error).
int run_cli(const std::vector<std::string>& args, commands::Io& io);
// The same on the real stdout, stderr, terminal and PowerShell.
int run_cli(int argc, char** argv);

}  // namespace nestvirt::cli
