// Test helper: nvt_raise SIGNAL raises the signal against itself (the POSIX tests expect it to
// end the process with that signal). The default action is restored first: a sanitizer build
// installs its own SIGSEGV handler, which would turn the signal into an exit code.
// Exits 99 if it survives.
#include <csignal>
#include <cstdlib>

int main(int argc, char** argv) {
  if (argc < 2) return 2;
  const int signal = std::atoi(argv[1]);
  std::signal(signal, SIG_DFL);
  std::raise(signal);
  return 99;
}
