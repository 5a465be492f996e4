// One side of a parity case: scripts/with-sim + build/nestvirt, or scripts/with-sim-win +
// build-win/nestvirt.exe under wine, with the process runner nestvirt itself uses.
#include <atomic>
#include <chrono>
#include <fstream>
#include <random>
#include <sstream>
#include <thread>

#include "nestvirt/process/child.h"
#include "parity/parity.h"

namespace parity {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

fs::path source_dir() {
  return fs::path(NESTVIRT_SOURCE_DIR);
}

const char* platform_name(Platform platform) {
  return platform == Platform::Linux ? "linux" : "windows";
}

std::string side_value(const std::string& arg, Platform platform) {
  if (arg == "{missing-powershell}") {
    return platform == Platform::Linux ? "/nonexistent/powershell/pwsh"
                                       : "C:\\nonexistent\\PowerShell\\pwsh.exe";
  }
  return arg;
}

namespace {

// A whole run may take this long before the tier ends it (the slowest case takes ~15 s).
constexpr auto kSideLimit = std::chrono::seconds(180);
// After nestvirt has exited, how long the processes of its run may take to be gone: wine ends
// a terminated process's Unix side asynchronously.
constexpr auto kGrace = std::chrono::seconds(5);

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::string unique_marker(const Case& c, Platform platform) {
  static std::atomic<int> counter{0};
  std::random_device rd;
  return c.name + "-" + platform_name(platform) + "-" + std::to_string(rd()) + "-" +
         std::to_string(counter++);
}

bool has(const ProcessInfo& p, const char* text) {
  return p.command_line.find(text) != std::string::npos;
}

}  // namespace

std::vector<ProcessInfo> processes_with_env(const std::string& name, const std::string& value) {
  const std::string wanted = name + "=" + value;
  std::vector<ProcessInfo> found;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator("/proc", ec)) {
    const std::string pid = entry.path().filename().string();
    if (pid.empty() || pid.find_first_not_of("0123456789") != std::string::npos) continue;
    const std::string environ = read_file(entry.path() / "environ");
    bool match = false;
    for (std::size_t at = 0; at < environ.size();) {
      const std::size_t end = std::min(environ.find('\0', at), environ.size());
      if (environ.compare(at, end - at, wanted) == 0) match = true;
      at = end + 1;
    }
    if (!match) continue;
    std::string command_line = read_file(entry.path() / "cmdline");
    for (char& ch : command_line) {
      if (ch == '\0') ch = ' ';
    }
    found.push_back({std::stoi(pid), command_line});
  }
  return found;
}

SideResult run_side(const Case& c, Platform platform, const fs::path& scenario_file,
                    const fs::path& dir) {
  fs::create_directories(dir);
  const fs::path state = dir / "state.json";
  const fs::path root = source_dir();
  std::vector<std::string> argv;
  if (platform == Platform::Linux) {
    argv = {(root / "scripts/with-sim").string(),
            "--state",
            state.string(),
            scenario_file.string(),
            "--",
            (root / "build/nestvirt").string()};
  } else {
    argv = {(root / "scripts/with-sim-win").string(),
            "--state",
            state.string(),
            scenario_file.string(),
            "--",
            (root / "build-win/nestvirt.exe").string()};
  }
  for (const auto& a : c.args) argv.push_back(side_value(a, platform));

  // Every process of this run, the engine's descendants included, inherits this variable.
  const std::string marker = unique_marker(c, platform);
  auto env = c.env;
  env.emplace_back("NESTVIRT_PARITY_RUN", marker);

  SideResult side;
  side.platform = platform;
  std::atomic<bool> done{false};
  std::thread watcher;
  if (c.watch_tree) {
    watcher = std::thread([&] {
      while (!done) {
        for (const auto& p : processes_with_env("NESTVIRT_PARITY_RUN", marker)) {
          // The descendant is the engine too, told to sleep (SimCore.ps1, Start-SimSleeper).
          if (has(p, "Start-Sleep")) {
            side.descendant_seen = true;
          } else if (has(p, "pwsh-host")) {
            side.engine_seen = true;
          }
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      }
    });
  }

  const auto start = Clock::now();
  nestvirt::process::RunResult result = nestvirt::process::run({argv, env}, "", kSideLimit);
  side.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  done = true;
  if (watcher.joinable()) watcher.join();

  side.exited = result.status.kind == nestvirt::process::ExitKind::Exited;
  side.exit_code = side.exited ? result.status.code : -1;
  side.how = nestvirt::process::describe(result.status);
  side.out = std::move(result.out);
  side.err = std::move(result.err);
  if (fs::exists(state)) {
    side.state_after = json::parse(read_file(state), nullptr, false);
    if (side.state_after.is_discarded()) side.state_after = nullptr;
  }

  if (c.watch_tree) {
    const auto until = Clock::now() + kGrace;
    std::vector<ProcessInfo> left;
    for (;;) {
      left = processes_with_env("NESTVIRT_PARITY_RUN", marker);
      if (left.empty() || Clock::now() >= until) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    for (const auto& p : left) {
      side.survivors.push_back(std::to_string(p.pid) + " " + p.command_line);
    }
  }
  return side;
}

}  // namespace parity
