// net-nat guest against the simulator: PowerShell Direct into a nested VM (the simulator's
// Invoke-Command stand-in), the guest's network before and after, and the credentials, which
// must never show up anywhere but in the guest check.
#include "catch.h"
#include "e2e/support.h"

using e2e::vm_in;
using nlohmann::json;

namespace {

const std::string kPassword = "L2-Lab1-pw!";  // Lab1's guest password in the l1-guest scenario
const std::vector<std::pair<std::string, std::string>> kCredentials = {
    {"NESTVIRT_GUEST_USER", "Administrator"}, {"NESTVIRT_GUEST_PASSWORD", kPassword}};

const std::string kHostile =
    "O'Brien [test] $(x) `\"quoted\" \xC3\x9Cn\xC3\xAF"
    "c\xC3\xB8"
    "d\xC3\xA9";

// The host's NAT: LocalNAT for 192.168.100.0/24, its gateway on the internal switch VmNAT.
void add_nat(json& s, const std::string& gateway = "192.168.100.1") {
  e2e::add_host_nat(s, "VmNAT", "LocalNAT", gateway);
}

// e2e::l1_running (Lab1 running on the internal switch VmNAT), with VmNAT the switch of the
// host's NAT, as net-nat guest now requires.
json l1_running(const std::string& gateway = "192.168.100.1") {
  json s = e2e::l1_running();
  s["switches"] = json::array();
  add_nat(s, gateway);
  return s;
}

const json& guest_adapter(const json& state, const std::string& vm) {
  return vm_in(state, vm)["guest"]["adapters"][0];
}

std::vector<std::string> addresses(const json& adapter) {
  std::vector<std::string> out;
  for (const auto& a : adapter["addresses"]) {
    out.push_back(a["ip"].get<std::string>() + "/" + std::to_string(a["prefix_length"].get<int>()));
  }
  return out;
}

// Neither output nor the state file (calls log included) may contain the password.
void check_no_password(const e2e::Run& run, const std::string& password) {
  CHECK(run.result.out.find(password) == std::string::npos);
  CHECK(run.result.err.find(password) == std::string::npos);
  json state = run.state_after;
  for (auto& vm : state["vms"]) {
    if (vm.contains("guest") && vm["guest"].contains("credentials")) {
      vm["guest"]["credentials"].erase("password");  // the scenario's own copy is not a leak
    }
  }
  CHECK(state.dump().find(password) == std::string::npos);
}

}  // namespace

TEST_CASE("net-nat guest sets the guest's network from inside it, then finds it set", "[network]") {
  const std::vector<std::string> args = {
      "net-nat",          "guest", "--vm",    "Lab1",  "--ip",    "192.168.100.2", "--prefix",
      "192.168.100.0/24", "--dns", "1.1.1.1", "--dns", "8.8.8.8", "--json",        "-vv"};
  e2e::Run first = e2e::run_nestvirt_state(l1_running(), args, kCredentials);
  INFO(first.result.err << first.result.out);
  REQUIRE(first.exit_code() == 0);
  json doc = first.json();
  CHECK(doc["command"] == "net-nat guest");
  CHECK(doc["result"] == "changed");
  CHECK(doc["credential_source"] == "environment");
  CHECK(doc["adapter"] == "Ethernet");
  CHECK(doc["items"][0]["before"] == json::array({"169.254.121.7/16"}));
  CHECK(doc["items"][0]["after"] == json::array({"192.168.100.2/24"}));
  CHECK(doc["items"][0]["status"] == "done");
  CHECK(doc["items"][1]["status"] == "done");
  CHECK(doc["items"][2]["after"] == json::array({"1.1.1.1", "8.8.8.8"}));
  CHECK(doc["diagnostics"]["powershell_launches"] == 1);
  const json& adapter = guest_adapter(first.state_after, "Lab1");
  CHECK(addresses(adapter) == std::vector<std::string>{"192.168.100.2/24"});
  CHECK(adapter["gateway"] == "192.168.100.1");
  CHECK(adapter["dns"] == json::array({"1.1.1.1", "8.8.8.8"}));
  // PowerShell Direct once to read, once per step, with the credential logged as its user
  // name only, always to the VM's id.
  auto direct = first.cmdlet_calls("Invoke-Command");
  REQUIRE(direct.size() == 3);
  for (const auto& call : direct) {
    CHECK(call["parameters"]["Credential"] == json({{"UserName", "Administrator"}}));
    CHECK(call["parameters"]["VMId"] == json::array({vm_in(first.state_before, "Lab1")["id"]}));
  }
  CHECK(doc["steps"].size() == 2);
  CHECK(doc["steps"][0]["kind"] == "guest-add-address");
  CHECK(doc["steps"][1]["kind"] == "guest-set-dns");
  CHECK(first.cmdlet_calls("New-NetIPAddress").at(0)["guest"] == "Lab1");
  CHECK(first.cmdlet_calls("New-NetIPAddress").at(0)["parameters"]["DefaultGateway"] ==
        "192.168.100.1");
  check_no_password(first, kPassword);

  const json again = e2e::next_run(first.state_after);
  e2e::Run second = e2e::run_nestvirt_state(again, args, kCredentials);
  INFO(second.result.err);
  CHECK(second.exit_code() == 0);
  CHECK(second.json()["result"] == "unchanged");
  CHECK(e2e::change_cmdlets(second) == std::vector<std::string>{"Invoke-Command"});
  CHECK(e2e::without_calls(second.state_after) == e2e::without_calls(again));
}

