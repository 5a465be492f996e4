// `nestvirt check` without --vm: the host's findings and one line per VM on the host, in text
// and in --json (docs/json-output.md, "overview"), read in one request; and the enable line it
// suggests does what it says when run.
#include <map>
#include <sstream>

#include "catch.h"
#include "e2e/support.h"

using nlohmann::json;

namespace {

// The table line of one VM: "  <name>  <state>  <version>  <nesting>  <enable>", spaces
// collapsed to one, so the test does not depend on the column widths.
std::string table_line(const std::string& out, const std::string& name) {
  std::istringstream in(out);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("  " + name + " ", 0) != 0) continue;
    std::string squeezed;
    for (char c : line.substr(2)) {
      if (c == ' ' && !squeezed.empty() && squeezed.back() == ' ') continue;
      squeezed += c;
    }
    return squeezed;
  }
  return "";
}

std::map<std::string, json> by_name(const json& doc) {
  std::map<std::string, json> out;
  for (const auto& vm : doc["overview"]["vms"]) out[vm["name"].get<std::string>()] = vm;
  return out;
}

void require_read_only(const e2e::Run& run) {
  CHECK(e2e::without_calls(run.state_after) == e2e::without_calls(run.state_before));
  // One PowerShell, and the VMs read in the one facts request: Get-VM, then one
  // Get-VMProcessor and one Get-VMNetworkAdapter for all of them.
  CHECK(run.calls("launch").size() == 1);
  for (const auto& c : run.calls("cmdlet")) {
    const std::string name = c["name"];
    INFO(name);
    CHECK((name.rfind("Get-", 0) == 0));
  }
  CHECK(run.cmdlet_calls("Get-VMProcessor").size() <= 1);
  CHECK(run.cmdlet_calls("Get-VMNetworkAdapter").size() <= 1);
}

// A suggested command line split as PowerShell reads it ('...' is one word, '' a quote in it),
// without the leading "nestvirt".
std::vector<std::string> argv_of(const std::string& line) {
  std::vector<std::string> out;
  std::string word;
  bool quoted = false;
  bool any = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted && c == '\'' && i + 1 < line.size() && line[i + 1] == '\'') {
      word += '\'';
      ++i;
    } else if (c == '\'') {
      quoted = !quoted;
      any = true;
    } else if (c == ' ' && !quoted) {
      if (any || !word.empty()) out.push_back(word);
      word.clear();
      any = false;
    } else {
      word += c;
    }
  }
  if (any || !word.empty()) out.push_back(word);
  REQUIRE(!out.empty());
  REQUIRE(out.front() == "nestvirt");
  out.erase(out.begin());
  return out;
}

}  // namespace

TEST_CASE("check without --vm: one line per VM on an Intel Server 2022 host", "[check]") {
  e2e::Run text = e2e::run_nestvirt("intel-windows-server-2022", {"check"});
  INFO("stderr: " << text.result.err);
  INFO(text.result.out);
  CHECK(text.exit_code() == 0);  // the host's findings decide it, as before
  const std::string& out = text.result.out;
  CHECK(out.find("Findings\n  PASS     CPU vendor") != std::string::npos);
  CHECK(out.find("VMs (10: 1 already on, 6 yes, 3 with options, 0 no)\n  NAME ") !=
        std::string::npos);
  CHECK(table_line(out, "Lab1") == "Lab1 Off 10.0 off yes");
  CHECK(table_line(out, "Web1") == "Web1 Running 10.0 off yes, with --restart");
  CHECK(table_line(out, "Db1") == "Db1 Saved 9.0 off yes, with --discard-saved-state");
  CHECK(table_line(out, "Nested1") == "Nested1 Off 10.0 on already on");
  CHECK(table_line(out, "Old1") == "Old1 Off 8.0 off yes");   // Intel needs 8.0
  CHECK(table_line(out, "Big1") == "Big1 Off 10.0 off yes");  // 240 vCPUs only warns
  CHECK(table_line(out, "O'Brien") == "O'Brien [test] $(x) `\"quoted\" Ünïcødé Off 10.0 off yes");
  // The prerequisites of each VM stay check --vm's: no VM findings, no VM blocks.
  CHECK(out.find("[Lab1]") == std::string::npos);
  CHECK(out.find("\nVM Lab1\n") == std::string::npos);
  CHECK(out.find("Result: prerequisites met") != std::string::npos);
  require_read_only(text);

  e2e::Run run = e2e::run_nestvirt("intel-windows-server-2022", {"check", "--json"});
  CHECK(run.exit_code() == 0);
  const json doc = run.json();
  CHECK(doc["vms"] == json::array());  // VMs named by --vm: none
  for (const auto& f : doc["findings"]) CHECK(f["vm"].is_null());
  REQUIRE(doc.contains("overview"));
  CHECK(doc["overview"]["listed"] == true);
  CHECK(doc["overview"]["error"].is_null());
  auto vms = by_name(doc);
  REQUIRE(vms.size() == 10);
  const json& web = vms["Web1"];
  CHECK(web["id"] == e2e::vm_in(run.state_before, "Web1")["id"]);
  CHECK(web["state"] == "Running");
  CHECK(web["configuration_version"] == "10.0");
  CHECK(web["expose_virtualization_extensions"] == false);
  CHECK(web["enable"] == "with-options");
  CHECK(web["enable_options"] == json::array({"--restart"}));
  CHECK(web["enable_command"] == "nestvirt enable --vm 'Web1' --restart");
  REQUIRE(web["refusals"].size() == 1);
  CHECK(web["refusals"][0]["id"] == "vm.running");
  CHECK(vms["Nested1"]["enable"] == "already-on");
  CHECK(vms["Nested1"]["expose_virtualization_extensions"] == true);
  CHECK(vms["Nested1"]["enable_command"].is_null());
  CHECK(vms["Lab1"]["enable"] == "yes");
  CHECK(vms["Lab1"]["enable_options"] == json::array());
  CHECK(vms["Lab1"]["enable_command"] == "nestvirt enable --vm 'Lab1'");
  CHECK(vms["Db1"]["enable_options"] == json::array({"--discard-saved-state"}));
  // A name with wildcard characters would match other VMs as --vm: the line names it by id.
  const json& hostile = vms["O'Brien [test] $(x) `\"quoted\" Ünïcødé"];
  CHECK(hostile["enable_command"] ==
        "nestvirt enable --vm '" + hostile["id"].get<std::string>() + "'");
  require_read_only(run);
}

