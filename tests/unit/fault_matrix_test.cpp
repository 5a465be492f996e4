// The fault matrix: every step of each command's longest plan is failed in every way PowerShell
// can fail (an error, a dead process, a hang, a null or wrong-typed answer; before or after the
// change took effect), through the whole command (run_cli), against FakeHyperV. Each case checks
// the exit code, the step statuses, that the undo left the host as it was (or that the report
// names exactly what is left), and that a dead or hung PowerShell was replaced for the undo.
#include <cstdlib>
#include <set>
#include <sstream>

#include "catch.h"
#include "nestvirt/cli/cli.h"
#include "nestvirt/core/step.h"
#include "nestvirt/process/interrupt.h"
#include "unit/cli_run.h"
#include "unit/fake_hyperv.h"

using namespace nestvirt::testing;
using nestvirt::commands::Io;
using nlohmann::json;

namespace {

// Hands the command a host that forwards to the test's fake, which outlives the command.
struct Forward : nestvirt::powershell::ScriptHost {
  explicit Forward(FakeHyperV& fake) : fake_(fake) {}
  nestvirt::powershell::Reply call(std::string_view s, const json& a) override {
    return fake_.call(s, a);
  }
  int launches() const override { return fake_.launches(); }
  FakeHyperV& fake_;
};

struct Result {
  int exit_code = 0;
  json doc;
  std::string err;
};

Result run(FakeHyperV& fake, std::vector<std::string> args) {
  std::ostringstream out, err;
  Io io;
  io.out = &out;
  io.err = &err;
  io.make_host = [&fake](const nestvirt::powershell::SessionOptions&) {
    return std::make_unique<Forward>(fake);
  };
  io.poll_interval = std::chrono::milliseconds(1);  // the fake's VMs change state at once
  args.insert(args.begin(), "nestvirt");
  args.push_back("--json");
  Result r;
  r.exit_code = nestvirt::cli::run_cli(args, io);
  r.doc = json::parse(out.str(), nullptr, false);
  r.err = err.str();
  return r;
}

FakeVm vm(std::string id, std::string name, std::string state) {
  FakeVm v;
  v.id = std::move(id);
  v.name = std::move(name);
  v.state = std::move(state);
  v.adapters = {{"nic-1", "Network Adapter", "External", "Off"},
                {"nic-2", "Network Adapter", "External", "Off"}};
  return v;
}

struct Plan {
  std::string name;
  std::vector<std::string> args;
  FakeHyperV (*make)();
  std::size_t steps;
  // The cases that cannot be fully undone: exit 9, with what `left` names.
  // `unknown`: the step's own effect is unknown (every fault but an error): a shutdown that may
  // have been asked for, on a VM still running, may still come after nestvirt has ended, so the
  // report says so.
  bool (*incomplete)(std::size_t k, bool effect, bool unknown);
  const char* (*left)(std::size_t k);
  // Steps (1-based `i`) that stay done when step `k` fails, by design: enable --install-hyperv
  // keeps the VM's part (nesting on, the VM started), and a guest's restart leaves nothing to
  // undo. Every other step before `k` is undone, or not undone and named in left_for_admin.
  bool (*stays_done)(std::size_t i, std::size_t k) = nullptr;
  // enable --install-hyperv: the first steps are the VM's; the guest's are planned only once
  // they ran, so a failure among them reports these alone.
  std::size_t vm_part = 0;
  // Whether anything is sent after step `k` fails (an undo, or a read of whether it ran): only
  // then is a dead or hung PowerShell replaced. Nothing follows a guest's restart or its final
  // check.
  bool (*sends_after)(std::size_t k) = [](std::size_t) { return true; };
};

FakeHyperV enable_host() {
  FakeHyperV f;
  f.host = intel_server_2022();
  FakeVm web = vm("vm-web", "Web1", "Running");
  web.dynamic_memory = true;
  f.state.vms = {web};
  return f;
}

FakeHyperV upgrade_host() {
  FakeHyperV f;
  f.host = amd_windows11();
  FakeVm lab = vm("vm-lab", "Lab1", "Running");
  lab.version = "9.0";
  lab.dynamic_memory = true;
  f.state.vms = {lab};
  return f;
}

FakeHyperV disable_host() {
  FakeHyperV f;
  f.host = intel_server_2022();
  FakeVm web = vm("vm-web", "Web1", "Running");
  web.expose = true;
  f.state.vms = {web};
  return f;
}

FakeHyperV nat_host() {
  FakeHyperV f;
  f.host = intel_server_2022();
  FakeVm l2 = vm("vm-l2", "L2", "Off");
  l2.adapters = {{"nic-1", "Network Adapter", "", "Off"}};
  f.state.vms = {l2};
  // Something that is not nestvirt's, that no step may touch.
  f.state.switches = {{"External", "sw-ext", "External"}};
  f.state.addresses = {{"10.0.0.31", 24, "vEthernet (External)"}};
  return f;
}

FakeHyperV nat_remove_host() {
  FakeHyperV f = nat_host();
  f.state.switches.push_back({"NestedNAT", "sw-nat", "Internal"});
  f.state.addresses.push_back({"192.168.100.1", 24, "vEthernet (NestedNAT)"});
  f.state.nats = {{"NestedNAT", "192.168.100.0/24"}};
  f.state.vms[0].adapters[0].switch_name = "NestedNAT";
  return f;
}

FakeHyperV guest_host() {
  FakeHyperV f = nat_remove_host();
  f.state.vms[0].state = "Running";
  f.state.vms[0].guest.addresses = {{"169.254.7.1", 16, "WellKnown"}};
  return f;
}

FakeHyperV saved_host() {
  FakeHyperV f;
  f.host = intel_server_2022();
  f.state.vms = {vm("vm-db", "Db1", "Saved")};
  return f;
}

// enable --install-hyperv on an off VM whose Server guest has no Hyper-V yet.
FakeHyperV guest_install_host() {
  FakeHyperV f;
  f.host = intel_server_2022();
  f.state.vms = {vm("vm-lab", "Lab1", "Off")};
  return f;
}

// The role is there, but the boot entry does not start the hypervisor (a client guest).
FakeHyperV guest_launch_host() {
  FakeHyperV f = guest_install_host();
  f.state.vms[0].hyperv = {false, "Enabled", "Stopped", "Off", 1};
  return f;
}

// The address is already there; only the gateway and the DNS servers are missing.
FakeHyperV guest_gateway_host() {
  FakeHyperV f = guest_host();
  f.state.vms[0].guest.addresses = {{"192.168.100.2", 24, "Manual"}};
  return f;
}

bool never(std::size_t, bool, bool) {
  return false;
}
const char* nothing(std::size_t) {
  return "";
}
// A guest step fails once the VM's part has run, or the started VM cannot take nesting back.
bool guest_incomplete(std::size_t k, bool effect, bool) {
  return k >= 3 || (k == 2 && effect);
}
const char* guest_left(std::size_t k) {
  return k >= 3 ? "Hyper-V" : "Turn nested virtualization on";
}
bool guest_sends_after(std::size_t k) {
  return k <= 3;
}
bool guest_stays_done(std::size_t i, std::size_t k) {
  return (k >= 3 && i <= 2) || (i == 4 && k > 4);  // the VM's part; the guest's restart
}

const std::vector<Plan>& plans() {
  static const std::vector<Plan> all = {
      // Stop, memory, processor, spoofing x2, start. A start that took effect leaves a running VM
      // whose settings cannot change: the report must name them.
      {"enable",
       {"enable", "--vm", "Web1", "--restart", "--disable-dynamic-memory", "--mac-spoofing"},
       enable_host,
       6,
       [](std::size_t k, bool effect, bool unknown) {
         return (k == 6 && effect) || (k == 1 && unknown && !effect);
       },
       [](std::size_t k) {
         return k == 1 ? "asked to shut down" : "Turn nested virtualization on";
       }},
      // The longest plan: with an upgrade, which nothing can undo.
      {"enable --upgrade-version",
       {"enable", "--vm", "Lab1", "--restart", "--force", "--upgrade-version",
        "--disable-dynamic-memory", "--mac-spoofing"},
       upgrade_host,
       7,
       [](std::size_t k, bool effect, bool unknown) {
         return k >= 3 || (k == 2 && effect) || (k == 1 && unknown && !effect);
       },
       [](std::size_t k) { return k == 1 ? "asked to shut down" : "cannot be downgraded"; }},
      {"disable",
       {"disable", "--vm", "Web1", "--restart"},
       disable_host,
       3,
       [](std::size_t k, bool effect, bool unknown) {
         return (k == 3 && effect) || (k == 1 && unknown && !effect);
       },
       [](std::size_t k) {
         return k == 1 ? "asked to shut down" : "Turn nested virtualization off";
       }},
      {"net-spoof", {"net-spoof", "--vm", "Web1"}, enable_host, 2, never, nothing},
      {"net-nat",
       {"net-nat", "--switch", "NestedNAT", "--prefix", "192.168.100.0/24", "--connect-vm", "L2"},
       nat_host,
       4,
       never,
       nothing},
      {"net-nat --remove",
       {"net-nat", "--remove", "--switch", "NestedNAT", "--force"},
       nat_remove_host,
       4,
       [](std::size_t k, bool effect, bool) { return k == 4 && effect; },
       [](std::size_t) { return "was removed"; }},
      {"net-nat guest",
       {"net-nat", "guest", "--vm", "L2", "--ip", "192.168.100.2", "--prefix", "192.168.100.0/24",
        "--dns", "1.1.1.1"},
       guest_host,
       2,
       never,
       nothing},
      {"net-nat guest (the address already there)",
       {"net-nat", "guest", "--vm", "L2", "--ip", "192.168.100.2", "--prefix", "192.168.100.0/24",
        "--gateway", "192.168.100.1", "--dns", "1.1.1.1"},
       guest_gateway_host,
       2,
       never,
       nothing},
      // A saved state thrown away cannot come back.
      {"enable --discard-saved-state",
       {"enable", "--vm", "Db1", "--discard-saved-state"},
       saved_host,
       2,
       [](std::size_t k, bool effect, bool) { return k >= 2 || effect; },
       [](std::size_t) { return "saved state"; }},
      // The VM's part, then the guest's: install, restart, proof.
      {"enable --install-hyperv",
       {"enable", "--vm", "Lab1", "--install-hyperv"},
       guest_install_host,
       5,
       guest_incomplete,
       guest_left,
       guest_stays_done,
       2,
       guest_sends_after},
      {"enable --install-hyperv (the boot entry only)",
       {"enable", "--vm", "Lab1", "--install-hyperv"},
       guest_launch_host,
       5,
       guest_incomplete,
       guest_left,
       guest_stays_done,
       2,
       guest_sends_after},
  };
  return all;
}

struct Case {
  Fault fault;
  bool after_effect;
};

const std::vector<Case> cases = {{Fault::Error, false},   {Fault::Die, false}, {Fault::Die, true},
                                 {Fault::Hang, false},    {Fault::Hang, true}, {Fault::Null, true},
                                 {Fault::WrongType, true}};

const json& steps_of(const json& doc) {
  return doc.contains("vms") ? doc["vms"][0]["steps"] : doc["steps"];
}
const json& left_of(const json& doc) {
  return doc.contains("vms") ? doc["vms"][0]["left_for_admin"] : doc["left_for_admin"];
}
std::string outcome_of(const json& doc) {
  return doc.contains("vms") ? doc["vms"][0]["result"].get<std::string>()
                             : doc["result"].get<std::string>();
}

}  // namespace

