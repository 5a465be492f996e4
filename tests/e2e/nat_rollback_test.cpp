// net-nat and net-nat guest through the one executor, against the simulator's own faults: an
// error, PowerShell exiting, and PowerShell hanging past --timeout, at every step of net-nat's
// longest plan (switch, gateway address, NAT, connect) and of --remove (disconnect, NAT,
// address, switch), and inside a guest. Each must leave the host's network as it was, report
// exit 8, and undo in a new PowerShell when the first one died.
#include "catch.h"
#include "e2e/support.h"

using e2e::vm_in;
using nlohmann::json;

namespace {

const std::vector<std::string> kCreate = {
    "--timeout",        "10",           "net-nat", "--switch", "NestedNAT", "--prefix",
    "192.168.100.0/24", "--connect-vm", "Lab1",    "--json"};
const std::vector<std::string> kRemove = {"--timeout", "15",        "net-nat", "--remove",
                                          "--switch",  "NestedNAT", "--force", "--json"};

json with_fault(json state, const std::string& cmdlet, const std::string& action) {
  state["faults"] = json::array(
      {{{"cmdlet", cmdlet}, {"call", 1}, {"action", action}, {"message", "Injected " + action}}});
  return state;
}

// What net-nat may change, as the simulator holds it: switches, NATs, addresses, host adapters
// and the VMs' adapter connections (ids and times left out: a re-created NAT is the same NAT).
json network_of(const json& state) {
  json switches = json::array(), nats = json::array(), addresses = json::array(),
       adapters = json::array(), connections = json::array();
  for (const auto& s : state["switches"]) switches.push_back({s["name"], s["type"]});
  for (const auto& n : state["nats"]) nats.push_back({n["name"], n["internal_prefix"]});
  for (const auto& a : state["ip_addresses"])
    addresses.push_back({a["ip"], a.value("prefix_length", json()), a["if_index"]});
  for (const auto& a : state["net_adapters"]) adapters.push_back(a["name"]);
  for (const auto& vm : state["vms"]) {
    for (const auto& n : vm["network_adapters"]) connections.push_back({vm["name"], n["switch"]});
  }
  return {{"switches", switches},
          {"nats", nats},
          {"addresses", addresses},
          {"adapters", adapters},
          {"connections", connections}};
}

void check_undone(const e2e::Run& run, const json& before, const std::string& cmdlet,
                  const std::string& action) {
  INFO(cmdlet << " " << action << "\n" << run.result.out << run.result.err);
  CHECK(run.exit_code() == 8);
  json doc = run.json();
  CHECK(doc["result"] == "failed");
  CHECK(doc["left_for_admin"].empty());
  bool failed = false;
  for (const auto& s : doc["steps"]) {
    CHECK(s["status"] != "not-undone");
    failed |= s["status"] == "failed";
  }
  CHECK(failed);
  CHECK(network_of(run.state_after) == network_of(before));
  // A PowerShell that died or hung was replaced for the undo.
  CHECK(run.calls("launch").size() == (action == "error" ? 1u : 2u));
}

}  // namespace

TEST_CASE("net-nat: error, exit or hang at each creation step leaves no half-made NAT",
          "[rollback]") {
  const json base = e2e::scenario("intel-windows-server-2022");
  for (const std::string cmdlet :
       {"New-VMSwitch", "New-NetIPAddress", "New-NetNat", "Connect-VMNetworkAdapter"}) {
    for (const std::string action : {"error", "exit", "hang"}) {
      e2e::Run run = e2e::run_nestvirt_state(with_fault(base, cmdlet, action), kCreate);
      check_undone(run, base, cmdlet, action);
    }
  }
}

TEST_CASE("net-nat --remove: error, exit or hang at each step puts everything back",
          "[rollback][remove]") {
  std::vector<std::string> create(kCreate.begin() + 2, kCreate.end());
  e2e::Run made = e2e::run_nestvirt("intel-windows-server-2022", create);
  REQUIRE(made.exit_code() == 0);
  const json state = e2e::next_run(made.state_after);
  for (const std::string cmdlet :
       {"Disconnect-VMNetworkAdapter", "Remove-NetNat", "Remove-NetIPAddress", "Remove-VMSwitch"}) {
    for (const std::string action : {"error", "exit", "hang"}) {
      e2e::Run run = e2e::run_nestvirt_state(with_fault(state, cmdlet, action), kRemove);
      check_undone(run, state, cmdlet, action);
    }
  }
}

TEST_CASE("net-nat guest: a failed change inside the guest is undone there", "[rollback]") {
  json state = e2e::scenario("l1-guest-windows-server-2022");
  vm_in(state, "Lab1")["state"] = "Running";
  vm_in(state, "Lab1")["network_adapters"][0]["switch"] = "NestedNAT";
  e2e::add_host_nat(state);  // net-nat guest checks the VM is on the NAT's switch
  const json guest_before = vm_in(state, "Lab1")["guest"];
  for (const std::string action : {"error", "exit"}) {
    json faulty = state;
    faulty["faults"] =
        json::array({{{"cmdlet", "Set-DnsClientServerAddress"}, {"call", 1}, {"action", action}}});
    e2e::Run run = e2e::run_nestvirt_state(
        faulty,
        {"net-nat", "guest", "--vm", "Lab1", "--ip", "192.168.100.2", "--prefix",
         "192.168.100.0/24", "--dns", "1.1.1.1", "--json"},
        {{"NESTVIRT_GUEST_USER", "Administrator"}, {"NESTVIRT_GUEST_PASSWORD", "L2-Lab1-pw!"}});
    INFO(action << "\n" << run.result.out << run.result.err);
    CHECK(run.exit_code() == 8);
    json doc = run.json();
    CHECK(doc["result"] == "failed");
    CHECK(doc["steps"][0]["status"] == "undone");
    CHECK(doc["steps"][1]["status"] == "failed");
    CHECK(doc["items"][0]["status"] == "undone");
    // The address nestvirt added was removed again; the guest is as it was.
    CHECK(vm_in(run.state_after, "Lab1")["guest"] == guest_before);
    CHECK(run.cmdlet_calls("Remove-NetIPAddress").size() == 1);
  }
}
