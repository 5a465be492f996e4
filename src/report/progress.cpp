#include "nestvirt/report/progress.h"

namespace nestvirt::report {

namespace {

// The line without its digits: "state Running, 3 s of 300 s" and "..., 4 s of 300 s" are the
// same state.
std::string without_numbers(const std::string& line) {
  std::string out;
  for (const char c : line) {
    if (c < '0' || c > '9') out += c;
  }
  return out;
}

}  // namespace

void Progress::update(const std::string& vm, const std::string& text, bool final) {
  if (final) {
    // The wait is over: the report says what happened, so the waiting line goes.
    if (terminal_ && drawn_) out_ << "\r\033[K";
    drawn_ = false;
    last_.clear();
    out_.flush();
    return;
  }
  const std::string line = vm + ": " + text;
  if (terminal_) {
    out_ << "\r\033[K" << line;
    drawn_ = true;
  } else if (without_numbers(line) != last_) {
    out_ << line << "\n";
    last_ = without_numbers(line);
  }
  out_.flush();
}

}  // namespace nestvirt::report
