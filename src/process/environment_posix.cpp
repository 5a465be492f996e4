#include <cstdlib>

#include "nestvirt/process/environment.h"

namespace nestvirt::process {

std::optional<std::string> read_environment(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr) return std::nullopt;
  return std::string(value);
}

void forget_environment(const char* name) {
  unsetenv(name);
}

}  // namespace nestvirt::process
