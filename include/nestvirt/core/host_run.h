// One host of a fleet (--host, --hosts-file): how its own nestvirt process ended. Filled by
// src/fleet/, reported by src/report/fleet.h.
#pragma once

#include <string>
#include <vector>

#include "nestvirt/core/target.h"

namespace nestvirt::core {

struct HostRun {
  Target target;
  int exit_code = 0;
  std::string out;    // its stdout: the text report, or its JSON document
  std::string error;  // set when it ended without a report of its own (crashed, not started)
  long long duration_ms = 0;
};

// The exit code over all hosts: the most severe (combine_exit_codes).
int fleet_exit_code(const std::vector<HostRun>& runs);

}  // namespace nestvirt::core
