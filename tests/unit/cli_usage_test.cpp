// What the command line accepts and what it says when it does not: each command takes only its
// own options and the global ones (on either side of its name), no empty values, numbers said as
// such, "did you mean" for typos, and every usage error names the help to read. None of them
// starts PowerShell.
#include <cstdlib>

#include "catch.h"
#include "unit/cli_run.h"

using namespace nestvirt::testing;
using nlohmann::json;

namespace {

std::string joined(const std::vector<std::string>& args) {
  std::string out;
  for (const auto& a : args) out += (out.empty() ? "" : " ") + (a.empty() ? "''" : a);
  return out;
}

std::vector<std::string> with_json(std::vector<std::string> args) {
  args.push_back("--json");
  return args;
}

const std::vector<std::string> kGuest = {
    "net-nat", "guest", "--vm", "L2", "--ip", "192.168.100.2", "--prefix", "192.168.100.0/24"};

std::vector<std::string> guest_with(std::vector<std::string> more) {
  std::vector<std::string> args = kGuest;
  args.insert(args.end(), more.begin(), more.end());
  return args;
}

struct Misplaced {
  std::vector<std::string> args;
  std::string option;   // named in the message
  std::string command;  // the JSON `command`, and the help to read
};

// Checks a usage error in text and with --json.
void check_usage_error(const std::vector<std::string>& args, const std::string& says,
                       const std::string& command) {
  INFO(joined(args));
  const CliRun text = run_cli_with(args);
  INFO(text.err);
  CHECK(text.exit_code == 2);
  CHECK_FALSE(text.launched);
  CHECK(text.out.empty());
  CHECK(text.err.find(says) != std::string::npos);
  const std::string help = "Run 'nestvirt " + (command.empty() ? "" : command + " ") + "--help'";
  CHECK(text.err.find(help) != std::string::npos);

  const CliRun js = run_cli_with(with_json(args));
  CHECK(js.exit_code == 2);
  CHECK_FALSE(js.launched);
  const json doc = js.doc();
  REQUIRE_FALSE(doc.is_discarded());
  CHECK(doc["command"] == command);
  CHECK(doc["outcome"] == "usage-error");
  CHECK(doc["exit_code"] == 2);
  CHECK(doc["error"]["kind"] == "usage-error");
  CHECK(doc["error"]["message"].get<std::string>().find(says) != std::string::npos);
}

FakeVm running_vm(std::string id, std::string name) {
  FakeVm v;
  v.id = std::move(id);
  v.name = std::move(name);
  v.state = "Running";
  v.adapters = {{"nic-1", "Network Adapter", "NestedNAT", "Off"}};
  return v;
}

FakeHyperV guest_host() {
  FakeHyperV f;
  f.host = intel_server_2022();
  FakeVm l2 = running_vm("vm-l2", "L2");
  l2.guest.addresses = {{"169.254.7.1", 16, "WellKnown"}};
  f.state.vms = {l2};
  f.state.switches = {{"NestedNAT", "sw-nat", "Internal"}};
  f.state.addresses = {{"192.168.100.1", 24, "vEthernet (NestedNAT)"}};
  f.state.nats = {{"NestedNAT", "192.168.100.0/24"}};
  return f;
}

}  // namespace

