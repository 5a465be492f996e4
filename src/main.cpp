// Forwards to the command layer, which never exits the process itself (so it can be tested).
#include "nestvirt/cli/cli.h"

#ifdef _WIN32
#include <windows.h>
// windows.h first: shellapi.h needs its types.
#include <shellapi.h>

#include <string>
#include <vector>

// main's char** holds the ANSI code page on Windows, which cannot carry every VM name; take
// the UTF-16 command line and hand the CLI UTF-8, as it gets on other systems.
int main() {
  int argc = 0;
  LPWSTR* wide = CommandLineToArgvW(GetCommandLineW(), &argc);
  if (wide == nullptr) return 1;
  std::vector<std::string> args;
  for (int i = 0; i < argc; ++i) {
    const int size = WideCharToMultiByte(CP_UTF8, 0, wide[i], -1, nullptr, 0, nullptr, nullptr);
    std::string arg(static_cast<std::size_t>(size > 0 ? size : 1), '\0');
    WideCharToMultiByte(CP_UTF8, 0, wide[i], -1, arg.data(), size, nullptr, nullptr);
    arg.resize(arg.find('\0'));
    args.push_back(std::move(arg));
  }
  LocalFree(wide);
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  SetConsoleOutputCP(CP_UTF8);  // reports carry VM names in UTF-8
  return nestvirt::cli::run_cli(argc, argv.data());
}
#else
int main(int argc, char** argv) {
  return nestvirt::cli::run_cli(argc, argv);
}
#endif
