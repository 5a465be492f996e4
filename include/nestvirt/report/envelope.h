// What every --json document has, and how a command that fails as a whole is told: the envelope
// (schema_version, nestvirt_version, command, exit_code, outcome, error), the error's words on
// stderr, and the diagnostics. docs/json-output.md.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace nestvirt::report {

inline constexpr int kSchemaVersion = 2;  // docs/json-output.md lists what changed from 1

const char* nestvirt_version();  // "0.1.0"

// "ok", "prerequisites-not-met", ... : the word for an exit code in JSON output.
std::string outcome_name(int exit_code);

// The envelope, with `error` null.
nlohmann::json envelope(const std::string& command, int exit_code);

// The envelope of a command that failed as a whole: `error` {kind, message, detail}.
nlohmann::json error_document(const std::string& command, int exit_code, const std::string& kind,
                              const std::string& message, const std::string& detail);

// What such a command prints on stderr: "nestvirt: MESSAGE", then what PowerShell (or the remote
// session) said, when it said anything.
std::string error_text(const std::string& message, const std::string& detail, bool remote);

// A usage error's message, ending with which help to read: the command's own once it is known,
// so the reader lands on the options that were wrong.
std::string with_help_hint(const std::string& command, const std::string& message);

// nestvirt's own cost: {"elapsed_ms", "cpu_user_ms", "cpu_system_ms", "powershell_launches"}.
nlohmann::json diagnostics_json(long long elapsed_ms, double cpu_user_ms, double cpu_system_ms,
                                int powershell_launches);

// An interrupted run (process/interrupt.h): {"signal", "count", "undo"} for the document's
// `interrupted`, and the closing line of the text report. `undo` is "done" after one
// interruption (what the run had done was put back, or left_for_admin says what is left),
// "skipped" after two.
nlohmann::json interrupted_json(const std::string& signal, int count);
std::string interrupted_text(const std::string& signal, int count, int exit_code);

// -q: a text report's final line ("Result: ..."): the last line that starts with "Result:", else
// its last line.
std::string final_line(const std::string& text);

// A document as printed: indented, invalid UTF-8 replaced, one line end.
std::string document_text(const nlohmann::json& doc);

}  // namespace nestvirt::report
