// Test helper: nvt_echo_args ARGS... prints the number of arguments after the program name on
// one line, then each argument as "<byte length>:<UTF-8 bytes>\n", so the test can compare
// them exactly whatever they contain. On Windows the arguments come from GetCommandLineW split
// by CommandLineToArgvW (the C runtime's char** argv would be in the ANSI code page).
#include <cstdio>
#include <string>
#include <vector>

#ifdef _WIN32
#include <fcntl.h>
#include <io.h>
#include <windows.h>

#include <shellapi.h>  // after windows.h, which it needs
#endif

namespace {

std::vector<std::string> arguments([[maybe_unused]] int argc, [[maybe_unused]] char** argv) {
  std::vector<std::string> result;
#ifdef _WIN32
  int count = 0;
  LPWSTR* wide = CommandLineToArgvW(GetCommandLineW(), &count);
  for (int i = 1; wide != nullptr && i < count; ++i) {
    const int size = WideCharToMultiByte(CP_UTF8, 0, wide[i], -1, nullptr, 0, nullptr, nullptr);
    std::string utf8(size > 0 ? static_cast<std::size_t>(size) : 1U, '\0');
    WideCharToMultiByte(CP_UTF8, 0, wide[i], -1, utf8.data(), size, nullptr, nullptr);
    utf8.resize(utf8.size() - 1);  // the terminating NUL
    result.push_back(utf8);
  }
  LocalFree(wide);
#else
  for (int i = 1; i < argc; ++i) result.emplace_back(argv[i]);
#endif
  return result;
}

}  // namespace

int main(int argc, char** argv) {
#ifdef _WIN32
  _setmode(_fileno(stdout), _O_BINARY);
#endif
  const std::vector<std::string> args = arguments(argc, argv);
  std::string out = std::to_string(args.size()) + "\n";
  for (const std::string& arg : args) out += std::to_string(arg.size()) + ":" + arg + "\n";
  std::fwrite(out.data(), 1, out.size(), stdout);
  std::fflush(stdout);
  return 0;
}
