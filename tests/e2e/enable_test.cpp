// enable and disable against the simulator: prerequisite rows, power states, flags,
// idempotency, and the state the simulator holds afterwards.
#include "catch.h"
#include "e2e/support.h"

using e2e::change_cmdlets;
using e2e::vm_in;
using nlohmann::json;

namespace {

const json& vm_report(const json& doc, const std::string& name) {
  for (const auto& vm : doc["vms"]) {
    if (vm["name"] == name || vm["requested"] == name) return vm;
  }
  FAIL("no report for " << name);
  throw std::logic_error("unreachable");
}

bool refused_for(const json& report, const std::string& id) {
  for (const auto& f : report["refusals"]) {
    if (f["id"] == id) return report["result"] == "refused";
  }
  return false;
}

}  // namespace

TEST_CASE("enable on every prerequisite row", "[enable]") {
  struct Row {
    std::string scenario;
    std::vector<std::string> extra;
    std::string outcome;
    std::string refusal;  // finding id when refused
    int exit_code;
  };
  const std::vector<Row> rows = {
      {"intel-windows-server-2022", {}, "changed", "", 0},
      {"intel-windows10-1607", {}, "refused", "host.hypervisor", 3},
      {"intel-windows10-1511", {}, "refused", "host.os-build", 3},
      {"amd-windows11-23h2", {}, "refused", "vm.config-version", 3},
      {"amd-windows11-23h2", {"--upgrade-version"}, "changed", "", 0},
      {"amd-windows10-22h2", {"--upgrade-version"}, "refused", "host.os-build", 3},
      {"amd-windows-server-2019", {}, "refused", "host.os-build", 3},
      {"no-hyperv-module", {}, "refused", "host.hyperv-module", 3},
      {"unelevated", {}, "refused", "host.permissions", 3},
  };
  for (const auto& row : rows) {
    std::string name = row.scenario;
    for (const auto& e : row.extra) name += " " + e;
    SECTION(name) {
      std::vector<std::string> args = {"enable", "--vm", "Lab1", "--json"};
      args.insert(args.end(), row.extra.begin(), row.extra.end());
      e2e::Run run = e2e::run_nestvirt(row.scenario, args);
      INFO(run.result.err << run.result.out);
      CHECK(run.exit_code() == row.exit_code);
      json doc = run.json();
      const json& r = vm_report(doc, "Lab1");
      CHECK(r["result"] == row.outcome);
      CHECK(doc["diagnostics"]["powershell_launches"] == 1);
      if (!row.refusal.empty()) {
        CHECK(refused_for(r, row.refusal));
        CHECK(change_cmdlets(run).empty());  // nothing changed on a refused VM
        CHECK(e2e::without_calls(run.state_after) == e2e::without_calls(run.state_before));
      } else {
        CHECK(vm_in(run.state_after, "Lab1")["processor"]["expose_virtualization_extensions"] ==
              true);
        CHECK(r["after"]["expose_virtualization_extensions"] == true);
      }
    }
  }
}

TEST_CASE("enable --upgrade-version upgrades first, irreversibly, and says so", "[enable]") {
  e2e::Run run = e2e::run_nestvirt("amd-windows11-23h2",
                                   {"enable", "--vm", "Lab1", "--upgrade-version", "--dry-run"});
  CHECK(run.exit_code() == 0);
  CHECK(run.result.out.find("IRREVERSIBLE") != std::string::npos);
  CHECK(run.result.out.find("Hyper-V\\Update-VMVersion -VM (Hyper-V\\Get-VM -Id") !=
        std::string::npos);
  CHECK(change_cmdlets(run).empty());

  e2e::Run real = e2e::run_nestvirt("amd-windows11-23h2",
                                    {"enable", "--vm", "Lab1", "--upgrade-version", "--json"});
  CHECK(change_cmdlets(real) == std::vector<std::string>{"Update-VMVersion", "Set-VMProcessor"});
  CHECK(vm_in(real.state_after, "Lab1")["version"] == "11.0");
}

TEST_CASE("already enabled: unchanged, and no change cmdlet runs", "[enable]") {
  e2e::Run run =
      e2e::run_nestvirt("intel-windows-server-2022", {"enable", "--vm", "Nested1", "--json"});
  CHECK(run.exit_code() == 0);
  CHECK(vm_report(run.json(), "Nested1")["result"] == "unchanged");
  CHECK(change_cmdlets(run).empty());
}

