// net-nat guest: what the guest_address script's answers mean (exit codes, messages, fixes).
#include "catch.h"
#include "nestvirt/commands/net_nat_guest.h"

using namespace nestvirt::commands;
using nlohmann::json;

namespace {

GuestRequest request() {
  GuestInput in;
  in.vm = "Lab1";
  in.ip = "192.168.100.2";
  in.prefix = "192.168.100.0/24";
  in.dns = {"1.1.1.1"};
  return *check_guest_input(in, std::nullopt).request;
}

json vm() {
  return {{"name", "Lab1"}, {"id", "6b1a-1"}, {"state", "Running"}};
}

json answer(const std::string& address, const std::string& gateway, const std::string& dns) {
  return {{"vm", vm()},
          {"status", "ok"},
          {"kind", ""},
          {"message", ""},
          {"fqid", ""},
          {"adapter", "Ethernet"},
          {"adapters", "Ethernet (Up)"},  // 5.1: a one-element array arrives as the element
          {"address_before", {"169.254.1.2/16"}},
          {"address_after", "192.168.100.2/24"},
          {"address_action", address},
          {"gateway_before", json::array()},
          {"gateway_after", {"192.168.100.1"}},
          {"gateway_action", gateway},
          {"dns_before", nullptr},
          {"dns_after", {"1.1.1.1"}},
          {"dns_action", dns}};
}

}  // namespace

TEST_CASE("guest reply: changed, then unchanged", "[guest]") {
  auto g = parse_guest_reply(request(), answer("added", "added", "changed"));
  CHECK(g.exit_code == 0);
  CHECK(g.result == "changed");
  CHECK(g.vm_id == "6b1a-1");
  CHECK(g.adapters == std::vector<std::string>{"Ethernet (Up)"});
  REQUIRE(g.items.size() == 3);
  CHECK(g.items[0].wanted == "192.168.100.2/24");
  CHECK(g.items[0].before == std::vector<std::string>{"169.254.1.2/16"});
  CHECK(g.items[0].after == std::vector<std::string>{"192.168.100.2/24"});
  CHECK(g.items[1].before.empty());
  CHECK(g.items[2].before.empty());
  auto same = parse_guest_reply(request(), answer("unchanged", "unchanged", "unchanged"));
  CHECK(same.exit_code == 0);
  CHECK(same.result == "unchanged");
  auto json_doc = guest_to_json(same);
  CHECK(json_doc["result"] == "unchanged");
  CHECK(json_doc["problem"].is_null());
  CHECK(json_doc["request"]["dns"] == json::array({"1.1.1.1"}));
}

TEST_CASE("guest reply: refusals exit 3 with the fix", "[guest]") {
  json off = {{"status", "refused"},
              {"kind", "vm-not-running"},
              {"vm", {{"name", "Lab1"}, {"id", "6b1a-1"}, {"state", "Off"}}}};
  auto g = parse_guest_reply(request(), off);
  CHECK(g.exit_code == 3);
  CHECK(g.result == "refused");
  CHECK(g.message ==
        "the VM 'Lab1' is Off: PowerShell Direct needs it running, with Windows "
        "booted inside");
  CHECK(g.fix ==
        "Start it (Hyper-V\\Start-VM -VM (Hyper-V\\Get-VM -Id '6b1a-1')), wait until "
        "Windows inside has booted, then run this again.");
  json cred = {{"status", "refused"},
               {"kind", "credential-invalid"},
               {"vm", vm()},
               {"message", "The credential is invalid."},
               {"fqid", "InvalidCredential,X"}};
  auto c = parse_guest_reply(request(), cred);
  CHECK(c.exit_code == 3);
  CHECK(c.powershell_error == "The credential is invalid. [InvalidCredential,X]");
  CHECK(c.fix.find("NESTVIRT_GUEST_PASSWORD") != std::string::npos);
  json many = answer("unchanged", "unchanged", "not-requested");
  many["status"] = "refused";
  many["kind"] = "adapter-ambiguous";
  many["message"] = "several network adapters are Up in the guest";
  many["adapters"] = {"Ethernet (Up)", "Ethernet 2 (Up)"};
  auto a = parse_guest_reply(request(), many);
  CHECK(a.message ==
        "several network adapters are Up in the guest (its adapters: Ethernet (Up), "
        "Ethernet 2 (Up))");
  CHECK(a.fix == "Name the adapter to configure with --guest-adapter.");
  CHECK(a.powershell_error.empty());  // the guest's own words, not a PowerShell error
  CHECK(parse_guest_reply(request(), {{"status", "refused"}, {"kind", "vm-not-found"}}).exit_code ==
        3);
}

