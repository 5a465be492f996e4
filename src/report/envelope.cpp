#include "nestvirt/report/envelope.h"

#include "nestvirt/core/exit_codes.h"

#ifndef NESTVIRT_VERSION
#define NESTVIRT_VERSION "unknown"
#endif

namespace nestvirt::report {

using nlohmann::json;

const char* nestvirt_version() {
  return NESTVIRT_VERSION;
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

json error_document(const std::string& command, int exit_code, const std::string& kind,
                    const std::string& message, const std::string& detail) {
  json doc = envelope(command, exit_code);
  doc["error"] = {{"kind", kind},
                  {"message", message},
                  {"detail", detail.empty() ? json(nullptr) : json(detail)}};
  return doc;
}

std::string error_text(const std::string& message, const std::string& detail, bool remote) {
  std::string out = "nestvirt: " + message + "\n";
  if (!detail.empty()) {
    out += (remote ? "The remote session said:\n" : "PowerShell said:\n") + detail + "\n";
  }
  return out;
}

std::string with_help_hint(const std::string& command, const std::string& message) {
  const std::string hint =
      "Run 'nestvirt " + (command.empty() ? "" : command + " ") + "--help' for usage.";
  if (message.find("--help'") != std::string::npos) return message;
  if (message.find('\n') != std::string::npos) return message + "\n" + hint;
  const bool ends_sentence = !message.empty() && (message.back() == '.' || message.back() == '?');
  return message + (ends_sentence ? " " : ". ") + hint;
}

json diagnostics_json(long long elapsed_ms, double cpu_user_ms, double cpu_system_ms,
                      int powershell_launches) {
  return {{"elapsed_ms", elapsed_ms},
          {"cpu_user_ms", cpu_user_ms},
          {"cpu_system_ms", cpu_system_ms},
          {"powershell_launches", powershell_launches}};
}

json interrupted_json(const std::string& signal, int count) {
  return {{"signal", signal}, {"count", count}, {"undo", count >= 2 ? "skipped" : "done"}};
}

std::string interrupted_text(const std::string& signal, int count, int exit_code) {
  std::string out = "\nInterrupted by " + signal + ": nestvirt stopped at the next safe point";
  if (count >= 2) return out + ", and a second interruption stopped the undo (see what is left).\n";
  if (exit_code == core::kExitChangeIncomplete)
    return out + "; not everything could be put back (see what is left).\n";
  return out + " and put back what this run had changed.\n";
}

std::string final_line(const std::string& text) {
  std::string last, result;
  std::size_t start = 0;
  while (start < text.size()) {
    auto end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    const std::string line = text.substr(start, end - start);
    if (!line.empty()) last = line;
    if (line.rfind("Result:", 0) == 0) result = line;
    start = end + 1;
  }
  const std::string& chosen = result.empty() ? last : result;
  return chosen.empty() ? std::string() : chosen + "\n";
}

std::string document_text(const json& doc) {
  return doc.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

}  // namespace nestvirt::report
