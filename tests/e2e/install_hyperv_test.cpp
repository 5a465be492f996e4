// enable --install-hyperv and check --guest against the simulator: the guest's editions,
// features, services, boot entry, heartbeat and reboots (docs/simulator.md, "Guests"), through
// PowerShell Direct in the real engine. Boots take 1-2 s here; scripts/bench has real figures.
#include <algorithm>
#include <fstream>
#include <functional>

#include "catch.h"
#include "e2e/remote_support.h"
#include "e2e/support.h"

using e2e::vm_in;
using nlohmann::json;

namespace {

const std::vector<std::pair<std::string, std::string>> kCredentials = {
    {"NESTVIRT_GUEST_USER", "Administrator"}, {"NESTVIRT_GUEST_PASSWORD", "L2-Lab1-pw!"}};

// Lab1 of a scenario, Off with nesting off, its guest as the scenario has it and booting in
// `boot_seconds` once started.
json lab1_off(const std::string& scenario, int boot_seconds = 1) {
  json s = e2e::scenario(scenario);
  json& vm = vm_in(s, "Lab1");
  vm["state"] = "Off";
  vm["processor"]["expose_virtualization_extensions"] = false;
  vm["guest"]["boot_seconds"] = boot_seconds;
  vm["guest"]["booted"] = false;
  return s;
}

// Lab1 running with nesting on, its guest booted.
json lab1_running(const std::string& scenario = "l1-guest-windows-server-2022") {
  json s = e2e::scenario(scenario);
  json& vm = vm_in(s, "Lab1");
  vm["state"] = "Running";
  vm["started_at"] = "2026-11-24T08:00:00Z";
  vm["processor"]["expose_virtualization_extensions"] = true;
  vm["guest"]["booted"] = true;
  vm["guest"]["boot_seconds"] = 1;
  return s;
}

std::vector<std::string> step_kinds(const json& item) {
  std::vector<std::string> out;
  for (const auto& s : item["steps"]) out.push_back(s["kind"]);
  return out;
}

std::vector<std::string> step_statuses(const json& item) {
  std::vector<std::string> out;
  for (const auto& s : item["steps"]) out.push_back(s["status"]);
  return out;
}

const std::vector<std::string> kInstall = {"enable", "--vm", "Lab1", "--install-hyperv", "--json"};

// enable --install-hyperv with --guest-timeout 60 unless `extra` gives another.
e2e::Run install(const json& state, std::vector<std::string> extra = {}) {
  std::vector<std::string> args = kInstall;
  if (std::find(extra.begin(), extra.end(), "--guest-timeout") == extra.end()) {
    extra.insert(extra.end(), {"--guest-timeout", "60"});
  }
  args.insert(args.end(), extra.begin(), extra.end());
  return e2e::run_nestvirt_state(state, args, kCredentials);
}

std::size_t count(const std::string& text, const std::string& part) {
  std::size_t n = 0;
  for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++n;
  return n;
}

// What changed the guest or the VM: cmdlets that are neither readers nor PowerShell Direct's
// transport (bcdedit.exe /enum reads; /set changes).
std::vector<std::string> changes(const e2e::Run& run) {
  std::vector<std::string> out;
  for (const auto& c : run.calls("cmdlet")) {
    const std::string name = c["name"];
    if (name.rfind("Get-", 0) == 0 || name == "Invoke-Command") continue;
    if (name == "bcdedit.exe" && c.dump().find("/enum") != std::string::npos) continue;
    out.push_back(name);
  }
  return out;
}

void expect_hyperv_running(const e2e::Run& run) {
  const json& guest = vm_in(run.state_after, "Lab1")["guest"];
  CHECK(guest["services"]["vmms"] == "Running");
  CHECK(guest["hypervisor_launch_type"] == "Auto");
  const json doc = run.json();
  CHECK(doc["vms"][0]["guest"]["after"]["hyperv_running"] == true);
}

}  // namespace

