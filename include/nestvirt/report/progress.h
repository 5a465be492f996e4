// Progress while waiting for a guest to shut down or a VM to start, on stderr: on a terminal
// one line redrawn in place and cleared when the wait ends; in a file or pipe one line per
// change of state (the seconds counting up are not a change), so CI logs stay readable.
#pragma once

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
  std::string last_;  // the last plain line written, without its numbers
};

}  // namespace nestvirt::report