TEST_CASE("fault matrix: every plan runs clean without a fault", "[faults]") {
  for (const auto& plan : plans()) {
    INFO(plan.name);
    set_guest_login();
    FakeHyperV fake = plan.make();
    Result r = run(fake, plan.args);
    INFO(r.err << r.doc.dump(1));
    REQUIRE(r.exit_code == 0);
    REQUIRE(steps_of(r.doc).size() == plan.steps);
    for (const auto& s : steps_of(r.doc)) CHECK(s["status"] == "done");
    CHECK(fake.changes.size() == plan.steps);  // one change request per step
    CHECK_FALSE(fake.state == plan.make().state);
  }
}

TEST_CASE("fault matrix: each step, each failure: undone, or exactly what is left", "[faults]") {
  std::set<std::string> reached;  // the step kinds the matrix ran, undos included
  for (const auto& plan : plans()) {
    for (std::size_t k = 1; k <= plan.steps; ++k) {
      for (const auto& c : cases) {
        INFO(plan.name << ": step " << k << ", " << to_string(c.fault)
                       << (c.after_effect ? " after the change" : " before the change"));
        set_guest_login();
        FakeHyperV fake = plan.make();
        const FakeState before = fake.state;
        fake.inject(c.fault, static_cast<int>(k), c.after_effect);
        Result r = run(fake, plan.args);
        INFO(r.err << r.doc.dump(1));
        reached.insert(fake.kinds.begin(), fake.kinds.end());
        REQUIRE_FALSE(r.doc.is_discarded());  // one JSON document, never an abort
        const bool effect = c.after_effect;
        const bool incomplete = plan.incomplete(k, effect, c.fault != Fault::Error);
        CHECK(r.exit_code == (incomplete ? 9 : 8));
        CHECK(r.doc["exit_code"] == r.exit_code);
        CHECK(outcome_of(r.doc) == (incomplete ? "incomplete" : "failed"));

        const json& steps = steps_of(r.doc);
        REQUIRE(steps.size() == (k <= plan.vm_part ? plan.vm_part : plan.steps));
        CHECK(steps[k - 1]["status"] == "failed");
        CHECK_FALSE(steps[k - 1]["error"].is_null());
        for (std::size_t i = k; i < steps.size(); ++i) CHECK(steps[i]["status"] == "skipped");
        for (std::size_t i = 0; i + 1 < k; ++i) {
          const std::string status = steps[i]["status"];
          INFO("step " << i + 1 << " is " << status);
          if (plan.stays_done != nullptr && plan.stays_done(i + 1, k)) {
            CHECK(status == "done");
          } else {
            CHECK((status == "undone" || status == "not-undone"));
          }
        }

        // A dead or hung PowerShell is replaced for the undo.
        const bool lost = c.fault == Fault::Die || c.fault == Fault::Hang;
        CHECK(r.doc["diagnostics"]["powershell_launches"] == (lost && plan.sends_after(k) ? 2 : 1));

        if (incomplete) {
          REQUIRE_FALSE(left_of(r.doc).empty());
          CHECK(left_of(r.doc).dump().find(plan.left(k)) != std::string::npos);
        } else {
          CHECK(left_of(r.doc).empty());
          CHECK(fake.state == before);
        }
      }
    }
  }
  // Every kind of step was failed (or, for the kinds that only undo, run as an undo).
  for (const auto kind : nestvirt::core::kAllStepKinds) {
    INFO(nestvirt::core::to_string(kind));
    CHECK(reached.count(nestvirt::core::to_string(kind)) == 1);
  }
}

