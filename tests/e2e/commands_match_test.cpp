// What users are shown cannot drift from what runs. For each command's longest plan, the
// PowerShell that --dry-run (or net-nat guest --print) shows is parsed by PowerShell's parser,
// and every command that changes something must match, in order, a cmdlet the real run called
// in the simulator: same module, same name, the same parameters with the same constant values.
#include <fstream>

#include "catch.h"
#include "e2e/support.h"

using e2e::vm_in;
using nlohmann::json;

namespace {

// Module, name, pipeline input and parameters of each shown command that changes something.
using Steps = std::vector<std::vector<std::string>>;

json shapes_of(const Steps& lines) {
  e2e::TempDir dir;
  const auto input = dir.path() / "lines.json";
  std::ofstream(input) << json(lines).dump();
  auto script = e2e::source_dir() / "tests" / "e2e" / "Get-CommandShapes.ps1";
  std::vector<std::string> argv = {(e2e::source_dir() / "scripts" / "with-sim").string(),
                                   "intel-windows-server-2022",
                                   "--",
                                   e2e::engine().string(),
                                   "-NoProfile",
                                   "-NonInteractive",
                                   "-File",
                                   script.string(),
                                   "-Path",
                                   input.string()};
  auto result = nestvirt::process::run({argv, {}}, "", std::chrono::seconds(120));
  INFO("stderr: " << result.err);
  REQUIRE(result.status.code == 0);
  json doc = json::parse(result.out, nullptr, false);
  REQUIRE(doc.is_array());
  return doc;
}

Steps shown_commands(const json& doc) {
  Steps lines;
  auto add_steps = [&](const json& steps) {
    for (const auto& s : steps) lines.push_back(s["commands"]);
  };
  if (doc.contains("vms")) {
    for (const auto& vm : doc["vms"]) add_steps(vm["steps"]);
  } else if (doc.contains("steps")) {
    add_steps(doc["steps"]);
  }
  return lines;
}

std::vector<json> logged_changes(const e2e::Run& run) {
  std::vector<json> out;
  for (const auto& c : run.calls("cmdlet")) {
    const std::string name = c["name"];
    if (name.rfind("Get-", 0) == 0 || name == "Invoke-Command") continue;
    out.push_back(c);
  }
  return out;
}

// A shown constant and a logged value are the same (a scalar shown for a one-element array).
bool same_value(const json& shown, const json& logged) {
  if (shown == logged) return true;
  if (logged.is_array() && logged.size() == 1) return same_value(shown, logged[0]);
  if (shown.is_number() && logged.is_number()) return shown.get<double>() == logged.get<double>();
  return false;
}

void check_match(const json& shapes, const std::vector<json>& logged) {
  INFO("shown: " << shapes.dump(1));
  std::string calls;
  for (const auto& c : logged) calls += c.dump() + "\n";
  INFO("called:\n" << calls);
  REQUIRE(shapes.size() == logged.size());
  for (std::size_t i = 0; i < shapes.size(); ++i) {
    const json& shown = shapes[i];
    const json& call = logged[i];
    INFO("command " << i << ": " << shown["name"]);
    CHECK(shown["module"] == call["module"]);
    CHECK(shown["name"] == call["name"]);
    std::size_t extra = call["parameters"].size();
    for (const auto& [parameter, value] : shown["parameters"].items()) {
      INFO("parameter -" << parameter);
      REQUIRE(call["parameters"].contains(parameter));
      --extra;
      if (!value.is_null()) CHECK(same_value(value, call["parameters"][parameter]));
    }
    // The one parameter a pipeline binds (the adapter, the address) is not written out.
    CHECK(extra <= (shown["piped"].get<bool>() ? 1u : 0u));
  }
}

void check_plan(const json& state, std::vector<std::string> args,
                const std::vector<std::pair<std::string, std::string>>& env = {}) {
  std::vector<std::string> dry = args;
  dry.push_back("--dry-run");
  dry.push_back("--json");
  e2e::Run shown = e2e::run_nestvirt_state(state, dry, env);
  INFO(shown.result.out << shown.result.err);
  REQUIRE(e2e::change_cmdlets(shown).empty());
  const auto lines = shown_commands(shown.json());
  REQUIRE_FALSE(lines.empty());
  e2e::Run real = e2e::run_nestvirt_state(state, args, env);
  INFO(real.result.out << real.result.err);
  REQUIRE(real.exit_code() == 0);
  check_match(shapes_of(lines), logged_changes(real));
}

}  // namespace