TEST_CASE("an option of another command is a usage error naming it", "[cli]") {
  const std::vector<Misplaced> cases = {
      // net-nat's options after `guest` were once taken and ignored: --remove added the address.
      {guest_with({"--remove"}), "'--remove' is not an option of 'net-nat guest'", "net-nat guest"},
      {guest_with({"--switch", "X"}), "'--switch' is not an option of 'net-nat guest'",
       "net-nat guest"},
      {guest_with({"--force"}), "'--force' is not an option of 'net-nat guest'", "net-nat guest"},
      {guest_with({"--nat-name", "N"}), "'--nat-name'", "net-nat guest"},
      {guest_with({"--connect-vm", "L2"}), "'--connect-vm'", "net-nat guest"},
      {guest_with({"--adapter", "A"}), "'--adapter'", "net-nat guest"},
      // ... and before it.
      {{"net-nat", "--remove", "guest", "--vm", "L2", "--ip", "192.168.100.2"},
       "'--remove' is an option of 'net-nat', not of 'net-nat guest'",
       "net-nat guest"},
      {{"net-nat", "--switch", "S", "guest", "--vm", "L2", "--ip", "192.168.100.2"},
       "'--switch' is an option of 'net-nat'",
       "net-nat guest"},
      {{"check", "--restart"}, "'--restart' is not an option of 'check'", "check"},
      {{"check", "--dry-run"}, "'--dry-run' is not an option of 'check'", "check"},
      {{"check", "--ip", "1.2.3.4"}, "'--ip' is not an option of 'check'", "check"},
      {{"enable", "--vm", "X", "--off"}, "'--off' is not an option of 'enable'", "enable"},
      {{"enable", "--vm", "X", "--adapter", "A"}, "'--adapter'", "enable"},
      {{"enable", "--vm", "X", "--print"}, "'--print'", "enable"},
      {{"disable", "--vm", "X", "--upgrade-version"}, "'--upgrade-version'", "disable"},
      {{"disable", "--vm", "X", "--mac-spoofing"}, "'--mac-spoofing'", "disable"},
      {{"disable", "--vm", "X", "--disable-dynamic-memory"},
       "'--disable-dynamic-memory'",
       "disable"},
      {{"net-spoof", "--vm", "X", "--restart"}, "'--restart'", "net-spoof"},
      {{"net-spoof", "--vm", "X", "--force"}, "'--force'", "net-spoof"},
      {{"net-nat", "--switch", "S", "--prefix", "192.168.100.0/24", "--vm", "X"},
       "'--vm'",
       "net-nat"},
      {{"net-nat", "--switch", "S", "--prefix", "192.168.100.0/24", "--restart"},
       "'--restart'",
       "net-nat"},
      {{"net-nat", "--switch", "S", "--prefix", "192.168.100.0/24", "--ip", "192.168.100.2"},
       "'--ip'",
       "net-nat"},
      {{"enable", "--vm", "X", "--version"},
       "'--version' is an option of nestvirt itself",
       "enable"},
      // A command's option before the command's name.
      {{"--vm", "X", "enable"}, "'--vm' is an option of 'enable', not a global option", "enable"},
  };
  for (const auto& c : cases) check_usage_error(c.args, c.option, c.command);
}

TEST_CASE("global options work before and after the command, net-nat guest included", "[cli]") {
  set_guest_login();
  const std::vector<std::vector<std::string>> guest_runs = {
      guest_with({"--print", "--json"}),
      {"--json", "net-nat", "guest", "--vm", "L2", "--ip", "192.168.100.2", "--prefix",
       "192.168.100.0/24", "--print"},
      {"net-nat", "--json", "guest", "--vm", "L2", "--ip", "192.168.100.2", "--prefix",
       "192.168.100.0/24", "--print"},
      guest_with({"--print", "--timeout", "30", "-v", "--powershell", "pwsh", "--json"}),
      {"--timeout", "30", "net-nat", "guest", "--vm", "L2", "--ip", "192.168.100.2", "--prefix",
       "192.168.100.0/24", "--print", "--json"},
  };
  for (const auto& args : guest_runs) {
    INFO(joined(args));
    set_guest_login();
    const CliRun r = run_cli_with(args);
    INFO(r.err);
    CHECK(r.exit_code == 0);
    const json doc = r.doc();
    REQUIRE_FALSE(doc.is_discarded());
    CHECK(doc["command"] == "net-nat guest");
    CHECK(doc["result"] == "planned");
  }
  const std::vector<std::pair<std::vector<std::string>, std::string>> host_runs = {
      {{"enable", "--vm", "Web1", "--dry-run", "--json"}, "enable"},
      {{"--json", "enable", "--vm", "Web1", "--dry-run"}, "enable"},
      {{"-v", "--timeout", "60", "enable", "--json", "--vm", "Web1", "--dry-run"}, "enable"},
      {{"disable", "--dry-run", "--vm", "Web1", "--json"}, "disable"},
      {{"--json", "net-spoof", "--vm", "Web1", "--dry-run"}, "net-spoof"},
      {{"check", "--vm", "Web1", "--json"}, "check"},
      {{"--json", "check", "--vm", "Web1"}, "check"},
      {{"net-nat", "--switch", "N", "--prefix", "192.168.100.0/24", "--dry-run", "--json"},
       "net-nat"},
      {{"--json", "net-nat", "--switch", "N", "--prefix", "192.168.100.0/24", "--dry-run"},
       "net-nat"},
  };
  for (const auto& [args, command] : host_runs) {
    INFO(joined(args));
    FakeHyperV fake;
    fake.host = intel_server_2022();
    fake.state.vms = {running_vm("vm-web", "Web1")};
    const FakeState before = fake.state;
    const CliRun r = run_cli_with(args, &fake);
    INFO(r.err);
    CHECK(r.exit_code != 2);
    const json doc = r.doc();
    REQUIRE_FALSE(doc.is_discarded());
    CHECK(doc["command"] == command);
    CHECK(fake.state == before);
  }
}