TEST_CASE("interruption matrix: once undoes like a failure, twice skips the undo", "[faults]") {
  for (const auto& plan : plans()) {
    for (std::size_t k = 1; k <= plan.steps; ++k) {
      for (const int count : {1, 2}) {
        INFO(plan.name << ": " << count << " interruption(s) during step " << k);
        set_guest_login();
        nestvirt::process::reset_interrupts();
        FakeHyperV fake = plan.make();
        const FakeState before = fake.state;
        fake.interrupt_at(static_cast<int>(k), count);
        Result r = run(fake, plan.args);
        nestvirt::process::reset_interrupts();
        INFO(r.err << r.doc.dump(1));
        REQUIRE_FALSE(r.doc.is_discarded());
        REQUIRE(r.doc["interrupted"].is_object());
        CHECK(r.doc["interrupted"]["signal"] == "SIGTERM");
        CHECK(r.doc["interrupted"]["undo"] == (count == 1 ? "done" : "skipped"));
        if (k == plan.steps) {  // the last step finishes: nothing was stopped
          CHECK(r.exit_code == 0);
          continue;
        }
        const json& steps = steps_of(r.doc);
        const bool incomplete = count == 2 || plan.incomplete(k + 1, false, false);
        CHECK(r.exit_code == (incomplete ? 9 : 18));
        CHECK(outcome_of(r.doc) == (incomplete ? "incomplete" : "interrupted"));
        for (std::size_t i = 0; i < steps.size(); ++i) {
          const std::string status = steps[i]["status"];
          INFO("step " << i + 1 << " is " << status);
          if (i >= k) {
            CHECK(status == "skipped");
          } else if (plan.stays_done != nullptr && plan.stays_done(i + 1, k + 1)) {
            CHECK(status == "done");
          } else if (count == 2) {
            CHECK(status == "not-undone");
          } else {
            CHECK((status == "undone" || status == "not-undone"));
          }
        }
        if (incomplete) {
          CHECK_FALSE(left_of(r.doc).empty());
        } else {
          CHECK(left_of(r.doc).empty());
          CHECK(fake.state == before);
        }
        // One PowerShell: nothing died; the request under way was let finish.
        CHECK(r.doc["diagnostics"]["powershell_launches"] == 1);
      }
    }
  }
}

