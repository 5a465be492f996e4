// Progress while waiting for a guest to shut down, a VM to start or a guest to boot, on the
// error stream (commands::Io::err): on a terminal one line redrawn in place and cleared when the
// wait ends; in a file or pipe one line per change of state (the seconds counting up are not a
// change), so CI logs stay readable.
#pragma once

#include <ostream>
#include <string>

namespace nestvirt::report {

class Progress {
 public:
  Progress(std::ostream& out, bool terminal) : out_(out), terminal_(terminal) {}
  void update(const std::string& vm, const std::string& text, bool final);

 private:
  std::ostream& out_;
  bool terminal_;
  bool drawn_ = false;
  std::string last_;  // the last plain line written, without its numbers
};

}  // namespace nestvirt::report
