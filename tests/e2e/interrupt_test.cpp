// Interruptions, end to end: SIGINT and SIGTERM sent to build/nestvirt while it is at each step
// kind of `enable --restart`, `net-nat --connect-vm` and `enable --install-hyperv`, and to a
// fleet. Each case checks the exit code, the one JSON document (what it says was undone or is
// left, and `interrupted`) and the simulated host's end state. The simulator's "delay" fault
// holds a cmdlet for a while after logging it: the test waits for that call in the state file,
// then signals nestvirt (not the script around it).
#include <signal.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include "catch.h"
#include "e2e/remote_support.h"
#include "e2e/support.h"

using e2e::vm_in;
using nlohmann::json;
namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

const std::vector<std::pair<std::string, std::string>> kGuestLogin = {
    {"NESTVIRT_GUEST_USER", "Administrator"}, {"NESTVIRT_GUEST_PASSWORD", "L2-Lab1-pw!"}};

// The state file as it is now; nullopt while the simulator is half-way through rewriting it.
std::optional<json> peek(const fs::path& file) {
  std::ifstream in(file);
  std::stringstream text;
  text << in.rdbuf();
  json doc = json::parse(text.str(), nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) return std::nullopt;
  return doc;
}

// How many calls of `cmdlet` the state's log holds (whose parameters mention `with`, if given).
int calls_of(const json& state, const std::string& cmdlet, const std::string& with = "") {
  int n = 0;
  for (const auto& c : state.value("calls", json::array())) {
    if (c.value("type", "") != "cmdlet" || c.value("name", "") != cmdlet) continue;
    if (!with.empty() && c.dump().find(with) == std::string::npos) continue;
    ++n;
  }
  return n;
}

// The process `parent` started whose command name is `name` (Linux: /proc).
long child_named(long parent, const std::string& name) {
  for (const auto& entry : fs::directory_iterator("/proc")) {
    const std::string pid = entry.path().filename().string();
    if (pid.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream in(entry.path() / "stat");
    std::stringstream buffer;
    buffer << in.rdbuf();
    const std::string stat = buffer.str();
    const auto open = stat.find('(');
    const auto close = stat.rfind(')');
    if (open == std::string::npos || close == std::string::npos) continue;
    std::istringstream rest(stat.substr(close + 2));
    char state = 0;
    long ppid = 0;
    rest >> state >> ppid;
    if (ppid == parent && stat.substr(open + 1, close - open - 1) == name) return std::stol(pid);
  }
  return 0;
}

struct Trigger {
  Trigger(const char* c, int n = 1, std::string w = "",
          std::chrono::milliseconds a = std::chrono::milliseconds(300))
      : cmdlet(c), call(n), with(std::move(w)), after(a) {}
  Trigger(const std::string& c) : Trigger(c.c_str()) {}
  std::string cmdlet;               // send the signals once this cmdlet has been called...
  int call;                         // ...this many times
  std::string with;                 // (only calls whose parameters mention this)
  std::chrono::milliseconds after;  // and this long after that
};

struct Interrupted {
  nestvirt::process::ExitStatus status;
  std::string out, err;
  json doc;
  json before, after;  // the simulator's state
  int launches() const {
    int n = 0;
    for (const auto& c : after.value("calls", json::array())) n += c.value("type", "") == "launch";
    return n;
  }
};

std::string drain(nestvirt::process::Child& child, std::string& out) {
  std::string chunk;
  child.read_until(std::string_view("\x01never\x01"), chunk,
                   nestvirt::process::Clock::now() + 100ms);
  out += child.take_stdout();
  return child.take_stderr();
}

// Runs nestvirt on `state` through scripts/with-sim, waits for `trigger`, then sends `signals`
// to nestvirt itself, 300 ms apart.
Interrupted run_interrupted(const json& state, std::vector<std::string> args,
                            const Trigger& trigger, const std::vector<int>& signals,
                            const std::vector<std::pair<std::string, std::string>>& env = {},
                            bool as_json = true) {
  e2e::TempDir dir;
  const fs::path scenario = dir.path() / "scenario.json";
  const fs::path state_file = dir.path() / "state.json";
  std::ofstream(scenario) << state.dump(2);
  args.insert(args.begin(), {(e2e::source_dir() / "scripts" / "with-sim").string(), "--state",
                             state_file.string(), scenario.string(), "--", NESTVIRT_BINARY});
  if (as_json) args.push_back("--json");
  Interrupted r;
  r.before = state;
  nestvirt::process::ExitStatus started;
  auto child = nestvirt::process::spawn({args, env}, started);
  REQUIRE(child);
  const auto give_up = nestvirt::process::Clock::now() + 180s;
  // Wait for the trigger.
  bool seen = false;
  while (!seen && nestvirt::process::Clock::now() < give_up) {
    r.err += drain(*child, r.out);
    if (auto now = peek(state_file))
      seen = calls_of(*now, trigger.cmdlet, trigger.with) >= trigger.call;
  }
  INFO(r.err << r.out);
  REQUIRE(seen);
  std::this_thread::sleep_for(trigger.after);
  const long nestvirt = child_named(child->pid(), "nestvirt");
  REQUIRE(nestvirt > 0);
  for (std::size_t i = 0; i < signals.size(); ++i) {
    if (i > 0) std::this_thread::sleep_for(300ms);
    ::kill(static_cast<pid_t>(nestvirt), signals[i]);
  }
  for (;;) {
    std::string chunk;
    const auto io = child->read_until(std::string_view("\x01never\x01"), chunk, give_up);
    r.err += child->take_stderr();
    if (io != nestvirt::process::Child::Io::TimedOut) {
      r.out += chunk + child->take_stdout();
      break;
    }
    if (nestvirt::process::Clock::now() >= give_up) break;
  }
  r.status = child->wait(nestvirt::process::Clock::now() + 30s);
  r.err += child->take_stderr();
  r.doc = json::parse(r.out, nullptr, false);
  r.after = e2e::read_json_file(state_file);
  e2e::keep_json_document(r.out);
  return r;
}

json delayed(json state, const std::string& cmdlet, double seconds, int call = 1) {
  state["faults"].push_back(
      {{"cmdlet", cmdlet}, {"action", "delay"}, {"seconds", seconds}, {"call", call}});
  return state;
}

std::vector<std::string> statuses(const json& item) {
  std::vector<std::string> out;
  for (const auto& s : item["steps"]) out.push_back(s["status"]);
  return out;
}

bool mentions(const json& value, const std::string& text) {
  return value.dump().find(text) != std::string::npos;
}

const std::vector<std::string> kRestart = {"enable", "--vm", "Web1", "--restart"};

}  // namespace

