// Parses the command line and dispatches to one subcommand. Each subcommand registers itself
// here through a table, so help text and dispatch come from one place.
#include "nestvirt/commands/cli.h"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <cstring>
#include <functional>
#include <iostream>

#include "nestvirt/commands/change.h"
#include "nestvirt/commands/check.h"
#include "nestvirt/commands/common.h"
#include "nestvirt/commands/diagnostics.h"
#include "nestvirt/core/exit_codes.h"
#include "nestvirt/report/progress.h"

namespace nestvirt::commands {
namespace {

using Runner = std::function<int()>;

void setup_logging(int verbosity) {
  auto logger = spdlog::stderr_logger_st("nestvirt");
  logger->set_pattern("nestvirt: %l: %v");
  logger->set_level(verbosity >= 2   ? spdlog::level::debug
                    : verbosity == 1 ? spdlog::level::info
                                     : spdlog::level::warn);
  spdlog::set_default_logger(logger);
}

Runner register_check(CLI::App& app, GlobalOptions& global) {
  auto* cmd = app.add_subcommand("check",
                                 "Read the host and VMs and report every prerequisite "
                                 "of nested virtualization. Changes nothing.");
  auto request = std::make_shared<CheckRequest>();
  cmd->add_option("--vm", request->vms, "VM to check (repeatable; Hyper-V wildcards such as Lab*)")
      ->allow_extra_args(false)
      ->check([](const std::string& name) {
        return name.empty() ? std::string("a VM name cannot be empty") : std::string();
      });
  return [cmd, request, &global]() -> int {
    if (!cmd->parsed()) return -1;
    Stopwatch stopwatch;
    powershell::Session session(session_options(global));
    try {
      CheckResult result = run_check(session, *request);
      if (global.json) {
        nlohmann::json doc = envelope("check", result.exit_code);
        doc.update(check_to_json(result));
        doc["diagnostics"] = stopwatch.json();
        doc["diagnostics"]["powershell_launches"] = session.launches();
        std::cout << doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
      } else {
        std::cout << check_to_text(result);
      }
      return result.exit_code;
    } catch (const powershell::SessionError& e) {
      return report_session_error("check", global, e, session.launches());
    } catch (const std::runtime_error& e) {
      return report_error("check", global, core::kExitPowerShellFailed, "powershell-failed",
                          e.what(), "");
    }
  };
}

// Runs a per-VM change (enable, disable, net-spoof) and prints its report.
int run_change_command(const std::string& name, const std::string& what,
                       const ChangeRequest& request, const GlobalOptions& global) {
  Stopwatch stopwatch;
  powershell::Session session(session_options(global));
  report::Progress progress(stderr);
  ApplyOptions apply_options;
  apply_options.progress = [&progress](const std::string& vm, const std::string& text, bool final) {
    progress.update(vm, text, final);
  };
  try {
    ChangeResult result = run_change(session, request, apply_options);
    if (global.json) {
      nlohmann::json doc = envelope(name, result.exit_code);
      doc.update(change_to_json(result, request.dry_run));
      doc["diagnostics"] = stopwatch.json();
      doc["diagnostics"]["powershell_launches"] = session.launches();
      std::cout << doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    } else {
      std::cout << change_to_text(result, what, request.dry_run);
    }
    return result.exit_code;
  } catch (const powershell::SessionError& e) {
    return report_session_error(name, global, e, session.launches());
  } catch (const std::runtime_error& e) {
    return report_error(name, global, core::kExitPowerShellFailed, "powershell-failed", e.what(),
                        "");
  }
}

CLI::Option* add_vm_option(CLI::App* cmd, std::vector<std::string>& vms, const char* help) {
  return cmd->add_option("--vm", vms, help)->required()->check([](const std::string& vm) {
    return vm.empty() ? std::string("a VM name cannot be empty") : std::string();
  });
}

Runner register_spoof(CLI::App& app, GlobalOptions& global) {
  auto* cmd = app.add_subcommand(
      "net-spoof",
      "Turn MAC address spoofing on (or off) for VMs' network adapters, so nested VMs reach the "
      "network through the L1 VM (the first networking option of Microsoft's page).");
  auto request = std::make_shared<ChangeRequest>();
  request->spoof = true;
  add_vm_option(cmd, request->vms, "VM whose adapters to change (repeatable; wildcards allowed)");
  cmd->add_option("--adapter", request->spoof_options.adapter,
                  "Only this network adapter (default: every adapter of the VM)");
  auto off = std::make_shared<bool>(false);
  cmd->add_flag("--off", *off, "Turn MAC address spoofing off instead");
  cmd->add_flag("--dry-run", request->dry_run, "Show the plan and its PowerShell; change nothing");
  return [cmd, request, off, &global]() -> int {
    if (!cmd->parsed()) return -1;
    request->spoof_options.on = !*off;
    return run_change_command("net-spoof",
                              *off ? "MAC address spoofing off" : "MAC address spoofing on",
                              *request, global);
  };
}

Runner register_change(CLI::App& app, GlobalOptions& global, core::Action action) {
  const bool enable = action == core::Action::Enable;
  const std::string name = enable ? "enable" : "disable";
  auto* cmd = app.add_subcommand(
      name, enable ? "Turn nested virtualization on for VMs (Set-VMProcessor "
                     "-ExposeVirtualizationExtensions $true), after checking every prerequisite."
                   : "Turn nested virtualization off for VMs.");
  auto request = std::make_shared<ChangeRequest>();
  request->options.action = action;
  auto& o = request->options;
  add_vm_option(cmd, request->vms, "VM to change (repeatable; Hyper-V wildcards such as Lab*)");
  cmd->add_flag("--restart", o.restart,
                "A running VM: shut the guest down, change it, start it again");
  cmd->add_flag("--force", o.force,
                "With --restart: power the VM off if the guest has not shut down in time");
  cmd->add_option("--shutdown-timeout", o.shutdown_timeout_seconds,
                  "Seconds to wait for the guest to shut down")
      ->check(CLI::Range(1, 86400))
      ->capture_default_str();
  cmd->add_flag("--discard-saved-state", o.discard_saved_state,
                "A saved VM: throw its saved state away (the guest's unsaved work is lost)");
  if (enable) {
    cmd->add_flag("--disable-dynamic-memory", o.disable_dynamic_memory,
                  "Turn dynamic memory off as part of the change");
    cmd->add_flag("--upgrade-version", o.upgrade_version,
                  "Upgrade a too-old configuration version (Update-VMVersion; irreversible)");
    cmd->add_flag("--mac-spoofing", o.mac_spoofing,
                  "Also turn MAC address spoofing on for the VM's network adapters");
  }
  cmd->add_flag("--dry-run", request->dry_run,
                "Show the plan and the exact PowerShell of each step; change nothing");
  return [cmd, request, &global, enable, name]() -> int {
    if (!cmd->parsed()) return -1;
    if (request->options.force && !request->options.restart) {
      return report_error(name, global, core::kExitUsage, "usage-error",
                          "--force only applies with --restart (it powers off a guest that "
                          "did not shut down in time). Add --restart, or drop --force.",
                          "");
    }
    return run_change_command(
        name, enable ? "nested virtualization enabled" : "nested virtualization disabled", *request,
        global);
  };
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
