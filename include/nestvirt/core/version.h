// VM configuration versions ("9.3", "10.0") compared as numbers, never as strings:
// as strings "10.0" < "9.3".
#pragma once

#include <compare>
#include <optional>
#include <string>
#include <string_view>

namespace nestvirt::core {

struct Version {
  int major = 0;
  int minor = 0;

  // Accepts "M", "M.N" (and ignores further ".x" parts, as [version] would compare them
  // after M.N only when those are equal, which never matters for configuration versions).
  static std::optional<Version> parse(std::string_view text);
  std::string str() const;  // "9.3"

  auto operator<=>(const Version&) const = default;
};

}  // namespace nestvirt::core
