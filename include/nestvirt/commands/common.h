// What every subcommand shares: global options, the JSON envelope, error reporting.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "nestvirt/powershell/session.h"

namespace nestvirt::commands {

struct GlobalOptions {
  std::optional<std::string> powershell;  // --powershell PATH
  int timeout_seconds = 120;              // --timeout, per PowerShell request
  bool json = false;                      // --json
  int verbosity = 0;                      // -v, -vv
};

inline constexpr int kSchemaVersion = 1;

// "ok", "prerequisites-not-met", ... : the word for an exit code in JSON output.
std::string outcome_name(int exit_code);

// The envelope every --json document has: schema_version, nestvirt_version, command,
// exit_code, outcome, error (null unless the command failed as a whole).
nlohmann::json envelope(const std::string& command, int exit_code);

// Session options from the global options and the environment (NESTVIRT_POWERSHELL).
powershell::SessionOptions session_options(const GlobalOptions& options);

// Maps a failure of PowerShell itself to its exit code and prints it (JSON or text).
int report_session_error(const std::string& command, const GlobalOptions& options,
                         const powershell::SessionError& error, int launches);
// What a command produced: its exit code, its fields for the JSON document, its text report.
struct CommandOutput {
  int exit_code = 0;
  nlohmann::json json;  // merged into the envelope with --json
  std::string text;     // printed otherwise
};

// Runs `body` with one PowerShell session, prints its output (one JSON document with envelope
// and diagnostics, or the text), and turns a failure of PowerShell itself into its exit code.
int run_with_session(const std::string& command, const GlobalOptions& global,
                     const std::function<CommandOutput(powershell::Session&)>& body);

int report_error(const std::string& command, const GlobalOptions& options, int exit_code,
                 const std::string& kind, const std::string& message, const std::string& detail);

}  // namespace nestvirt::commands
