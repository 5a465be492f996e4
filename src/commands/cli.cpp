// Parses the command line and dispatches to one subcommand. Each subcommand registers itself
// here through a table, so help text and dispatch come from one place.
#include "nestvirt/commands/cli.h"

#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>

#include "nestvirt/commands/cli_help.h"
#include "nestvirt/commands/cli_options.h"
#include "nestvirt/commands/cli_usage_error.h"
#include "nestvirt/commands/fleet.h"
#include "nestvirt/commands/registry.h"
#include "nestvirt/core/exit_codes.h"

namespace nestvirt::commands {
namespace {

void setup_logging(int verbosity, std::ostream& err) {
  auto sink = std::make_shared<spdlog::sinks::ostream_sink_st>(err);
  auto logger = std::make_shared<spdlog::logger>("nestvirt", sink);
  logger->set_pattern("nestvirt: %l: %v");
  logger->set_level(verbosity >= 2   ? spdlog::level::debug
                    : verbosity == 1 ? spdlog::level::info
                                     : spdlog::level::warn);
  spdlog::set_default_logger(logger);
}

bool wants_json(const std::vector<std::string>& args) {
  for (std::size_t i = 1; i < args.size(); ++i) {
    if (args[i] == "--json") return true;
  }
  return false;
}

// `--version`: one line of text, or with --json one document with the envelope of every other
// command, so a script that always passes --json can read it.
int print_version(const GlobalOptions& global, bool json) {
  if (json) {
    *global.io->out << envelope("version", core::kExitOk).dump(2) << "\n";
  } else {
    *global.io->out << "nestvirt " NESTVIRT_VERSION "\n";
  }
  return core::kExitOk;
}

int parse_and_run(const std::vector<std::string>& args, GlobalOptions& global,
                  std::string& command) {
  CLI::App app{"nestvirt: Hyper-V nested virtualization in one safe, scriptable command."};
  app.name("nestvirt");
  // Before the subcommands, which inherit it.
  app.formatter(help_formatter());
  app.require_subcommand(1);
  // No fallthrough: an option of one command given to another (`--remove` after `net-nat
  // guest`) must be an error, not silently taken by the parent. The global options are added
  // to every command instead (below), so they still work on either side of its name.
  app.set_version_flag("--version", "nestvirt " NESTVIRT_VERSION, "Print nestvirt's version");

  std::vector<Runner> runners;
  runners.push_back(register_check(app, global));
  runners.push_back(register_change(app, global, core::Action::Enable));
  runners.push_back(register_change(app, global, core::Action::Disable));
  runners.push_back(register_spoof(app, global));
  runners.push_back(register_net_nat(app, global));

  add_global_options(&app, global);
  for (CLI::App* sub : all_subcommands(&app)) add_global_options(sub, global);
  require_non_empty_values(&app);
  app.footer(
      "Run 'nestvirt COMMAND --help' for a command's options and examples.\n"
      "The --json document of each command: docs/json-output.md.\n\n" +
      exit_codes_help());

  // CLI11 takes the arguments in reverse order, without the program name.
  std::vector<std::string> reversed(args.rbegin(), args.rend() - 1);
  try {
    app.parse(reversed);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e, *global.io->out, *global.io->err);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e, *global.io->out, *global.io->err);
  } catch (const CLI::CallForVersion&) {
    return print_version(global, wants_json(args));
  } catch (const CLI::ParseError& e) {
    GlobalOptions report_options;
    report_options.io = global.io;
    report_options.json = wants_json(args);
    return report_error(command_path(app), report_options, core::kExitUsage, "usage-error",
                        usage_error_message(app, e), "");
  }
  command = command_path(app);
  setup_logging(global.verbosity, *global.io->err);
  if (global.remote.target) {  // one host of a fleet (commands/fleet.h)
    core::TargetParse parsed = core::parse_target(*global.remote.target);
    if (!parsed.target) {
      return report_error(command, global, core::kExitUsage, "usage-error", parsed.error, "");
    }
    global.remote.parsed_target = std::move(parsed.target);
  } else if (!global.remote.hosts.empty() || global.remote.hosts_file) {
    FleetTargets fleet = fleet_targets(global.remote);
    if (!fleet.errors.empty()) {
      std::string message;
      for (const auto& e : fleet.errors) message += (message.empty() ? "" : "\n") + e;
      return report_error(command, global, core::kExitUsage, "usage-error", message, "");
    }
    return run_fleet(args, command, global, fleet.targets);
  }
  for (auto& run : runners) {
    int code = run();
    if (code >= 0) return code;
  }
  return report_internal_error(command, global, "no subcommand ran");
}

}  // namespace

int run_cli(const std::vector<std::string>& args, Io& io) {
  GlobalOptions global;
  global.io = &io;
  global.json = wants_json(args);
  std::string command;
  // The one fatal path: anything a command did not expect ends here, never in std::terminate.
  try {
    return parse_and_run(args, global, command);
  } catch (const std::exception& e) {
    return report_internal_error(command, global, e.what());
  } catch (...) {
    return report_internal_error(command, global, "an exception that is not a std::exception");
  }
}

int run_cli(int argc, char** argv) {
  std::vector<std::string> args(argv, argv + argc);
  Io io = real_io();
  return run_cli(args, io);
}

}  // namespace nestvirt::commands
