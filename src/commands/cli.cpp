// Parses the command line and dispatches to one subcommand. Each subcommand registers itself
// here through a table, so help text and dispatch come from one place.
#include "nestvirt/commands/cli.h"

#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>

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

// The deepest subcommand that was parsed, as its full path ("net-nat guest").
std::string command_path(const CLI::App& app) {
  std::string path;
  const CLI::App* at = &app;
  for (;;) {
    const auto subs = at->get_subcommands();
    if (subs.empty()) break;
    at = subs.front();
    path += (path.empty() ? "" : " ") + at->get_name();
  }
  return path;
}

int parse_and_run(const std::vector<std::string>& args, GlobalOptions& global,
                  std::string& command) {
  CLI::App app{
      "nestvirt: Hyper-V nested virtualization in one safe, scriptable command.\n"
      "Exit codes and the --json schema: docs/json-output.md"};
  app.name("nestvirt");
  app.require_subcommand(1);
  app.fallthrough();
  app.set_version_flag("--version", NESTVIRT_VERSION);
  app.add_option("--powershell", global.powershell,
                 "PowerShell to run (default: powershell.exe on Windows, pwsh elsewhere; "
                 "or NESTVIRT_POWERSHELL)");
  app.add_option("--timeout", global.timeout_seconds,
                 "Seconds each PowerShell request may take before it is ended")
      ->check(CLI::Range(1, 86400))
      ->capture_default_str();
  app.add_flag("--json", global.json, "Print one JSON document on stdout instead of text");
  app.add_flag("-v,--verbose", global.verbosity, "More detail on stderr (-vv for debug)");

  std::vector<Runner> runners;
  runners.push_back(register_check(app, global));
  runners.push_back(register_change(app, global, core::Action::Enable));
  runners.push_back(register_change(app, global, core::Action::Disable));
  runners.push_back(register_spoof(app, global));
  runners.push_back(register_net_nat(app, global));

  std::vector<std::string> reversed(args.rbegin(), args.rend() - 1);
  try {
    app.parse(reversed);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e, *global.io->out, *global.io->err);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e, *global.io->out, *global.io->err);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e, *global.io->out, *global.io->err);
  } catch (const CLI::ParseError& e) {
    GlobalOptions report_options;
    report_options.io = global.io;
    report_options.json = wants_json(args);
    return report_error(command_path(app), report_options, core::kExitUsage, "usage-error",
                        std::string(e.what()) + ". Run 'nestvirt --help' for usage.", "");
  }
  command = command_path(app);
  setup_logging(global.verbosity, *global.io->err);
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
