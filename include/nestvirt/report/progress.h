// Progress while waiting for a guest to shut down or a VM to start, on stderr: redrawn in
// place on a terminal, plain lines (at most one every few seconds) when stderr is a file or
// pipe, so CI logs stay readable.
#pragma once

#include <chrono>
#include <cstdio>
#include <string>

namespace nestvirt::report {

class Progress {
 public:
  explicit Progress(std::FILE* out);
  void update(const std::string& vm, const std::string& text, bool final);

 private:
  std::FILE* out_;
  bool terminal_;
  bool drawn_ = false;
  std::string last_;
  std::chrono::steady_clock::time_point last_line_{};
};

}  // namespace nestvirt::report
