// Remote hosts over real sshd instances (tests/remote/sim-sshd): every command through ssh://
// and pwsh-ssh://, fleets, every connection failure, and a connection killed in the middle of
// a change. The far side runs the same PowerShell engine and simulator as the local tests.
#include <fstream>
#include <thread>

#include "catch.h"
#include "e2e/remote_support.h"

using e2e::SimSshHost;
using e2e::vm_in;
using nlohmann::json;

namespace {

const std::vector<std::pair<std::string, std::string>> kCredentials = {
    {"NESTVIRT_GUEST_USER", "Administrator"}, {"NESTVIRT_GUEST_PASSWORD", "L2-Lab1-pw!"}};

std::size_t launches(const json& state) {
  std::size_t n = 0;
  for (const auto& c : state.value("calls", json::array())) n += c.value("type", "") == "launch";
  return n;
}

struct Remote {
  nestvirt::process::RunResult result;
  json doc;  // the fleet document
  const json& host() const { return doc["hosts"][0]; }
};

Remote run_on(const SimSshHost& host, const std::string& scheme, std::vector<std::string> args,
              const std::vector<std::pair<std::string, std::string>>& env = {}) {
  args.insert(args.end(), {"--host", host.target(scheme), "--json"});
  const auto keys = host.key_options();
  args.insert(args.end(), keys.begin(), keys.end());
  Remote r;
  r.result = e2e::run_remote(args, env);
  r.doc = json::parse(r.result.out, nullptr, false);
  return r;
}

}  // namespace

TEST_CASE("every command runs on a remote host, one PowerShell session per run", "[remote]") {
  const std::string scheme = GENERATE(std::string("ssh"), std::string("pwsh-ssh"));
  SECTION(scheme) {
    SimSshHost host(e2e::l1_running());
    struct Step {
      std::vector<std::string> args;
      std::string result;
    };
    const std::vector<Step> steps = {
        {{"check", "--vm", "Lab1"}, ""},
        {{"enable", "--vm", "Lab1", "--restart", "--dry-run"}, "planned"},
        {{"enable", "--vm", "Lab1", "--restart"}, "changed"},
        {{"net-spoof", "--vm", "Lab1"}, "changed"},
        {{"net-nat", "--switch", "NestedNAT", "--prefix", "192.168.100.0/24", "--connect-vm",
          "Lab1"},
         "changed"},
        {{"net-nat", "guest", "--vm", "Lab1", "--ip", "192.168.100.2", "--prefix",
          "192.168.100.0/24", "--dry-run"},
         "planned"},
        {{"net-nat", "guest", "--vm", "Lab1", "--ip", "192.168.100.2", "--prefix",
          "192.168.100.0/24"},
         "changed"},
        {{"disable", "--vm", "Lab1", "--restart"}, "changed"},
    };
    for (const auto& step : steps) {
      const json before = host.state();
      const Remote r = run_on(host, scheme, step.args, kCredentials);
      const json after = host.state();
      INFO(scheme << " " << step.args[0] << " " << step.args[1] << "\n"
                  << r.result.err << r.result.out);
      REQUIRE(r.doc.is_object());
      CHECK(r.result.status.code == 0);
      CHECK(r.doc["exit_code"] == 0);
      CHECK(r.host()["transport"] == scheme);
      CHECK(r.host()["target"] == host.target(scheme));
      if (!step.result.empty()) CHECK(r.host()["result"] == step.result);
      CHECK(launches(after) - launches(before) == 1);  // one session, however many requests
      if (step.result == "planned") CHECK(e2e::without_calls(after) == e2e::without_calls(before));
    }
    const json end = host.state();
    CHECK(vm_in(end, "Lab1")["processor"]["expose_virtualization_extensions"] == false);
    CHECK(vm_in(end, "Lab1")["state"] == "Running");
    const json& guest = vm_in(end, "Lab1")["guest"]["adapters"][0];
    CHECK(guest["addresses"].dump().find("192.168.100.2") != std::string::npos);
  }
}

TEST_CASE("a remote check reports what a local check reports", "[remote]") {
  SimSshHost host(e2e::scenario("amd-windows10-22h2"));
  const Remote remote = run_on(host, "ssh", {"check", "--vm", "Lab1"});
  const e2e::Run local =
      e2e::run_nestvirt("amd-windows10-22h2", {"check", "--vm", "Lab1", "--json"});
  REQUIRE(remote.doc.is_object());
  CHECK(remote.doc["exit_code"] == local.exit_code());
  CHECK(remote.host()["findings"] == local.json()["findings"]);
  CHECK(remote.host()["vms"] == local.json()["vms"]);
}