TEST_CASE("a second identical run reports unchanged and changes nothing", "[enable]") {
  const std::vector<std::string> args = {"enable",    "--vm",           "Web1",
                                         "--restart", "--mac-spoofing", "--disable-dynamic-memory",
                                         "--json"};
  json state = e2e::scenario("intel-windows-server-2022");
  vm_in(state, "Web1")["memory"]["dynamic"] = true;
  e2e::Run first = e2e::run_nestvirt_state(state, args);
  CHECK(first.exit_code() == 0);
  CHECK(change_cmdlets(first) == std::vector<std::string>{"Stop-VM", "Set-VMMemory",
                                                          "Set-VMProcessor", "Set-VMNetworkAdapter",
                                                          "Start-VM"});
  json after = first.state_after;
  e2e::Run second = e2e::run_nestvirt_state(after, args);
  CHECK(second.exit_code() == 0);
  CHECK(vm_report(second.json(), "Web1")["result"] == "unchanged");
  CHECK(change_cmdlets(second).empty());
}

TEST_CASE("a running VM: refused without --restart; stopped, changed, started with it",
          "[enable]") {
  e2e::Run refused =
      e2e::run_nestvirt("intel-windows-server-2022", {"enable", "--vm", "Web1", "--json"});
  CHECK(refused.exit_code() == 11);
  CHECK(refused_for(vm_report(refused.json(), "Web1"), "vm.running"));
  CHECK(change_cmdlets(refused).empty());

  e2e::Run run = e2e::run_nestvirt("intel-windows-server-2022",
                                   {"enable", "--vm", "Web1", "--restart", "--json"});
  INFO(run.result.err);
  CHECK(run.exit_code() == 0);
  CHECK(change_cmdlets(run) == std::vector<std::string>{"Stop-VM", "Set-VMProcessor", "Start-VM"});
  const json& vm = vm_in(run.state_after, "Web1");
  CHECK(vm["state"] == "Running");
  CHECK(vm["processor"]["expose_virtualization_extensions"] == true);
  // Guest shutdown, not power-off.
  for (const auto& c : run.cmdlet_calls("Stop-VM"))
    CHECK_FALSE(c["parameters"].contains("TurnOff"));
  // Progress was shown while waiting (plain lines: stderr is not a terminal here).
  CHECK(run.result.err.find("waiting for the guest to shut down") != std::string::npos);
}

TEST_CASE("a guest that ignores shutdown: timeout, then --force powers it off", "[enable]") {
  e2e::Run timeout = e2e::run_nestvirt(
      "intel-windows-server-2022",
      {"enable", "--vm", "Hang1", "--restart", "--shutdown-timeout", "2", "--json"});
  // Nothing else changed, but the shutdown asked for is still pending: the guest may go off
  // after nestvirt has ended, so the run is incomplete (9), and the report says how to start it.
  CHECK(timeout.exit_code() == 9);
  json r = vm_report(timeout.json(), "Hang1");
  CHECK(r["result"] == "incomplete");
  CHECK(r["steps"][0]["status"] == "failed");
  CHECK(r["steps"][0]["error"].get<std::string>().find("did not shut down within 2 s") !=
        std::string::npos);
  REQUIRE(r["left_for_admin"].size() == 1);
  CHECK(r["left_for_admin"][0].get<std::string>().find("may still do so") != std::string::npos);
  CHECK(vm_in(timeout.state_after, "Hang1")["processor"]["expose_virtualization_extensions"] ==
        false);
  CHECK(timeout.cmdlet_calls("Set-VMProcessor").empty());

  e2e::Run forced = e2e::run_nestvirt(
      "intel-windows-server-2022",
      {"enable", "--vm", "Hang1", "--restart", "--force", "--shutdown-timeout", "2", "--json"});
  INFO(forced.result.err);
  CHECK(forced.exit_code() == 0);
  r = vm_report(forced.json(), "Hang1");
  CHECK(r["steps"][0]["note"].get<std::string>().find("powered off") != std::string::npos);
  bool turned_off = false;
  for (const auto& c : forced.cmdlet_calls("Stop-VM")) {
    turned_off |= c["parameters"].value("TurnOff", false);
  }
  CHECK(turned_off);
  CHECK(vm_in(forced.state_after, "Hang1")["state"] == "Running");
  CHECK(vm_in(forced.state_after, "Hang1")["processor"]["expose_virtualization_extensions"] ==
        true);
}

TEST_CASE("--force without --restart is a usage error", "[enable]") {
  e2e::Run run =
      e2e::run_nestvirt("intel-windows-server-2022", {"enable", "--vm", "Web1", "--force"});
  CHECK(run.exit_code() == 2);
  CHECK(run.calls("launch").empty());
}