TEST_CASE("--dry-run shows what enable, disable and net-spoof run", "[syntax]") {
  SECTION("enable, the longest plan") {
    json state = e2e::scenario("amd-windows11-23h2");
    vm_in(state, "Lab1")["state"] = "Running";
    check_plan(state, {"enable", "--vm", "Lab1", "--restart", "--force", "--upgrade-version",
                       "--disable-dynamic-memory", "--mac-spoofing"});
  }
  SECTION("enable of a saved VM") {
    json state = e2e::scenario("intel-windows-server-2022");
    vm_in(state, "Lab1")["state"] = "Saved";
    check_plan(state, {"enable", "--vm", "Lab1", "--discard-saved-state"});
  }
  SECTION("disable") {
    json state = e2e::scenario("intel-windows-server-2022");
    vm_in(state, "Web1")["processor"]["expose_virtualization_extensions"] = true;
    check_plan(state, {"disable", "--vm", "Web1", "--restart"});
  }
  SECTION("net-spoof") {
    check_plan(e2e::scenario("intel-windows-server-2022"), {"net-spoof", "--vm", "Web1"});
  }
}

TEST_CASE("--dry-run shows what net-nat and --remove run", "[syntax]") {
  const std::vector<std::string> create = {
      "net-nat", "--switch", "NestedNAT", "--prefix", "192.168.100.0/24", "--connect-vm", "Lab1"};
  check_plan(e2e::scenario("intel-windows-server-2022"), create);
  e2e::Run made = e2e::run_nestvirt("intel-windows-server-2022", create);
  REQUIRE(made.exit_code() == 0);
  check_plan(e2e::next_run(made.state_after),
             {"net-nat", "--remove", "--switch", "NestedNAT", "--force"});
}

TEST_CASE("net-nat guest --print shows what the real run does inside the guest", "[syntax]") {
  json state = e2e::scenario("l1-guest-windows-server-2022");
  vm_in(state, "Lab1")["state"] = "Running";
  vm_in(state, "Lab1")["network_adapters"][0]["switch"] = "NestedNAT";
  e2e::add_host_nat(state);  // net-nat guest checks the VM is on the NAT's switch
  const std::vector<std::string> args = {
      "net-nat",       "guest",  "--vm",    "Lab1",     "--ip",
      "192.168.100.2", "--dns",  "1.1.1.1", "--prefix", "192.168.100.0/24",
      "--dns",         "8.8.8.8"};
  std::vector<std::string> print = args;
  print.push_back("--print");
  e2e::Run printed = e2e::run_nestvirt_state(state, print);
  REQUIRE(printed.exit_code() == 0);
  Steps lines;
  std::size_t start = 0;
  const std::string& text = printed.result.out;
  while (start < text.size()) {
    const std::size_t end = text.find('\n', start);
    lines.push_back({text.substr(start, end - start)});
    if (end == std::string::npos) break;
    start = end + 1;
  }
  e2e::Run real = e2e::run_nestvirt_state(
      state, args,
      {{"NESTVIRT_GUEST_USER", "Administrator"}, {"NESTVIRT_GUEST_PASSWORD", "L2-Lab1-pw!"}});
  INFO(real.result.out << real.result.err);
  REQUIRE(real.exit_code() == 0);
  check_match(shapes_of(lines), logged_changes(real));
}