TEST_CASE("net-nat guest without credentials and no terminal: exit 2 before PowerShell",
          "[network]") {
  e2e::Run run = e2e::run_nestvirt_state(
      l1_running(), {"net-nat", "guest", "--vm", "Lab1", "--ip", "192.168.100.2", "--json"});
  INFO(run.result.err << run.result.out);
  CHECK(run.exit_code() == 2);
  json doc = run.json();
  CHECK(doc["error"]["kind"] == "usage-error");
  const std::string message = doc["error"]["message"];
  CHECK(message.find("NESTVIRT_GUEST_USER") != std::string::npos);
  CHECK(message.find("NESTVIRT_GUEST_PASSWORD") != std::string::npos);
  CHECK(run.calls("launch").empty());  // PowerShell never started
  CHECK(run.calls("cmdlet").empty());
}

TEST_CASE("net-nat guest with a wrong password: refused, nothing changed, nothing leaked",
          "[network]") {
  const std::string wrong = "Not-The-Password-42";
  e2e::Run run = e2e::run_nestvirt_state(
      l1_running(),
      {"net-nat", "guest", "--vm", "Lab1", "--ip", "192.168.100.2", "--prefix", "192.168.100.0/24",
       "-vv"},
      {{"NESTVIRT_GUEST_USER", "Administrator"}, {"NESTVIRT_GUEST_PASSWORD", wrong}});
  INFO(run.result.err << run.result.out);
  CHECK(run.exit_code() == 12);  // credentials-rejected
  CHECK(run.result.out.find("rejected the credentials") != std::string::npos);
  CHECK(run.result.out.find("The credential is invalid.") != std::string::npos);
  CHECK(e2e::without_calls(run.state_after) == e2e::without_calls(run.state_before));
  auto direct = run.cmdlet_calls("Invoke-Command");
  REQUIRE(direct.size() == 1);
  CHECK(direct[0]["outcome"] == "error");
  check_no_password(run, wrong);
}

TEST_CASE("net-nat guest on a VM that is off: refused with the fix, nothing tried", "[network]") {
  e2e::Run run = e2e::run_nestvirt(
      "intel-windows-server-2022",
      {"net-nat", "guest", "--vm", "Lab1", "--ip", "192.168.100.2", "--prefix", "192.168.100.0/24",
       "--json"},
      {{"NESTVIRT_GUEST_USER", "Administrator"}, {"NESTVIRT_GUEST_PASSWORD", "irrelevant"}});
  INFO(run.result.err << run.result.out);
  CHECK(run.exit_code() == 11);
  json doc = run.json();
  CHECK(doc["outcome"] == "refused");
  CHECK(doc["refusals"][0]["id"] == "vm.not-running");
  CHECK(doc["vm"]["state"] == "Off");
  const std::string fix = doc["refusals"][0]["fix"];
  CHECK(fix.find("Hyper-V\\Start-VM -VM (Hyper-V\\Get-VM -Id "
                 "'6b1a3f0e-1c2d-4e5f-8a9b-000000000001'))") != std::string::npos);
  CHECK(run.cmdlet_calls("Invoke-Command").empty());
  CHECK(e2e::without_calls(run.state_after) == e2e::without_calls(run.state_before));
}