TEST_CASE("SIGINT while a setting is changed: it finishes, then everything is put back",
          "[interrupt]") {
  const json state = delayed(e2e::scenario("intel-windows-server-2022"), "Set-VMProcessor", 1.5);
  const Interrupted r = run_interrupted(state, kRestart, {"Set-VMProcessor"}, {SIGINT});
  INFO(r.err << r.out);
  CHECK(r.status.code == 18);
  REQUIRE(r.doc.is_object());
  CHECK(r.doc["outcome"] == "interrupted");
  CHECK(r.doc["interrupted"] == json{{"signal", "SIGINT"}, {"count", 1}, {"undo", "done"}});
  const json& vm = r.doc["vms"][0];
  CHECK(vm["result"] == "interrupted");
  CHECK(statuses(vm) == std::vector<std::string>{"undone", "undone", "skipped"});
  CHECK(vm["left_for_admin"].empty());
  // As it was: running, nesting off; one PowerShell (the request was let finish).
  CHECK(vm_in(r.after, "Web1")["state"] == "Running");
  CHECK(vm_in(r.after, "Web1")["processor"]["expose_virtualization_extensions"] == false);
  CHECK(r.launches() == 1);
  CHECK(r.err.find("Interrupted") == std::string::npos);  // the text goes to stdout, not here
}

TEST_CASE("SIGTERM while a request takes long: PowerShell is ended and a new one undoes",
          "[interrupt]") {
  const json state = delayed(e2e::scenario("intel-windows-server-2022"), "Set-VMProcessor", 20);
  const Interrupted r = run_interrupted(state, kRestart, {"Set-VMProcessor"}, {SIGTERM});
  INFO(r.err << r.out);
  CHECK(r.status.code == 18);
  REQUIRE(r.doc.is_object());
  const json& vm = r.doc["vms"][0];
  CHECK(vm["result"] == "interrupted");
  CHECK(statuses(vm) == std::vector<std::string>{"undone", "failed", "skipped"});
  CHECK(mentions(vm["steps"][1]["error"], "interrupted (SIGTERM)"));
  CHECK(vm_in(r.after, "Web1")["state"] == "Running");
  CHECK(vm_in(r.after, "Web1")["processor"]["expose_virtualization_extensions"] == false);
  CHECK(r.launches() == 2);
  CHECK(r.doc["diagnostics"]["powershell_launches"] == 2);
}