TEST_CASE("an empty value is a usage error naming the option, never 'all' or the default",
          "[cli]") {
  const std::string says = ": empty value (an unset shell variable?)";
  const std::vector<Misplaced> cases = {
      {{"check", "--vm", ""}, "--vm", "check"},
      {{"enable", "--vm", ""}, "--vm", "enable"},
      {{"enable", "--vm", "X", "--shutdown-timeout", ""}, "--shutdown-timeout", "enable"},
      {{"disable", "--vm", ""}, "--vm", "disable"},
      {{"net-spoof", "--vm", ""}, "--vm", "net-spoof"},
      {{"net-spoof", "--vm", "X", "--adapter", ""}, "--adapter", "net-spoof"},
      {{"net-nat", "--switch", "", "--prefix", "192.168.100.0/24"}, "--switch", "net-nat"},
      {{"net-nat", "--switch", "S", "--prefix", ""}, "--prefix", "net-nat"},
      {{"net-nat", "--switch", "S", "--prefix", "192.168.100.0/24", "--gateway", ""},
       "--gateway",
       "net-nat"},
      {{"net-nat", "--switch", "S", "--remove", "--nat-name", ""}, "--nat-name", "net-nat"},
      {{"net-nat", "--switch", "S", "--prefix", "192.168.100.0/24", "--connect-vm", ""},
       "--connect-vm",
       "net-nat"},
      {{"net-nat", "--switch", "S", "--prefix", "192.168.100.0/24", "--connect-vm", "X",
        "--adapter", ""},
       "--adapter",
       "net-nat"},
      {{"net-nat", "guest", "--vm", "", "--ip", "192.168.100.2"}, "--vm", "net-nat guest"},
      {{"net-nat", "guest", "--vm", "L2", "--ip", ""}, "--ip", "net-nat guest"},
      {guest_with({"--gateway", ""}), "--gateway", "net-nat guest"},
      {guest_with({"--dns", ""}), "--dns", "net-nat guest"},
      {guest_with({"--dns", "1.1.1.1", "--dns", ""}), "--dns", "net-nat guest"},
      {guest_with({"--guest-adapter", ""}), "--guest-adapter", "net-nat guest"},
      {{"net-nat", "guest", "--vm", "L2", "--ip", "192.168.100.2", "--prefix", ""},
       "--prefix",
       "net-nat guest"},
      {{"--powershell", "", "check"}, "--powershell", "check"},
      {{"check", "--powershell", ""}, "--powershell", "check"},
      {guest_with({"--powershell", ""}), "--powershell", "net-nat guest"},
      {{"--timeout", "", "check"}, "--timeout", "check"},
      {{"enable", "--vm", "X", "--timeout", ""}, "--timeout", "enable"},
      {{"--vm=", "check"}, "--vm", "check"},  // misplaced, reported as such
  };
  for (const auto& c : cases) {
    const bool misplaced = c.args[0] == "--vm=";
    check_usage_error(c.args, misplaced ? c.option : c.option + says, c.command);
  }
}

TEST_CASE("unknown commands and options get 'did you mean'", "[cli]") {
  check_usage_error({"enabel", "--vm", "X"}, "unknown command 'enabel'; did you mean 'enable'?",
                    "");
  check_usage_error({"chek"}, "unknown command 'chek'; did you mean 'check'?", "");
  check_usage_error({"frobnicate"}, "unknown command 'frobnicate'", "");
  check_usage_error({"net-nat", "gust", "--vm", "X"},
                    "unknown command 'net-nat gust'; did you mean 'guest'?", "net-nat");
  check_usage_error({"enable", "--vm", "X", "--shutdown-timout", "5"},
                    "unknown option '--shutdown-timout' for 'enable'; did you mean "
                    "'--shutdown-timeout'?",
                    "enable");
  check_usage_error({"enable", "--vm", "X", "--dryrun"},
                    "unknown option '--dryrun' for 'enable'; did you mean '--dry-run'?", "enable");
  check_usage_error(guest_with({"--gest-adapter", "Ethernet"}), "did you mean '--guest-adapter'?",
                    "net-nat guest");
  check_usage_error({"--jsn", "check"}, "unknown option '--jsn'; did you mean '--json'?", "check");
  check_usage_error({"check", "--bogus"}, "unknown option '--bogus' for 'check'", "check");
  check_usage_error({"enable", "Lab1"}, "unexpected argument 'Lab1'", "enable");
  // `nestvirt` alone is help (exit 0); a command is required once anything else is given.
  const CliRun bare = run_cli_with({});
  CHECK(bare.exit_code == 0);
  CHECK_FALSE(bare.launched);
  CHECK(bare.out.find("Commands:") != std::string::npos);
  CHECK(bare.out.find("enable") != std::string::npos);
  const CliRun json_only = run_cli_with({"--json"});
  CHECK(json_only.exit_code == 2);
  CHECK(json_only.out.find("a command is required: 'check', 'enable', 'disable', 'net-spoof', "
                           "'net-nat' or 'help'") != std::string::npos);

  const CliRun none = run_cli_with({"frobnicate"});
  CHECK(none.err.find("did you mean") == std::string::npos);
}