namespace {

// A host whose every request throws what no command expects.
template <typename Thrown>
struct Throwing : nestvirt::powershell::ScriptHost {
  nestvirt::powershell::Reply call(std::string_view, const json&) override { throw Thrown::make(); }
  int launches() const override { return 1; }
};

struct Logic {  // a std::exception no command expects
  static std::logic_error make() { return std::logic_error("unexpected"); }
};
struct Odd {  // not a std::exception at all
  static Odd make() { return {}; }
};

template <typename Thrown>
Result run_throwing(std::vector<std::string> args) {
  std::ostringstream out, err;
  Io io;
  io.out = &out;
  io.err = &err;
  io.make_host = [](const nestvirt::powershell::SessionOptions&) {
    return std::make_unique<Throwing<Thrown>>();
  };
  args.insert(args.begin(), "nestvirt");
  Result r;
  r.exit_code = nestvirt::cli::run_cli(args, io);
  r.doc = json::parse(out.str(), nullptr, false);
  r.err = err.str();
  return r;
}

}  // namespace

TEST_CASE("one fatal path: an unexpected exception in any command is exit 1, never an abort",
          "[faults]") {
  const std::vector<std::vector<std::string>> commands = {
      {"check", "--vm", "Lab1"},
      {"enable", "--vm", "Lab1"},
      {"disable", "--vm", "Lab1"},
      {"net-spoof", "--vm", "Lab1"},
      {"net-nat", "--switch", "S", "--prefix", "192.168.100.0/24"},
      {"net-nat", "guest", "--vm", "Lab1", "--ip", "192.168.100.2", "--prefix", "192.168.100.0/24"},
  };
  for (auto args : commands) {
    const std::string command =
        args[0] == "net-nat" && args[1] == "guest" ? "net-nat guest" : args[0];
    INFO(command);
    set_guest_login();
    args.push_back("--json");
    Result logic = run_throwing<Logic>(args);
    CHECK(logic.exit_code == 1);
    REQUIRE_FALSE(logic.doc.is_discarded());
    CHECK(logic.doc["command"] == command);
    CHECK(logic.doc["outcome"] == "internal-error");
    CHECK(logic.doc["error"]["kind"] == "internal-error");
    // One sentence on stderr.
    CHECK(logic.err.find("nestvirt: internal error in '" + command + "'") == 0);
    CHECK(logic.err.find('\n') == logic.err.size() - 1);

    set_guest_login();
    args.pop_back();
    Result odd = run_throwing<Odd>(args);
    CHECK(odd.exit_code == 1);
    CHECK(odd.doc.is_discarded());  // no --json: text only, on stderr
    CHECK(odd.err.find("an exception that is not a std::exception") != std::string::npos);
  }
}