TEST_CASE("guest reply: a failed change exits 8, a half-done one 9", "[guest]") {
  json failed = answer("failed", "failed", "not-run");
  failed["status"] = "failed";
  failed["kind"] = "change-failed";
  failed["message"] = "Access denied ";
  failed["fqid"] = "Windows System Error 5,New-NetIPAddress";
  auto f = parse_guest_reply(request(), failed);
  CHECK(f.exit_code == 8);
  CHECK(f.left_for_admin.empty());
  CHECK(f.powershell_error == "Access denied  [Windows System Error 5,New-NetIPAddress]");
  json half = answer("added", "added", "failed");
  half["status"] = "incomplete";
  half["kind"] = "change-failed";
  half["message"] = "boom";
  auto h = parse_guest_reply(request(), half);
  CHECK(h.exit_code == 9);
  CHECK(h.left_for_admin.size() == 2);
  json odd = {{"status", "failed"}, {"kind", "direct-failed"}, {"message", "no answer"}};
  CHECK(parse_guest_reply(request(), odd).exit_code == 6);
  CHECK_THROWS(parse_guest_reply(request(), json::array()));
  CHECK_THROWS(parse_guest_reply(request(), {{"status", "maybe"}}));
}

TEST_CASE("guest report: --print result and JSON fields", "[guest]") {
  auto p = printed_result(request());
  auto doc = guest_to_json(p);
  CHECK(doc["print"] == true);
  CHECK(doc["result"] == "printed");
  CHECK(doc["credential_source"].is_null());
  CHECK(doc["commands"].size() == 2);
  CHECK(doc["vm"]["requested"] == "Lab1");
  CHECK(doc["request"]["gateway_source"] == "default");
  CHECK(guest_to_text(p) == guest_print_text(p.request));
}

namespace {

// Records the request and answers with a canned reply.
struct FakeHost : nestvirt::powershell::ScriptHost {
  std::string script;
  json args;
  nestvirt::powershell::Reply reply;
  nestvirt::powershell::Reply call(std::string_view name, const json& a) override {
    script = std::string(name);
    args = a;
    return reply;
  }
};

}  // namespace

TEST_CASE("guest run: one guest_address request, the credential only in its arguments", "[guest]") {
  FakeHost host;
  host.reply.ok = true;
  host.reply.result = answer("unchanged", "unchanged", "unchanged");
  GuestCredentials credentials{"Administrator", "s3cret", "environment"};
  auto g = run_net_nat_guest(host, request(), credentials);
  CHECK(host.script == "guest_address");
  CHECK(host.args["vm"] == "Lab1");
  CHECK(host.args["user"] == "Administrator");
  CHECK(host.args["password"] == "s3cret");
  CHECK(host.args["prefix_length"] == 24);
  CHECK(host.args["gateway"] == "192.168.100.1");
  CHECK(host.args["dns"] == json::array({"1.1.1.1"}));
  CHECK(host.args["adapter"] == "");
  CHECK(g.credential_source == "environment");
  CHECK(guest_to_json(g).dump().find("s3cret") == std::string::npos);
  CHECK(guest_to_text(g).find("s3cret") == std::string::npos);

  host.reply.ok = false;
  host.reply.error.message = "The term 'Invoke-Command' is not recognized";
  CHECK_THROWS_WITH(run_net_nat_guest(host, request(), credentials),
                    "setting the guest's address failed in PowerShell: The term 'Invoke-Command' "
                    "is not recognized");
}