TEST_CASE("install-hyperv on a fresh Server guest: nesting, start, install, restart, proof",
          "[guest-hyperv]") {
  const e2e::Run run = install(lab1_off("l1-guest-windows-server-2022"), {"-vv"});
  INFO(run.result.err << run.result.out);
  REQUIRE(run.exit_code() == 0);
  const json doc = run.json();
  const json& item = doc["vms"][0];
  CHECK(item["result"] == "changed");
  CHECK(step_kinds(item) == std::vector<std::string>{"set-processor", "start-vm",
                                                     "guest-install-hyperv", "guest-reboot",
                                                     "guest-verify-hyperv"});
  CHECK(step_statuses(item) == std::vector<std::string>(5, "done"));
  CHECK(item["steps"][2]["reversible"] == false);
  CHECK(item["guest"]["before"]["feature"] == "Available");
  CHECK(item["guest"]["reboots"].get<int>() >= 1);
  const json& guest = vm_in(run.state_after, "Lab1")["guest"];
  CHECK(guest["features"]["Hyper-V"] == "Installed");
  CHECK(guest["features"]["Hyper-V-PowerShell"] == "Installed");  // -IncludeManagementTools
  expect_hyperv_running(run);
  CHECK(run.cmdlet_calls("Install-WindowsFeature").size() == 1);
  CHECK(run.cmdlet_calls("Enable-WindowsOptionalFeature").empty());
  CHECK(doc["diagnostics"]["powershell_launches"] == 1);
  // Progress while waiting went to stderr (the log at -vv), and the password nowhere.
  CHECK(run.result.err.find("rebooting (1)") != std::string::npos);
  CHECK(run.result.out.find("L2-Lab1-pw!") == std::string::npos);
  CHECK(run.result.err.find("L2-Lab1-pw!") == std::string::npos);
  // Only the scenario's own record of the guest's account holds it.
  CHECK(count(run.state_after.dump(), "L2-Lab1-pw!") ==
        count(run.state_before.dump(), "L2-Lab1-pw!"));
}

TEST_CASE("install-hyperv on a Windows 11 Pro guest enables the optional feature",
          "[guest-hyperv]") {
  const e2e::Run run = install(lab1_off("l1-guest-windows11-pro"));
  INFO(run.result.err << run.result.out);
  REQUIRE(run.exit_code() == 0);
  const json& guest = vm_in(run.state_after, "Lab1")["guest"];
  CHECK(guest["features"]["Microsoft-Hyper-V"] == "Enabled");
  expect_hyperv_running(run);
  REQUIRE(run.cmdlet_calls("Enable-WindowsOptionalFeature").size() == 1);
  CHECK(run.cmdlet_calls("Install-WindowsFeature").empty());
}

TEST_CASE("a guest where Hyper-V runs is unchanged: no install, no restart", "[guest-hyperv]") {
  json s = lab1_running();
  json& g = vm_in(s, "Lab1")["guest"];
  g["features"]["Hyper-V"] = "Installed";
  g["services"]["vmms"] = "Running";
  g["hypervisor_launch_type"] = "Auto";
  const e2e::Run run = install(s);
  INFO(run.result.err << run.result.out);
  REQUIRE(run.exit_code() == 0);
  const json doc = run.json();
  CHECK(doc["vms"][0]["result"] == "unchanged");
  CHECK(doc["vms"][0]["steps"].empty());
  CHECK(changes(run) == std::vector<std::string>{});
  CHECK(vm_in(run.state_after, "Lab1")["guest"]["boot_time"] ==
        vm_in(run.state_before, "Lab1")["guest"]["boot_time"]);
}

TEST_CASE("a pending install gets only the restart and the proof", "[guest-hyperv]") {
  json s = lab1_running();
  json& g = vm_in(s, "Lab1")["guest"];
  g["features"]["Hyper-V"] = "InstallPending";
  g["hypervisor_launch_type"] = "Auto";
  g["reboot_pending"]["cbs"] = true;
  const e2e::Run run = install(s);
  INFO(run.result.err << run.result.out);
  REQUIRE(run.exit_code() == 0);
  CHECK(step_kinds(run.json()["vms"][0]) ==
        std::vector<std::string>{"guest-reboot", "guest-verify-hyperv"});
  CHECK(run.cmdlet_calls("Install-WindowsFeature").empty());
  expect_hyperv_running(run);
}