TEST_CASE("check without --vm: an AMD Windows 10 host can nest no VM", "[check]") {
  e2e::Run text = e2e::run_nestvirt("amd-windows10-22h2", {"check"});
  INFO(text.result.out);
  CHECK(text.exit_code() == 3);
  const std::string& out = text.result.out;
  CHECK(out.find("FAIL     Host OS build: build 19045 (Windows 10 22H2), client") !=
        std::string::npos);
  CHECK(out.find("VMs (2: 0 already on, 0 yes, 0 with options, 2 no)") != std::string::npos);
  const std::string no = "no: Host OS build: build 19045 (Windows 10 22H2), client";
  CHECK(table_line(out, "Lab1") == "Lab1 Off 9.0 off " + no);
  CHECK(table_line(out, "Lab2") == "Lab2 Off 9.2 off " + no);
  require_read_only(text);

  e2e::Run run = e2e::run_nestvirt("amd-windows10-22h2", {"check", "--json"});
  CHECK(run.exit_code() == 3);
  auto vms = by_name(run.json());
  REQUIRE(vms.size() == 2);
  for (const auto& [name, vm] : vms) {
    INFO(name);
    CHECK(vm["enable"] == "no");
    CHECK(vm["enable_options"] == json::array());
    CHECK(vm["enable_command"].is_null());
    REQUIRE_FALSE(vm["refusals"].empty());
    CHECK(vm["refusals"][0]["id"] == "host.os-build");
  }
}

TEST_CASE("check without --vm: the AMD Windows 11 host and what enable then does", "[check]") {
  e2e::Run run = e2e::run_nestvirt("amd-windows11-23h2", {"check", "--json"});
  CHECK(run.exit_code() == 0);
  auto vms = by_name(run.json());
  REQUIRE(vms.size() == 3);
  CHECK(vms["Lab1"]["configuration_version"] == "9.0");
  CHECK(vms["Lab1"]["enable"] == "with-options");
  CHECK(vms["Lab1"]["enable_options"] == json::array({"--upgrade-version"}));
  CHECK(vms["Lab1"]["refusals"][0]["id"] == "vm.config-version");
  CHECK(vms["Lab2"]["enable"] == "yes");
  CHECK(vms["Dev1"]["enable"] == "with-options");
  CHECK(vms["Dev1"]["enable_options"] == json::array({"--restart"}));
  require_read_only(run);

  // The suggested line, run as it is on the same host, turns nesting on.
  const std::string command = vms["Lab1"]["enable_command"];
  CHECK(command == "nestvirt enable --vm 'Lab1' --upgrade-version");
  std::vector<std::string> args = argv_of(command);
  args.push_back("--json");
  e2e::Run enable = e2e::run_nestvirt("amd-windows11-23h2", args);
  INFO("stderr: " << enable.result.err);
  CHECK(enable.exit_code() == 0);
  CHECK(enable.json()["vms"][0]["result"] == "changed");
  const json& lab1 = e2e::vm_in(enable.state_after, "Lab1");
  CHECK(lab1["processor"]["expose_virtualization_extensions"] == true);

  // And enable as typed, without the option, refuses: the overview did not say "yes".
  e2e::Run bare = e2e::run_nestvirt("amd-windows11-23h2", {"enable", "--vm", "Lab1"});
  CHECK(bare.exit_code() == 3);
  CHECK(e2e::change_cmdlets(bare).empty());
}

TEST_CASE("check without --vm where Hyper-V cannot be asked: the VMs are not listed", "[check]") {
  e2e::Run text = e2e::run_nestvirt("unelevated", {"check"});
  CHECK(text.exit_code() == 3);
  CHECK(text.result.out.find(
            "VMs\n  not listed: Hyper-V could not be asked (see the host findings)\n") !=
        std::string::npos);

  e2e::Run run = e2e::run_nestvirt("unelevated", {"check", "--json"});
  CHECK(run.exit_code() == 3);
  const json doc = run.json();
  CHECK(doc["overview"]["listed"] == false);
  CHECK(doc["overview"]["vms"] == json::array());
  require_read_only(run);
}

TEST_CASE("check --vm: no overview, the document as before", "[check]") {
  e2e::Run run =
      e2e::run_nestvirt("intel-windows-server-2022", {"check", "--vm", "Lab1", "--json"});
  const json doc = run.json();
  CHECK_FALSE(doc.contains("overview"));
  CHECK(doc["vms"].size() == 1);
  e2e::Run text = e2e::run_nestvirt("intel-windows-server-2022", {"check", "--vm", "Lab1"});
  CHECK(text.result.out.find("\nVMs") == std::string::npos);
  CHECK(text.result.out.find("\nVM Lab1\n") != std::string::npos);
}
