// A fleet's report (--host, --hosts-file): each host's own report as it printed it, then one
// line per host; or one JSON document with every host's document inside (docs/remote.md).
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "nestvirt/core/host_run.h"

namespace nestvirt::report {

// The envelope, hosts[] (each the host's own document plus target, transport, exit_code,
// outcome and error).
nlohmann::json fleet_document(const std::string& command, const std::vector<core::HostRun>& runs,
                              int exit_code);
// The heading before one host's own text report.
std::string host_heading(const core::HostRun& run);
// The closing lines of the text report: one line per host, then the result.
std::string fleet_summary(const std::vector<core::HostRun>& runs, int exit_code);

}  // namespace nestvirt::report
