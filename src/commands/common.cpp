#include "nestvirt/commands/common.h"

#include <spdlog/spdlog.h>

#include <cstdlib>
#include <iostream>

#include "nestvirt/commands/credentials.h"
#include "nestvirt/commands/diagnostics.h"
#include "nestvirt/core/exit_codes.h"
#include "nestvirt/core/reply_reader.h"
#include "nestvirt/engine/requests.h"

#ifndef NESTVIRT_VERSION
#define NESTVIRT_VERSION "unknown"
#endif

namespace nestvirt::commands {

using nlohmann::json;

Io real_io() {
  Io io;
  io.out = &std::cout;
  io.err = &std::cerr;
  io.make_host = [](const powershell::SessionOptions& options) {
    return std::make_unique<powershell::Session>(options);
  };
  return io;
}

std::string outcome_name(int exit_code) {
  for (const auto& info : core::kExitCodes) {
    if (info.code == exit_code) return info.outcome;
  }
  return "internal-error";  // no other code is ever returned
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
  if (options.remote.parsed_target) {
    const RemoteCliOptions& r = options.remote;
    powershell::RemoteOptions remote;
    remote.target = *r.parsed_target;
    if (auto ssh = read_environment("NESTVIRT_SSH"); ssh && !ssh->empty()) {
      remote.ssh_executable = *ssh;
    }
    remote.remote_powershell = r.remote_powershell;
    remote.connect_timeout_seconds = r.connect_timeout_seconds;
    remote.identity_file = r.ssh_identity.value_or("");
    remote.known_hosts_file = r.ssh_known_hosts.value_or("");
    remote.authentication = r.authentication.value_or("");
    remote.skip_certificate_check = r.skip_certificate_check;
    remote.user = read_environment("NESTVIRT_REMOTE_USER").value_or("");
    remote.password = read_environment("NESTVIRT_REMOTE_PASSWORD").value_or("");
    // Only through stdin (remoting.ps1): the local PowerShell must not inherit it.
    forget_environment("NESTVIRT_REMOTE_PASSWORD");
    out.remote = std::move(remote);
  }
  return out;
}

namespace {

std::ostream& out_of(const GlobalOptions& options) {
  return options.io && options.io->out ? *options.io->out : std::cout;
}
std::ostream& err_of(const GlobalOptions& options) {
  return options.io && options.io->err ? *options.io->err : std::cerr;
}

void print_json(const GlobalOptions& options, const json& doc) {
  out_of(options) << doc.dump(2, ' ', false, json::error_handler_t::replace) << "\n";
}

int report_session_error(const std::string& command, const GlobalOptions& options,
                         const powershell::SessionError& error) {
  using Kind = powershell::SessionError::Kind;
  if (error.problem() != core::ConnectionProblem::None) {
    // A remote host: the connection's own words and code (docs/remote.md).
    return report_error(command, options, core::exit_code_of(error.problem()),
                        core::problem_name(error.problem()), error.what(), error.detail());
  }
  switch (error.kind()) {
    case Kind::StartFailed:
      return report_error(command, options, core::kExitPowerShellMissing, "powershell-missing",
                          std::string(error.what()) +
                              (options.remote.parsed_target
                                   ? "."
                                   : ". Install PowerShell, or name it with --powershell PATH "
                                     "or the NESTVIRT_POWERSHELL environment variable."),
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

// Every usage error ends by saying which help to read: the command's own once it is known, so
// the reader lands on the options that were wrong, not on the list of commands.
std::string with_help_hint(const std::string& command, const std::string& message) {
  const std::string hint =
      "Run 'nestvirt " + (command.empty() ? "" : command + " ") + "--help' for usage.";
  if (message.find("--help'") != std::string::npos) return message;
  if (message.find('\n') != std::string::npos) return message + "\n" + hint;
  const bool ends_sentence = !message.empty() && (message.back() == '.' || message.back() == '?');
  return message + (ends_sentence ? " " : ". ") + hint;
}

}  // namespace

int report_error(const std::string& command, const GlobalOptions& options, int exit_code,
                 const std::string& kind, const std::string& given_message,
                 const std::string& detail) {
  const std::string message =
      kind == "usage-error" ? with_help_hint(command, given_message) : given_message;
  if (options.json) {
    json doc = envelope(command, exit_code);
    doc["error"] = {{"kind", kind},
                    {"message", message},
                    {"detail", detail.empty() ? json(nullptr) : json(detail)}};
    print_json(options, doc);
  }
  err_of(options) << "nestvirt: " << message << "\n";
  if (!detail.empty()) {
    err_of(options) << (options.remote.parsed_target ? "The remote session said:\n"
                                                     : "PowerShell said:\n")
                    << detail << "\n";
  }
  return exit_code;
}

int report_internal_error(const std::string& command, const GlobalOptions& options,
                          const std::string& what) {
  return report_error(command, options, core::kExitInternal, "internal-error",
                      "internal error" + (command.empty() ? "" : " in '" + command + "'") + ": " +
                          what +
                          ". This is a bug in nestvirt: please report it with the output of -vv.",
                      "");
}

int run_command(const std::string& command, const GlobalOptions& global,
                const std::function<CommandOutput(powershell::ScriptHost&)>& body) {
  Stopwatch stopwatch;
  std::unique_ptr<powershell::ScriptHost> host = global.io->make_host(session_options(global));
  CommandOutput out;
  try {
    out = body(*host);
  } catch (const powershell::SessionError& e) {
    return report_session_error(command, global, e);
  } catch (const engine::ScriptFailure& e) {
    return report_error(command, global, core::kExitPowerShellFailed, "powershell-failed", e.what(),
                        "");
  } catch (const core::ReplyError& e) {
    return report_error(
        command, global, core::kExitPowerShellFailed, "powershell-failed",
        std::string("PowerShell answered in a shape nestvirt cannot read: ") + e.what(), "");
  }
  if (!out.error_kind.empty()) {
    return report_error(command, global, out.exit_code, out.error_kind, out.error_message, "");
  }
  if (global.json) {
    json doc = envelope(command, out.exit_code);
    doc.update(out.json);
    doc["diagnostics"] = stopwatch.json();
    doc["diagnostics"]["powershell_launches"] = host->launches();
    print_json(global, doc);
  } else {
    out_of(global) << out.text;
  }
  return out.exit_code;
}

}  // namespace nestvirt::commands
