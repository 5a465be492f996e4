#include <termios.h>
#include <unistd.h>

#include <iostream>

#include "nestvirt/process/console.h"

namespace nestvirt::process {

bool is_terminal(std::FILE* stream) {
  return isatty(fileno(stream)) == 1;
}

namespace {

// Turns terminal echo off for its lifetime (only when asked to), and back on however the read
// ends.
class EchoOff {
 public:
  explicit EchoOff(bool active) {
    if (active && tcgetattr(STDIN_FILENO, &saved_) == 0) {
      termios quiet = saved_;
      quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
      changed_ = tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet) == 0;
    }
  }
  ~EchoOff() {
    if (changed_) tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_);
  }
  EchoOff(const EchoOff&) = delete;
  EchoOff& operator=(const EchoOff&) = delete;

 private:
  bool changed_ = false;
  termios saved_{};
};

}  // namespace

std::optional<std::string> read_terminal_line(bool echo) {
  std::string line;
  bool got = false;
  {
    EchoOff guard(!echo);
    got = static_cast<bool>(std::getline(std::cin, line));
  }
  if (!got) return std::nullopt;
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

}  // namespace nestvirt::process
