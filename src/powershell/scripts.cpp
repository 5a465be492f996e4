#include "nestvirt/powershell/scripts.h"

#include <stdexcept>
#include <string>

namespace nestvirt::powershell {

std::string_view script(std::string_view name) {
  for (std::size_t i = 0; i < kEmbeddedScriptCount; ++i) {
    if (kEmbeddedScripts[i].name == name) return kEmbeddedScripts[i].text;
  }
  throw std::logic_error("no embedded PowerShell script named " + std::string(name));
}

}  // namespace nestvirt::powershell
