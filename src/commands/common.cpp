#include "nestvirt/commands/common.h"

#include <iostream>

#include "nestvirt/core/exit_codes.h"
#include "nestvirt/core/reply_reader.h"
#include "nestvirt/engine/requests.h"
#include "nestvirt/process/console.h"
#include "nestvirt/process/cpu_time.h"
#include "nestvirt/process/environment.h"
#include "nestvirt/process/interrupt.h"
#include "nestvirt/report/envelope.h"
#include "nestvirt/report/progress.h"

namespace nestvirt::commands {

using nlohmann::json;

Io real_io() {
  Io io;
  io.out = &std::cout;
  io.err = &std::cerr;
  io.err_is_terminal = process::is_terminal(stderr);
  io.interactive = process::is_terminal(stdin);
  io.ask = [](const std::string& prompt, bool echo) -> std::optional<std::string> {
    std::cerr << prompt << std::flush;
    auto line = process::read_terminal_line(echo);
    if (!echo) std::cerr << "\n";  // the Enter the user typed was not echoed
    return line;
  };
  io.make_host = [](const powershell::SessionOptions& options) {
    return std::make_unique<powershell::Session>(options);
  };
  return io;
}

powershell::SessionOptions session_options(const GlobalOptions& options) {
  // Not getenv: on Windows it gives the ANSI code page's text, not every path.
  const std::optional<std::string> env_value = process::read_environment("NESTVIRT_POWERSHELL");
  powershell::SessionOptions out;
  out.executable = powershell::resolve_executable(options.powershell, env_value);
  out.timeout = std::chrono::seconds(options.timeout_seconds);
  if (options.remote.parsed_target) {
    const RemoteCliOptions& r = options.remote;
    powershell::RemoteOptions remote;
    remote.target = *r.parsed_target;
    if (auto ssh = process::read_environment("NESTVIRT_SSH"); ssh && !ssh->empty()) {
      remote.ssh_executable = *ssh;
    }
    remote.remote_powershell = r.remote_powershell;
    remote.connect_timeout_seconds = r.connect_timeout_seconds;
    remote.identity_file = r.ssh_identity.value_or("");
    remote.known_hosts_file = r.ssh_known_hosts.value_or("");
    remote.authentication = r.authentication.value_or("");
    remote.skip_certificate_check = r.skip_certificate_check;
    remote.user = process::read_environment("NESTVIRT_REMOTE_USER").value_or("");
    if (auto password = process::read_environment("NESTVIRT_REMOTE_PASSWORD")) {
      remote.password = std::make_shared<const core::Secret>(core::Secret::take(*password));
    }
    // Only through stdin (remoting.ps1): the local PowerShell must not inherit it.
    process::forget_environment("NESTVIRT_REMOTE_PASSWORD");
    out.remote = std::move(remote);
  }
  return out;
}

engine::ExecOptions exec_options(const GlobalOptions& global) {
  engine::ExecOptions options;
  if (global.io->poll_interval) {
    options.poll_interval = *global.io->poll_interval;
    options.adapter_poll = *global.io->poll_interval;
  }
  // One progress line for the whole run, however many waits it has; none with -q.
  if (!global.quiet) {
    auto progress = std::make_shared<report::Progress>(*global.io->err, global.io->err_is_terminal);
    options.progress = [progress](const std::string& who, const std::string& text, bool final) {
      progress->update(who, text, final);
    };
  }
  // -v: each PowerShell command a step runs, as --dry-run shows it (never a password: guest
  // credentials travel as data, the commands name $credential).
  if (global.verbosity >= 1 && !global.quiet) {
    std::ostream* err = global.io->err;
    options.trace = [err](const std::string& command) {
      *err << "nestvirt: running: " << command << "\n" << std::flush;
    };
  }
  return options;
}

std::optional<core::GuestLogin> guest_login(const GlobalOptions& global, bool may_ask,
                                            std::string& error) {
  const Io& io = *global.io;
  core::CredentialLookup lookup = core::resolve_credentials(
      process::read_environment, may_ask && io.interactive && io.ask != nullptr,
      [&io](const std::string& prompt, bool echo) { return io.ask(prompt, echo); });
  // PowerShell is our child: it must not inherit the password through the environment.
  process::forget_environment(core::kGuestPasswordVariable);
  if (!lookup.credentials) error = lookup.error;
  return std::move(lookup.credentials);
}

namespace {

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
    case Kind::Interrupted:  // a read: nothing had changed (a step's failure is its report's)
      return report_error(command, options, core::kExitInterrupted, "interrupted",
                          std::string(error.what()) + ". Nothing was changed.", "");
    case Kind::Exited:
    case Kind::Protocol:
      break;
  }
  return report_error(command, options, core::kExitPowerShellFailed, "powershell-failed",
                      error.what(), error.detail());
}

}  // namespace

int report_error(const std::string& command, const GlobalOptions& options, int exit_code,
                 const std::string& kind, const std::string& given_message,
                 const std::string& detail) {
  const std::string message =
      kind == "usage-error" ? report::with_help_hint(command, given_message) : given_message;
  if (options.json) {
    *options.io->out << report::document_text(
        report::error_document(command, exit_code, kind, message, detail));
  }
  *options.io->err << report::error_text(message, detail, options.remote.parsed_target.has_value());
  return exit_code;
}

int usage_error(const std::string& command, const GlobalOptions& options,
                const std::string& message) {
  return report_error(command, options, core::kExitUsage, "usage-error", message, "");
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
  const auto started = std::chrono::steady_clock::now();
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
  const bool interrupted = process::interrupt_count() > 0;
  if (global.json) {
    json doc = report::envelope(command, out.exit_code);
    doc.update(out.json);
    if (interrupted) {
      doc["interrupted"] =
          report::interrupted_json(process::interrupt_name(), process::interrupt_count());
    }
    const auto cpu = process::cpu_time();
    doc["diagnostics"] =
        report::diagnostics_json(std::chrono::duration_cast<std::chrono::milliseconds>(
                                     std::chrono::steady_clock::now() - started)
                                     .count(),
                                 cpu.user_ms, cpu.system_ms, host->launches());
    *global.io->out << report::document_text(doc);
  } else if (global.quiet) {
    *global.io->out << report::final_line(out.text);
  } else {
    *global.io->out << out.text;
    if (interrupted) {
      *global.io->out << report::interrupted_text(process::interrupt_name(),
                                                  process::interrupt_count(), out.exit_code);
    }
  }
  return out.exit_code;
}

}  // namespace nestvirt::commands