TEST_CASE("a saved VM: refused, or its state discarded on request and left off", "[enable]") {
  e2e::Run refused = e2e::run_nestvirt("intel-windows-server-2022",
                                       {"enable", "--vm", "Db1", "--restart", "--json"});
  CHECK(refused.exit_code() == 11);
  CHECK(refused_for(vm_report(refused.json(), "Db1"), "vm.saved"));
  CHECK(change_cmdlets(refused).empty());

  e2e::Run run = e2e::run_nestvirt("intel-windows-server-2022",
                                   {"enable", "--vm", "Db1", "--discard-saved-state", "--json"});
  CHECK(run.exit_code() == 0);
  CHECK(change_cmdlets(run) == std::vector<std::string>{"Remove-VMSavedState", "Set-VMProcessor"});
  CHECK(vm_in(run.state_after, "Db1")["state"] == "Off");
}

TEST_CASE("dynamic memory: a warning, or turned off with the flag", "[enable]") {
  e2e::Run warned =
      e2e::run_nestvirt("intel-windows-server-2022", {"enable", "--vm", "Lab1", "--json"});
  json r = vm_report(warned.json(), "Lab1");
  CHECK(r["result"] == "changed");
  bool warns = false;
  for (const auto& w : r["warnings"]) warns |= w["id"] == "vm.dynamic-memory";
  CHECK(warns);
  CHECK(vm_in(warned.state_after, "Lab1")["memory"]["dynamic"] == true);

  e2e::Run run =
      e2e::run_nestvirt("intel-windows-server-2022",
                        {"enable", "--vm", "Lab1", "--disable-dynamic-memory", "--json"});
  CHECK(change_cmdlets(run) == std::vector<std::string>{"Set-VMMemory", "Set-VMProcessor"});
  CHECK(vm_in(run.state_after, "Lab1")["memory"]["dynamic"] == false);
}

TEST_CASE("wildcards and duplicate names: each VM on its own, by name and id", "[enable]") {
  json state = e2e::scenario("intel-windows-server-2022");
  json twin = vm_in(state, "Lab1");
  twin["id"] = "6b1a3f0e-1c2d-4e5f-8a9b-0000000000ff";
  twin["state"] = "Running";
  twin["network_adapters"] = json::array();
  state["vms"].push_back(twin);
  e2e::Run run = e2e::run_nestvirt_state(state, {"enable", "--vm", "Lab*", "--json"});
  json doc = run.json();
  REQUIRE(doc["vms"].size() == 2);
  CHECK(doc["vms"][0]["id"] != doc["vms"][1]["id"]);
  CHECK(doc["vms"][0]["name"] == "Lab1");
  CHECK(doc["vms"][1]["name"] == "Lab1");
  // The Off one changes; the running twin is refused, and the exit code says so.
  CHECK(doc["vms"][0]["result"] == "changed");
  CHECK(doc["vms"][1]["result"] == "refused");
  CHECK(run.exit_code() == 11);
  auto sets = run.cmdlet_calls("Set-VMProcessor");
  REQUIRE(sets.size() == 1);
  CHECK(sets[0]["parameters"]["VM"][0]["Id"] == "6b1a3f0e-1c2d-4e5f-8a9b-000000000001");
}

TEST_CASE("an unknown name is an error for that name only", "[enable]") {
  e2e::Run run = e2e::run_nestvirt("intel-windows-server-2022",
                                   {"enable", "--vm", "Nope", "--vm", "Lab1", "--json"});
  CHECK(run.exit_code() == 10);
  json doc = run.json();
  CHECK(vm_report(doc, "Nope")["result"] == "not-found");
  CHECK(vm_report(doc, "Lab1")["result"] == "changed");
}

TEST_CASE("disable", "[enable]") {
  e2e::Run run = e2e::run_nestvirt("intel-windows-server-2022",
                                   {"disable", "--vm", "Nested1", "--vm", "Lab1", "--json"});
  CHECK(run.exit_code() == 0);
  json doc = run.json();
  CHECK(vm_report(doc, "Nested1")["result"] == "changed");
  CHECK(vm_report(doc, "Lab1")["result"] == "unchanged");
  CHECK(vm_in(run.state_after, "Nested1")["processor"]["expose_virtualization_extensions"] ==
        false);
  CHECK(change_cmdlets(run) == std::vector<std::string>{"Set-VMProcessor"});
}

