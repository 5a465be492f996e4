// How subcommands plug into the CLI: each registers its options on the app and returns a
// Runner, called after parsing; a Runner returns -1 when its subcommand was not chosen.
// Adding a command: write src/commands/cli_<name>.cpp with register_<name>, declare it here,
// and add it to the table in cli.cpp.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <string>
#include <vector>

#include "nestvirt/commands/change.h"
#include "nestvirt/commands/common.h"

namespace nestvirt::commands {

using Runner = std::function<int()>;

Runner register_check(CLI::App& app, GlobalOptions& global);
Runner register_change(CLI::App& app, GlobalOptions& global, core::Action action);
Runner register_spoof(CLI::App& app, GlobalOptions& global);
Runner register_net_nat(CLI::App& app, GlobalOptions& global);
// `net-nat guest`, a subcommand of net-nat (src/commands/cli_net_nat_guest.cpp).
Runner register_net_nat_guest(CLI::App* net_nat, GlobalOptions& global);

// --vm NAME (required, repeatable, never empty).
CLI::Option* add_vm_option(CLI::App* cmd, std::vector<std::string>& vms, const char* help);
// Runs a per-VM change (enable, disable, net-spoof) and prints its report.
int run_change_command(const std::string& name, const std::string& what,
                       const ChangeRequest& request, const GlobalOptions& global);
// Progress on stderr while the executor waits (a VM stopping or starting).
engine::ExecOptions exec_options(const GlobalOptions& global);

}  // namespace nestvirt::commands
