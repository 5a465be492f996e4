// Every suggested fix works: for every scenario, the nestvirt commands that check, enable,
// disable, net-spoof and net-nat suggest (each finding's fix_command) are run as suggested on
// the same state, and must get past what they were suggested for. A fix that leads to the next
// refusal is what users trip on (issue 9, "Every suggested fix works").
#include <algorithm>
#include <atomic>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <thread>

#include "catch.h"
#include "e2e/support.h"

using nlohmann::json;
namespace fs = std::filesystem;

namespace {

// A suggested command line as PowerShell reads it: words split at spaces, '...' one word with
// '' inside meaning one quote. The leading "nestvirt" is the program itself.
std::vector<std::string> argv_of(const std::string& line) {
  std::vector<std::string> out;
  std::string word;
  bool quoted = false, any = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '\'' && i + 1 < line.size() && line[i + 1] == '\'') {
        word += '\'';
        ++i;
      } else if (c == '\'') {
        quoted = false;
      } else {
        word += c;
      }
    } else if (c == '\'') {
      quoted = any = true;
    } else if (c == ' ') {
      if (any || !word.empty()) out.push_back(word);
      word.clear();
      any = false;
    } else {
      word += c;
    }
  }
  if (any || !word.empty()) out.push_back(word);
  REQUIRE_FALSE(quoted);
  REQUIRE(!out.empty());
  REQUIRE(out.front() == "nestvirt");
  out.erase(out.begin());
  return out;
}

using Env = std::vector<std::pair<std::string, std::string>>;

// Where a fix was suggested: the finding, its VM, and whether it was a refusal (then the same
// id must be gone) or a check finding (then the fix must not be refused for that VM at all).
struct Suggested {
  std::string source;  // the command that suggested it
  std::string id;
  std::string vm;
  bool refusal = false;
  // net-nat guest's refusals: the command that was refused and its credentials. When the fix
  // is another command (net-nat --connect-vm ...), that command runs again on the state the
  // fix left, and must get past the refusal.
  std::vector<std::string> refused_args;
  Env env;
};

void collect(const json& findings, const std::string& source, bool refusal,
             std::map<std::string, std::vector<Suggested>>& out, const Suggested& from = {}) {
  if (!findings.is_array()) return;
  for (const auto& f : findings) {
    const std::string fix = f["fix"].is_string() ? f["fix"].get<std::string>() : "";
    if (!f.contains("fix_command") || f["fix_command"].is_null()) {
      // A nestvirt command line in the text must be machine-readable as fix_command too.
      INFO(source << ": " << f["id"] << ": " << fix);
      CHECK(fix.find("nestvirt enable --vm") == std::string::npos);
      CHECK(fix.find("nestvirt net-nat --") == std::string::npos);
      continue;
    }
    const std::string command = f["fix_command"];
    INFO(source << ": " << f["id"]);
    CHECK(fix.find(command) != std::string::npos);  // the text shows the same command
    Suggested s = from;
    s.source = source;
    s.id = f["id"];
    s.vm = f["vm"].is_string() ? f["vm"].get<std::string>() : "";
    s.refusal = refusal;
    out[command].push_back(s);
  }
}

std::vector<std::string> vm_ids(const json& state) {
  std::vector<std::string> out;
  for (const auto& vm : state["vms"]) out.push_back(vm["id"]);
  return out;
}

// The findings a command's document reports, by kind of document.
void collect_doc(const json& doc, const std::string& source,
                 std::map<std::string, std::vector<Suggested>>& out, const Suggested& from) {
  collect(doc.value("findings", json()), source, false, out);  // check
  collect(doc.value("host_findings", json()), source, false, out);
  collect(doc.value("refusals", json()), source, true, out, from);  // net-nat, net-nat guest
  collect(doc.value("warnings", json()), source, false, out);
  if (doc.contains("vms") && doc["vms"].is_array()) {
    for (const auto& vm : doc["vms"]) {
      collect(vm.value("refusals", json()), source, true, out);
      collect(vm.value("warnings", json()), source, false, out);
    }
  }
}

// Whether `doc` (the fix's own report) still refuses `s`.
bool still_refused(const json& doc, const Suggested& s) {
  auto has = [&](const json& list) {
    if (!list.is_array()) return false;
    for (const auto& f : list) {
      if (f["id"] == s.id && (s.vm.empty() || f["vm"] == s.vm)) return true;
    }
    return false;
  };
  if (has(doc.value("refusals", json()))) return true;
  if (!doc.contains("vms")) return false;
  for (const auto& vm : doc["vms"]) {
    if (has(vm.value("refusals", json()))) return true;
    // A check finding's fix must go through for its VM, whatever else it reports.
    if (!s.refusal && vm["name"] == s.vm &&
        (vm["result"] == "refused" || vm["result"] == "not-found"))
      return true;
  }
  return false;
}