TEST_CASE("refusals: Home, Linux, wrong credentials, payload removed, pending updates",
          "[guest-hyperv]") {
  struct Case {
    const char* name;
    std::function<void(json&)> setup;
    int code;
    const char* id;
  };
  const std::vector<Case> cases = {
      {"Home edition",
       [](json& g) {
         g["os"] = {{"family", "windows"},
                    {"caption", "Microsoft Windows 11 Home"},
                    {"product_type", 1},
                    {"sku", 101},
                    {"build", "22631"}};
         g["features"] = json::object();
       },
       3, "guest.edition"},
      {"Linux guest",
       [](json& g) {
         g["os"] = {{"family", "linux"}, {"caption", "Ubuntu 22.04.4 LTS"}};
       },
       3, "guest.os"},
      {"payload removed", [](json& g) { g["features"]["Hyper-V"] = "Removed"; }, 11,
       "guest.payload"},
      {"pending updates", [](json& g) { g["reboot_pending"]["windows_update"] = true; }, 11,
       "guest.reboot-pending"},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.name) {
      json s = lab1_running();
      c.setup(vm_in(s, "Lab1")["guest"]);
      const e2e::Run run = install(s);
      INFO(run.result.err << run.result.out);
      CHECK(run.exit_code() == c.code);
      const json doc = run.json();
      CHECK(doc["vms"][0]["result"] == "refused");
      REQUIRE(!doc["vms"][0]["refusals"].empty());
      CHECK(doc["vms"][0]["refusals"][0]["id"] == c.id);
      CHECK(doc["vms"][0]["refusals"][0]["fix"] != "");
      CHECK(changes(run) == std::vector<std::string>{});
    }
  }
  SECTION("wrong credentials: 12, nothing changed") {
    const e2e::Run run = e2e::run_nestvirt_state(
        lab1_running(), kInstall,
        {{"NESTVIRT_GUEST_USER", "Administrator"}, {"NESTVIRT_GUEST_PASSWORD", "wrong"}});
    INFO(run.result.err << run.result.out);
    CHECK(run.exit_code() == 12);
    CHECK(run.json()["vms"][0]["refusals"][0]["id"] == "guest.credentials");
    CHECK(changes(run) == std::vector<std::string>{});
  }
}

TEST_CASE("the fixes the refusals suggest work", "[guest-hyperv]") {
  SECTION("--install-source for a removed payload") {
    json s = lab1_running();
    json& g = vm_in(s, "Lab1")["guest"];
    g["features"]["Hyper-V"] = "Removed";
    g["install_sources"] = json::array({"D:\\sources\\sxs"});
    const e2e::Run run = install(s, {"--install-source", "D:\\sources\\sxs"});
    INFO(run.result.err << run.result.out);
    CHECK(run.exit_code() == 0);
    expect_hyperv_running(run);
  }
  SECTION("--reboot-guest-first for a reboot pending from updates") {
    json s = lab1_running();
    vm_in(s, "Lab1")["guest"]["reboot_pending"]["windows_update"] = true;
    const e2e::Run run = install(s, {"--reboot-guest-first"});
    INFO(run.result.err << run.result.out);
    CHECK(run.exit_code() == 0);
    CHECK(step_kinds(run.json()["vms"][0]).front() == "guest-reboot");
    expect_hyperv_running(run);
  }
}

TEST_CASE("failures: an install that fails, a guest that never comes back, one never booted",
          "[guest-hyperv]") {
  SECTION("Install-WindowsFeature fails on a VM nestvirt did not change: failed, 8") {
    json s = lab1_running();
    s["faults"].push_back({{"cmdlet", "Install-WindowsFeature"},
                           {"message", "Installation of one or more roles failed."}});
    const e2e::Run run = install(s);
    INFO(run.result.err << run.result.out);
    CHECK(run.exit_code() == 8);
    const json doc = run.json();
    CHECK(doc["vms"][0]["result"] == "failed");
    CHECK(step_statuses(doc["vms"][0]) == std::vector<std::string>{"failed", "skipped", "skipped"});
  }
  SECTION("after turning nesting on, a failed install leaves nesting on: incomplete, 9") {
    json s = lab1_off("l1-guest-windows-server-2022");
    s["faults"].push_back({{"cmdlet", "Install-WindowsFeature"},
                           {"message", "Installation of one or more roles failed."}});
    const e2e::Run run = install(s);
    INFO(run.result.err << run.result.out);
    CHECK(run.exit_code() == 9);
    const json doc = run.json();
    CHECK(doc["vms"][0]["result"] == "incomplete");
    CHECK(!doc["vms"][0]["left_for_admin"].empty());
    CHECK(vm_in(run.state_after, "Lab1")["processor"]["expose_virtualization_extensions"] == true);
  }
  SECTION("a guest that never comes back after the restart: said so, VM left running, 9") {
    json s = lab1_running();
    vm_in(s, "Lab1")["guest"]["never_returns"] = true;
    const e2e::Run run = install(s, {"--guest-timeout", "5"});
    INFO(run.result.err << run.result.out);
    CHECK(run.exit_code() == 9);
    const json doc = run.json();
    const json& item = doc["vms"][0];
    CHECK(item["result"] == "incomplete");
    // The install stays (a role install is not rolled back), and the report says both things.
    CHECK(step_statuses(item) == std::vector<std::string>{"not-undone", "failed", "skipped"});
    CHECK(item["steps"][1]["error"].get<std::string>().find("did not come back") !=
          std::string::npos);
    REQUIRE(item["left_for_admin"].size() == 2);
    CHECK(item["left_for_admin"][0].get<std::string>().find("console") != std::string::npos);
    CHECK(item["left_for_admin"][1].get<std::string>().find("stays installed") !=
          std::string::npos);
    CHECK(vm_in(run.state_after, "Lab1")["state"] == "Running");
  }
  SECTION("a guest that does not boot within --guest-timeout: guest-not-ready, 17") {
    json s = lab1_off("l1-guest-windows-server-2022", 120);
    const e2e::Run run = install(s, {"--guest-timeout", "3"});
    INFO(run.result.err << run.result.out);
    CHECK(run.exit_code() == 17);
    const json doc = run.json();
    CHECK(doc["outcome"] == "guest-not-ready");
    CHECK(doc["vms"][0]["refusals"][0]["id"] == "guest.not-ready");
    CHECK(run.result.err.find("of 3 s") != std::string::npos);  // progress with the timeout
  }
}

