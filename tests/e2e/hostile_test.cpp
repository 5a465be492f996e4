// VM names that would break any tool splicing them into PowerShell source reach the simulator
// exactly as typed, and run nothing.
#include <filesystem>

#include "catch.h"
#include "e2e/support.h"

using nlohmann::json;

namespace {

// The scenario's VM with the worst name, which does exist.
const std::string kExisting =
    "O'Brien [test] $(x) `\"quoted\" \xC3\x9Cn\xC3\xAF"
    "c\xC3\xB8"
    "d\xC3\xA9";

std::vector<std::string> hostile_names(const std::filesystem::path& canary) {
  const std::string c = canary.string();
  return {
      "it's",
      "say \"hi\"",
      "$(New-Item -ItemType File -Path '" + c + "')",
      "`$(New-Item -Path " + c + ")`",
      "a; New-Item -Path " + c,
      "a | Out-File " + c,
      "line1\nline2",
      "Lab[1]",
      "L?b*",
      "\xC3\x9C"
      "bung \xE6\xB5\x8B\xE8\xAF\x95",  // Übung 测试
      "'; Remove-Item -Recurse / #",
  };
}

std::vector<std::string> get_vm_names(const e2e::Run& run) {
  std::vector<std::string> out;
  for (const auto& c : run.cmdlet_calls("Get-VM")) {
    if (c["parameters"].contains("Name")) {
      for (const auto& n : c["parameters"]["Name"]) out.push_back(n);
    }
  }
  return out;
}

}  // namespace

TEST_CASE("hostile VM names through check reach Get-VM as typed and run nothing", "[hostile]") {
  e2e::TempDir dir;
  const auto canary = dir.path() / "canary";
  auto names = hostile_names(canary);
  names.push_back(kExisting);
  std::vector<std::string> args = {"check", "--json"};
  for (const auto& n : names) {
    args.push_back("--vm");
    args.push_back(n);
  }
  e2e::Run run = e2e::run_nestvirt("intel-windows-server-2022", args);
  INFO(run.result.err);
  CHECK(run.exit_code() == 10);  // the made-up names do not exist
  json doc = run.json();
  std::vector<std::string> requested;
  for (const auto& vm : doc["vms"]) requested.push_back(vm["requested"]);
  // Wildcard patterns may match several VMs; every name must appear, in order.
  std::vector<std::string> unique;
  for (const auto& r : requested) {
    if (unique.empty() || unique.back() != r) unique.push_back(r);
  }
  CHECK(unique == names);
  auto seen = get_vm_names(run);
  for (const auto& n : names) {
    INFO(n);
    CHECK(std::find(seen.begin(), seen.end(), n) != seen.end());
  }
  CHECK_FALSE(std::filesystem::exists(canary));
  CHECK(e2e::without_calls(run.state_after) == e2e::without_calls(run.state_before));
  // The VM with the worst name was found by that name.
  bool found = false;
  for (const auto& vm : doc["vms"]) found |= vm["requested"] == kExisting && vm["exists"] == true;
  CHECK(found);
}

TEST_CASE("hostile VM names through enable and disable", "[hostile]") {
  e2e::TempDir dir;
  const auto canary = dir.path() / "canary";
  for (const std::string command : {"enable", "disable"}) {
    std::vector<std::string> args = {command, "--json", "--vm", kExisting};
    for (const auto& n : hostile_names(canary)) {
      if (n.find_first_of("*?[") != std::string::npos) continue;  // would match real VMs
      args.push_back("--vm");
      args.push_back(n);
    }
    e2e::Run run = e2e::run_nestvirt("intel-windows-server-2022", args);
    INFO(command << ": " << run.result.err);
    CHECK(run.exit_code() == 10);  // the made-up names are not found
    json doc = run.json();
    const json& first = doc["vms"][0];
    CHECK(first["name"] == kExisting);
    CHECK(first["result"] == (command == "enable" ? "changed" : "unchanged"));
    for (std::size_t i = 1; i < doc["vms"].size(); ++i)
      CHECK(doc["vms"][i]["result"] == "not-found");
    CHECK_FALSE(std::filesystem::exists(canary));
    if (command == "enable") {
      auto sets = run.cmdlet_calls("Set-VMProcessor");
      REQUIRE(sets.size() == 1);
      CHECK(sets[0]["parameters"]["VM"][0]["Name"] == kExisting);
    } else {
      CHECK(run.cmdlet_calls("Set-VMProcessor").empty());
    }
  }
}

// Found by the hostile-name run (tests/fuzz/hostile): a VM really named with a backtick was not
// found by its own name. To Get-VM -Name the backtick is the wildcard escape ("a`b" matches
// "ab"), and facts.ps1 only looked for the exact name when the name held an unescaped wildcard.
TEST_CASE("a VM whose name holds a backtick is found by that name", "[hostile]") {
  json state = e2e::scenario("intel-windows-server-2022");
  const json lab = e2e::vm_in(state, "Lab1");
  const std::vector<std::string> names = {"a`b", "`[x", "x`*y", "`u{41}# comment"};
  std::vector<std::string> args = {"check", "--json"};
  for (std::size_t i = 0; i < names.size(); ++i) {
    json vm = lab;
    vm["name"] = names[i];
    vm["id"] = "6b1a3f0e-1c2d-4e5f-8a9b-0000000009" + std::to_string(10 + i);
    vm.erase("guest");
    for (auto& nic : vm["network_adapters"]) {
      nic["id"] = "1e6a8b8c-0d3f-4c59-9a51-0000000009" + std::to_string(10 + i);
      nic["mac"] = "00155D0909" + std::to_string(10 + i);
    }
    state["vms"].push_back(vm);
    args.push_back("--vm");
    args.push_back(names[i]);
  }
  e2e::Run run = e2e::run_nestvirt_state(state, args);
  INFO(run.result.err);
  const json doc = run.json();
  for (std::size_t i = 0; i < names.size(); ++i) {
    INFO(names[i]);
    std::vector<std::string> ids;
    for (const auto& vm : doc["vms"]) {
      if (vm["requested"] == names[i] && vm["exists"] == true) ids.push_back(vm["id"]);
    }
    CHECK(ids == std::vector<std::string>{e2e::vm_in(state, names[i])["id"]});
  }
}
