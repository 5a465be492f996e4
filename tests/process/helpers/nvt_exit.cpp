// Test helper: nvt_exit CODE [STDOUT_TEXT [STDERR_TEXT]] writes the texts as given (no newline
// added) and exits with CODE. With only CODE it is a silent program.
#include <cstdio>
#include <cstdlib>
#include <cstring>

#ifdef _WIN32
#include <fcntl.h>
#include <io.h>
#endif

int main(int argc, char** argv) {
#ifdef _WIN32
  _setmode(_fileno(stdout), _O_BINARY);
  _setmode(_fileno(stderr), _O_BINARY);
#endif
  if (argc < 2) {
    std::fputs("usage: nvt_exit CODE [STDOUT_TEXT [STDERR_TEXT]]\n", stderr);
    return 2;
  }
  if (argc > 2) std::fwrite(argv[2], 1, std::strlen(argv[2]), stdout);
  if (argc > 3) std::fwrite(argv[3], 1, std::strlen(argv[3]), stderr);
  std::fflush(stdout);
  std::fflush(stderr);
  return std::atoi(argv[1]);
}
