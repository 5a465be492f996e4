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

void Progress::update(const std::string& vm, const std::string& text, bool final) {
  if (final) {
    if (terminal_ && drawn_) std::fputs("\n", out_);
    drawn_ = false;
    last_.clear();
    return;
  }
  const std::string line = vm + ": " + text;
  if (terminal_) {
    std::fprintf(out_, "\r\033[K%s", line.c_str());
    drawn_ = true;
  } else {
    // Plain lines: the first, then one every 10 s, so a 300 s wait is 30 lines at most.
    const auto now = std::chrono::steady_clock::now();
    if (last_.empty() || now - last_line_ >= std::chrono::seconds(10)) {
      std::fprintf(out_, "%s\n", line.c_str());
      last_line_ = now;
    }
    last_ = line;
  }
  std::fflush(out_);
}

}  // namespace nestvirt::report
