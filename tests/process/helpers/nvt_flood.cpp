// Test helper: nvt_flood OUT_BYTES ERR_BYTES reads all of stdin while writing OUT_BYTES of a
// pattern to stdout and ERR_BYTES of another to stderr, interleaved in 16 KiB pieces, with
// blocking I/O: it stalls whenever its parent neither reads nor writes. At the end it appends
// "\nstdin <byte count> <FNV-1a 64 of stdin, 16 hex digits>\n" to stderr.
// Patterns (bytes of every value, \r \n \x1a \0 included): stdout byte i is i % 251, stderr
// byte i is (i % 241) ^ 0x5a.
#include <cerrno>
#include <cinttypes>
#include <cstdint>
#include <cstdio>
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

constexpr std::size_t kPiece = 16 * 1024;

}  // namespace

int main(int argc, char** argv) {
#ifdef _WIN32
  _setmode(0, _O_BINARY);
  _setmode(1, _O_BINARY);
  _setmode(2, _O_BINARY);
#endif
  if (argc < 3) return 2;
  const auto out_total = static_cast<std::size_t>(std::strtoull(argv[1], nullptr, 10));
  const auto err_total = static_cast<std::size_t>(std::strtoull(argv[2], nullptr, 10));
  std::size_t out_done = 0;
  std::size_t err_done = 0;
  std::uint64_t in_count = 0;
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  bool in_open = true;
  std::string piece;
  char buffer[kPiece];
  while (in_open || out_done < out_total || err_done < err_total) {
    if (in_open) {
      const long n = raw_read(0, buffer, sizeof buffer);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        in_open = false;
      } else {
        for (long i = 0; i < n; ++i) {
          hash ^= static_cast<unsigned char>(buffer[i]);
          hash *= 0x100000001b3ULL;
        }
        in_count += static_cast<std::uint64_t>(n);
      }
    }
    if (out_done < out_total) {
      piece.clear();
      for (std::size_t i = out_done; i < out_total && piece.size() < kPiece; ++i) {
        piece.push_back(static_cast<char>(i % 251));
      }
      if (!write_all(1, piece.data(), piece.size())) return 1;
      out_done += piece.size();
    }
    if (err_done < err_total) {
      piece.clear();
      for (std::size_t i = err_done; i < err_total && piece.size() < kPiece; ++i) {
        piece.push_back(static_cast<char>((i % 241) ^ 0x5a));
      }
      if (!write_all(2, piece.data(), piece.size())) return 1;
      err_done += piece.size();
    }
  }
  char summary[64];
  const int length = std::snprintf(summary, sizeof summary, "\nstdin %" PRIu64 " %016" PRIx64 "\n",
                                   in_count, hash);
  if (length < 0 || !write_all(2, summary, static_cast<std::size_t>(length))) return 1;
  return 0;
}
