#include "e2e/support.h"

#include <atomic>
#include <chrono>
#include <fstream>
#include <random>
#include <sstream>

#include "catch.h"

namespace e2e {

namespace fs = std::filesystem;
using nlohmann::json;

fs::path source_dir() {
  return fs::path(NESTVIRT_SOURCE_DIR);
}
fs::path engine() {
  return source_dir() / "build" / "pwsh-host" / "pwsh-host";
}

TempDir::TempDir() {
  static std::atomic<int> counter{0};
  std::random_device rd;
  path_ = fs::temp_directory_path() /
          ("nestvirt-e2e-" + std::to_string(rd()) + "-" + std::to_string(counter++));
  fs::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

json read_json_file(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return json::parse(buffer.str());
}

json without_calls(json state) {
  state.erase("calls");
  return state;
}

json next_run(json state) {
  state["calls"] = json::array();
  for (auto& adapter : state["net_adapters"]) {
    adapter.erase("visible_after_seq");
    adapter.erase("visible_at");
  }
  return state;
}

json Run::json() const {
  auto doc = nlohmann::json::parse(result.out, nullptr, false);
  INFO("stdout: " << result.out << "\nstderr: " << result.err);
  REQUIRE_FALSE(doc.is_discarded());
  return doc;
}

std::vector<nlohmann::json> Run::calls(const std::string& type) const {
  std::vector<nlohmann::json> out;
  if (!state_after.contains("calls")) return out;
  // Only this run's calls: a state taken from an earlier run keeps that run's log.
  std::size_t skip = state_before.contains("calls") ? state_before["calls"].size() : 0;
  for (const auto& c : state_after["calls"]) {
    if (skip > 0) {
      --skip;
      continue;
    }
    if (c.value("type", "") == type) out.push_back(c);
  }
  return out;
}

std::vector<nlohmann::json> Run::cmdlet_calls(const std::string& name) const {
  std::vector<nlohmann::json> out;
  for (const auto& c : calls("cmdlet")) {
    if (c.value("name", "") == name) out.push_back(c);
  }
  return out;
}

// Every --json document a test produced, kept for the json-schema CTest entry, which validates
// them all against docs/schema/nestvirt-output.schema.json in one PowerShell (Test-Json).
void keep_json_document(const std::string& out) {
  const auto doc = json::parse(out, nullptr, false);
  if (doc.is_discarded() || !doc.is_object() || !doc.contains("schema_version")) return;
  static std::atomic<int> counter{0};
  const fs::path dir = fs::path(NESTVIRT_BINARY).parent_path() / "e2e-json";
  fs::create_directories(dir);
  std::random_device rd;
  std::ofstream(dir / (std::to_string(rd()) + "-" + std::to_string(counter++) + ".json")) << out;
}

namespace {

Run run_with_file(const fs::path& scenario_file, const std::vector<std::string>& args,
                  const std::vector<std::pair<std::string, std::string>>& env) {
  TempDir dir;
  const fs::path state = dir.path() / "state.json";
  std::vector<std::string> argv = {(source_dir() / "scripts" / "with-sim").string(),
                                   "--state",
                                   state.string(),
                                   scenario_file.string(),
                                   "--",
                                   NESTVIRT_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  Run run;
  run.state_before = read_json_file(scenario_file);
  run.result = nestvirt::process::run({argv, env}, "", std::chrono::seconds(300));
  if (fs::exists(state)) run.state_after = read_json_file(state);
  keep_json_document(run.result.out);
  return run;
}

}  // namespace

json scenario(const std::string& name) {
  return read_json_file(source_dir() / "tests" / "hyperv-sim" / "scenarios" / (name + ".json"));
}

Run run_nestvirt(const std::string& name, const std::vector<std::string>& args,
                 const std::vector<std::pair<std::string, std::string>>& env) {
  return run_with_file(source_dir() / "tests" / "hyperv-sim" / "scenarios" / (name + ".json"), args,
                       env);
}

Run run_nestvirt_state(const json& state, const std::vector<std::string>& args,
                       const std::vector<std::pair<std::string, std::string>>& env) {
  TempDir dir;
  const fs::path file = dir.path() / "scenario.json";
  std::ofstream(file) << state.dump(2);
  return run_with_file(file, args, env);
}

json& vm_in(json& state, const std::string& name) {
  for (auto& vm : state["vms"]) {
    if (vm["name"] == name) return vm;
  }
  FAIL("no VM " << name << " in the state");
  throw std::logic_error("unreachable");
}

const json& vm_in(const json& state, const std::string& name) {
  return vm_in(const_cast<json&>(state), name);
}

std::vector<std::string> change_cmdlets(const Run& run) {
  std::vector<std::string> out;
  for (const auto& c : run.calls("cmdlet")) {
    const std::string name = c["name"];
    if (name.rfind("Get-", 0) != 0) out.push_back(name);
  }
  return out;
}

void add_host_nat(json& state, const std::string& switch_name, const std::string& nat_name,
                  const std::string& gateway) {
  const std::string prefix = gateway.substr(0, gateway.rfind('.')) + ".0/24";
  state["switches"].push_back({{"name", switch_name},
                               {"id", "5a5a5a5a-0000-4000-8000-00000000000a"},
                               {"type", "Internal"},
                               {"allow_management_os", true}});
  state["nats"].push_back({{"name", nat_name}, {"internal_prefix", prefix}});
  state["net_adapters"].push_back({{"name", "vEthernet (" + switch_name + ")"},
                                   {"description", "Hyper-V Virtual Ethernet Adapter"},
                                   {"if_index", 12},
                                   {"status", "Up"},
                                   {"virtual", true},
                                   {"switch", switch_name}});
  state["ip_addresses"].push_back(
      {{"ip", gateway}, {"if_index", 12}, {"family", "IPv4"}, {"prefix_length", 24}});
}

// The l1-guest scenario with its nested VM Lab1 running on an internal switch VmNAT.
json l1_running() {
  json s = scenario("l1-guest-windows-server-2022");
  s["switches"] = json::array({{{"name", "VmNAT"},
                                {"id", "5a5a5a5a-0000-4000-8000-00000000000a"},
                                {"type", "Internal"},
                                {"allow_management_os", true}}});
  json& vm = vm_in(s, "Lab1");
  vm["state"] = "Running";
  vm["started_at"] = "2026-11-24T08:00:00Z";
  vm["network_adapters"][0]["switch"] = "VmNAT";
  return s;
}

}  // namespace e2e
