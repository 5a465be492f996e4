// Hyper-V inside a guest, decided without PowerShell: reading guest_hyperv.ps1's answer,
// telling how far the guest can be reached, which edition it runs, and what enable
// --install-hyperv does (only what is missing) or refuses, with which exit code.
#include "nestvirt/core/hyperv_guest.h"
#include "catch.h"
#include "nestvirt/core/exit_codes.h"
#include "nestvirt/core/exit_rules.h"
#include "nestvirt/core/reply_reader.h"

using namespace nestvirt::core;
using nlohmann::json;

namespace {

const VmRef kVm{"6b1a0000-0000-4000-8000-000000000001", "Lab1"};

json inside(const std::string& feature, const std::string& vmms, const std::string& launch,
            int product_type = 3, int sku = 8) {
  return {{"error", nullptr},
          {"install", nullptr},
          {"guest",
           {{"caption", product_type == 1 ? "Microsoft Windows 11 Pro"
                                          : "Microsoft Windows Server 2022 Datacenter"},
            {"product_type", product_type},
            {"sku", sku},
            {"build", "20348"},
            {"boot_time", "2026-11-24T08:00:30.0000000Z"},
            {"feature", feature},
            {"tools", true},
            {"feature_error", nullptr},
            {"vmms", vmms},
            {"launch_type", launch},
            {"bcd_error", ""},
            {"pending_cbs", false},
            {"pending_update", false}}}};
}

json reply(const json& answer) {
  return {{"state", "Running"},
          {"heartbeat", "OK"},
          {"os_name", "Windows Server 2022 Datacenter"},
          {"os_platform", "2"},
          {"direct_error", nullptr},
          {"guest", answer.dump()}};
}

HyperVGuestFacts facts(const json& answer) {
  return decode_hyperv_guest(reply(answer));
}

HyperVGuestOptions options() {
  HyperVGuestOptions o;
  o.vm_selector = "'Lab1'";
  return o;
}

std::vector<std::string> kinds(const HyperVGuestPlan& p) {
  std::vector<std::string> out;
  for (const auto& s : p.steps) out.push_back(to_string(s.kind));
  return out;
}

int exit_of(const HyperVGuestPlan& p) {
  return item_exit_code(p.refusals.empty() ? Outcome::Changed : Outcome::Refused, p.refusals);
}

}  // namespace

TEST_CASE("a fresh Server guest: install with the tools, restart, prove it runs") {
  const auto p = plan_hyperv_guest(facts(inside("Available", "", "")), options(), kVm);
  REQUIRE(p.refusals.empty());
  CHECK(kinds(p) ==
        std::vector<std::string>{"guest-install-hyperv", "guest-reboot", "guest-verify-hyperv"});
  CHECK(p.steps[0].commands.back() ==
        "ServerManager\\Install-WindowsFeature -Name Hyper-V -IncludeManagementTools");
  CHECK_FALSE(p.steps[0].reversible);
  CHECK(p.steps[0].why.find("Not undone") != std::string::npos);
}

TEST_CASE("a client guest gets Enable-WindowsOptionalFeature -All -NoRestart; -Source with it") {
  auto o = options();
  o.source = "D:\\sources\\sxs";
  const auto p = plan_hyperv_guest(facts(inside("Disabled", "", "", 1, 48)), o, kVm);
  REQUIRE(p.refusals.empty());
  CHECK(p.steps[0].commands.back() ==
        "Dism\\Enable-WindowsOptionalFeature -Online -FeatureName Microsoft-Hyper-V -All "
        "-NoRestart -Source 'D:\\sources\\sxs' -LimitAccess");
}

TEST_CASE("a guest where Hyper-V runs is left alone: no steps, no reboot") {
  const auto f = facts(inside("Installed", "Running", "Auto"));
  CHECK(hyperv_running(*f.inside));
  const auto p = plan_hyperv_guest(f, options(), kVm);
  CHECK(p.refusals.empty());
  CHECK(p.steps.empty());
}

TEST_CASE("only what is missing: a pending install needs the restart; launch type Off its fix") {
  CHECK(kinds(plan_hyperv_guest(facts(inside("InstallPending", "", "Auto")), options(), kVm)) ==
        std::vector<std::string>{"guest-reboot", "guest-verify-hyperv"});
  CHECK(kinds(plan_hyperv_guest(facts(inside("Installed", "Stopped", "Off")), options(), kVm)) ==
        std::vector<std::string>{"guest-set-launch-type", "guest-reboot", "guest-verify-hyperv"});
}