TEST_CASE("a fleet runs its hosts in parallel; one unreachable host does not stop the others",
          "[fleet]") {
  SimSshHost a(e2e::scenario("intel-windows-server-2022"));
  SimSshHost b(e2e::scenario("intel-windows-server-2022"));
  SimSshHost c(e2e::scenario("intel-windows-server-2022"));
  const int refused = e2e::closed_port();
  std::vector<std::string> args = {"enable", "--vm",       "Web1", "--restart",
                                   "--json", "--parallel", "4"};
  // As on a real runner: one client key that every host accepts, one known_hosts for all.
  e2e::TempDir keys;
  const auto known = keys.path() / "known_hosts";
  {
    std::ofstream out(known);
    for (const SimSshHost* h : {&a, &b, &c}) out << e2e::read_text(h->known_hosts());
  }
  for (const SimSshHost* h : {&b, &c}) h->authorize(a.identity());
  for (const SimSshHost* h : {&a, &b, &c}) args.insert(args.end(), {"--host", h->target("ssh")});
  args.insert(args.end(), {"--host", "ssh://127.0.0.1:" + std::to_string(refused), "--ssh-identity",
                           a.identity().string(), "--ssh-known-hosts", known.string()});
  const auto result = e2e::run_remote(args);
  INFO(result.err << result.out);
  const json doc = json::parse(result.out);
  CHECK(result.status.code == 13);
  CHECK(doc["outcome"] == "host-unreachable");
  REQUIRE(doc["hosts"].size() == 4);
  for (std::size_t i = 0; i < 3; ++i) {
    CHECK(doc["hosts"][i]["exit_code"] == 0);
    CHECK(doc["hosts"][i]["result"] == "changed");
  }
  CHECK(doc["hosts"][3]["error"]["kind"] == "connection-refused");
  for (const SimSshHost* h : {&a, &b, &c}) {
    CHECK(vm_in(h->state(), "Web1")["processor"]["expose_virtualization_extensions"] == true);
  }
  // Progress and errors on stderr carry the host's name.
  CHECK(result.err.find("[127.0.0.1:" + std::to_string(refused) + "] nestvirt: Nothing accepts") !=
        std::string::npos);

  // Text: each host's report under its name, then one line per host.
  std::vector<std::string> text_args = {"check", "--ssh-identity", a.identity().string(),
                                        "--ssh-known-hosts", known.string()};
  for (const SimSshHost* h : {&a, &b})
    text_args.insert(text_args.end(), {"--host", h->target("ssh")});
  const auto text = e2e::run_remote(text_args);
  CHECK(text.status.code == 0);
  CHECK(text.out.find("== " + a.target("ssh").substr(6) + " (ssh) ==") != std::string::npos);
  CHECK(text.out.find("Result: 2 of 2 hosts ok.") != std::string::npos);
}

TEST_CASE("each way a host cannot be used has its own words and exit code", "[remote-faults]") {
  const std::string scheme = GENERATE(std::string("ssh"), std::string("pwsh-ssh"));
  SimSshHost host(e2e::scenario("intel-windows-server-2022"));
  SimSshHost bare(e2e::scenario("intel-windows-server-2022"), false);
  e2e::TempDir tmp;
  const auto other_key = tmp.path() / "other_key";
  nestvirt::process::run(
      {{"ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", other_key.string()}, {}}, "",
      std::chrono::seconds(30));
  const auto empty_known = tmp.path() / "empty_known_hosts";
  std::ofstream(empty_known).close();
  const auto changed_known = tmp.path() / "changed_known_hosts";
  std::ofstream(changed_known) << "[127.0.0.1]:" << host.port() << " "
                               << e2e::read_text(other_key.string() + ".pub");
  e2e::SilentPort silent;
  struct Case {
    std::string name, target, identity, known, kind;
    int code;
  };
  const std::string id = host.identity().string(), kh = host.known_hosts().string();
  const std::vector<Case> cases = {
      {"wrong key", host.target(scheme), other_key.string(), kh, "login-refused", 14},
      {"unknown host key", host.target(scheme), id, empty_known.string(), "host-key-unknown", 15},
      {"changed host key", host.target(scheme), id, changed_known.string(), "host-key-changed", 15},
      {"refusing port", scheme + "://u@127.0.0.1:" + std::to_string(e2e::closed_port()), id, kh,
       "connection-refused", 13},
      {"silent port", scheme + "://u@127.0.0.1:" + std::to_string(silent.port()), id, kh,
       "connect-timeout", 13},
      {"unresolvable name", scheme + "://u@nosuchhost.invalid", id, kh, "name-not-resolved", 13},
      {"no PowerShell on the host", bare.target(scheme), bare.identity().string(),
       bare.known_hosts().string(), "remote-powershell-missing", 5},
  };
  for (const auto& c : cases) {
    const auto started = std::chrono::steady_clock::now();
    const auto result = e2e::run_remote(
        {"enable", "--vm", "Web1", "--restart", "--json", "--connect-timeout", "3", "--host",
         c.target, "--ssh-identity", c.identity, "--ssh-known-hosts", c.known});
    const auto seconds =
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - started)
            .count();
    INFO(scheme << ": " << c.name << "\n" << result.err << result.out);
    const json doc = json::parse(result.out, nullptr, false);
    REQUIRE(doc.is_object());
    CHECK(result.status.code == c.code);
    CHECK(doc["hosts"][0]["error"]["kind"] == c.kind);
    CHECK(seconds < 30);  // nothing hangs: --connect-timeout holds
  }
  // Nothing reached the host: no PowerShell started, nothing changed.
  CHECK(launches(host.state()) == 0);
  CHECK(vm_in(host.state(), "Web1")["processor"]["expose_virtualization_extensions"] == false);
}

