#include "nestvirt/commands/fleet.h"

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>

#include "nestvirt/commands/credentials.h"
#include "nestvirt/commands/diagnostics.h"
#include "nestvirt/core/exit_codes.h"
#include "nestvirt/core/exit_rules.h"
#include "nestvirt/process/child.h"

namespace nestvirt::commands {

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

FleetTargets fleet_targets(const RemoteCliOptions& options) {
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

int fleet_exit_code(const std::vector<HostRun>& runs) {
  std::vector<int> codes;
  for (const auto& r : runs) codes.push_back(r.exit_code);
  return core::combine_exit_codes(codes);
}

json fleet_document(const std::string& command, const std::vector<HostRun>& runs, int exit_code) {
  json doc = envelope(command, exit_code);
  json hosts = json::array();
  for (const auto& r : runs) {
    json entry = json::parse(r.out, nullptr, false);
    if (!entry.is_object()) {
      entry = envelope(command, r.exit_code);
      entry["error"] = {
          {"kind", outcome_name(r.exit_code)},
          {"message",
           r.error.empty() ? "nestvirt for this host printed no JSON document" : r.error},
          {"detail", nullptr}};
    }
    entry["target"] = r.target.text;
    entry["transport"] = core::transport_name(r.target.transport);
    entry["exit_code"] = r.exit_code;
    entry["outcome"] = outcome_name(r.exit_code);
    if (!entry.contains("error")) entry["error"] = nullptr;
    if (entry.contains("diagnostics") && entry["diagnostics"].is_object()) {
      entry["diagnostics"]["host_duration_ms"] = r.duration_ms;
    }
    hosts.push_back(std::move(entry));
  }
  doc["hosts"] = std::move(hosts);
  return doc;
}

std::string fleet_summary(const std::vector<HostRun>& runs, int exit_code) {
  std::size_t width = 0;
  for (const auto& r : runs) width = std::max(width, core::target_label(r.target).size());
  std::string out = "\nHosts\n";
  int ok = 0;
  for (const auto& r : runs) {
    const std::string label = core::target_label(r.target);
    ok += r.exit_code == core::kExitOk;
    out += "  " + label + std::string(width - label.size() + 2, ' ') +
           (r.exit_code == core::kExitOk ? "ok" : outcome_name(r.exit_code)) + " (exit " +
           std::to_string(r.exit_code) + ", " + std::to_string((r.duration_ms + 500) / 1000) +
           " s)" + (r.error.empty() ? "" : ": " + r.error) + "\n";
  }
  out += "Result: " + std::to_string(ok) + " of " + std::to_string(runs.size()) +
         (runs.size() == 1 ? " host" : " hosts") + " ok";
  if (exit_code != core::kExitOk) {
    out += "; exit " + std::to_string(exit_code) + " (" + outcome_name(exit_code) +
           "), the most severe of the hosts'";
  }
  return out + ".\n";
}

int run_fleet(const std::vector<std::string>& args, const std::string& command,
              const GlobalOptions& global, const std::vector<core::Target>& targets) {
  std::ostream& out = *global.io->out;
  std::ostream& err = *global.io->err;
  const Stopwatch stopwatch;
  const std::string self = process::current_executable();
  std::vector<std::pair<std::string, std::string>> env;

  // Guest credentials (net-nat guest, enable --install-hyperv, check --guest): asked once here,
  // not once per host (the hosts' nestvirt have no terminal).
  std::optional<CredentialLookup> lookup;
  bool printing = false;
  bool guest = false;
  for (const auto& a : args) {
    printing |= a == "--print";
    guest |= a == "--install-hyperv" || a == "--guest";
  }
  if ((command == "net-nat guest" || guest) && !printing) {
    lookup = resolve_credentials(read_environment, stdin_is_terminal(), ask_on_terminal);
    if (lookup->credentials) {
      env.emplace_back(kGuestUserVariable, lookup->credentials->user);
      env.emplace_back(kGuestPasswordVariable, lookup->credentials->password);
    }
  }

  std::vector<HostRun> runs(targets.size());
  std::mutex output_lock;
  std::atomic<std::size_t> next{0};
  auto worker = [&] {
    for (std::size_t i = next++; i < targets.size(); i = next++) {
      HostRun& run = runs[i];
      run.target = targets[i];
      const std::string prefix = "[" + core::target_label(run.target) + "] ";
      const auto started = std::chrono::steady_clock::now();
      process::ExitStatus status;
      std::vector<std::string> argv = member_arguments(args, run.target.text);
      argv.front() = self;  // args[0] is what the user typed, maybe not a path
      auto child = process::spawn({argv, env}, status);
      if (!child) {
        run.exit_code = core::kExitInternal;
        run.error = "nestvirt could not start itself (" + self + "): " + status.start_error;
      } else {
        child->close_stdin();  // no prompts: everything a host needs came from here
        std::string pending_err;
        for (;;) {
          std::string ignored;
          // Never found: each call drains stdout and stderr for a moment, then stderr's lines
          // go on with the host's name, as they come.
          const auto io = child->read_until(std::string_view("\x01NESTVIRT-NEVER\x01"), ignored,
                                            process::Clock::now() + std::chrono::milliseconds(200));
          pending_err += child->take_stderr();
          note_error(pending_err, run);
          const std::string lines = prefixed_lines(pending_err, prefix);
          if (!lines.empty()) {
            std::lock_guard<std::mutex> lock(output_lock);
            err << lines << std::flush;
          }
          if (io != process::Child::Io::TimedOut) {
            run.out = ignored + child->take_stdout();
            break;
          }
        }
        status = child->wait(process::Clock::now() + std::chrono::seconds(30));
        pending_err += child->take_stderr() + "\n";
        note_error(pending_err, run);
        const std::string rest = prefixed_lines(pending_err, prefix);
        if (!rest.empty()) {
          std::lock_guard<std::mutex> lock(output_lock);
          err << rest << std::flush;
        }
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
      if (!global.json && !run.out.empty()) {  // a host that never answered has its line below
        std::lock_guard<std::mutex> lock(output_lock);
        out << "== " << core::target_label(run.target) << " ("
            << core::transport_name(run.target.transport) << ") ==\n"
            << run.out << (run.out.back() == '\n' ? "" : "\n") << std::flush;
      }
    }
  };
  const std::size_t workers =
      std::min<std::size_t>(targets.size(), static_cast<std::size_t>(global.remote.parallel));
  std::vector<std::thread> pool;
  for (std::size_t i = 0; i < workers; ++i) pool.emplace_back(worker);
  for (auto& t : pool) t.join();
  if (lookup && lookup->credentials) wipe(lookup->credentials->password);
  for (auto& [name, value] : env) wipe(value);

  const int exit_code = fleet_exit_code(runs);
  if (global.json) {
    json doc = fleet_document(command, runs, exit_code);
    // This process's own cost; each host's nestvirt reports its own in its entry.
    doc["diagnostics"] = stopwatch.json();
    int launched = 0;
    for (const auto& host : doc["hosts"]) {
      if (host.contains("diagnostics"))
        launched += host["diagnostics"].value("powershell_launches", 0);
    }
    doc["diagnostics"]["powershell_launches"] = launched;
    out << doc.dump(2, ' ', false, json::error_handler_t::replace) << "\n";
  } else {
    out << fleet_summary(runs, exit_code);
  }
  return exit_code;
}

}  // namespace nestvirt::commands
