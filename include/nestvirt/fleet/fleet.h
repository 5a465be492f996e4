// Several hosts in one run (--host, --hosts-file): each host runs in its own nestvirt process,
// started from this one with the same command and `--target HOST`, at most --parallel at once.
// A process per host keeps hosts apart (one failing, hanging or crashing cannot touch the
// others), gives each its single-host report unchanged, and costs a few milliseconds against
// the seconds a host takes.
#pragma once

#include <string>
#include <vector>

#include "nestvirt/commands/common.h"
#include "nestvirt/core/target.h"

namespace nestvirt::fleet {

// The targets of --host and --hosts-file, in that order, without repeats; usage errors
// (a bad target, an unreadable file, a file without targets) in `errors`.
struct FleetTargets {
  std::vector<core::Target> targets;
  std::vector<std::string> errors;
};
FleetTargets fleet_targets(const commands::RemoteCliOptions& options);

// The arguments one host's nestvirt gets: `args` (args[0] is the program) without --host,
// --hosts-file and --parallel, plus --target TARGET.
std::vector<std::string> member_arguments(const std::vector<std::string>& args,
                                          const std::string& target);

// Runs the command on every host, at most --parallel at once, and prints the fleet's report
// (src/report/fleet.h): each host's stderr as it comes, prefixed with the host.
int run_fleet(const std::vector<std::string>& args, const std::string& command,
              const commands::GlobalOptions& global, const std::vector<core::Target>& targets);

}  // namespace nestvirt::fleet