// One nestvirt run on a fresh copy of a scenario; stdout is kept, and the state it left only
// when a refused command must run again on it (every run starts from the scenario, as a
// suggested fix would).
struct Job {
  std::string scenario;
  std::vector<std::string> args;
  nestvirt::process::RunResult result;
  Env env;
  bool keep_state = false;
  json state_after;
};

Job job_of(const std::string& scenario, std::vector<std::string> args, Env env = {}) {
  Job job;
  job.scenario = scenario;
  job.args = std::move(args);
  job.env = std::move(env);
  return job;
}

// Runs the jobs three at a time: most of a run is PowerShell starting, and on two cores three
// keep both busy. The workers touch nothing but their own job (Catch macros are not
// thread-safe), so the checks run afterwards.
void run_all(std::vector<Job>& jobs) {
  const fs::path scenarios = e2e::source_dir() / "tests" / "hyperv-sim" / "scenarios";
  const std::string with_sim = (e2e::source_dir() / "scripts" / "with-sim").string();
  std::atomic<std::size_t> next{0};
  auto worker = [&] {
    for (std::size_t i = next++; i < jobs.size(); i = next++) {
      Job& job = jobs[i];
      std::optional<e2e::TempDir> dir;
      std::vector<std::string> argv = {with_sim};
      if (job.keep_state) {
        dir.emplace();
        argv.insert(argv.end(), {"--state", (dir->path() / "state.json").string()});
      }
      argv.insert(argv.end(),
                  {(scenarios / (job.scenario + ".json")).string(), "--", NESTVIRT_BINARY});
      argv.insert(argv.end(), job.args.begin(), job.args.end());
      job.result = nestvirt::process::run({argv, job.env}, "", std::chrono::seconds(300));
      e2e::keep_json_document(job.result.out);  // for the json-schema entry
      if (dir && fs::exists(dir->path() / "state.json")) {
        job.state_after = e2e::read_json_file(dir->path() / "state.json");
      }
    }
  };
  std::vector<std::thread> workers;
  for (int w = 0; w < 3; ++w) workers.emplace_back(worker);
  for (auto& t : workers) t.join();
}

json doc_of(const Job& job) {
  INFO(job.scenario << ": " << job.args[0] << "\nstdout: " << job.result.out
                    << "\nstderr: " << job.result.err);
  auto doc = json::parse(job.result.out, nullptr, false);
  REQUIRE_FALSE(doc.is_discarded());
  return doc;
}

}  // namespace

