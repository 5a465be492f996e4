// What a fuzz target does when a property does not hold: say which and abort, so libFuzzer
// records the input as a crash artifact just as it does for a sanitizer report.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

namespace fuzz {

// Control characters and bytes above 0x7E as \xHH: the detail is often the very text whose
// line breaks and escapes are in question.
inline std::string printable(std::string_view text, std::size_t max_bytes = 600) {
  std::string out;
  if (text.size() > max_bytes) {
    out = "(first " + std::to_string(max_bytes) + " of " + std::to_string(text.size()) + " bytes) ";
    text = text.substr(0, max_bytes);
  }
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x20 && byte < 0x7F && c != '\\') {
      out.push_back(c);
    } else {
      char hex[5];
      std::snprintf(hex, sizeof hex, "\\x%02X", byte);
      out += hex;
    }
  }
  return out;
}

[[noreturn]] inline void property_failed(std::string_view property, std::string_view detail = {}) {
  std::fprintf(stderr, "\n==PROPERTY== %.*s\n", static_cast<int>(property.size()), property.data());
  if (!detail.empty()) {
    const std::string shown = printable(detail);
    std::fprintf(stderr, "==PROPERTY== %s\n", shown.c_str());
  }
  std::abort();
}

inline void require(bool holds, std::string_view property, std::string_view detail = {}) {
  if (!holds) property_failed(property, detail);
}

}  // namespace fuzz