TEST_CASE("a number that is not a number says so; one out of range says the range", "[cli]") {
  check_usage_error({"enable", "--vm", "X", "--shutdown-timeout", "abc"},
                    "--shutdown-timeout: 'abc' is not a whole number", "enable");
  check_usage_error({"enable", "--vm", "X", "--shutdown-timeout", "1.5"},
                    "--shutdown-timeout: '1.5' is not a whole number", "enable");
  check_usage_error({"enable", "--vm", "X", "--shutdown-timeout", "0"},
                    "--shutdown-timeout: '0' is out of range: it must be from 1 to 86400",
                    "enable");
  check_usage_error({"disable", "--vm", "X", "--shutdown-timeout", "86401"},
                    "--shutdown-timeout: '86401' is out of range", "disable");
  check_usage_error({"--timeout", "-5", "check"}, "--timeout: '-5' is out of range", "check");
  check_usage_error({"check", "--timeout", "99999999999999999999999"},
                    "--timeout: '99999999999999999999999' is out of range", "check");
  check_usage_error({"--timeout", "ten", "check"}, "--timeout: 'ten' is not a whole number",
                    "check");
  const CliRun abc = run_cli_with({"enable", "--vm", "X", "--shutdown-timeout", "abc"});
  CHECK(abc.err.find("range") == std::string::npos);
}

TEST_CASE("usage errors found after parsing also point at the command's help", "[cli]") {
  check_usage_error({"enable", "--vm", "X", "--force"}, "--force only applies with --restart",
                    "enable");
  check_usage_error({"net-nat", "--switch", "S", "--prefix", "192.168.100.5/24"},
                    "Did you mean --prefix 192.168.100.0/24?", "net-nat");
  check_usage_error({"net-nat", "--prefix", "192.168.100.0/24"}, "--switch is required", "net-nat");
  check_usage_error({"net-nat", "guest", "--ip", "192.168.100.2"}, "--vm is required",
                    "net-nat guest");
  check_usage_error(guest_with({"--print", "--dry-run"}), "--print and --dry-run exclude",
                    "net-nat guest");
}

TEST_CASE("net-nat guest --dry-run reads the guest, plans, and changes nothing", "[cli]") {
  set_guest_login();
  FakeHyperV fake = guest_host();
  const FakeState before = fake.state;
  const CliRun r = run_cli_with(guest_with({"--dns", "1.1.1.1", "--dry-run", "--json"}), &fake);
  INFO(r.err << r.out);
  CHECK(r.exit_code == 0);
  CHECK(r.launched);  // it reads the VM and the guest, unlike --print
  CHECK(fake.changes.empty());
  CHECK(fake.state == before);
  const json doc = r.doc();
  REQUIRE_FALSE(doc.is_discarded());
  CHECK(doc["command"] == "net-nat guest");
  CHECK(doc["outcome"] == "ok");
  CHECK(doc["result"] == "planned");
  CHECK(doc["dry_run"] == true);
  CHECK(doc["print"] == false);
  CHECK(doc["credential_source"] == "environment");
  CHECK(doc["vm"]["id"] == "vm-l2");
  CHECK(doc["adapter"] == "Ethernet");
  REQUIRE(doc["items"].size() == 3);
  for (const auto& item : doc["items"]) CHECK(item["status"] == "planned");
  REQUIRE(doc["steps"].size() == 2);
  for (const auto& step : doc["steps"]) {
    CHECK(step["status"] == "planned");
    CHECK_FALSE(step["commands"].empty());
  }
  CHECK_FALSE(doc["commands"].empty());

  set_guest_login();  // the run before took the password out of the environment
  FakeHyperV text_fake = guest_host();
  const CliRun text = run_cli_with(guest_with({"--dns", "1.1.1.1", "--dry-run"}), &text_fake);
  INFO(text.out);
  CHECK(text.exit_code == 0);
  CHECK(text_fake.changes.empty());
  CHECK(text.out.find("Plan (nothing has been changed):") != std::string::npos);
  CHECK(text.out.find("New-NetIPAddress") != std::string::npos);
  CHECK(text.out.find("Result: planned (--dry-run); nothing was changed.") != std::string::npos);
  CHECK(text.out.find("Result: done") == std::string::npos);
}
