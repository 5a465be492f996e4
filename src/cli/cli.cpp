// Parses the command line and dispatches to one command. The commands come from one table
// (src/cli/commands.cpp), so help text and dispatch come from one place.
#include "nestvirt/cli/cli.h"

#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>

#include "nestvirt/cli/commands.h"
#include "nestvirt/cli/help.h"
#include "nestvirt/cli/options.h"
#include "nestvirt/cli/usage_error.h"
#include "nestvirt/core/exit_codes.h"
#include "nestvirt/fleet/fleet.h"
#include "nestvirt/process/interrupt.h"
#include "nestvirt/report/envelope.h"

namespace nestvirt::cli {
namespace {

void setup_logging(int verbosity, std::ostream& err) {
  auto sink = std::make_shared<spdlog::sinks::ostream_sink_st>(err);
  auto logger = std::make_shared<spdlog::logger>("nestvirt", sink);
  logger->set_pattern("nestvirt: %l: %v");
  logger->set_level(verbosity >= 2   ? spdlog::level::debug
                    : verbosity == 1 ? spdlog::level::info
                    : verbosity < 0  ? spdlog::level::err
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
int print_version(const commands::GlobalOptions& global, bool json) {
  if (json) {
    *global.io->out << report::document_text(report::envelope("version", core::kExitOk));
  } else {
    *global.io->out << "nestvirt " << report::nestvirt_version() << "\n";
  }
  return core::kExitOk;
}

int parse_and_run(const std::vector<std::string>& args, commands::GlobalOptions& global,
                  std::string& command) {
  CLI::App app{"nestvirt: Hyper-V nested virtualization in one safe, scriptable command."};
  app.name("nestvirt");
  // Before the subcommands, which inherit it.
  app.formatter(help_formatter());
  app.require_subcommand(1);
  // No fallthrough: an option of one command given to another (`--remove` after `net-nat
  // guest`) must be an error, not silently taken by the parent. The global options are added
  // to every command instead (below), so they still work on either side of its name.
  app.set_version_flag("-V,--version", std::string("nestvirt ") + report::nestvirt_version(),
                       "Print nestvirt's version");

  std::vector<Runner> runners;
  for (const CommandSpec& spec : command_table()) {
    // "net-nat guest": a subcommand of the row before it named "net-nat".
    CLI::App* parent = &app;
    std::string name = spec.name;
    if (const auto space = name.rfind(' '); space != std::string::npos) {
      parent = app.get_subcommand(name.substr(0, space));
      name = name.substr(space + 1);
    }
    CLI::App* cmd = parent->add_subcommand(name, spec.summary);
    cmd->group("Commands");  // CLI11 says "Subcommands"; users type commands
    set_examples(cmd, spec.examples);
    runners.push_back(spec.add(cmd, global));
  }

  add_global_options(&app, global);
  for (CLI::App* sub : all_subcommands(&app)) add_global_options(sub, global);
  require_non_empty_values(&app);
  app.footer(
      "Run 'nestvirt COMMAND --help' for a command's options and examples.\n"
      "The --json document of each command: docs/json-output.md.\n\n" +
      exit_codes_help());

  // `nestvirt` alone and `nestvirt help [COMMAND]`: the help, exit 0.
  if (args.size() <= 1) {
    *global.io->out << app.help();
    return core::kExitOk;
  }
  if (args[1] == "help")
    return print_help(app, std::vector<std::string>(args.begin() + 2, args.end()), global);

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
    commands::GlobalOptions report_options;
    report_options.io = global.io;
    report_options.json = wants_json(args);
    return commands::usage_error(command_path(app), report_options, usage_error_message(app, e));
  }
  command = command_path(app);
  setup_logging(global.quiet ? -1 : global.verbosity, *global.io->err);
  if (global.remote.target) {  // one host of a fleet (commands/fleet.h)
    core::TargetParse parsed = core::parse_target(*global.remote.target);
    if (!parsed.target) {
      return commands::usage_error(command, global, parsed.error);
    }
    global.remote.parsed_target = std::move(parsed.target);
  } else if (!global.remote.hosts.empty() || global.remote.hosts_file) {
    fleet::FleetTargets fleet = fleet::fleet_targets(global.remote);
    if (!fleet.errors.empty()) {
      std::string message;
      for (const auto& e : fleet.errors) message += (message.empty() ? "" : "\n") + e;
      return commands::usage_error(command, global, message);
    }
    return fleet::run_fleet(args, command, global, fleet.targets);
  }
  for (auto& run : runners) {
    int code = run();
    if (code >= 0) return code;
  }
  return commands::report_internal_error(command, global, "no subcommand ran");
}

}  // namespace

int run_cli(const std::vector<std::string>& args, commands::Io& io) {
  commands::GlobalOptions global;
  global.io = &io;
  global.json = wants_json(args);
  std::string command;
  // The one fatal path: anything a command did not expect ends here, never in std::terminate.
  try {
    return parse_and_run(args, global, command);
  } catch (const std::exception& e) {
    return commands::report_internal_error(command, global, e.what());
  } catch (...) {
    return commands::report_internal_error(command, global,
                                           "an exception that is not a std::exception");
  }
}

int run_cli(int argc, char** argv) {
  // Ctrl-C and SIGTERM stop a command at its next safe point, undone and reported, instead of
  // ending nestvirt mid-change (process/interrupt.h).
  process::watch_interrupts();
  std::vector<std::string> args(argv, argv + argc);
  commands::Io io = commands::real_io();
  const int code = run_cli(args, io);
  io.out->flush();
  process::interrupt_handled();
  return code;
}

}  // namespace nestvirt::cli
