// Configuration versions come from Get-VM's Version string ("9.0", "10.0") and from
// Get-VMHostSupportedVersion; they are compared as numbers because "10.0" < "9.3" as text.
#include "nestvirt/core/version.h"

#include <limits>
#include <vector>

namespace nestvirt::core {
namespace {

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

// Surrounding whitespace is tolerated because the text passes through JSON and PowerShell
// output, where a stray CR or space is harmless; whitespace inside ("9 .3") is not.
std::string_view trim(std::string_view text) {
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return text;
}

// One dotted part: ASCII digits only (no sign, no space), and it must fit an int.
std::optional<int> parse_part(std::string_view part) {
  if (part.empty()) return std::nullopt;
  long long value = 0;
  for (char c : part) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
    if (value > std::numeric_limits<int>::max()) return std::nullopt;
  }
  return static_cast<int>(value);
}

}  // namespace

std::optional<Version> Version::parse(std::string_view text) {
  text = trim(text);
  if (text.empty()) return std::nullopt;
  std::vector<int> parts;
  // System.Version has at most four parts; more than that is not a version at all.
  while (true) {
    const auto dot = text.find('.');
    const auto value = parse_part(text.substr(0, dot));
    if (!value) return std::nullopt;
    parts.push_back(*value);
    if (parts.size() > 4) return std::nullopt;
    if (dot == std::string_view::npos) break;
    text.remove_prefix(dot + 1);
  }
  Version version;
  version.major = parts[0];
  version.minor = parts.size() > 1 ? parts[1] : 0;
  return version;
}

std::string Version::str() const {
  return std::to_string(major) + "." + std::to_string(minor);
}

}  // namespace nestvirt::core
