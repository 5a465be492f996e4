// `nestvirt check` on the command line.
#include <iostream>

#include "nestvirt/commands/check.h"
#include "nestvirt/commands/diagnostics.h"
#include "nestvirt/commands/registry.h"
#include "nestvirt/core/exit_codes.h"
#include "nestvirt/report/progress.h"

namespace nestvirt::commands {

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

}  // namespace nestvirt::commands
