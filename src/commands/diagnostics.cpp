#include "nestvirt/commands/diagnostics.h"

#ifdef _WIN32
#include <windows.h>
#else
#include <sys/resource.h>
#endif

namespace nestvirt::commands {

nlohmann::json Stopwatch::json() const {
  using std::chrono::duration_cast;
  using std::chrono::milliseconds;
  const auto elapsed = duration_cast<milliseconds>(std::chrono::steady_clock::now() - start_);
  double user_ms = 0;
  double system_ms = 0;
#ifdef _WIN32
  FILETIME created, exited, kernel, user;
  if (GetProcessTimes(GetCurrentProcess(), &created, &exited, &kernel, &user)) {
    auto ms = [](const FILETIME& t) {
      const ULONGLONG ticks = (static_cast<ULONGLONG>(t.dwHighDateTime) << 32) | t.dwLowDateTime;
      return static_cast<double>(ticks) / 10000.0;  // 100 ns ticks
    };
    user_ms = ms(user);
    system_ms = ms(kernel);
  }
#else
  rusage usage{};
  if (getrusage(RUSAGE_SELF, &usage) == 0) {  // SELF: PowerShell, a child, is not counted
    auto ms = [](const timeval& t) {
      return static_cast<double>(t.tv_sec) * 1000.0 + static_cast<double>(t.tv_usec) / 1000.0;
    };
    user_ms = ms(usage.ru_utime);
    system_ms = ms(usage.ru_stime);
  }
#endif
  return {{"elapsed_ms", elapsed.count()}, {"cpu_user_ms", user_ms}, {"cpu_system_ms", system_ms}};
}

}  // namespace nestvirt::commands
