// The fixed PowerShell scripts nestvirt sends, compiled in from src/powershell/scripts/*.ps1.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace nestvirt::powershell {

struct EmbeddedScript {
  std::string_view name;  // file name without .ps1
  std::string_view text;
};

extern const EmbeddedScript kEmbeddedScripts[];
extern const std::size_t kEmbeddedScriptCount;

// The script of that name; throws std::logic_error if there is none (a programming error).
std::string_view script(std::string_view name);

}  // namespace nestvirt::powershell
