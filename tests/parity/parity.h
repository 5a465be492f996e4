// The Windows parity tier (docs/ARCHITECTURE.md, "Windows build"): each case runs one nestvirt
// command twice, with the Linux build (scripts/with-sim) and with build-win/nestvirt.exe under
// wine (scripts/with-sim-win), each against its own copy of the same simulated host, and both
// talk to the real PowerShell 7.6.9 engine. Both runs must give the expected exit code, the same
// cmdlet calls, the same end state and the same --json report, ids, times and durations aside.
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace parity {

using nlohmann::json;

struct Case {
  std::string name;
  std::string scenario;  // tests/hyperv-sim/scenarios/<scenario>.json
  // nestvirt's arguments, the same on both sides except the tokens of side_value().
  std::vector<std::string> args;
  int exit_code = 0;                                     // what both runs must exit with
  std::function<void(json&)> setup;                      // changes to the scenario before both runs
  std::vector<std::pair<std::string, std::string>> env;  // extra environment for nestvirt
  // A hang whose engine started a descendant: both must have been seen running during the
  // run, and no process of the run may be left afterwards.
  bool watch_tree = false;
  // PowerShell cannot start: nothing may be logged (every other case must log calls).
  bool no_powershell = false;
  // JSON pointers into the --json report whose values legitimately differ between the systems
  // (an operating system's own error text).
  std::vector<std::string> report_ignore;

  Case(std::string case_name, std::string scenario_name, std::vector<std::string> arguments,
       int expected_exit_code)
      : name(std::move(case_name)),
        scenario(std::move(scenario_name)),
        args(std::move(arguments)),
        exit_code(expected_exit_code) {}
  Case&& with_setup(std::function<void(json&)> fn) && {
    setup = std::move(fn);
    return std::move(*this);
  }
  Case&& with_env(std::vector<std::pair<std::string, std::string>> vars) && {
    env = std::move(vars);
    return std::move(*this);
  }
  Case&& watching_tree() && {
    watch_tree = true;
    return std::move(*this);
  }
  Case&& without_powershell() && {
    no_powershell = true;
    return std::move(*this);
  }
  Case&& ignoring(std::string pointer) && {
    report_ignore.push_back(std::move(pointer));
    return std::move(*this);
  }
};

const std::vector<Case>& cases();

enum class Platform { Linux, Windows };
const char* platform_name(Platform platform);

// "{missing-powershell}" in a case's arguments: a PowerShell path that does not exist, in the
// form each system uses.
std::string side_value(const std::string& arg, Platform platform);

struct SideResult {
  Platform platform = Platform::Linux;
  bool exited = false;  // false: did not start, or was ended by the tier's own time limit
  int exit_code = -1;
  std::string how;  // the runner's words for how it ended
  std::string out;
  std::string err;
  json state_after;  // null if the state file could not be read
  double seconds = 0;
  // watch_tree only: what was seen running during the run, and what was left after it.
  bool engine_seen = false;
  bool descendant_seen = false;  // the engine the hang fault started ("Start-Sleep")
  std::vector<std::string> survivors;
};

// Runs the case on one side. `scenario_file` is the case's state; `dir` a folder for this side.
SideResult run_side(const Case& c, Platform platform, const std::filesystem::path& scenario_file,
                    const std::filesystem::path& dir);

// Processes whose environment holds NAME=VALUE exactly (any user's we may read): a run's own
// marker variable finds the run's processes whatever their parent, which under wine is not
// nestvirt.exe (wine starts Windows processes detached from their Unix parent).
struct ProcessInfo {
  int pid;
  std::string command_line;
};
std::vector<ProcessInfo> processes_with_env(const std::string& name, const std::string& value);

// What is compared: each side's run reduced to what must be equal (normalise.cpp).
struct Comparable {
  json calls;   // this run's calls log without pid, time, seq, child_pid
  json state;   // the end state without its calls log
  json report;  // stdout as JSON, durations dropped (or the text, line ends normalised)
};
Comparable comparable(const json& state_before, const SideResult& side,
                      const std::vector<std::string>& report_ignore);

// Human-readable differences between two documents (at most `limit` lines).
std::vector<std::string> differences(const json& linux_doc, const json& windows_doc,
                                     std::size_t limit = 12);

std::filesystem::path source_dir();

}  // namespace parity
