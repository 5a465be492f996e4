// The parity cases: one row per command, run by both builds against copies of the same state.
// Scenarios: tests/hyperv-sim/scenarios (README.md there lists their hosts and VMs).
#include "parity/parity.h"

namespace parity {

namespace {

json& vm(json& state, const std::string& name) {
  for (auto& v : state["vms"]) {
    if (v["name"] == name) return v;
  }
  throw std::runtime_error("no VM " + name + " in the scenario");
}

std::function<void(json&)> fault(const std::string& cmdlet, json details) {
  return [cmdlet, details](json& state) {
    json f = {{"cmdlet", cmdlet}, {"call", 1}};
    f.update(details);
    state["faults"] = json::array({f});
  };
}

// A VM name outside every ANSI code page (Cyrillic, CJK, Greek): it must survive the UTF-16
// command line of nestvirt.exe.
const std::string kWideName =
    "\xD0\x9B\xD0\xB0\xD0\xB1-\xE5\xAE\x9F\xE9\xA8\x93-\xCE\xA9";  // "Лаб-実験-Ω"
// The scenario's own hostile VM: quotes, brackets, $(), a backtick and Latin-1 letters.
const std::string kHostileName =
    "O'Brien [test] $(x) `\"quoted\" \xC3\x9Cn\xC3\xAF"
    "c\xC3\xB8"
    "d\xC3\xA9";

// A NAT as `net-nat --switch <name> --prefix 192.168.100.0/24 --connect-vm Lab1` leaves it: the
// internal switch, its host adapter with the gateway 192.168.100.1, the NAT of that name, and
// Lab1's adapter on the switch.
void with_nat(json& state, const std::string& name, const std::string& switch_id) {
  state["switches"].push_back(
      {{"name", name}, {"id", switch_id}, {"type", "Internal"}, {"allow_management_os", true}});
  state["net_adapters"].push_back({{"name", "vEthernet (" + name + ")"},
                                   {"description", "Hyper-V Virtual Ethernet Adapter #2"},
                                   {"if_index", 12},
                                   {"guid", "a1b2c3d4-0000-4000-8000-0000000000b1"},
                                   {"mac", "00-15-5D-0A-0B-B1"},
                                   {"status", "Up"},
                                   {"link_speed", "10 Gbps"},
                                   {"virtual", true},
                                   {"switch", name},
                                   {"switch_id", switch_id},
                                   {"dhcp", false},
                                   {"dns_servers", json::object()}});
  state["ip_addresses"].push_back({{"ip", "192.168.100.1"},
                                   {"if_index", 12},
                                   {"family", "IPv4"},
                                   {"prefix_length", 24},
                                   {"prefix_origin", "Manual"},
                                   {"suffix_origin", "Manual"},
                                   {"state", "Preferred"},
                                   {"type", "Unicast"}});
  state["nats"].push_back({{"name", name},
                           {"internal_prefix", "192.168.100.0/24"},
                           {"external_prefix", nullptr},
                           {"internal_routing_domain_id", nullptr}});
  vm(state, "Lab1")["network_adapters"][0]["switch"] = name;
}

void with_nested_nat(json& state) {
  with_nat(state, "NestedNAT", "5a5a5a5a-0000-4000-8000-0000000000b1");
}

// The l1-guest host with its nested VM Lab1 running, reachable by PowerShell Direct, on the
// internal switch VmNAT of the host's NAT (net-nat guest checks that before it changes
// anything).
void l1_running(json& state) {
  state["switches"] = json::array();
  with_nat(state, "VmNAT", "5a5a5a5a-0000-4000-8000-00000000000a");
  json& lab = vm(state, "Lab1");
  lab["state"] = "Running";
  lab["started_at"] = "2026-11-24T08:00:00Z";
}

const std::vector<std::pair<std::string, std::string>> kGuestCredentials = {
    {"NESTVIRT_GUEST_USER", "Administrator"}, {"NESTVIRT_GUEST_PASSWORD", "L2-Lab1-pw!"}};
// A password outside ASCII, set in the guest and passed in the environment.
const std::string kWidePassword = "P\xC3\xA4ss-\xD0\x9F\xD0\xB0\xD1\x80\xD0\xBE\xD0\xBB\xD1\x8C";

const std::vector<std::string> kNatCreate = {"net-nat", "--switch", "NestedNAT", "--prefix",
                                             "192.168.100.0/24"};

std::vector<std::string> plus(std::vector<std::string> a, const std::vector<std::string>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

}  // namespace

const std::vector<Case>& cases() {
  static const std::vector<Case> table = {
      // --- failures: hanging (first: the slowest case, a 30 s timeout, runs while others do),
      // a cmdlet error (undone), PowerShell exiting mid-plan, PowerShell missing
      Case("powershell-hangs-timeout", "intel-windows-server-2022",
           // Long enough for a cold engine under wine on a busy machine to reach the hang.
           {"--timeout", "30", "check", "--vm", "Lab1", "--json"}, 7)
          .with_setup(fault("Get-VMHost", {{"action", "hang"}, {"child", true}}))
          .watching_tree(),
      Case("enable-error-rolled-back", "intel-windows-server-2022",
           {"enable", "--vm", "Web1", "--restart", "--mac-spoofing", "--json"}, 8)
          .with_setup(fault("Set-VMProcessor", {{"message", "Injected failure"}})),
      // Memory changed, then PowerShell dies: a new one puts the memory setting back.
      Case("powershell-exits-mid-plan", "intel-windows-server-2022",
           {"enable", "--vm", "Lab1", "--disable-dynamic-memory", "--mac-spoofing", "--json"}, 8)
          .with_setup(fault("Set-VMProcessor", {{"action", "exit"}, {"exit_code", 3}})),
      Case("powershell-missing", "intel-windows-server-2022",
           {"--powershell", "{missing-powershell}", "check", "--vm", "Lab1", "--json"}, 5)
          .without_powershell()
          // "No such file or directory" / "The system cannot find the file specified."
          .ignoring("/error/message"),

      // --- check on several hosts (read-only); one in text, the rest --json
      Case("check-intel-server-2022", "intel-windows-server-2022", {"check", "--json"}, 0),
      Case("check-amd-windows10-text", "amd-windows10-22h2", {"check", "--vm", "Lab1"}, 3),
      Case("check-no-hyperv-module", "no-hyperv-module", {"check", "--json"}, 3),
      Case("check-unelevated", "unelevated", {"check", "--vm", "Lab1", "--json"}, 3),
      Case("check-hostile-name", "intel-windows-server-2022",
           {"check", "--vm", kHostileName, "--json"}, 0),

      // --- enable and disable
      Case("enable-non-ascii-name", "intel-windows-server-2022",
           {"enable", "--vm", kWideName, "--disable-dynamic-memory", "--json"}, 0)
          .with_setup([](json& s) { vm(s, "Lab1")["name"] = kWideName; }),
      Case("enable-restart", "intel-windows-server-2022",
           {"enable", "--vm", "Web1", "--restart", "--mac-spoofing", "--json"}, 0),
      Case("enable-force-hanging-guest", "intel-windows-server-2022",
           {"enable", "--vm", "Hang1", "--restart", "--force", "--shutdown-timeout", "1", "--json"},
           0),
      Case("enable-hanging-guest-left-pending", "intel-windows-server-2022",
           {"enable", "--vm", "Hang1", "--restart", "--shutdown-timeout", "1", "--json"}, 9),
      Case("enable-upgrade-version", "amd-windows11-23h2",
           {"enable", "--vm", "Lab1", "--upgrade-version", "--json"}, 0),
      Case("enable-dry-run", "intel-windows-server-2022",
           {"enable", "--vm", "*1", "--restart", "--dry-run", "--json"}, 11),
      Case("disable", "intel-windows-server-2022", {"disable", "--vm", "Nested1", "--json"}, 0),

      // --- network
      Case("net-spoof", "intel-windows-server-2022",
           {"net-spoof", "--vm", "Multi1", "--vm", "Web1", "--json"}, 0),
      Case("net-nat-create", "intel-windows-server-2022",
           plus(kNatCreate, {"--connect-vm", "Lab1", "--json"}), 0),
      Case("net-nat-lagging-adapter", "l1-guest-windows-server-2022", plus(kNatCreate, {"--json"}),
           0),
      Case("net-nat-conflict-refused", "amd-windows-server-2019", plus(kNatCreate, {"--json"}), 11),
      Case("net-nat-remove-force", "intel-windows-server-2022",
           {"net-nat", "--remove", "--switch", "NestedNAT", "--force", "--json"}, 0)
          .with_setup(with_nested_nat),
      Case("net-nat-guest", "l1-guest-windows-server-2022",
           {"net-nat", "guest", "--vm", "Lab1", "--ip", "192.168.100.2", "--prefix",
            "192.168.100.0/24", "--dns", "1.1.1.1", "--dns", "8.8.8.8", "--json"},
           0)
          .with_setup(l1_running)
          .with_env(kGuestCredentials),
      Case("net-nat-guest-non-ascii-password", "l1-guest-windows-server-2022",
           {"net-nat", "guest", "--vm", "Lab1", "--ip", "192.168.100.2", "--prefix",
            "192.168.100.0/24", "--json"},
           0)
          .with_setup([](json& s) {
            l1_running(s);
            vm(s, "Lab1")["guest"]["credentials"]["password"] = kWidePassword;
          })
          .with_env({{"NESTVIRT_GUEST_USER", "Administrator"},
                     {"NESTVIRT_GUEST_PASSWORD", kWidePassword}}),
  };
  return table;
}

}  // namespace parity
