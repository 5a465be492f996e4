// Option rules every subcommand shares: the global options (accepted before and after the
// subcommand's name), and the checks on values (never empty, whole numbers said as such).
#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "nestvirt/commands/common.h"

namespace nestvirt::cli {

// The help group the global options are listed under, in every command's help.
inline constexpr const char* kGlobalGroup = "Global options";
// The global options that reach remote hosts (docs/remote.md), listed apart in the help.
inline constexpr const char* kRemoteGroup = "Remote hosts (docs/remote.md)";
// An option every command accepts (either group above, or hidden).
bool is_global_option(const CLI::Option* option);

// "empty value (an unset shell variable?)": an empty name, path or address never means "all"
// or "the default", because `--vm "$VM"` with $VM unset must not reach every VM.
std::string empty_value_error(const std::string& value);

// A whole number from `min` to `max`; says which of those it is not, and never "not in range"
// for text that is no number at all.
CLI::Validator whole_number(long long min, long long max);

// --powershell, --timeout, --json, -v/--verbose on `cmd`, bound to `global`. Added to the app
// and to every subcommand, so they work on either side of a subcommand's name.
void add_global_options(CLI::App* cmd, commands::GlobalOptions& global);

// Adds the never-empty check to every option that takes a value, in `app` and all its
// subcommands: one rule for every string option, including ones added later.
void require_non_empty_values(CLI::App* app);

// Every subcommand of `app`, at any depth, parsed or not.
std::vector<CLI::App*> all_subcommands(CLI::App* app);

}  // namespace nestvirt::cli