TEST_CASE("every suggested nestvirt fix, run as suggested, gets past its finding", "[fixes]") {
  const fs::path dir = e2e::source_dir() / "tests" / "hyperv-sim" / "scenarios";
  std::vector<std::string> scenarios;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() == ".json") scenarios.push_back(entry.path().stem().string());
  }
  std::sort(scenarios.begin(), scenarios.end());
  REQUIRE(scenarios.size() >= 10);
  // Phase 1: every command on every scenario; --dry-run refuses as the real run would.
  std::vector<Job> asked;
  for (const auto& name : scenarios) {
    const json state = e2e::scenario(name);
    asked.push_back(job_of(name, {"check", "--vm", "*", "--json"}));  // the host and every VM
    std::vector<std::string> vms;           // one run per command for all VMs: --vm repeats
    for (const auto& vm : vm_ids(state)) {  // by id: a name with [ ] is a pattern
      vms.push_back("--vm");
      vms.push_back(vm);
    }
    if (!vms.empty()) {
      for (const char* verb : {"enable", "disable", "net-spoof"}) {
        std::vector<std::string> c = {verb};
        c.insert(c.end(), vms.begin(), vms.end());
        c.insert(c.end(), {"--dry-run", "--json"});
        asked.push_back(job_of(name, c));
      }
    }
    asked.push_back(job_of(name, {"net-nat", "--switch", "NestedNAT", "--prefix",
                                  "192.168.100.0/24", "--dry-run", "--json"}));
    // net-nat guest on every running VM whose guest has credentials: its checks of the host's
    // NAT suggest net-nat commands (--dry-run reads and checks as the real run does).
    for (const auto& vm : state["vms"]) {
      if (vm["state"] != "Running" || !vm.contains("guest") || !vm["guest"].contains("credentials"))
        continue;
      const json& login = vm["guest"]["credentials"];
      asked.push_back(
          job_of(name,
                 {"net-nat", "guest", "--vm", vm["name"].get<std::string>(), "--ip",
                  "192.168.100.2", "--prefix", "192.168.100.0/24", "--dry-run", "--json"},
                 {{"NESTVIRT_GUEST_USER", login["user"].get<std::string>()},
                  {"NESTVIRT_GUEST_PASSWORD", login["password"].get<std::string>()}}));
    }
  }
  run_all(asked);
  std::map<std::string, std::map<std::string, std::vector<Suggested>>> suggested;  // by scenario
  std::size_t guest_runs = 0;
  for (const auto& job : asked) {
    const bool guest = job.args.size() > 1 && job.args[1] == "guest";
    Suggested from;
    if (guest) {
      ++guest_runs;
      from.refused_args = job.args;
      // The real command, not its --dry-run: what the user ran after the fix.
      from.refused_args.erase(
          std::find(from.refused_args.begin(), from.refused_args.end(), "--dry-run"));
      from.env = job.env;
    }
    collect_doc(doc_of(job), job.scenario + ": " + job.args[0] + (guest ? " guest" : ""),
                suggested[job.scenario], from);
  }
  CHECK(guest_runs >= 1);

  // Phase 2: each suggested command, as suggested, on the scenario it was suggested for.
  // Commands that differ only in their --vm run as one (--vm repeats; each VM is planned on
  // its own), which keeps the test near a minute on two cores.
  std::vector<Job> fixes;
  std::vector<std::vector<Suggested>> fixed_for;
  for (const auto& [name, commands] : suggested) {
    std::map<std::vector<std::string>, std::size_t> group;  // argv without --vm -> job
    for (const auto& [command, sources] : commands) {
      std::vector<std::string> args = argv_of(command);
      std::string vm;
      auto at = std::find(args.begin(), args.end(), "--vm");
      if (at != args.end() && at + 1 != args.end()) {
        vm = *(at + 1);
        args.erase(at, at + 2);
      }
      auto [slot, fresh] = group.try_emplace(args, fixes.size());
      if (fresh) {
        std::vector<std::string> run = args;
        // Only the wait changes: a guest that never shuts down (Hang1) would hold --restart
        // for the default 300 s; what is refused does not depend on it.
        if (std::find(run.begin(), run.end(), "--restart") != run.end()) {
          run.insert(run.end(), {"--shutdown-timeout", "2"});
        }
        run.push_back("--json");
        fixes.push_back(job_of(name, run));
        fixed_for.emplace_back();
      }
      Job& job = fixes[slot->second];
      if (!vm.empty()) job.args.insert(job.args.begin() + 1, {"--vm", vm});
      auto& to = fixed_for[slot->second];
      to.insert(to.end(), sources.begin(), sources.end());
      for (const auto& s : sources) {
        if (s.env.empty()) continue;
        job.env = s.env;  // a net-nat guest fix needs the guest's credentials too
        job.keep_state |= !s.refused_args.empty() && (args.size() < 2 || args[1] != "guest");
      }
    }
  }
  run_all(fixes);
  std::set<std::string> ids;
  std::size_t rerun = 0;
  for (std::size_t i = 0; i < fixes.size(); ++i) {
    INFO(fixes[i].scenario << ": " << fixes[i].result.out);
    const json doc = doc_of(fixes[i]);
    for (const auto& s : fixed_for[i]) {
      INFO("suggested by " << s.source << " for " << s.id << " " << s.vm);
      CHECK_FALSE(still_refused(doc, s));
      ids.insert(s.id);
      if (!fixes[i].keep_state || s.refused_args.empty()) continue;
      // The fix was another command: the refused one, run again where the fix left the host.
      REQUIRE(fixes[i].result.status.code == 0);
      e2e::Run again =
          e2e::run_nestvirt_state(e2e::next_run(fixes[i].state_after), s.refused_args, s.env);
      INFO("then: " << again.result.out);
      CHECK_FALSE(still_refused(again.json(), s));
      ++rerun;
    }
  }
  const std::size_t fixes_run = fixes.size();
  // The kinds of fix the scenarios are known to offer: a test that collected nothing proves
  // nothing.
  for (const char* id : {"vm.nested-enabled", "vm.config-version", "vm.dynamic-memory",
                         "net.nat-other", "guest.no-host-nat"}) {
    INFO(id);
    CHECK(ids.count(id) == 1);
  }
  INFO("fix commands run: " << fixes_run << ", refused commands run again after theirs: " << rerun);
  CHECK(fixes_run >= 5);
  CHECK(rerun >= 1);
}
