// Several hosts in one run (--host, --hosts-file): each host runs in its own nestvirt process,
// started from this one with the same command and `--target HOST`, at most --parallel at once.
// A process per host keeps hosts apart (one failing, hanging or crashing cannot touch the
// others), gives each its single-host report unchanged, and costs a few milliseconds against
// the seconds a host takes.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "nestvirt/commands/common.h"
#include "nestvirt/core/target.h"

namespace nestvirt::commands {

// The targets of --host and --hosts-file, in that order, without repeats; usage errors
// (a bad target, an unreadable file, a file without targets) in `errors`.
struct FleetTargets {
  std::vector<core::Target> targets;
  std::vector<std::string> errors;
};
FleetTargets fleet_targets(const RemoteCliOptions& options);

// The arguments one host's nestvirt gets: `args` (args[0] is the program) without --host,
// --hosts-file and --parallel, plus --target TARGET.
std::vector<std::string> member_arguments(const std::vector<std::string>& args,
                                          const std::string& target);

struct HostRun {
  core::Target target;
  int exit_code = 0;
  std::string out;    // its stdout: the text report, or its JSON document
  std::string error;  // set when it ended without a report of its own (crashed, not started)
  long long duration_ms = 0;
};

// The fleet's --json document: the envelope, hosts[] (each the host's own document plus
// target, transport, exit_code, outcome and error), and the exit code over all hosts.
nlohmann::json fleet_document(const std::string& command, const std::vector<HostRun>& runs,
                              int exit_code);
// The closing lines of the text report: one line per host, then the result.
std::string fleet_summary(const std::vector<HostRun>& runs, int exit_code);
int fleet_exit_code(const std::vector<HostRun>& runs);

// Runs the command on every host and prints the fleet's report.
int run_fleet(const std::vector<std::string>& args, const std::string& command,
              const GlobalOptions& global, const std::vector<core::Target>& targets);

}  // namespace nestvirt::commands
