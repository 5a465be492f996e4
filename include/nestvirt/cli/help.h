// What `--help` shows beyond CLI11's defaults: defaults written plainly, examples under every
// command, and the exit codes at the end of `nestvirt --help` (the .exe ships without docs/).
#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <string>
#include <vector>

#include "nestvirt/commands/common.h"

namespace nestvirt::cli {

// Options as "--shutdown-timeout SECONDS" with "(default: 300)" after the description, instead
// of CLI11's "INT:INT in [1 - 86400]=300"; required options marked REQUIRED.
std::shared_ptr<CLI::Formatter> help_formatter();

// Sets `cmd`'s help footer to "Examples:" and one command per line.
void set_examples(CLI::App* cmd, const std::vector<std::string>& examples);

// "Exit codes:" and one line per code, from core::kExitCodes.
std::string exit_codes_help();

// `nestvirt help [COMMAND]`: the help of `root`, or of that command ("net-nat guest": two
// words), exit 0. A name that is no command is a usage error, with the closest command.
int print_help(CLI::App& root, const std::vector<std::string>& words,
               const commands::GlobalOptions& global);

}  // namespace nestvirt::cli
