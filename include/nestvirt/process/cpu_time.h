// This process's own CPU time, which excludes PowerShell (a child process): the diagnostics of
// every --json document carry it, and scripts/bench reads it.
#pragma once

namespace nestvirt::process {

struct CpuTime {
  double user_ms = 0;
  double system_ms = 0;
};

CpuTime cpu_time();  // so far; zeros if the system does not say

}  // namespace nestvirt::process
