#include <sys/resource.h>

#include "nestvirt/process/cpu_time.h"

namespace nestvirt::process {

CpuTime cpu_time() {
  CpuTime out;
  rusage usage{};
  if (getrusage(RUSAGE_SELF, &usage) == 0) {  // SELF: PowerShell, a child, is not counted
    auto ms = [](const timeval& t) {
      return static_cast<double>(t.tv_sec) * 1000.0 + static_cast<double>(t.tv_usec) / 1000.0;
    };
    out.user_ms = ms(usage.ru_utime);
    out.system_ms = ms(usage.ru_stime);
  }
  return out;
}

}  // namespace nestvirt::process