TEST_CASE("a connection killed in the middle of a change is undone over a fresh one",
          "[remote-faults]") {
  const std::string scheme = GENERATE(std::string("ssh"), std::string("pwsh-ssh"));
  json state = e2e::scenario("intel-windows-server-2022");
  state["faults"] = json::array({{{"cmdlet", "New-NetNat"}, {"call", 1}, {"action", "hang"}}});
  SimSshHost host(state);
  std::vector<std::string> args = {NESTVIRT_BINARY, "net-nat",  "--switch",
                                   "NestedNAT",     "--prefix", "192.168.100.0/24",
                                   "--json",        "--host",   host.target(scheme)};
  for (const auto& o : host.key_options()) args.push_back(o);
  nestvirt::process::ExitStatus status;
  auto child = nestvirt::process::spawn(
      {args, {{"NESTVIRT_POWERSHELL", e2e::engine().string()}, {"NESTVIRT_SIM_STATE", ""}}},
      status);
  REQUIRE(child);
  child->close_stdin();
  // Wait until the hung New-NetNat is in the host's log, then cut every connection.
  bool hung = false;
  for (int i = 0; i < 600 && !hung; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    // The simulator rewrites the file while we read it: a torn read is skipped, not fatal.
    const json now = json::parse(e2e::read_text(host.state_file()), nullptr, false);
    if (!now.is_object()) continue;
    for (const auto& c : now.value("calls", json::array())) {
      hung |= c.value("name", "") == "New-NetNat";
    }
  }
  REQUIRE(hung);
  host.drop_connections();
  std::string out;
  child->read_until("\x01never\x01", out,
                    nestvirt::process::Clock::now() + std::chrono::seconds(120));
  status = child->wait(nestvirt::process::Clock::now() + std::chrono::seconds(10));
  out += child->take_stdout();
  INFO(out << child->take_stderr());
  e2e::keep_json_document(out);
  CHECK(status.code == 8);  // change-failed: what was done is undone
  const json doc = json::parse(out, nullptr, false);
  REQUIRE(doc.is_object());
  CHECK(doc["hosts"][0]["result"] == "failed");
  const json end = host.state();
  CHECK(launches(end) == 2);  // the undo ran in a second session
  for (const auto& sw : end["switches"]) CHECK(sw["name"] != "NestedNAT");
  CHECK(end.value("nats", json::array()).empty());
}

TEST_CASE("--timeout holds on a remote host: a hung request is ended and undone",
          "[remote-faults]") {
  json state = e2e::scenario("intel-windows-server-2022");
  state["faults"] = json::array({{{"cmdlet", "New-NetNat"}, {"call", 1}, {"action", "hang"}}});
  SimSshHost host(state);
  const auto started = std::chrono::steady_clock::now();
  const Remote r = run_on(
      host, "ssh",
      {"net-nat", "--switch", "NestedNAT", "--prefix", "192.168.100.0/24", "--timeout", "5"});
  const auto seconds =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - started)
          .count();
  INFO(r.result.err << r.result.out);
  REQUIRE(r.doc.is_object());
  CHECK(r.result.status.code == 8);
  CHECK(r.host()["result"] == "failed");
  CHECK(seconds < 60);
  const json end = host.state();
  for (const auto& sw : end["switches"]) CHECK(sw["name"] != "NestedNAT");
}
