// Test helper: nvt_spawn_grandchild [--exit] starts a grandchild that sleeps 30 s holding our
// stdout and stderr, prints "grandchild <pid>\n", then sleeps 30 s itself, or with --exit
// exits 0 at once (leaving the grandchild behind, still holding the pipes).
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <thread>

#ifdef _WIN32
#include <windows.h>
#else
#include <sys/types.h>
#include <unistd.h>
#endif

namespace {

void sleep_long() {
  std::this_thread::sleep_for(std::chrono::seconds(30));
}

long start_grandchild() {
#ifdef _WIN32
  wchar_t self[32768];
  const DWORD length = GetModuleFileNameW(nullptr, self, 32768);
  if (length == 0 || length >= 32768) return -1;
  std::wstring command_line = L"\"" + std::wstring(self, length) + L"\" --grandchild";
  STARTUPINFOW startup;
  std::memset(&startup, 0, sizeof startup);
  startup.cb = sizeof startup;
  PROCESS_INFORMATION info;
  std::memset(&info, 0, sizeof info);
  // Inherits our (inheritable) standard handles: the grandchild keeps the pipes open.
  if (!CreateProcessW(self, command_line.data(), nullptr, nullptr, TRUE, 0, nullptr, nullptr,
                      &startup, &info)) {
    return -1;
  }
  CloseHandle(info.hThread);
  CloseHandle(info.hProcess);
  return static_cast<long>(info.dwProcessId);
#else
  std::fflush(nullptr);
  const pid_t pid = ::fork();
  if (pid == 0) {
    sleep_long();
    ::_exit(0);
  }
  return static_cast<long>(pid);
#endif
}

}  // namespace

int main(int argc, char** argv) {
  const bool exit_at_once = argc > 1 && std::strcmp(argv[1], "--exit") == 0;
  if (argc > 1 && std::strcmp(argv[1], "--grandchild") == 0) {
    sleep_long();
    return 0;
  }
  const long pid = start_grandchild();
  if (pid < 0) {
    std::fputs("cannot start the grandchild\n", stderr);
    return 1;
  }
  std::printf("grandchild %ld\n", pid);
  std::fflush(stdout);
  if (!exit_at_once) sleep_long();
  return 0;
}
