// nestvirt_parity [--jobs N] [--keep] [NAME...]: runs the parity cases (cases.cpp), or those
// whose name contains one of NAME, and prints one line per case, the differences of a failed
// one, and "N passed, N failed". Each case runs its Linux and its Windows side at the same time;
// --jobs runs that many cases at once. Needs build/nestvirt, build-win/nestvirt.exe and the two
// engines; scripts/windows-parity sets up the wine prefix and runs it.
#include <algorithm>
#include <atomic>
#include <cstdio>
#include <fstream>
#include <future>
#include <iostream>
#include <mutex>
#include <random>
#include <thread>

#include "parity/parity.h"

namespace fs = std::filesystem;
using parity::Case;
using parity::json;
using parity::Platform;
using parity::SideResult;

namespace {

std::string first_lines(const std::string& text, std::size_t lines) {
  std::string out;
  std::size_t at = 0;
  for (std::size_t n = 0; n < lines && at < text.size(); ++n) {
    const std::size_t end = std::min(text.find('\n', at), text.size());
    out += "        " + text.substr(at, end - at) + "\n";
    at = end + 1;
  }
  return out;
}

std::string describe_side(const SideResult& side) {
  return std::string(parity::platform_name(side.platform)) + ": " + side.how + "\n" +
         first_lines(side.err, 8);
}

bool hang_started_child(const json& state) {
  if (!state.is_object() || !state.contains("calls")) return false;
  for (const auto& call : state["calls"]) {
    if (call.contains("child_pid")) return true;
  }
  return false;
}

// Everything wrong with a case, empty if it passed.
std::vector<std::string> check(const Case& c, const json& scenario, const SideResult& lin,
                               const SideResult& win) {
  std::vector<std::string> problems;
  for (const SideResult* side : {&lin, &win}) {
    if (!side->exited || side->exit_code != c.exit_code) {
      problems.push_back("exit code: expected " + std::to_string(c.exit_code) + ", " +
                         describe_side(*side));
    }
    if (side->state_after.is_null()) {
      problems.push_back(std::string(parity::platform_name(side->platform)) +
                         ": no readable state file");
    }
  }
  if (lin.exit_code != win.exit_code) {
    problems.push_back("exit codes differ: linux " + std::to_string(lin.exit_code) + ", windows " +
                       std::to_string(win.exit_code));
  }
  const parity::Comparable a = parity::comparable(scenario, lin, c.report_ignore);
  const parity::Comparable b = parity::comparable(scenario, win, c.report_ignore);
  auto compare = [&](const char* what, const json& x, const json& y) {
    if (x == y) return;
    problems.push_back(std::string(what) + " differ:");
    for (const auto& line : parity::differences(x, y)) problems.push_back("  " + line);
  };
  compare("cmdlet calls", a.calls, b.calls);
  compare("end states", a.state, b.state);
  compare("reports", a.report, b.report);
  if (c.no_powershell) {
    if (!a.calls.empty() || !b.calls.empty()) problems.push_back("calls logged, none expected");
  } else if (a.calls.empty()) {
    problems.push_back("no calls logged: the case proves nothing");
  }

  if (c.watch_tree) {
    for (const SideResult* side : {&lin, &win}) {
      const std::string name = parity::platform_name(side->platform);
      // The hang was reached and started its descendant, and both were seen running:
      // otherwise "nothing left afterwards" would prove nothing.
      if (!hang_started_child(side->state_after)) {
        problems.push_back(name + ": the hang fault never started its descendant");
      }
      if (!side->engine_seen || !side->descendant_seen) {
        problems.push_back(name +
                           ": not seen running: " + (side->engine_seen ? "" : "the engine ") +
                           (side->descendant_seen ? "" : "its descendant"));
      }
      for (const auto& p : side->survivors) problems.push_back(name + ": left running: " + p);
    }
  }
  return problems;
}

struct Outcome {
  bool passed = false;
  std::string text;
};

Outcome run_case(const Case& c, const fs::path& work, bool keep) {
  const fs::path dir = work / c.name;
  fs::create_directories(dir);
  json scenario = json::parse(
      std::ifstream(parity::source_dir() / "tests/hyperv-sim/scenarios" / (c.scenario + ".json")));
  if (c.setup) c.setup(scenario);
  const fs::path scenario_file = dir / "scenario.json";
  std::ofstream(scenario_file) << scenario.dump(2);

  // Both sides at once: the Windows one is the slow one (wine, a .NET engine started cold).
  auto linux_side = std::async(std::launch::async, [&] {
    return parity::run_side(c, Platform::Linux, scenario_file, dir / "linux");
  });
  SideResult win = parity::run_side(c, Platform::Windows, scenario_file, dir / "windows");
  SideResult lin = linux_side.get();

  const auto problems = check(c, scenario, lin, win);
  Outcome outcome;
  outcome.passed = problems.empty();
  char head[160];
  std::snprintf(head, sizeof head, "%-4s %-36s exit %d  linux %5.1f s  windows %5.1f s\n",
                outcome.passed ? "ok" : "FAIL", c.name.c_str(), win.exit_code, lin.seconds,
                win.seconds);
  outcome.text = head;
  for (const auto& p : problems) outcome.text += "     " + p + "\n";
  if (!outcome.passed) outcome.text += "     (both runs' files: " + dir.string() + ")\n";
  if (outcome.passed && !keep) fs::remove_all(dir);
  return outcome;
}

}  // namespace

int main(int argc, char** argv) {
  unsigned jobs = 1;
  bool keep = false;
  std::vector<std::string> filters;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--jobs" && i + 1 < argc) {
      jobs = static_cast<unsigned>(std::max(1, std::atoi(argv[++i])));
    } else if (arg == "--keep") {
      keep = true;
    } else if (arg == "--list") {
      for (const auto& c : parity::cases()) std::cout << c.name << "\n";
      return 0;
    } else if (!arg.empty() && arg[0] == '-') {
      std::cerr << "usage: nestvirt_parity [--jobs N] [--keep] [--list] [NAME...]\n";
      return 2;
    } else {
      filters.push_back(arg);
    }
  }

  std::vector<const Case*> selected;
  for (const auto& c : parity::cases()) {
    bool wanted = filters.empty();
    for (const auto& f : filters) wanted |= c.name.find(f) != std::string::npos;
    if (wanted) selected.push_back(&c);
  }
  std::random_device rd;
  const fs::path work = fs::temp_directory_path() / ("nestvirt-parity-" + std::to_string(rd()));
  fs::create_directories(work);

  std::atomic<std::size_t> next{0};
  std::atomic<int> passed{0};
  std::atomic<int> failed{0};
  std::mutex print;
  auto worker = [&] {
    for (std::size_t i = next++; i < selected.size(); i = next++) {
      Outcome o;
      try {
        o = run_case(*selected[i], work, keep);
      } catch (const std::exception& e) {
        o.text = "FAIL " + selected[i]->name + ": " + e.what() + "\n";
      }
      (o.passed ? passed : failed)++;
      std::lock_guard<std::mutex> lock(print);
      std::cout << o.text << std::flush;
    }
  };
  std::vector<std::thread> workers;
  for (unsigned j = 0; j < jobs; ++j) workers.emplace_back(worker);
  for (auto& w : workers) w.join();
  if (failed == 0 && !keep) fs::remove_all(work);

  std::cout << passed << " passed, " << failed << " failed\n";
  return failed == 0 && passed > 0 ? 0 : 1;
}