TEST_CASE("refusals name their fix and exit by their kind") {
  SECTION("Home has no Hyper-V: a prerequisite (3)") {
    json a = inside("", "", "", 1, 101);
    a["guest"]["caption"] = "Microsoft Windows 11 Home";
    const auto p = plan_hyperv_guest(facts(a), options(), kVm);
    REQUIRE(p.refusals.size() == 1);
    CHECK(p.refusals[0].id == "guest.edition");
    CHECK(exit_of(p) == kExitPrerequisitesNotMet);
  }
  SECTION("a Linux guest: KVM instead, a prerequisite (3)") {
    json r = reply(inside("", "", ""));
    r["os_platform"] = "100";
    r["os_name"] = "Ubuntu 22.04.4 LTS";
    r.erase("guest");
    const auto p = plan_hyperv_guest(decode_hyperv_guest(r), options(), kVm);
    REQUIRE(p.refusals.size() == 1);
    CHECK(p.refusals[0].id == "guest.os");
    CHECK(p.refusals[0].fix.find("KVM") != std::string::npos);
    CHECK(exit_of(p) == kExitPrerequisitesNotMet);
  }
  SECTION("nesting not exposed: enable --restart first (3)") {
    auto o = options();
    o.nesting_exposed = false;
    const auto p = plan_hyperv_guest(facts(inside("Available", "", "")), o, kVm);
    REQUIRE(p.refusals.size() == 1);
    CHECK(p.refusals[0].id == "guest.virtualization");
    CHECK(p.refusals[0].fix_command == "nestvirt enable --vm 'Lab1' --restart");
  }
  SECTION("wrong credentials (12)") {
    json r = reply(inside("", "", ""));
    r.erase("guest");
    r["direct_error"] = {{"message", "The credential is invalid."},
                         {"fqid",
                          "InvalidCredential,Microsoft.PowerShell.Commands."
                          "InvokeCommandCommand"},
                         {"exception", "PSInvalidOperationException"}};
    const auto p = plan_hyperv_guest(decode_hyperv_guest(r), options(), kVm);
    REQUIRE(p.refusals.size() == 1);
    CHECK(p.refusals[0].id == "guest.credentials");
    CHECK(exit_of(p) == kExitCredentialsRejected);
  }
  SECTION("not booted: guest-not-ready (17)") {
    json r = reply(inside("", "", ""));
    r.erase("guest");
    r["heartbeat"] = "No Contact";
    const auto f = decode_hyperv_guest(r);
    CHECK(reach_of(f) == GuestReach::Booting);
    const auto p = plan_hyperv_guest(f, options(), kVm);
    REQUIRE(p.refusals.size() == 1);
    CHECK(p.refusals[0].id == "guest.not-ready");
    CHECK(exit_of(p) == kExitGuestNotReady);
  }
  SECTION("payload removed without --install-source (11)") {
    const auto p = plan_hyperv_guest(facts(inside("Removed", "", "")), options(), kVm);
    REQUIRE(p.refusals.size() == 1);
    CHECK(p.refusals[0].id == "guest.payload");
    CHECK(p.refusals[0].fix.find("--install-source") != std::string::npos);
    CHECK(exit_of(p) == kExitRefused);
  }
  SECTION("a reboot pending from updates: refused, or restarted first when asked") {
    json a = inside("Available", "", "");
    a["guest"]["pending_update"] = true;
    const auto p = plan_hyperv_guest(facts(a), options(), kVm);
    REQUIRE(p.refusals.size() == 1);
    CHECK(p.refusals[0].id == "guest.reboot-pending");
    CHECK(p.refusals[0].fix_command ==
          "nestvirt enable --vm 'Lab1' --install-hyperv --reboot-guest-first");
    CHECK(exit_of(p) == kExitRefused);
    auto o = options();
    o.reboot_first = true;
    CHECK(kinds(plan_hyperv_guest(facts(a), o, kVm)) ==
          std::vector<std::string>{"guest-reboot", "guest-install-hyperv", "guest-reboot",
                                   "guest-verify-hyperv"});
  }
}

TEST_CASE("editions: Home by SKU or caption, client by product type 1, Server otherwise") {
  HyperVGuestInside in;
  in.product_type = 1;
  in.sku = 48;
  CHECK(edition_of(in) == GuestEdition::Client);
  in.sku = 100;
  CHECK(edition_of(in) == GuestEdition::Home);
  in.sku = 0;
  in.caption = "Microsoft Windows 10 Home";
  CHECK(edition_of(in) == GuestEdition::Home);
  in.caption = "Microsoft Windows Server 2019 Standard";
  in.product_type = 3;
  CHECK(edition_of(in) == GuestEdition::Server);
}

TEST_CASE("a reply without the VM's state is unreadable, not guessed") {
  CHECK_THROWS_AS(decode_hyperv_guest(json{{"heartbeat", "OK"}}), ReplyError);
  json r = reply(inside("", "", ""));
  r["guest"] = "not json";
  CHECK_THROWS_AS(decode_hyperv_guest(r), ReplyError);
}

TEST_CASE("check --guest: one finding per question, fixes only where enable can act") {
  const auto f = facts(inside("Available", "", ""));
  const auto found = hyperv_guest_findings(f, options(), kVm);
  std::vector<std::string> ids;
  for (const auto& x : found) ids.push_back(x.id);
  CHECK(ids == std::vector<std::string>{"guest.edition", "guest.virtualization",
                                        "guest.hyperv-role", "guest.vmms", "guest.launch-type",
                                        "guest.reboot-pending"});
  // Hyper-V does not run in this guest: the question `check --guest` asks fails (exit 3).
  CHECK(found[2].status == Status::Fail);
  CHECK(findings_exit_code(found) == kExitPrerequisitesNotMet);
  CHECK(found[2].fix_command == "nestvirt enable --vm 'Lab1' --install-hyperv");
  const auto running =
      hyperv_guest_findings(facts(inside("Installed", "Running", "Auto")), options(), kVm);
  CHECK(worst(running) == Status::Pass);
  CHECK(findings_exit_code(running) == kExitOk);
}

TEST_CASE("a VM that is not running: enable starts one that is off, not one that is saved") {
  json r = reply(inside("", "", ""));
  r.erase("guest");
  r["state"] = "Off";
  auto off = reach_refusal(decode_hyperv_guest(r), kVm, "'Lab1'", 0);
  REQUIRE(off);
  CHECK(off->id == "vm.not-running");
  CHECK(off->fix_command == "nestvirt enable --vm 'Lab1' --install-hyperv");
  r["state"] = "Saved";
  auto saved = reach_refusal(decode_hyperv_guest(r), kVm, "'Lab1'", 0);
  REQUIRE(saved);
  CHECK(saved->fix_command.empty());
  CHECK(saved->fix.find("Start-VM") != std::string::npos);
}
