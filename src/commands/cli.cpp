// Parses the command line and dispatches to one subcommand. Each subcommand registers itself
// here through a table, so help text and dispatch come from one place.
#include "nestvirt/commands/cli.h"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <cstring>
#include <functional>
#include <iostream>

#include "nestvirt/commands/registry.h"
#include "nestvirt/core/exit_codes.h"

namespace nestvirt::commands {
namespace {

void setup_logging(int verbosity) {
  auto logger = spdlog::stderr_logger_st("nestvirt");
  logger->set_pattern("nestvirt: %l: %v");
  logger->set_level(verbosity >= 2   ? spdlog::level::debug
                    : verbosity == 1 ? spdlog::level::info
                                     : spdlog::level::warn);
  spdlog::set_default_logger(logger);
}

bool wants_json(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--json") == 0) return true;
  }
  return false;
}

}  // namespace

int run_cli(int argc, char** argv) {
  GlobalOptions global;
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

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    GlobalOptions report_options;
    report_options.json = wants_json(argc, argv);
    std::string command = app.get_subcommands().empty() ? "" : app.get_subcommands()[0]->get_name();
    return report_error(command, report_options, core::kExitUsage, "usage-error",
                        std::string(e.what()) + ". Run 'nestvirt --help' for usage.", "");
  }
  setup_logging(global.verbosity);
  for (auto& run : runners) {
    int code = run();
    if (code >= 0) return code;
  }
  return core::kExitInternal;
}

}  // namespace nestvirt::commands
