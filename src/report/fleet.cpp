#include "nestvirt/report/fleet.h"

#include <algorithm>

#include "nestvirt/core/exit_codes.h"
#include "nestvirt/report/envelope.h"

namespace nestvirt::report {

using nlohmann::json;

json fleet_document(const std::string& command, const std::vector<core::HostRun>& runs,
                    int exit_code) {
  json doc = envelope(command, exit_code);
  json hosts = json::array();
  for (const auto& r : runs) {
    json entry = json::parse(r.out, nullptr, false);
    if (!entry.is_object()) {
      entry = envelope(command, r.exit_code);
      entry["error"] = {
          {"kind", outcome_name(r.exit_code)},
          {"message",
           r.error.empty() ? "nestvirt for this host printed no JSON document" : r.error},
          {"detail", nullptr}};
    }
    entry["target"] = r.target.text;
    entry["transport"] = core::transport_name(r.target.transport);
    entry["exit_code"] = r.exit_code;
    entry["outcome"] = outcome_name(r.exit_code);
    if (!entry.contains("error")) entry["error"] = nullptr;
    if (entry.contains("diagnostics") && entry["diagnostics"].is_object()) {
      entry["diagnostics"]["host_duration_ms"] = r.duration_ms;
    }
    hosts.push_back(std::move(entry));
  }
  doc["hosts"] = std::move(hosts);
  return doc;
}

std::string host_heading(const core::HostRun& run) {
  return "== " + core::target_label(run.target) + " (" +
         core::transport_name(run.target.transport) + ") ==\n";
}

std::string fleet_summary(const std::vector<core::HostRun>& runs, int exit_code) {
  std::size_t width = 0;
  for (const auto& r : runs) width = std::max(width, core::target_label(r.target).size());
  std::string out = "\nHosts\n";
  int ok = 0;
  for (const auto& r : runs) {
    const std::string label = core::target_label(r.target);
    ok += r.exit_code == core::kExitOk;
    out += "  " + label + std::string(width - label.size() + 2, ' ') +
           (r.exit_code == core::kExitOk ? "ok" : outcome_name(r.exit_code)) + " (exit " +
           std::to_string(r.exit_code) + ", " + std::to_string((r.duration_ms + 500) / 1000) +
           " s)" + (r.error.empty() ? "" : ": " + r.error) + "\n";
  }
  out += "Result: " + std::to_string(ok) + " of " + std::to_string(runs.size()) +
         (runs.size() == 1 ? " host" : " hosts") + " ok";
  if (exit_code != core::kExitOk) {
    out += "; exit " + std::to_string(exit_code) + " (" + outcome_name(exit_code) +
           "), the most severe of the hosts'";
  }
  return out + ".\n";
}

}  // namespace nestvirt::report