TEST_CASE("SIGTERM while the guest shuts down: it may still go off, and the report says so",
          "[interrupt]") {
  json state = e2e::scenario("intel-windows-server-2022");
  vm_in(state, "Web1")["guest"]["shutdown_seconds"] = 30;
  const Interrupted r = run_interrupted(state, kRestart, {"Stop-VM"}, {SIGTERM});
  INFO(r.err << r.out);
  CHECK(r.status.code == 9);
  REQUIRE(r.doc.is_object());
  const json& vm = r.doc["vms"][0];
  CHECK(vm["result"] == "incomplete");
  CHECK(statuses(vm) == std::vector<std::string>{"failed", "skipped", "skipped"});
  CHECK(mentions(vm["steps"][0]["error"], "interrupted (SIGTERM) while waiting for the guest"));
  // Still shutting down (or still running): it may go off after nestvirt has ended, and the
  // report gives the command that starts it again.
  REQUIRE(vm["left_for_admin"].size() == 1);
  CHECK((mentions(vm["left_for_admin"], "still shutting down") ||
         mentions(vm["left_for_admin"], "may still do so")));
  CHECK(mentions(vm["left_for_admin"], "Hyper-V\\\\Start-VM"));
  // Nothing else was touched: no processor change, and not powered off hard.
  CHECK(vm_in(r.after, "Web1")["processor"]["expose_virtualization_extensions"] == false);
  CHECK(calls_of(r.after, "Set-VMProcessor") == 0);
  CHECK(calls_of(r.after, "Stop-VM", "TurnOff") == 0);
}

TEST_CASE("SIGTERM while the VM starts again: ended, and the undo starts it as it was",
          "[interrupt]") {
  const json state = delayed(e2e::scenario("intel-windows-server-2022"), "Start-VM", 20);
  const Interrupted r = run_interrupted(state, kRestart, {"Start-VM"}, {SIGTERM});
  INFO(r.err << r.out);
  CHECK(r.status.code == 18);
  REQUIRE(r.doc.is_object());
  const json& vm = r.doc["vms"][0];
  CHECK(vm["result"] == "interrupted");
  CHECK(statuses(vm) == std::vector<std::string>{"undone", "undone", "failed"});
  CHECK(vm_in(r.after, "Web1")["state"] == "Running");
  CHECK(vm_in(r.after, "Web1")["processor"]["expose_virtualization_extensions"] == false);
}

TEST_CASE("a second signal skips the undo, and the report names each step left", "[interrupt]") {
  const json state = delayed(e2e::scenario("intel-windows-server-2022"), "Set-VMProcessor", 20);
  const Interrupted r = run_interrupted(state, kRestart, {"Set-VMProcessor"}, {SIGTERM, SIGTERM});
  INFO(r.err << r.out);
  CHECK(r.status.code == 9);
  REQUIRE(r.doc.is_object());
  CHECK(r.doc["interrupted"]["undo"] == "skipped");
  CHECK(r.doc["interrupted"]["count"] == 2);
  const json& vm = r.doc["vms"][0];
  CHECK(vm["result"] == "incomplete");
  CHECK(statuses(vm) == std::vector<std::string>{"not-undone", "failed", "skipped"});
  // The shutdown this run did, with the command that puts it back; the processor change whose
  // outcome nobody knows.
  CHECK(mentions(vm["left_for_admin"], "interrupted again"));
  CHECK(mentions(vm["left_for_admin"], "Start-VM"));
  CHECK(mentions(vm["left_for_admin"], "unknown whether"));
  CHECK(vm_in(r.after, "Web1")["state"] == "Off");  // as the report says
  CHECK(r.launches() == 1);                         // no PowerShell for an undo
}

TEST_CASE("text output: interrupted, said once at the end", "[interrupt]") {
  const json state = delayed(e2e::scenario("intel-windows-server-2022"), "Set-VMProcessor", 1.5);
  const Interrupted r =
      run_interrupted(state, kRestart, {"Set-VMProcessor"}, {SIGINT}, {}, /*as_json=*/false);
  INFO(r.err << r.out);
  CHECK(r.status.code == 18);
  CHECK(r.out.find("Web1  interrupted: interrupted (SIGINT) before it finished; everything this "
                   "run changed was put back\n") != std::string::npos);
  CHECK(r.out.find("\nInterrupted by SIGINT: nestvirt stopped at the next safe point and put "
                   "back what this run had changed.\n") != std::string::npos);
}

