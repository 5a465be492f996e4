// nestvirt's own cost, reported under "diagnostics" in --json output: wall time and this
// process's CPU time, which excludes PowerShell (a child process). scripts/bench reads it.
#pragma once

#include <chrono>

#include <nlohmann/json.hpp>

namespace nestvirt::commands {

class Stopwatch {
 public:
  Stopwatch() : start_(std::chrono::steady_clock::now()) {}
  // {"elapsed_ms", "cpu_user_ms", "cpu_system_ms"} so far.
  nlohmann::json json() const;

 private:
  std::chrono::steady_clock::time_point start_;
};

}  // namespace nestvirt::commands
