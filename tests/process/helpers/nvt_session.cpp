// Test helper: a line-oriented conversation partner. For each line read from stdin it writes
// "log:<line>\n" to stderr, then "echo:<line>\n" to stdout. The line "exit N" ends it with
// code N; end of input ends it with 0.
#include <cerrno>
#include <cstddef>
#include <cstdlib>
#include <string>

#ifdef _WIN32
#include <fcntl.h>
#include <io.h>
#else
#include <unistd.h>
#endif

namespace {

long raw_read(int fd, char* data, std::size_t size) {
#ifdef _WIN32
  return _read(fd, data, static_cast<unsigned>(size));
#else
  return static_cast<long>(::read(fd, data, size));
#endif
}

long raw_write(int fd, const char* data, std::size_t size) {
#ifdef _WIN32
  return _write(fd, data, static_cast<unsigned>(size));
#else
  return static_cast<long>(::write(fd, data, size));
#endif
}

bool write_all(int fd, const std::string& text) {
  const char* data = text.data();
  std::size_t size = text.size();
  while (size > 0) {
    const long n = raw_write(fd, data, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data += n;
    size -= static_cast<std::size_t>(n);
  }
  return true;
}

}  // namespace

int main() {
#ifdef _WIN32
  _setmode(0, _O_BINARY);
  _setmode(1, _O_BINARY);
  _setmode(2, _O_BINARY);
#endif
  std::string pending;
  char buffer[4096];
  for (;;) {
    const long n = raw_read(0, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return 0;
    pending.append(buffer, static_cast<std::size_t>(n));
    std::size_t newline;
    while ((newline = pending.find('\n')) != std::string::npos) {
      const std::string line = pending.substr(0, newline);
      pending.erase(0, newline + 1);
      if (line.rfind("exit ", 0) == 0) return std::atoi(line.c_str() + 5);
      if (!write_all(2, "log:" + line + "\n") || !write_all(1, "echo:" + line + "\n")) return 1;
    }
  }
}