TEST_CASE("net-nat guest --print: the exact commands, nothing run", "[network]") {
  e2e::Run run = e2e::run_nestvirt_state(
      l1_running(), {"net-nat", "guest", "--vm", "Lab1", "--ip", "192.168.100.2", "--prefix",
                     "192.168.100.0/24", "--dns", "1.1.1.1", "--print"});
  INFO(run.result.err);
  CHECK(run.exit_code() == 0);
  CHECK(run.result.out ==
        "# Run inside the nested VM 'Lab1', in an elevated PowerShell (nestvirt ran nothing).\n"
        "# The adapter: the only one that is Up (name one with --guest-adapter).\n"
        "$nic = @(NetAdapter\\Get-NetAdapter | Where-Object { $_.Status -eq 'Up' })\n"
        "if ($nic.Count -ne 1) { throw ('Expected exactly one adapter, found ' + $nic.Count) }\n"
        "$ifIndex = $nic[0].ifIndex\n"
        "NetTCPIP\\New-NetIPAddress -InterfaceIndex $ifIndex -IPAddress '192.168.100.2' "
        "-PrefixLength 24 -DefaultGateway '192.168.100.1'\n"
        "DnsClient\\Set-DnsClientServerAddress -InterfaceIndex $ifIndex -ServerAddresses "
        "'1.1.1.1'\n");
  CHECK(run.calls("launch").empty());
  CHECK(run.state_after == run.state_before);
}

TEST_CASE("net-nat guest: a hostile VM name reaches PowerShell Direct intact", "[network]") {
  // Reached by id: Invoke-Command -VMName resolves names as Get-VM -Name patterns, and this
  // name's [test] and backtick make it a pattern that does not match itself (see the selftest).
  json state = e2e::scenario("intel-windows-server-2022");
  add_nat(state);
  vm_in(state, kHostile)["network_adapters"][0]["switch"] = "VmNAT";
  vm_in(state, kHostile)["state"] = "Running";
  vm_in(state, kHostile)["started_at"] = "2026-11-24T08:00:00Z";
  e2e::Run run = e2e::run_nestvirt_state(
      state,
      {"net-nat", "guest", "--vm", kHostile, "--ip", "192.168.100.7", "--prefix",
       "192.168.100.0/24", "--json"},
      {{"NESTVIRT_GUEST_USER", "Administrator"}, {"NESTVIRT_GUEST_PASSWORD", "Hostile-Guest-Pw1"}});
  INFO(run.result.err << run.result.out);
  REQUIRE(run.exit_code() == 0);
  json doc = run.json();
  CHECK(doc["vm"]["requested"] == kHostile);
  CHECK(doc["vm"]["name"] == kHostile);
  auto direct = run.cmdlet_calls("Invoke-Command");
  REQUIRE(direct.size() == 2);  // the read, then the one step
  for (const auto& call : direct) {
    CHECK(call["parameter_set"] == "VMId");
    CHECK(call["parameters"]["VMId"] == json::array({vm_in(state, kHostile)["id"]}));
  }
  CHECK(addresses(guest_adapter(run.state_after, kHostile)) ==
        std::vector<std::string>{"192.168.100.7/24"});
  // No other VM's guest changed.
  json before = e2e::without_calls(run.state_before);
  json after = e2e::without_calls(run.state_after);
  vm_in(before, kHostile).erase("guest");
  vm_in(after, kHostile).erase("guest");
  CHECK(after == before);
}

TEST_CASE("net-nat guest takes the prefix and gateway from the host's one NAT", "[network]") {
  json state = l1_running("192.168.100.254");
  e2e::Run run = e2e::run_nestvirt_state(
      state, {"net-nat", "guest", "--vm", "Lab1", "--ip", "192.168.100.2", "--json"}, kCredentials);
  INFO(run.result.err << run.result.out);
  REQUIRE(run.exit_code() == 0);
  json doc = run.json();
  CHECK(doc["request"]["prefix_source"] == "host-nat");
  CHECK(doc["request"]["gateway"] == "192.168.100.254");
  CHECK(doc["request"]["gateway_source"] == "host-nat");
  CHECK(doc["diagnostics"]["powershell_launches"] == 1);
  CHECK(guest_adapter(run.state_after, "Lab1")["gateway"] == "192.168.100.254");
}

