// What every subcommand shares: global options, where output goes, the JSON envelope, and the
// one path by which a command ends, whatever happens in it.
#pragma once

#include <chrono>
#include <functional>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "nestvirt/core/target.h"
#include "nestvirt/powershell/session.h"

namespace nestvirt::commands {

// Where a run of the CLI writes and how it reaches PowerShell. main() passes the real ones;
// tests pass string streams and a host that answers from a fake.
struct Io {
  std::ostream* out = nullptr;
  std::ostream* err = nullptr;
  std::function<std::unique_ptr<powershell::ScriptHost>(const powershell::SessionOptions&)>
      make_host;
  // How often the executor polls while a VM stops or starts or an adapter appears. Tests
  // whose fake host changes state at once set it near zero; unset: the real intervals.
  std::optional<std::chrono::milliseconds> poll_interval;
};
Io real_io();  // std::cout, std::cerr, a powershell::Session

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
  std::optional<core::Target> parsed_target;  // --target, checked (cli.cpp)
};

struct GlobalOptions {
  std::optional<std::string> powershell;  // --powershell PATH
  int timeout_seconds = 120;              // --timeout, per PowerShell request
  bool json = false;                      // --json
  int verbosity = 0;                      // -v, -vv
  RemoteCliOptions remote;
  Io* io = nullptr;  // set by run_cli before any command runs
};

inline constexpr int kSchemaVersion = 2;  // docs/json-output.md lists what changed from 1

// "ok", "prerequisites-not-met", ... : the word for an exit code in JSON output.
std::string outcome_name(int exit_code);

// The envelope every --json document has: schema_version, nestvirt_version, command,
// exit_code, outcome, error (null unless the command failed as a whole).
nlohmann::json envelope(const std::string& command, int exit_code);

// Session options from the global options and the environment (NESTVIRT_POWERSHELL).
powershell::SessionOptions session_options(const GlobalOptions& options);

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

// The one fatal path: exit 1, one sentence on stderr, the envelope with --json.
int report_internal_error(const std::string& command, const GlobalOptions& options,
                          const std::string& what);

}  // namespace nestvirt::commands
