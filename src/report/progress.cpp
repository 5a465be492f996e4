#include "nestvirt/report/progress.h"

#ifdef _WIN32
#include <io.h>
#define NESTVIRT_ISATTY(f) _isatty(_fileno(f))
#else
#include <unistd.h>
#define NESTVIRT_ISATTY(f) isatty(fileno(f))
#endif

namespace nestvirt::report {

Progress::Progress(std::FILE* out) : out_(out), terminal_(NESTVIRT_ISATTY(out) != 0) {}

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
    if (terminal_ && drawn_) std::fputs("\r\033[K", out_);
    drawn_ = false;
    last_.clear();
    std::fflush(out_);
    return;
  }
  const std::string line = vm + ": " + text;
  if (terminal_) {
    std::fprintf(out_, "\r\033[K%s", line.c_str());
    drawn_ = true;
  } else if (without_numbers(line) != last_) {
    std::fprintf(out_, "%s\n", line.c_str());
    last_ = without_numbers(line);
  }
  std::fflush(out_);
}

}  // namespace nestvirt::report
