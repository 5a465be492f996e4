#include <io.h>
#include <windows.h>

#include <iostream>

#include "nestvirt/process/console.h"

namespace nestvirt::process {

bool is_terminal(std::FILE* stream) {
  return _isatty(_fileno(stream)) != 0;
}

namespace {

// Turns console echo off for its lifetime (only when asked to), and back on however the read
// ends.
class EchoOff {
 public:
  explicit EchoOff(bool active) {
    if (!active) return;
    handle_ = GetStdHandle(STD_INPUT_HANDLE);
    if (handle_ != INVALID_HANDLE_VALUE && GetConsoleMode(handle_, &mode_)) {
      changed_ = SetConsoleMode(handle_, mode_ & ~static_cast<DWORD>(ENABLE_ECHO_INPUT)) != 0;
    }
  }
  ~EchoOff() {
    if (changed_) SetConsoleMode(handle_, mode_);
  }
  EchoOff(const EchoOff&) = delete;
  EchoOff& operator=(const EchoOff&) = delete;

 private:
  bool changed_ = false;
  HANDLE handle_ = INVALID_HANDLE_VALUE;
  DWORD mode_ = 0;
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