TEST_CASE("--dry-run: the VM's steps and the guest's, nothing changed", "[guest-hyperv]") {
  SECTION("a VM that is off: both install commands") {
    const json s = lab1_off("l1-guest-windows-server-2022");
    const e2e::Run run = install(s, {"--dry-run"});
    INFO(run.result.err << run.result.out);
    CHECK(run.exit_code() == 0);
    const json doc = run.json();
    CHECK(doc["vms"][0]["result"] == "planned");
    CHECK(step_kinds(doc["vms"][0]) ==
          std::vector<std::string>{"set-processor", "start-vm", "guest-install-hyperv",
                                   "guest-reboot", "guest-verify-hyperv"});
    CHECK(doc["vms"][0]["steps"][2]["commands"].dump().find("Enable-WindowsOptionalFeature") !=
          std::string::npos);
    CHECK(e2e::without_calls(run.state_after) == e2e::without_calls(run.state_before));
  }
  SECTION("a running guest: read, and exactly its plan") {
    const e2e::Run run = install(lab1_running(), {"--dry-run"});
    INFO(run.result.err << run.result.out);
    CHECK(run.exit_code() == 0);
    CHECK(step_kinds(run.json()["vms"][0]) ==
          std::vector<std::string>{"guest-install-hyperv", "guest-reboot", "guest-verify-hyperv"});
    CHECK(changes(run) == std::vector<std::string>{});
  }
}

TEST_CASE("options that only apply with --install-hyperv are usage errors", "[guest-hyperv]") {
  const e2e::Run run = e2e::run_nestvirt_state(
      lab1_running(), {"enable", "--vm", "Lab1", "--guest-timeout", "5"}, kCredentials);
  CHECK(run.exit_code() == 2);
  CHECK(run.result.err.find("--install-hyperv") != std::string::npos);
}

TEST_CASE("check --guest: the guest's findings, read-only", "[guest-hyperv]") {
  SECTION("a fresh guest: role missing fails (3) with the enable fix") {
    const e2e::Run run = e2e::run_nestvirt_state(
        lab1_running(), {"check", "--vm", "Lab1", "--guest", "--json"}, kCredentials);
    INFO(run.result.err << run.result.out);
    CHECK(run.exit_code() == 3);  // Hyper-V does not run in this guest: not "prerequisites met"
    bool role = false;
    const json doc = run.json();
    for (const auto& f : doc["findings"]) {
      if (f["id"] == "guest.hyperv-role") {
        role = true;
        CHECK(f["status"] == "fail");
        CHECK(f["fix_command"] == "nestvirt enable --vm 'Lab1' --install-hyperv");
      }
    }
    CHECK(role);
    CHECK(e2e::without_calls(run.state_after) == e2e::without_calls(run.state_before));
  }
  SECTION("nesting off: the guest cannot run Hyper-V, 3") {
    json s = lab1_running();
    vm_in(s, "Lab1")["processor"]["expose_virtualization_extensions"] = false;
    const e2e::Run run =
        e2e::run_nestvirt_state(s, {"check", "--vm", "Lab1", "--guest", "--json"}, kCredentials);
    INFO(run.result.err << run.result.out);
    CHECK(run.exit_code() == 3);
    CHECK(run.result.out.find("guest.virtualization") != std::string::npos);
    CHECK(run.result.out.find("nestvirt enable --vm 'Lab1' --restart") != std::string::npos);
  }
  SECTION("--guest without --vm is a usage error") {
    const e2e::Run run =
        e2e::run_nestvirt_state(lab1_running(), {"check", "--guest"}, kCredentials);
    CHECK(run.exit_code() == 2);
  }
}