TEST_CASE("net-nat --connect-vm: interrupted at each step, everything it made is removed",
          "[interrupt]") {
  json base = e2e::scenario("intel-windows-server-2022");
  for (auto& nic : vm_in(base, "Lab1")["network_adapters"]) nic["switch"] = nullptr;
  const std::vector<std::string> args = {
      "net-nat", "--switch", "NestedNAT", "--prefix", "192.168.100.0/24", "--connect-vm", "Lab1"};
  for (const std::string cmdlet : {"New-VMSwitch", "New-NetIPAddress", "New-NetNat"}) {
    INFO(cmdlet);
    const Interrupted r = run_interrupted(delayed(base, cmdlet, 1.5), args, {cmdlet}, {SIGTERM});
    INFO(r.err << r.out);
    CHECK(r.status.code == 18);
    REQUIRE(r.doc.is_object());
    CHECK(r.doc["result"] == "interrupted");
    CHECK(r.doc["left_for_admin"].empty());
    // The host as it was: no switch, address or NAT of nestvirt's; Lab1 connected to nothing.
    CHECK(e2e::without_calls(r.after)["switches"] == e2e::without_calls(base)["switches"]);
    CHECK(r.after["nats"] == base.value("nats", json::array()));
    CHECK(mentions(r.after["ip_addresses"], "192.168.100.1") == false);
    CHECK(vm_in(r.after, "Lab1")["network_adapters"][0]["switch"].is_null());
  }
  // The last step is let finish: then nothing is stopped, and the run is done.
  const Interrupted last = run_interrupted(delayed(base, "Connect-VMNetworkAdapter", 1.5), args,
                                           {"Connect-VMNetworkAdapter"}, {SIGTERM});
  INFO(last.err << last.out);
  CHECK(last.status.code == 0);
  REQUIRE(last.doc.is_object());
  CHECK(last.doc["result"] == "changed");
  CHECK(last.doc["interrupted"]["signal"] == "SIGTERM");
  CHECK(vm_in(last.after, "Lab1")["network_adapters"][0]["switch"] == "NestedNAT");
}

TEST_CASE("enable --install-hyperv: interrupted at each step kind, then what stays is named",
          "[interrupt]") {
  // Lab1 off, its Server guest without Hyper-V; the guest boots in a few seconds.
  json base = e2e::scenario("l1-guest-windows-server-2022");
  vm_in(base, "Lab1")["state"] = "Off";
  const std::vector<std::string> args = {"enable",          "--vm", "Lab1", "--install-hyperv",
                                         "--guest-timeout", "120"};
  SECTION("set-processor: put back, nothing stays") {
    const Interrupted r = run_interrupted(delayed(base, "Set-VMProcessor", 1.5), args,
                                          {"Set-VMProcessor"}, {SIGTERM}, kGuestLogin);
    INFO(r.err << r.out);
    CHECK(r.status.code == 18);
    REQUIRE(r.doc.is_object());
    CHECK(r.doc["vms"][0]["result"] == "interrupted");
    CHECK(vm_in(r.after, "Lab1")["processor"]["expose_virtualization_extensions"] == false);
    CHECK(vm_in(r.after, "Lab1")["state"] == "Off");
  }
  SECTION("start-vm and the guest's boot: nesting stays on, the VM runs, and it says so") {
    const Interrupted r =
        run_interrupted(base, args, {"Start-VM", 1, "", 500ms}, {SIGTERM}, kGuestLogin);
    INFO(r.err << r.out);
    CHECK(r.status.code == 9);
    REQUIRE(r.doc.is_object());
    const json& vm = r.doc["vms"][0];
    CHECK(vm["result"] == "incomplete");
    CHECK(mentions(vm["left_for_admin"], "Interrupted before Hyper-V was installed"));
    CHECK(vm_in(r.after, "Lab1")["processor"]["expose_virtualization_extensions"] == true);
    CHECK(calls_of(r.after, "Install-WindowsFeature") == 0);
  }
  SECTION("the install: it stays installed, and the report says so") {
    const Interrupted r = run_interrupted(delayed(base, "Install-WindowsFeature", 1.5), args,
                                          {"Install-WindowsFeature"}, {SIGTERM}, kGuestLogin);
    INFO(r.err << r.out);
    CHECK(r.status.code == 9);
    REQUIRE(r.doc.is_object());
    const json& vm = r.doc["vms"][0];
    CHECK(vm["result"] == "incomplete");
    CHECK(mentions(vm["left_for_admin"], "stays installed"));
    CHECK(calls_of(r.after, "shutdown.exe") == 0);  // not restarted after the interruption
  }
  SECTION("the restart: nestvirt stops waiting and says what to check") {
    json slow = base;  // the restart does not complete while nestvirt waits
    vm_in(slow, "Lab1")["guest"]["never_returns"] = true;
    const Interrupted r =
        run_interrupted(slow, args, {"shutdown.exe", 1, "", 200ms}, {SIGINT}, kGuestLogin);
    INFO(r.err << r.out);
    CHECK(r.status.code == 9);
    REQUIRE(r.doc.is_object());
    const json& vm = r.doc["vms"][0];
    CHECK(vm["result"] == "incomplete");
    CHECK(mentions(vm["left_for_admin"], "was restarting when nestvirt was interrupted"));
    CHECK(mentions(vm["left_for_admin"], "stays installed"));
  }
  SECTION("the proof, the last step: it finishes, and the run is done") {
    const Interrupted r =
        run_interrupted(base, args, {"Invoke-Command", 1, "verify", 0ms}, {SIGTERM}, kGuestLogin);
    INFO(r.err << r.out);
    CHECK(r.status.code == 0);
    REQUIRE(r.doc.is_object());
    CHECK(r.doc["vms"][0]["result"] == "changed");
    CHECK(r.doc["interrupted"]["signal"] == "SIGTERM");
  }
}