TEST_CASE("net-nat guest refuses to replace what the guest already has", "[network]") {
  // Web1 has a static 10.0.0.31/24 with gateway 10.0.0.1 of its own; it is on the NAT's
  // switch, so the host-side checks pass and the guest's own setting is what refuses.
  json web = e2e::scenario("intel-windows-server-2022");
  add_nat(web);
  vm_in(web, "Web1")["network_adapters"][0]["switch"] = "VmNAT";
  e2e::Run run = e2e::run_nestvirt_state(
      web,
      {"net-nat", "guest", "--vm", "Web1", "--ip", "192.168.100.2", "--prefix", "192.168.100.0/24",
       "--json"},
      {{"NESTVIRT_GUEST_USER", "Administrator"}, {"NESTVIRT_GUEST_PASSWORD", "Web1-S3cret!"}});
  INFO(run.result.err << run.result.out);
  CHECK(run.exit_code() == 11);
  json doc = run.json();
  CHECK(doc["refusals"][0]["id"] == "guest.address-conflict");
  CHECK(doc["refusals"][0]["seen"] == "'Ethernet' already has the static address 10.0.0.31/24");
  CHECK(e2e::without_calls(run.state_after) == e2e::without_calls(run.state_before));

  e2e::Run named =
      e2e::run_nestvirt_state(l1_running(),
                              {"net-nat", "guest", "--vm", "Lab1", "--ip", "192.168.100.2",
                               "--prefix", "192.168.100.0/24", "--guest-adapter", "Ethernet 2"},
                              kCredentials);
  INFO(named.result.out);
  CHECK(named.exit_code() == 10);
  CHECK(named.result.out.find("the guest has no network adapter named 'Ethernet 2' (its adapters: "
                              "Ethernet (Up))") != std::string::npos);
}

TEST_CASE("net-nat guest where Hyper-V is missing or not permitted: refused with the reason",
          "[network]") {
  for (const std::string scenario : {"no-hyperv-module", "unelevated"}) {
    e2e::Run run = e2e::run_nestvirt(
        scenario,
        {"net-nat", "guest", "--vm", "Web1", "--ip", "192.168.100.2", "--prefix",
         "192.168.100.0/24", "--json"},
        {{"NESTVIRT_GUEST_USER", "Administrator"}, {"NESTVIRT_GUEST_PASSWORD", "x"}});
    INFO(scenario << ": " << run.result.err << run.result.out);
    CHECK(run.exit_code() == 3);
    CHECK(run.json()["refusals"][0]["id"] ==
          (scenario == "unelevated" ? "host.permissions" : "host.hyperv-module"));
    CHECK(run.cmdlet_calls("Invoke-Command").empty());
  }
}

TEST_CASE("net-nat guest --dry-run reads the guest, shows the real run's steps, changes nothing",
          "[network]") {
  // The run from the issue: it once changed the guest and said "Result: done.".
  const std::vector<std::string> args = {"net-nat", "guest",         "--vm",     "Lab1",
                                         "--ip",    "192.168.100.2", "--prefix", "192.168.100.0/24",
                                         "--dns",   "1.1.1.1"};
  std::vector<std::string> dry_args = args;
  dry_args.insert(dry_args.end(), {"--dry-run", "--json"});
  const json start = l1_running();
  e2e::Run dry = e2e::run_nestvirt_state(start, dry_args, kCredentials);
  INFO(dry.result.err << dry.result.out);
  REQUIRE(dry.exit_code() == 0);
  json doc = dry.json();
  CHECK(doc["command"] == "net-nat guest");
  CHECK(doc["dry_run"] == true);
  CHECK(doc["result"] == "planned");
  CHECK(doc["credential_source"] == "environment");
  CHECK(doc["adapter"] == "Ethernet");
  for (const auto& item : doc["items"]) CHECK(item["status"] == "planned");
  REQUIRE(doc["steps"].size() == 2);
  for (const auto& step : doc["steps"]) CHECK(step["status"] == "planned");
  // Read through PowerShell Direct (once), nothing else: no change cmdlet on the host or in the
  // guest, and the state as it was.
  CHECK(e2e::change_cmdlets(dry) == std::vector<std::string>{"Invoke-Command"});
  for (const auto& call : dry.calls("cmdlet")) {
    if (call.contains("guest")) CHECK(call["name"].get<std::string>().rfind("Get-", 0) == 0);
  }
  CHECK(e2e::without_calls(dry.state_after) == e2e::without_calls(start));
  check_no_password(dry, kPassword);

  // The real run on the same state runs exactly the commands the dry run showed.
  std::vector<std::string> real_args = args;
  real_args.push_back("--json");
  e2e::Run real = e2e::run_nestvirt_state(start, real_args, kCredentials);
  INFO(real.result.err);
  REQUIRE(real.exit_code() == 0);
  const json real_doc = real.json();
  REQUIRE(real_doc["steps"].size() == doc["steps"].size());
  for (std::size_t i = 0; i < doc["steps"].size(); ++i) {
    CHECK(real_doc["steps"][i]["commands"] == doc["steps"][i]["commands"]);
  }
  CHECK(real_doc["commands"] == doc["commands"]);

  // Text: the plan with its commands, and a result line that says nothing was changed.
  std::vector<std::string> text_args = args;
  text_args.push_back("--dry-run");
  e2e::Run text = e2e::run_nestvirt_state(start, text_args, kCredentials);
  CHECK(text.exit_code() == 0);
  CHECK(text.result.out.find("Plan (nothing has been changed):") != std::string::npos);
  CHECK(text.result.out.find("Result: planned (--dry-run); nothing was changed.") !=
        std::string::npos);
  CHECK(e2e::without_calls(text.state_after) == e2e::without_calls(start));
}

