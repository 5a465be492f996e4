// What every command flow shares: where output goes and how PowerShell is reached (Io), the
// global options, guest credentials, and the one path by which a command ends, whatever happens
// in it. The words and documents themselves are src/report/'s.
#pragma once

#include <chrono>
#include <functional>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "nestvirt/core/guest_credentials.h"
#include "nestvirt/core/target.h"
#include "nestvirt/engine/executor.h"
#include "nestvirt/powershell/session.h"

namespace nestvirt::commands {

// Everything a run of the CLI reads from and writes to: main() passes the real ones
// (real_io); unit tests pass string streams, answers for the prompts and a host that answers
// from a fake, and so see everything a user would.
struct Io {
  std::ostream* out = nullptr;
  std::ostream* err = nullptr;   // logs, progress, prompts and error messages
  bool err_is_terminal = false;  // progress redraws one line in place instead of adding lines
  bool interactive = false;      // stdin is a terminal: missing credentials may be asked
  // Asks for one line (the prompt on `err`; echo off for a password): nullopt at end of input.
  std::function<std::optional<std::string>(const std::string& prompt, bool echo)> ask;
  std::function<std::unique_ptr<powershell::ScriptHost>(const powershell::SessionOptions&)>
      make_host;
  // How often the executor polls while a VM stops or starts or an adapter appears. Tests
  // whose fake host changes state at once set it near zero; unset: the real intervals.
  std::optional<std::chrono::milliseconds> poll_interval;
};
Io real_io();  // std::cout, std::cerr, the terminal, a powershell::Session

// The options that reach remote hosts (docs/remote.md).
struct RemoteCliOptions {
  std::vector<std::string> hosts;                // --host, repeatable, in order given
  std::optional<std::string> hosts_file;         // --hosts-file
  int parallel = 8;                              // --parallel: hosts at once
  int connect_timeout_seconds = 15;              // --connect-timeout
  std::string remote_powershell = "powershell";  // --remote-powershell powershell|pwsh
  std::optional<std::string> ssh_identity;       // --ssh-identity
  std::optional<std::string> ssh_known_hosts;    // --ssh-known-hosts
  std::optional<std::string> authentication;     // --authentication (WinRM)
  bool skip_certificate_check = false;           // --skip-certificate-check (winrms)
  std::optional<std::string> target;  // hidden --target: one host of a fleet, run by the parent
  std::optional<core::Target> parsed_target;  // --target, checked (src/cli/cli.cpp)
};

struct GlobalOptions {
  std::optional<std::string> powershell;  // --powershell PATH
  int timeout_seconds = 120;              // --timeout, per PowerShell request
  bool json = false;                      // --json
  int verbosity = 0;                      // -v (each PowerShell command as it runs), -vv
  bool quiet = false;                     // -q: errors and the text report's final line only
  RemoteCliOptions remote;
  Io* io = nullptr;  // set by run_cli before any command runs
};

// Session options from the global options and the environment (NESTVIRT_POWERSHELL, and for
// remote hosts NESTVIRT_SSH, NESTVIRT_REMOTE_USER, NESTVIRT_REMOTE_PASSWORD).
powershell::SessionOptions session_options(const GlobalOptions& options);

// The executor's options: the poll interval of Io, progress on Io's error stream.
engine::ExecOptions exec_options(const GlobalOptions& global);

// Guest credentials (core::resolve_credentials) from the environment, or asked through Io when
// `may_ask` and Io is interactive; the password variable is removed from the environment either
// way, so PowerShell (a child) does not inherit it. nullopt: `error` says why.
std::optional<core::GuestLogin> guest_login(const GlobalOptions& global, bool may_ask,
                                            std::string& error);

// What a command produced: its exit code, its fields for the JSON document, its text report,
// or an error that ends it as a whole (a usage error found after PowerShell was asked).
struct CommandOutput {
  int exit_code = 0;
  nlohmann::json json;        // merged into the envelope with --json
  std::string text;           // printed otherwise
  std::string error_kind;     // set: the command failed as a whole (usage-error, ...)
  std::string error_message;  // its message
};

// Runs `body` with one PowerShell host and prints its output (one JSON document with envelope
// and diagnostics, or the text). PowerShell failing (not started, died, hung, answered in a
// shape nestvirt cannot read) becomes its own exit code here. Anything else that escapes is a
// bug, and goes on to run_cli's one fatal handler.
int run_command(const std::string& command, const GlobalOptions& global,
                const std::function<CommandOutput(powershell::ScriptHost&)>& body);

// A command that fails as a whole before or without PowerShell: the error on stderr, and the
// envelope with `error` on stdout with --json.
int report_error(const std::string& command, const GlobalOptions& options, int exit_code,
                 const std::string& kind, const std::string& message, const std::string& detail);
// The same for a usage error (exit 2), its message ending with which help to read.
int usage_error(const std::string& command, const GlobalOptions& options,
                const std::string& message);

// The one fatal path: exit 1, one sentence on stderr, the envelope with --json.
int report_internal_error(const std::string& command, const GlobalOptions& options,
                          const std::string& what);

}  // namespace nestvirt::commands
