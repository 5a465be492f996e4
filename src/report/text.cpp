#include "nestvirt/report/text.h"

#include <algorithm>
#include <cstdio>

namespace nestvirt::report {

void Rows::add(std::string label, std::string value) {
  rows_.emplace_back(std::move(label), std::move(value));
}

std::string Rows::str() const {
  std::size_t width = 0;
  for (const auto& [label, value] : rows_) width = std::max(width, label.size());
  std::string out;
  for (const auto& [label, value] : rows_) {
    out += std::string(indent_, ' ') + label + std::string(width - label.size() + 2, ' ') + value +
           "\n";
  }
  return out;
}

std::string yes_no_unknown(const std::optional<bool>& value) {
  if (!value) return "unknown";
  return *value ? "yes" : "no";
}

std::string status_word(core::Status status) {
  switch (status) {
    case core::Status::Pass:
      return "PASS";
    case core::Status::Warn:
      return "WARN";
    case core::Status::Fail:
      return "FAIL";
    case core::Status::Unknown:
      break;
  }
  return "UNKNOWN";
}

std::string finding_block(const core::Finding& f) {
  std::string word = status_word(f.status);
  std::string out = "  " + word + std::string(9 - word.size(), ' ');
  if (!f.vm.empty()) out += "[" + f.vm + "] ";
  out += f.title + ": " + f.seen + "\n";
  if (f.status != core::Status::Pass) {
    const std::string pad(11, ' ');
    if (!f.needed.empty()) out += pad + "needed: " + f.needed + "\n";
    if (!f.fix.empty()) out += pad + "fix:    " + f.fix + "\n";
  }
  return out;
}

std::string finding_counts(const std::vector<core::Finding>& findings) {
  int fail = 0, warn = 0, unknown = 0, pass = 0;
  for (const auto& f : findings) {
    switch (f.status) {
      case core::Status::Fail:
        ++fail;
        break;
      case core::Status::Warn:
        ++warn;
        break;
      case core::Status::Unknown:
        ++unknown;
        break;
      case core::Status::Pass:
        ++pass;
        break;
    }
  }
  auto part = [](int n, const char* one, const char* many) {
    return std::to_string(n) + " " + (n == 1 ? one : many);
  };
  std::string out = part(fail, "failed", "failed") + ", " + part(warn, "warning", "warnings");
  if (unknown > 0) out += ", " + part(unknown, "unknown", "unknown");
  return out + ", " + part(pass, "passed", "passed");
}

std::string format_bytes(int64_t bytes) {
  // Binary units, as Hyper-V counts memory, and the same words as the findings use.
  constexpr int64_t kMiB = 1024 * 1024;
  if (bytes > 0 && bytes % (1024 * kMiB) == 0)
    return std::to_string(bytes / (1024 * kMiB)) + " GiB";
  if (bytes > 0 && bytes % kMiB == 0) return std::to_string(bytes / kMiB) + " MiB";
  return std::to_string(bytes) + " bytes";
}

}  // namespace nestvirt::report
