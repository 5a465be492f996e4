#include "nestvirt/fleet/fleet.h"

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>

#include "nestvirt/core/exit_codes.h"
#include "nestvirt/core/host_run.h"
#include "nestvirt/process/child.h"
#include "nestvirt/process/cpu_time.h"
#include "nestvirt/process/interrupt.h"
#include "nestvirt/report/envelope.h"
#include "nestvirt/report/fleet.h"

namespace nestvirt::fleet {

using core::HostRun;
using nlohmann::json;

namespace {

bool takes_fleet_value(const std::string& arg) {
  return arg == "--host" || arg == "--hosts-file" || arg == "--parallel";
}
bool is_fleet_assignment(const std::string& arg) {
  return arg.rfind("--host=", 0) == 0 || arg.rfind("--hosts-file=", 0) == 0 ||
         arg.rfind("--parallel=", 0) == 0;
}

std::string read_file(const std::string& name, std::string& error) {
#ifdef _WIN32
  std::ifstream in(std::filesystem::u8path(name), std::ios::binary);
#else
  std::ifstream in(name, std::ios::binary);
#endif
  if (!in) {
    error = "--hosts-file '" + name + "' cannot be read (missing, or no permission)";
    return "";
  }
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

// Lines of `text` with `prefix` before each; an unfinished last line stays in `text`.
std::string prefixed_lines(std::string& text, const std::string& prefix) {
  std::string out;
  std::size_t start = 0;
  for (std::size_t nl = text.find('\n'); nl != std::string::npos; nl = text.find('\n', start)) {
    std::string line = text.substr(start, nl - start);
    // A child's terminal-style progress ("\r...") has no place in a log of many hosts.
    if (const auto cr = line.rfind('\r'); cr != std::string::npos) line = line.substr(cr + 1);
    if (!line.empty()) out += prefix + line + "\n";
    start = nl + 1;
  }
  text.erase(0, start);
  return out;
}

// The host's own error sentence ("nestvirt: The host name ... does not resolve. Check ..."),
// first sentence only, for its line in the summary.
void note_error(const std::string& pending, HostRun& run) {
  if (!run.error.empty()) return;
  const auto at = pending.find("nestvirt: ");
  if (at == std::string::npos) return;
  const auto end = pending.find('\n', at);
  if (end == std::string::npos) return;
  std::string line = pending.substr(at + 10, end - at - 10);
  if (const auto stop = line.find(". "); stop != std::string::npos) line.resize(stop + 1);
  run.error = line;
}

}  // namespace

FleetTargets fleet_targets(const commands::RemoteCliOptions& options) {
  FleetTargets out;
  std::vector<core::Target> all;
  for (const auto& text : options.hosts) {
    core::TargetParse parsed = core::parse_target(text);
    if (parsed.target) {
      all.push_back(std::move(*parsed.target));
    } else {
      out.errors.push_back(parsed.error);
    }
  }
  if (options.hosts_file) {
    std::string error;
    const std::string content = read_file(*options.hosts_file, error);
    if (!error.empty()) {
      out.errors.push_back(error);
    } else {
      core::HostsFileParse parsed = core::parse_hosts_file(content, *options.hosts_file);
      out.errors.insert(out.errors.end(), parsed.errors.begin(), parsed.errors.end());
      if (parsed.targets.empty() && parsed.errors.empty()) {
        out.errors.push_back("--hosts-file '" + *options.hosts_file +
                             "' names no host (one target a line, e.g. ssh://admin@hv1)");
      }
      all.insert(all.end(), parsed.targets.begin(), parsed.targets.end());
    }
  }
  // The same host twice would run two plans against one host at once: once is what was meant.
  for (auto& t : all) {
    bool seen = false;
    for (const auto& kept : out.targets) {
      seen |= kept.transport == t.transport && kept.host == t.host && kept.port == t.port &&
              kept.user == t.user;
    }
    if (!seen) out.targets.push_back(std::move(t));
  }
  return out;
}

std::vector<std::string> member_arguments(const std::vector<std::string>& args,
                                          const std::string& target) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (i > 0 && takes_fleet_value(args[i])) {
      ++i;  // and its value
      continue;
    }
    if (i > 0 && is_fleet_assignment(args[i])) continue;
    out.push_back(args[i]);
  }
  out.push_back("--target");
  out.push_back(target);
  return out;
}