TEST_CASE("install-hyperv over ssh:// on a remote host: each path as locally", "[guest-hyperv]") {
  // One sshd; each case writes its own starting state into the host's state file.
  e2e::SimSshHost host(lab1_off("l1-guest-windows-server-2022"));
  auto run_remote_case = [&](const json& state, const std::vector<std::string>& extra,
                             const std::vector<std::pair<std::string, std::string>>& env) {
    {
      std::ofstream out(host.state_file(), std::ios::trunc);
      out << state.dump(2);
    }
    std::vector<std::string> args = kInstall;
    args.insert(args.end(), {"--host", host.target("ssh")});
    args.insert(args.end(), extra.begin(), extra.end());
    if (extra.empty()) args.insert(args.end(), {"--guest-timeout", "60"});
    for (const auto& o : host.key_options()) args.push_back(o);
    return e2e::run_remote(args, env);
  };
  SECTION("a fresh Server guest: installed, restarted, proven") {
    const auto run = run_remote_case(lab1_off("l1-guest-windows-server-2022"), {}, kCredentials);
    INFO(run.err << run.out);
    REQUIRE(run.status.code == 0);
    const json doc = json::parse(run.out);
    CHECK(doc["hosts"][0]["vms"][0]["result"] == "changed");
    CHECK(doc["hosts"][0]["vms"][0]["guest"]["after"]["hyperv_running"] == true);
    const json state = host.state();
    const json& guest = vm_in(state, "Lab1")["guest"];
    CHECK(guest["services"]["vmms"] == "Running");
    CHECK(guest["hypervisor_launch_type"] == "Auto");
    // Progress reached the runner's stderr, prefixed with the host.
    CHECK(run.err.find("rebooting (1)") != std::string::npos);
  }
  SECTION("already running: unchanged") {
    json s = lab1_running();
    json& g = vm_in(s, "Lab1")["guest"];
    g["features"]["Hyper-V"] = "Installed";
    g["services"]["vmms"] = "Running";
    g["hypervisor_launch_type"] = "Auto";
    const auto run = run_remote_case(s, {}, kCredentials);
    INFO(run.err << run.out);
    CHECK(run.status.code == 0);
    CHECK(json::parse(run.out)["hosts"][0]["vms"][0]["result"] == "unchanged");
  }
  SECTION("a Home edition: refused, 3") {
    json s = lab1_running();
    vm_in(s, "Lab1")["guest"]["os"] = {{"family", "windows"},
                                       {"caption", "Microsoft Windows 11 Home"},
                                       {"product_type", 1},
                                       {"sku", 101},
                                       {"build", "22631"}};
    const auto run = run_remote_case(s, {}, kCredentials);
    INFO(run.err << run.out);
    CHECK(run.status.code == 3);
    CHECK(json::parse(run.out)["hosts"][0]["vms"][0]["refusals"][0]["id"] == "guest.edition");
  }
  SECTION("wrong credentials: 12") {
    const auto run = run_remote_case(
        lab1_running(), {},
        {{"NESTVIRT_GUEST_USER", "Administrator"}, {"NESTVIRT_GUEST_PASSWORD", "wrong"}});
    INFO(run.err << run.out);
    CHECK(run.status.code == 12);
  }
  SECTION("a guest that never comes back: incomplete, 9, VM left running") {
    json s = lab1_running();
    vm_in(s, "Lab1")["guest"]["never_returns"] = true;
    const auto run = run_remote_case(s, {"--guest-timeout", "5"}, kCredentials);
    INFO(run.err << run.out);
    CHECK(run.status.code == 9);
    const json state = host.state();
    CHECK(vm_in(state, "Lab1")["state"] == "Running");
  }
}