TEST_CASE("net-nat's options after `guest` are refused before anything starts", "[network]") {
  const json start = l1_running();
  for (const auto& extra :
       std::vector<std::vector<std::string>>{{"--remove"}, {"--force"}, {"--switch", "VmNAT"}}) {
    std::vector<std::string> args = {"net-nat", "guest",         "--vm",     "Lab1",
                                     "--ip",    "192.168.100.2", "--prefix", "192.168.100.0/24"};
    args.insert(args.end(), extra.begin(), extra.end());
    INFO(extra[0]);
    e2e::Run run = e2e::run_nestvirt_state(start, args, kCredentials);
    CHECK(run.exit_code() == 2);
    CHECK(run.result.err.find("'" + extra[0] + "' is not an option of 'net-nat guest'") !=
          std::string::npos);
    CHECK(run.result.err.find("Run 'nestvirt net-nat guest --help'") != std::string::npos);
    CHECK(run.calls("launch").empty());
    CHECK(e2e::without_calls(run.state_after) == e2e::without_calls(start));
  }
}

TEST_CASE("net-nat guest refuses a VM that is not on the NAT's switch; the fix connects it",
          "[network]") {
  json state = l1_running();
  vm_in(state, "Lab1")["network_adapters"][0]["switch"] = "";  // not connected
  const std::vector<std::string> args = {"net-nat", "guest",         "--vm",  "Lab1",
                                         "--ip",    "192.168.100.2", "--json"};
  e2e::Run run = e2e::run_nestvirt_state(state, args, kCredentials);
  INFO(run.result.err << run.result.out);
  CHECK(run.exit_code() == 11);  // refused: the host's state
  json doc = run.json();
  CHECK(doc["result"] == "refused");
  REQUIRE(doc["refusals"].size() == 1);
  CHECK(doc["refusals"][0]["id"] == "guest.adapter-switch");
  const std::string fix = doc["refusals"][0]["fix_command"];
  CHECK(fix ==
        "nestvirt net-nat --switch 'VmNAT' --nat-name 'LocalNAT' --prefix 192.168.100.0/24 "
        "--connect-vm 'Lab1'");
  CHECK(run.cmdlet_calls("Invoke-Command").size() == 1);  // the read only
  CHECK(e2e::without_calls(run.state_after) == e2e::without_calls(run.state_before));

  // The suggested net-nat, then net-nat guest again: done.
  e2e::Run connect = e2e::run_nestvirt_state(
      state, {"net-nat", "--switch", "VmNAT", "--nat-name", "LocalNAT", "--prefix",
              "192.168.100.0/24", "--connect-vm", "Lab1", "--json"});
  INFO(connect.result.out);
  REQUIRE(connect.exit_code() == 0);
  e2e::Run again = e2e::run_nestvirt_state(e2e::next_run(connect.state_after), args, kCredentials);
  INFO(again.result.out);
  CHECK(again.exit_code() == 0);
  CHECK(again.json()["result"] == "changed");
}

TEST_CASE("net-nat guest refuses a --prefix that is not the host's NAT", "[network]") {
  e2e::Run run =
      e2e::run_nestvirt_state(l1_running(),
                              {"net-nat", "guest", "--vm", "Lab1", "--ip", "192.168.100.2",
                               "--prefix", "192.168.100.0/25", "--json"},
                              kCredentials);
  INFO(run.result.err << run.result.out);
  CHECK(run.exit_code() == 11);  // refused: a conflict with the host's NAT
  json doc = run.json();
  REQUIRE(doc["refusals"].size() == 1);
  CHECK(doc["refusals"][0]["id"] == "guest.prefix-not-host-nat");
  CHECK(doc["refusals"][0]["fix_command"] ==
        "nestvirt net-nat guest --vm 'Lab1' --ip 192.168.100.2 --prefix 192.168.100.0/24");
  CHECK(e2e::without_calls(run.state_after) == e2e::without_calls(run.state_before));
}
