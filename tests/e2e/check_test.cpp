// nestvirt check, run as a user would, against every simulator scenario: exit code, JSON, and
// a state file left as it was (check is read-only).
#include <map>

#include "catch.h"
#include "e2e/support.h"

using nlohmann::json;

namespace {

std::map<std::string, std::string> statuses(const json& doc) {
  std::map<std::string, std::string> out;
  for (const auto& f : doc["findings"]) {
    std::string key = f["id"].get<std::string>();
    if (f["vm"].is_string()) key = f["vm"].get<std::string>() + ":" + key;
    out[key] = f["status"];
  }
  return out;
}

void require_read_only(const e2e::Run& run) {
  CHECK(e2e::without_calls(run.state_after) == e2e::without_calls(run.state_before));
  CHECK(run.calls("launch").size() == 1);
  for (const auto& c : run.calls("cmdlet")) {
    const std::string name = c["name"];
    INFO(name);
    // Only readers: Get-* and the CIM query.
    CHECK((name.rfind("Get-", 0) == 0));
  }
}

struct Expected {
  std::string scenario;
  int exit_code;
  std::map<std::string, std::string> findings;  // subset that must match exactly
};

}  // namespace

TEST_CASE("check on every scenario", "[check]") {
  const std::vector<Expected> table = {
      {"intel-windows-server-2022",
       0,
       {{"host.cpu-vendor", "pass"},
        {"host.os-build", "pass"},
        {"host.virtualization", "pass"},
        {"host.permissions", "pass"},
        {"Lab1:vm.config-version", "pass"},
        {"Lab1:vm.dynamic-memory", "warn"},
        {"Lab1:vm.nested-enabled", "warn"}}},
      {"intel-windows10-1607",
       3,
       {{"host.os-build", "pass"},
        {"host.virtualization", "pass"},
        {"host.hypervisor", "fail"},
        {"Lab1:vm.config-version", "pass"}}},
      {"intel-windows10-1511", 3, {{"host.os-build", "fail"}, {"Lab1:vm.config-version", "fail"}}},
      {"amd-windows11-23h2",
       3,
       {{"host.cpu-vendor", "pass"},
        {"host.os-build", "pass"},
        {"Lab1:vm.config-version", "fail"}}},
      {"amd-windows10-22h2", 3, {{"host.os-build", "fail"}, {"Lab1:vm.config-version", "fail"}}},
      {"amd-windows-server-2019", 3, {{"host.os-build", "fail"}}},
      {"no-hyperv-module", 3, {{"host.hyperv-module", "fail"}, {"Lab1:vm.lookup", "unknown"}}},
      {"unelevated", 3, {{"host.permissions", "fail"}, {"Lab1:vm.lookup", "unknown"}}},
      // Not elevated, but a member of Hyper-V Administrators: Hyper-V answers.
      {"hyperv-admin-unelevated", 0, {{"host.permissions", "pass"}, {"Lab1:vm.exists", "pass"}}},
      {"l1-guest-windows-server-2022", 0, {{"host.os-build", "pass"}, {"Lab1:vm.memory", "warn"}}},
  };
  for (const auto& row : table) {
    SECTION(row.scenario) {
      e2e::Run run = e2e::run_nestvirt(row.scenario, {"check", "--vm", "Lab1", "--json"});
      INFO("stderr: " << run.result.err);
      CHECK(run.exit_code() == row.exit_code);
      json doc = run.json();
      CHECK(doc["schema_version"] == 2);
      CHECK(doc["command"] == "check");
      CHECK(doc["exit_code"] == row.exit_code);
      CHECK(doc["diagnostics"]["powershell_launches"] == 1);
      auto seen = statuses(doc);
      for (const auto& [id, status] : row.findings) {
        INFO(id);
        CHECK(seen[id] == status);
      }
      require_read_only(run);
    }
  }
}

TEST_CASE("check reports host facts as Hyper-V reports them", "[check]") {
  e2e::Run run = e2e::run_nestvirt("amd-windows10-22h2", {"check", "--vm", "Lab1", "--json"});
  json doc = run.json();
  CHECK(doc["host"]["os_build"] == 19045);
  CHECK(doc["host"]["product_kind"] == "client");
  CHECK(doc["host"]["cpu_vendor"] == "amd");
  CHECK(doc["host"]["hypervisor_present"] == true);
  CHECK(doc["host"]["supported_versions"].back() == "9.2");
  const json& vm = doc["vms"][0];
  CHECK(vm["exists"] == true);
  CHECK(vm["configuration_version"] == "9.0");
  CHECK(vm["state"] == "Off");
  CHECK(vm["adapters"][0]["mac_address_spoofing"] == "Off");
}

TEST_CASE("check explains the AMD-on-Windows-10 refusal in words", "[check]") {
  e2e::Run run = e2e::run_nestvirt("amd-windows10-22h2", {"check", "--vm", "Lab1"});
  CHECK(run.exit_code() == 3);
  const std::string& out = run.result.out;
  CHECK(out.find("FAIL     Host OS build: build 19045 (Windows 10 22H2), client") !=
        std::string::npos);
  CHECK(out.find("Upgrade the host to Windows 11") != std::string::npos);
  CHECK(out.find("Result: prerequisites NOT met") != std::string::npos);
}

TEST_CASE("check: wildcards, duplicate names and names that match nothing", "[check]") {
  e2e::Run run = e2e::run_nestvirt("intel-windows-server-2022",
                                   {"check", "--vm", "Lab*", "--vm", "Nope", "--json"});
  json doc = run.json();
  CHECK(run.exit_code() == 10);  // "Nope" fails vm.exists: not found
  REQUIRE(doc["vms"].size() >= 2);
  CHECK(doc["vms"].back()["requested"] == "Nope");
  CHECK(doc["vms"].back()["exists"] == false);
  for (std::size_t i = 0; i + 1 < doc["vms"].size(); ++i) {
    CHECK(doc["vms"][i]["requested"] == "Lab*");
    CHECK(doc["vms"][i]["name"].get<std::string>().rfind("Lab", 0) == 0);
  }
  require_read_only(run);
}

TEST_CASE("check without a working PowerShell: its own exit code", "[check]") {
  e2e::Run run =
      e2e::run_nestvirt("intel-windows-server-2022",
                        {"--powershell", "/nonexistent/pwsh", "check", "--vm", "Lab1", "--json"});
  CHECK(run.exit_code() == 5);
  json doc = run.json();
  CHECK(doc["outcome"] == "powershell-missing");
  CHECK(doc["error"]["message"].get<std::string>().find("/nonexistent/pwsh") != std::string::npos);
  CHECK(doc["error"]["kind"] == "powershell-missing");
}

TEST_CASE("usage errors start no PowerShell", "[check]") {
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"check", "--vm", ""}, {"--timeout", "0", "check"}, {"check", "--bogus"}, {"--json"}}) {
    e2e::Run run = e2e::run_nestvirt("intel-windows-server-2022", args);
    CHECK(run.exit_code() == 2);
    CHECK(run.calls("launch").empty());
  }
  // A bare `nestvirt` is a request for help: exit 0, and still no PowerShell.
  e2e::Run bare = e2e::run_nestvirt("intel-windows-server-2022", {});
  CHECK(bare.exit_code() == 0);
  CHECK(bare.result.out.find("Commands:") != std::string::npos);
  CHECK(bare.calls("launch").empty());
}