namespace {

// Runs one host's nestvirt to its end: its stderr goes on to `err` line by line with the host's
// name in front, as it comes; its stdout is kept for the report.
void run_host(HostRun& run, const std::vector<std::string>& args, const std::string& self,
              const std::vector<std::pair<std::string, std::string>>& env, std::ostream& err,
              std::mutex& output_lock) {
  const std::string prefix = "[" + core::target_label(run.target) + "] ";
  const auto started = std::chrono::steady_clock::now();
  process::ExitStatus status;
  std::vector<std::string> argv = member_arguments(args, run.target.text);
  argv.front() = self;  // args[0] is what the user typed, maybe not a path
  process::SpawnOptions spawn{argv, env};
  spawn.forward_interrupts = true;
  auto child = process::spawn(spawn, status);
  auto pass_on = [&](std::string& pending) {
    note_error(pending, run);
    const std::string lines = prefixed_lines(pending, prefix);
    if (!lines.empty()) {
      std::lock_guard<std::mutex> lock(output_lock);
      err << lines << std::flush;
    }
  };
  if (!child) {
    run.exit_code = core::kExitInternal;
    run.error = "nestvirt could not start itself (" + self + "): " + status.start_error;
  } else {
    child->close_stdin();  // no prompts: everything a host needs came from here
    std::string pending_err;
    int forwarded = 0;  // interruptions passed on: each host undoes and reports on its own
    for (;;) {
      for (; forwarded < process::interrupt_count(); ++forwarded) child->interrupt();
      std::string ignored;
      // Never found: each call drains stdout and stderr for a moment, then stderr's lines go
      // on with the host's name, as they come.
      const auto io = child->read_until(std::string_view("\x01NESTVIRT-NEVER\x01"), ignored,
                                        process::Clock::now() + std::chrono::milliseconds(200));
      pending_err += child->take_stderr();
      pass_on(pending_err);
      if (io != process::Child::Io::TimedOut) {
        run.out = ignored + child->take_stdout();
        break;
      }
    }
    // Output ended: the host's nestvirt is exiting. An interruption that came just now still
    // reaches it (it may be undoing), and it gets longer to finish then.
    for (; forwarded < process::interrupt_count(); ++forwarded) child->interrupt();
    status = child->wait(process::Clock::now() + std::chrono::seconds(30));
    pending_err += child->take_stderr() + "\n";
    pass_on(pending_err);
    if (status.kind == process::ExitKind::Exited) {
      run.exit_code = status.code;
    } else {
      run.exit_code = core::kExitInternal;
      run.error = "nestvirt for this host " + process::describe(status);
    }
  }
  run.duration_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                        std::chrono::steady_clock::now() - started)
                        .count();
}

}  // namespace

int run_fleet(const std::vector<std::string>& args, const std::string& command,
              const commands::GlobalOptions& global, const std::vector<core::Target>& targets) {
  std::ostream& out = *global.io->out;
  std::ostream& err = *global.io->err;
  const auto started = std::chrono::steady_clock::now();
  const std::string self = process::current_executable();
  std::vector<std::pair<std::string, std::string>> env;

  // Guest credentials (net-nat guest, enable --install-hyperv, check --guest): asked once here,
  // not once per host (the hosts' nestvirt have no terminal), and handed on in their
  // environment.
  bool printing = false;
  bool guest = false;
  for (const auto& a : args) {
    printing |= a == "--print";
    guest |= a == "--install-hyperv" || a == "--guest";
  }
  if ((command == "net-nat guest" || guest) && !printing) {
    std::string error;  // without credentials each host says what is missing itself
    if (auto login = commands::guest_login(global, true, error)) {
      env.emplace_back(core::kGuestUserVariable, login->user);
      env.emplace_back(core::kGuestPasswordVariable, login->password.reveal());
    }
  }

  std::vector<HostRun> runs(targets.size());
  std::mutex output_lock;
  std::atomic<std::size_t> next{0};
  auto worker = [&] {
    for (std::size_t i = next++; i < targets.size(); i = next++) {
      HostRun& run = runs[i];
      run.target = targets[i];
      if (process::interrupt_count() > 0) {  // interrupted before this host's turn came
        run.exit_code = core::kExitInterrupted;
        run.error = "not started: interrupted (" + process::interrupt_name() + ") before its turn";
        continue;
      }
      run_host(run, args, self, env, err, output_lock);
      if (!global.json && !run.out.empty()) {  // a host that never answered has its line below
        std::lock_guard<std::mutex> lock(output_lock);
        out << report::host_heading(run) << run.out << (run.out.back() == '\n' ? "" : "\n")
            << std::flush;
      }
    }
  };
  const std::size_t workers =
      std::min<std::size_t>(targets.size(), static_cast<std::size_t>(global.remote.parallel));
  std::vector<std::thread> pool;
  for (std::size_t i = 0; i < workers; ++i) pool.emplace_back(worker);
  for (auto& t : pool) t.join();
  for (auto& [name, value] : env) core::Secret::take(value);  // the password's copy

  const int exit_code = core::fleet_exit_code(runs);
  if (global.json) {
    json doc = report::fleet_document(command, runs, exit_code);
    // This process's own cost; each host's nestvirt reports its own in its entry.
    int launched = 0;
    for (const auto& host : doc["hosts"]) {
      if (host.contains("diagnostics"))
        launched += host["diagnostics"].value("powershell_launches", 0);
    }
    const auto cpu = process::cpu_time();
    doc["diagnostics"] =
        report::diagnostics_json(std::chrono::duration_cast<std::chrono::milliseconds>(
                                     std::chrono::steady_clock::now() - started)
                                     .count(),
                                 cpu.user_ms, cpu.system_ms, launched);
    if (process::interrupt_count() > 0) {
      doc["interrupted"] =
          report::interrupted_json(process::interrupt_name(), process::interrupt_count());
    }
    out << report::document_text(doc);
  } else {
    out << report::fleet_summary(runs, exit_code);
    if (process::interrupt_count() > 0) {
      out << report::interrupted_text(process::interrupt_name(), process::interrupt_count(),
                                      exit_code);
    }
  }
  return exit_code;
}

}  // namespace nestvirt::fleet
