// Failure injected at every step of the longest plan: afterwards the simulator shows the VM in
// its prior power state and settings, or the report names exactly what is left.
#include "catch.h"
#include "e2e/support.h"

using e2e::vm_in;
using nlohmann::json;

namespace {

json with_fault(json state, const std::string& cmdlet) {
  state["faults"] = json::array({{{"cmdlet", cmdlet},
                                  {"call", 1},
                                  {"message", "Injected failure of " + cmdlet},
                                  {"fqid", "OperationFailed,Microsoft.HyperV.PowerShell.Commands"},
                                  {"category", "NotSpecified"}}});
  return state;
}

// What enable may change, as the simulator holds it.
json settings(const json& vm) {
  json nics = json::array();
  for (const auto& n : vm["network_adapters"]) nics.push_back(n["mac_address_spoofing"]);
  return {{"state", vm["state"]},
          {"version", vm["version"]},
          {"dynamic", vm["memory"]["dynamic"]},
          {"expose", vm["processor"]["expose_virtualization_extensions"]},
          {"spoofing", nics}};
}

}  // namespace

TEST_CASE("rollback: reversible plan, a failure at each step leaves the VM as it was",
          "[enable][rollback]") {
  json state = e2e::scenario("intel-windows-server-2022");
  vm_in(state, "Web1")["memory"]["dynamic"] = true;
  const json before = settings(vm_in(state, "Web1"));
  const std::vector<std::string> args = {
      "enable",         "--vm",  "Web1", "--restart", "--disable-dynamic-memory",
      "--mac-spoofing", "--json"};
  for (const std::string cmdlet :
       {"Stop-VM", "Set-VMMemory", "Set-VMProcessor", "Set-VMNetworkAdapter", "Start-VM"}) {
    SECTION(cmdlet) {
      e2e::Run run = e2e::run_nestvirt_state(with_fault(state, cmdlet), args);
      INFO(run.result.out << run.result.err);
      CHECK(run.exit_code() == 8);
      json doc = run.json();
      const json& r = doc["vms"][0];
      CHECK(r["result"] == "failed");
      CHECK(r["left_for_admin"].empty());
      bool failed_step = false;
      for (const auto& s : r["steps"]) {
        const std::string status = s["status"];
        CHECK(status != "not-undone");
        failed_step |= status == "failed" &&
                       s["error"].get<std::string>().find("Injected failure of " + cmdlet) !=
                           std::string::npos;
      }
      CHECK(failed_step);
      CHECK(settings(vm_in(run.state_after, "Web1")) == before);
      CHECK(r["after"]["state"] == "Running");
    }
  }
}

TEST_CASE("rollback: the longest plan, with an irreversible upgrade", "[enable][rollback]") {
  json state = e2e::scenario("amd-windows11-23h2");
  vm_in(state, "Lab1")["state"] = "Running";
  const json before = settings(vm_in(state, "Lab1"));
  const std::vector<std::string> args = {"enable",
                                         "--vm",
                                         "Lab1",
                                         "--restart",
                                         "--force",
                                         "--upgrade-version",
                                         "--disable-dynamic-memory",
                                         "--mac-spoofing",
                                         "--json"};
  e2e::Run ok = e2e::run_nestvirt_state(state, args);
  REQUIRE(ok.exit_code() == 0);
  CHECK(e2e::change_cmdlets(ok) == std::vector<std::string>{"Stop-VM", "Update-VMVersion",
                                                            "Set-VMMemory", "Set-VMProcessor",
                                                            "Set-VMNetworkAdapter", "Start-VM"});

  for (const std::string cmdlet : {"Stop-VM", "Update-VMVersion", "Set-VMMemory", "Set-VMProcessor",
                                   "Set-VMNetworkAdapter", "Start-VM"}) {
    SECTION(cmdlet) {
      e2e::Run run = e2e::run_nestvirt_state(with_fault(state, cmdlet), args);
      INFO(run.result.out << run.result.err);
      json doc = run.json();
      const json& r = doc["vms"][0];
      json after = settings(vm_in(run.state_after, "Lab1"));
      CHECK(after["state"] == "Running");  // started again whatever failed
      if (cmdlet == "Stop-VM" || cmdlet == "Update-VMVersion") {
        // Nothing irreversible happened: all put back.
        CHECK(run.exit_code() == 8);
        CHECK(r["result"] == "failed");
        CHECK(after == before);
      } else {
        // The upgrade cannot be undone: exit 9, and the report says exactly that.
        CHECK(run.exit_code() == 9);
        CHECK(r["result"] == "incomplete");
        REQUIRE(r["left_for_admin"].size() == 1);
        CHECK(r["left_for_admin"][0].get<std::string>().find("cannot be downgraded") !=
              std::string::npos);
        CHECK(after["version"] == "11.0");
        json rest = after;
        rest["version"] = before["version"];
        CHECK(rest == before);
      }
    }
  }
}

TEST_CASE("PowerShell itself hanging or dying: its own exit codes", "[enable][rollback]") {
  json hang = e2e::scenario("intel-windows-server-2022");
  hang["faults"] = json::array({{{"cmdlet", "Get-VMHost"}, {"call", 1}, {"action", "hang"}}});
  e2e::Run timed_out =
      e2e::run_nestvirt_state(hang, {"--timeout", "3", "check", "--vm", "Lab1", "--json"});
  CHECK(timed_out.exit_code() == 7);
  json doc = timed_out.json();
  CHECK(doc["outcome"] == "powershell-timed-out");
  CHECK(doc["error"]["message"].get<std::string>().find("request 'facts'") != std::string::npos);

  json die = e2e::scenario("intel-windows-server-2022");
  die["faults"] = json::array({{{"cmdlet", "Get-VMHost"}, {"call", 1}, {"action", "exit"}}});
  e2e::Run died = e2e::run_nestvirt_state(die, {"check", "--vm", "Lab1", "--json"});
  CHECK(died.exit_code() == 6);
  CHECK(died.json()["outcome"] == "powershell-failed");
}
