#include <windows.h>

#include "nestvirt/process/cpu_time.h"

namespace nestvirt::process {

CpuTime cpu_time() {
  CpuTime out;
  FILETIME created, exited, kernel, user;
  if (GetProcessTimes(GetCurrentProcess(), &created, &exited, &kernel, &user)) {
    auto ms = [](const FILETIME& t) {
      const ULONGLONG ticks = (static_cast<ULONGLONG>(t.dwHighDateTime) << 32) | t.dwLowDateTime;
      return static_cast<double>(ticks) / 10000.0;  // 100 ns ticks
    };
    out.user_ms = ms(user);
    out.system_ms = ms(kernel);
  }
  return out;
}

}  // namespace nestvirt::process