TEST_CASE("a fleet passes the signal to each host's nestvirt and reports each host",
          "[interrupt]") {
  json state = e2e::scenario("intel-windows-server-2022");
  vm_in(state, "Web1")["guest"]["shutdown_seconds"] = 30;
  e2e::SimSshHost a(state);
  e2e::SimSshHost b(state);
  e2e::TempDir keys;
  const auto known = keys.path() / "known_hosts";
  {
    std::ofstream out(known);
    for (const e2e::SimSshHost* h : {&a, &b}) out << e2e::read_text(h->known_hosts());
  }
  b.authorize(a.identity());
  std::vector<std::string> argv = {NESTVIRT_BINARY,
                                   "enable",
                                   "--vm",
                                   "Web1",
                                   "--restart",
                                   "--json",
                                   "--host",
                                   a.target("ssh"),
                                   "--host",
                                   b.target("ssh"),
                                   "--ssh-identity",
                                   a.identity().string(),
                                   "--ssh-known-hosts",
                                   known.string()};
  const std::vector<std::pair<std::string, std::string>> env = {
      {"NESTVIRT_POWERSHELL", e2e::engine().string()},
      {"NESTVIRT_SIM_STATE", ""},
      {"NESTVIRT_SIM_PRELOAD", ""}};
  nestvirt::process::ExitStatus started;
  auto fleet = nestvirt::process::spawn({argv, env}, started);
  REQUIRE(fleet);
  const auto give_up = nestvirt::process::Clock::now() + 120s;
  std::string out, err;
  while (nestvirt::process::Clock::now() < give_up) {
    err += drain(*fleet, out);
    if (calls_of(a.state(), "Stop-VM") >= 1 && calls_of(b.state(), "Stop-VM") >= 1) break;
  }
  std::this_thread::sleep_for(300ms);
  ::kill(static_cast<pid_t>(fleet->pid()), SIGTERM);
  std::string rest;
  fleet->read_until(std::string_view("\x01never\x01"), rest, give_up);
  out += rest + fleet->take_stdout();
  const auto status = fleet->wait(nestvirt::process::Clock::now() + 30s);
  err += fleet->take_stderr();
  INFO(err << out);
  e2e::keep_json_document(out);
  CHECK(status.code == 9);
  const json doc = json::parse(out, nullptr, false);
  REQUIRE(doc.is_object());
  CHECK(doc["interrupted"]["signal"] == "SIGTERM");
  REQUIRE(doc["hosts"].size() == 2);
  for (const auto& host : doc["hosts"]) {
    CHECK(host["exit_code"] == 9);
    CHECK(host["interrupted"]["signal"] == "SIGTERM");  // passed on as it came
    CHECK(host["vms"][0]["result"] == "incomplete");
    CHECK(mentions(host["vms"][0]["left_for_admin"], "Start-VM"));
  }
  for (const e2e::SimSshHost* h : {&a, &b}) {
    CHECK(vm_in(h->state(), "Web1")["processor"]["expose_virtualization_extensions"] == false);
  }
}