TEST_CASE("--dry-run changes nothing and exits as the real run would", "[enable]") {
  e2e::Run run = e2e::run_nestvirt(
      "intel-windows-server-2022",
      {"enable", "--vm", "Web1", "--vm", "Db1", "--restart", "--dry-run", "--json"});
  CHECK(run.exit_code() == 11);  // Db1 is refused
  json doc = run.json();
  CHECK(doc["dry_run"] == true);
  const json& web = vm_report(doc, "Web1");
  CHECK(web["result"] == "planned");
  REQUIRE(web["steps"].size() == 3);
  CHECK(web["steps"][1]["commands"][0] ==
        "Hyper-V\\Set-VMProcessor -VM (Hyper-V\\Get-VM -Id "
        "'6b1a3f0e-1c2d-4e5f-8a9b-000000000002') -ExposeVirtualizationExtensions $true");
  CHECK(change_cmdlets(run).empty());
  CHECK(e2e::without_calls(run.state_after) == e2e::without_calls(run.state_before));
}

TEST_CASE("a VM matched by two --vm arguments is changed once", "[enable]") {
  e2e::Run run = e2e::run_nestvirt("intel-windows-server-2022", {"enable", "--vm", "Web1", "--vm",
                                                                 "Web*", "--restart", "--json"});
  CHECK(run.exit_code() == 0);
  CHECK(run.json()["vms"].size() == 1);
  CHECK(change_cmdlets(run) == std::vector<std::string>{"Stop-VM", "Set-VMProcessor", "Start-VM"});
}

TEST_CASE("adapters sharing a name: each changed and undone by its own id", "[enable]") {
  json state = e2e::scenario("intel-windows-server-2022");
  json& multi = vm_in(state, "Multi1");
  multi["network_adapters"][1]["name"] = "Network Adapter";  // as Hyper-V names them
  multi["network_adapters"][1]["mac_address_spoofing"] = "On";
  const json before = multi["network_adapters"];
  // Turning spoofing on touches only the adapter that is Off; a failure of the processor step
  // after it must put back exactly that one.
  state["faults"] = json::array({{{"cmdlet", "Start-VM"}, {"call", 1}, {"message", "Injected"}}});
  multi["state"] = "Running";
  e2e::Run run = e2e::run_nestvirt_state(
      state, {"enable", "--vm", "Multi1", "--restart", "--mac-spoofing", "--json"});
  INFO(run.result.out);
  CHECK(run.exit_code() == 8);
  CHECK(vm_in(run.state_after, "Multi1")["network_adapters"] == before);
  CHECK(run.cmdlet_calls("Set-VMNetworkAdapter").size() == 2);  // set, then undone
}

TEST_CASE("the text report: one line per VM, then the reasons with their fixes", "[enable]") {
  e2e::Run run = e2e::run_nestvirt("intel-windows-server-2022",
                                   {"enable", "--vm", "Lab1", "--vm", "Db1", "--vm", "Nope"});
  CHECK(run.exit_code() == 11);
  const std::string& out = run.result.out;
  INFO(out);
  CHECK(out.find("changed: nested virtualization enabled\n") != std::string::npos);
  CHECK(out.find("  refused: VM is saved\n") != std::string::npos);
  CHECK(out.find("refused: refused") == std::string::npos);
  CHECK(out.find("--discard-saved-state") != std::string::npos);  // the fix is shown
  // The missing VM: its line, then why (no such VM) and what to do about it.
  CHECK(out.find("Nope  not-found: no VM matches this name\n") != std::string::npos);
  const auto block = out.find("\nNope: not-found\n");
  REQUIRE(block != std::string::npos);
  const std::string nope = out.substr(block);
  CHECK(nope.find("FAIL     [Nope] VM exists: no VM named 'Nope'") != std::string::npos);
  CHECK(nope.find("needed: a VM of that name on this host") != std::string::npos);
  CHECK(nope.find("fix:    Check the name with Get-VM") != std::string::npos);
}

TEST_CASE("the summary says everything that was done, and the steps are listed", "[enable]") {
  e2e::Run run = e2e::run_nestvirt("intel-windows-server-2022",
                                   {"enable", "--vm", "Db1", "--discard-saved-state"});
  REQUIRE(run.exit_code() == 0);
  const std::string& out = run.result.out;
  INFO(out);
  // One line for Db1, naming both changes in order, then its steps.
  CHECK(out.find("changed: saved state discarded, nested virtualization enabled\n") !=
        std::string::npos);
  CHECK(out.find("Steps:") != std::string::npos);
  CHECK(out.find(" — done") != std::string::npos);
  // A VM whose name is unique is named without its id.
  CHECK(out.find("Db1 {") == std::string::npos);
}
