// The command table: every command's name, summary and examples, and the function that adds
// its options and returns what runs it. Dispatch and help are built from this table alone (as
// vcpkg-tool's commands table). Adding a command: a src/cli/<name>.cpp with its add_ function
// (options and usage checks only), its flow in src/commands/, and one row in command_table().
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <string>
#include <vector>

#include "nestvirt/commands/common.h"

namespace nestvirt::cli {

// Runs the command once the command line is parsed; -1 when this command was not the one
// chosen.
using Runner = std::function<int()>;
// Adds the command's options to `cmd` (named, summarised and given its examples from the table
// already) and returns its runner.
using AddCommand = Runner (*)(CLI::App* cmd, commands::GlobalOptions& global);

struct CommandSpec {
  std::string name;  // "net-nat guest": a subcommand of the row named "net-nat", listed after it
  std::string summary;
  std::vector<std::string> examples;
  AddCommand add;
};

const std::vector<CommandSpec>& command_table();

Runner add_check(CLI::App* cmd, commands::GlobalOptions& global);
Runner add_enable(CLI::App* cmd, commands::GlobalOptions& global);
Runner add_disable(CLI::App* cmd, commands::GlobalOptions& global);
Runner add_net_spoof(CLI::App* cmd, commands::GlobalOptions& global);
Runner add_net_nat(CLI::App* cmd, commands::GlobalOptions& global);
Runner add_net_nat_guest(CLI::App* cmd, commands::GlobalOptions& global);
// `help` is answered before parsing (src/cli/cli.cpp); its row puts it in the list.
Runner add_help(CLI::App* cmd, commands::GlobalOptions& global);

// --vm NAME (required, repeatable, never empty).
CLI::Option* add_vm_option(CLI::App* cmd, std::vector<std::string>& vms, const char* help);

}  // namespace nestvirt::cli
