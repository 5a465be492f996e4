// Test helper: nvt_cat copies stdin to stdout as it arrives (unbuffered), exits 0 at EOF.
#include <cerrno>
#include <cstddef>

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

bool write_all(int fd, const char* data, std::size_t size) {
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
#endif
  static char buffer[64 * 1024];
  for (;;) {
    const long n = raw_read(0, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return 0;
    if (!write_all(1, buffer, static_cast<std::size_t>(n))) return 1;
  }
}
