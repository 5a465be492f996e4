// Every suggested fix works: for every scenario, the nestvirt commands that check, enable,
// disable, net-spoof and net-nat suggest (each finding's fix_command) are run as suggested on
// the same state, and must get past what they were suggested for. A fix that leads to the next
// refusal is what users trip on (issue 9, "Every suggested fix works").
#include <atomic>
#include <filesystem>
#include <map>
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

// Where a fix was suggested: the finding, its VM, and whether it was a refusal (then the same
// id must be gone) or a check finding (then the fix must not be refused for that VM at all).
struct Suggested {
  std::string source;  // the command that suggested it
  std::string id;
  std::string vm;
  bool refusal = false;
};

void collect(const json& findings, const std::string& source, bool refusal,
             std::map<std::string, std::vector<Suggested>>& out) {
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
    out[command].push_back(
        {source, f["id"], f["vm"].is_string() ? f["vm"].get<std::string>() : "", refusal});
  }
}

std::vector<std::string> vm_ids(const json& state) {
  std::vector<std::string> out;
  for (const auto& vm : state["vms"]) out.push_back(vm["id"]);
  return out;
}

// The findings a command's document reports, by kind of document.
void collect_doc(const json& doc, const std::string& source,
                 std::map<std::string, std::vector<Suggested>>& out) {
  collect(doc.value("findings", json()), source, false, out);  // check
  collect(doc.value("host_findings", json()), source, false, out);
  collect(doc.value("refusals", json()), source, true, out);  // net-nat
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

// One nestvirt run on a fresh copy of a scenario; only stdout is kept (the state is thrown
// away: every run starts from the scenario, as a suggested fix would).
struct Job {
  std::string scenario;
  std::vector<std::string> args;
  nestvirt::process::RunResult result;
};

// Runs the jobs three at a time: most of a run is PowerShell starting, and on two cores three
// keep both busy. The workers touch nothing but their own job (Catch macros are not
// thread-safe), so the checks run afterwards.
void run_all(std::vector<Job>& jobs) {
  const fs::path scenarios = e2e::source_dir() / "tests" / "hyperv-sim" / "scenarios";
  const std::string with_sim = (e2e::source_dir() / "scripts" / "with-sim").string();
  std::atomic<std::size_t> next{0};
  auto worker = [&] {
    for (std::size_t i = next++; i < jobs.size(); i = next++) {
      std::vector<std::string> argv = {
          with_sim, (scenarios / (jobs[i].scenario + ".json")).string(), "--", NESTVIRT_BINARY};
      argv.insert(argv.end(), jobs[i].args.begin(), jobs[i].args.end());
      jobs[i].result = nestvirt::process::run({argv, {}}, "", std::chrono::seconds(300));
      e2e::keep_json_document(jobs[i].result.out);  // for the json-schema entry
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
    asked.push_back({name, {"check", "--vm", "*", "--json"}, {}});  // the host and every VM
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
        asked.push_back({name, c, {}});
      }
    }
    asked.push_back({name,
                     {"net-nat", "--switch", "NestedNAT", "--prefix", "192.168.100.0/24",
                      "--dry-run", "--json"},
                     {}});
  }
  run_all(asked);
  std::map<std::string, std::map<std::string, std::vector<Suggested>>> suggested;  // by scenario
  for (const auto& job : asked) {
    collect_doc(doc_of(job), job.scenario + ": " + job.args[0], suggested[job.scenario]);
  }

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
        fixes.push_back({name, run, {}});
        fixed_for.emplace_back();
      }
      Job& job = fixes[slot->second];
      if (!vm.empty()) job.args.insert(job.args.begin() + 1, {"--vm", vm});
      auto& to = fixed_for[slot->second];
      to.insert(to.end(), sources.begin(), sources.end());
    }
  }
  run_all(fixes);
  std::set<std::string> ids;
  for (std::size_t i = 0; i < fixes.size(); ++i) {
    INFO(fixes[i].scenario << ": " << fixes[i].result.out);
    const json doc = doc_of(fixes[i]);
    for (const auto& s : fixed_for[i]) {
      INFO("suggested by " << s.source << " for " << s.id << " " << s.vm);
      CHECK_FALSE(still_refused(doc, s));
      ids.insert(s.id);
    }
  }
  const std::size_t fixes_run = fixes.size();
  // The kinds of fix the scenarios are known to offer: a test that collected nothing proves
  // nothing.
  for (const char* id :
       {"vm.nested-enabled", "vm.config-version", "vm.dynamic-memory", "net.nat-other"}) {
    INFO(id);
    CHECK(ids.count(id) == 1);
  }
  INFO("fix commands run: " << fixes_run);
  CHECK(fixes_run >= 5);
}
