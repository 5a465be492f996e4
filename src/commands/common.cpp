#include "nestvirt/commands/common.h"

#include <cstdlib>
#include <iostream>

#include "nestvirt/commands/credentials.h"
#include "nestvirt/commands/diagnostics.h"
#include "nestvirt/core/exit_codes.h"

#ifndef NESTVIRT_VERSION
#define NESTVIRT_VERSION "unknown"
#endif

namespace nestvirt::commands {

using nlohmann::json;

std::string outcome_name(int exit_code) {
  switch (exit_code) {
    case core::kExitOk:
      return "ok";
    case core::kExitUsage:
      return "usage-error";
    case core::kExitPrerequisitesNotMet:
      return "prerequisites-not-met";
    case core::kExitPrerequisitesUnknown:
      return "prerequisites-unknown";
    case core::kExitPowerShellMissing:
      return "powershell-missing";
    case core::kExitPowerShellFailed:
      return "powershell-failed";
    case core::kExitPowerShellTimedOut:
      return "powershell-timed-out";
    case core::kExitChangeFailed:
      return "change-failed";
    case core::kExitChangeIncomplete:
      return "change-incomplete";
    default:
      return "internal-error";
  }
}

json envelope(const std::string& command, int exit_code) {
  return {{"schema_version", kSchemaVersion},
          {"nestvirt_version", NESTVIRT_VERSION},
          {"command", command},
          {"exit_code", exit_code},
          {"outcome", outcome_name(exit_code)},
          {"error", nullptr}};
}

powershell::SessionOptions session_options(const GlobalOptions& options) {
  // Not getenv: on Windows it gives the ANSI code page's text, not every path (credentials.cpp).
  const std::optional<std::string> env_value = read_environment("NESTVIRT_POWERSHELL");
  powershell::SessionOptions out;
  out.executable = powershell::resolve_executable(options.powershell, env_value);
  out.timeout = std::chrono::seconds(options.timeout_seconds);
  return out;
}

int report_error(const std::string& command, const GlobalOptions& options, int exit_code,
                 const std::string& kind, const std::string& message, const std::string& detail) {
  if (options.json) {
    json doc = envelope(command, exit_code);
    doc["error"] = {{"kind", kind},
                    {"message", message},
                    {"detail", detail.empty() ? json(nullptr) : json(detail)}};
    std::cout << doc.dump(2, ' ', false, json::error_handler_t::replace) << "\n";
  }
  std::cerr << "nestvirt: " << message << "\n";
  if (!detail.empty()) std::cerr << "PowerShell said:\n" << detail << "\n";
  return exit_code;
}

int report_session_error(const std::string& command, const GlobalOptions& options,
                         const powershell::SessionError& error, int launches) {
  (void)launches;
  using Kind = powershell::SessionError::Kind;
  switch (error.kind()) {
    case Kind::StartFailed:
      return report_error(command, options, core::kExitPowerShellMissing, "powershell-missing",
                          std::string(error.what()) +
                              ". Install PowerShell, or name it with --powershell PATH or the "
                              "NESTVIRT_POWERSHELL environment variable.",
                          error.detail());
    case Kind::TimedOut:
      return report_error(command, options, core::kExitPowerShellTimedOut, "powershell-timed-out",
                          error.what(), error.detail());
    case Kind::Exited:
    case Kind::Protocol:
      break;
  }
  return report_error(command, options, core::kExitPowerShellFailed, "powershell-failed",
                      error.what(), error.detail());
}

int run_with_session(const std::string& command, const GlobalOptions& global,
                     const std::function<CommandOutput(powershell::Session&)>& body) {
  Stopwatch stopwatch;
  powershell::Session session(session_options(global));
  try {
    CommandOutput out = body(session);
    if (global.json) {
      json doc = envelope(command, out.exit_code);
      doc.update(out.json);
      doc["diagnostics"] = stopwatch.json();
      doc["diagnostics"]["powershell_launches"] = session.launches();
      std::cout << doc.dump(2, ' ', false, json::error_handler_t::replace) << "\n";
    } else {
      std::cout << out.text;
    }
    return out.exit_code;
  } catch (const powershell::SessionError& e) {
    return report_session_error(command, global, e, session.launches());
  } catch (const std::runtime_error& e) {
    // PowerShell answered, but not in a shape nestvirt can read.
    return report_error(command, global, core::kExitPowerShellFailed, "powershell-failed", e.what(),
                        "");
  }
}

}  // namespace nestvirt::commands
