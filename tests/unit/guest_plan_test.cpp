// net-nat guest decided in C++: what the guest reported (decode_guest_facts) becomes steps, or
// a refusal with its fix. No PowerShell.
#include "nestvirt/core/guest_plan.h"
#include "catch.h"
#include "nestvirt/core/replies.h"

using namespace nestvirt::core;
using nlohmann::json;

namespace {

GuestRequest request(std::vector<std::string> dns = {"1.1.1.1"}, std::string adapter = "") {
  GuestInput in;
  in.vm = "Lab1";
  in.ip = "192.168.100.2";
  in.prefix = "192.168.100.0/24";
  in.dns = std::move(dns);
  in.adapter = std::move(adapter);
  return *check_guest_input(in, std::nullopt).request;
}

GuestAdapter adapter(std::string name, int index, std::string status = "Up") {
  GuestAdapter a;
  a.name = std::move(name);
  a.if_index = index;
  a.status = std::move(status);
  return a;
}

// One running VM whose guest has one adapter with only an APIPA address.
GuestFacts fresh_guest() {
  GuestFacts f;
  f.matches = {{"Lab1", "6b1a-1", "Running", {{"nic-1", "Network Adapter", "NestedNAT", "Off"}}}};
  f.guest_answered = true;
  GuestAdapter eth = adapter("Ethernet", 4);
  eth.config.addresses = {{"169.254.7.1", 16, "WellKnown"}};
  f.adapters = {eth};
  return f;
}

// The host's NAT the request above belongs to: 192.168.100.0/24, gateway .1 on the internal
// switch NestedNAT, which the VM's adapter is connected to.
HostNat host_nat_ok() {
  HostNat n;
  n.prefix = parse_prefix("192.168.100.0/24").prefix;
  n.gateway = Ipv4::parse("192.168.100.1");
  n.name = "NestedNAT";
  n.gateway_alias = "vEthernet (NestedNAT)";
  n.switch_name = "NestedNAT";
  return n;
}

std::vector<StepKind> kinds(const GuestPlan& p) {
  std::vector<StepKind> out;
  for (const auto& s : p.steps) out.push_back(s.kind);
  return out;
}

}  // namespace

TEST_CASE("guest plan: a fresh guest gets address with gateway, then DNS", "[guest]") {
  GuestPlan p = plan_guest(request(), fresh_guest(), host_nat_ok());
  REQUIRE_FALSE(p.problem);
  CHECK(p.vm == VmRef{"6b1a-1", "Lab1"});
  CHECK(p.adapter == "Ethernet");
  CHECK(p.if_index == 4);
  CHECK(kinds(p) == std::vector<StepKind>{StepKind::GuestAddAddress, StepKind::GuestSetDns});
  const auto& add = std::get<GuestArgs>(p.steps[0].args);
  CHECK(add.if_index == 4);
  CHECK(add.gateway == "192.168.100.1");
  CHECK(p.steps[0].commands ==
        std::vector<std::string>{"NetTCPIP\\New-NetIPAddress -InterfaceIndex 4 -IPAddress "
                                 "'192.168.100.2' -PrefixLength 24 -DefaultGateway "
                                 "'192.168.100.1'"});
  const auto& dns = std::get<GuestArgs>(p.steps[1].args);
  CHECK(dns.dns == std::vector<std::string>{"1.1.1.1"});
  CHECK(dns.previous_dns.empty());
  CHECK(p.items[0].before == std::vector<std::string>{"169.254.7.1/16"});
  CHECK(p.items[0].action == "unchanged");  // filled in by the run
}

TEST_CASE("guest plan: only what is missing; nothing when all is there", "[guest]") {
  GuestFacts f = fresh_guest();
  f.adapters[0].config.addresses.push_back({"192.168.100.2", 24, "Manual"});
  GuestPlan gateway_only = plan_guest(request({}), f, host_nat_ok());
  CHECK(kinds(gateway_only) == std::vector<StepKind>{StepKind::GuestAddGateway});
  f.adapters[0].config.gateways = {"192.168.100.1"};
  f.adapters[0].config.dns = {"1.1.1.1"};
  GuestPlan none = plan_guest(request(), f, host_nat_ok());
  REQUIRE_FALSE(none.problem);
  CHECK(none.steps.empty());
  CHECK(none.items[2].action == "unchanged");
  CHECK(plan_guest(request({}), f, host_nat_ok()).items[2].action == "not-requested");
  // Other DNS servers are replaced, and remembered for the undo.
  f.adapters[0].config.dns = {"9.9.9.9"};
  GuestPlan dns = plan_guest(request(), f, host_nat_ok());
  REQUIRE(kinds(dns) == std::vector<StepKind>{StepKind::GuestSetDns});
  CHECK(std::get<GuestArgs>(dns.steps[0].args).previous_dns == std::vector<std::string>{"9.9.9.9"});
}

TEST_CASE("guest plan: refusals, each with its kind and fix", "[guest]") {
  auto refused = [](const GuestFacts& f, const GuestRequest& r = request()) {
    GuestPlan p = plan_guest(r, f, host_nat_ok());
    REQUIRE(p.problem);
    CHECK(p.steps.empty());
    return *p.problem;
  };
  GuestFacts none;
  CHECK(refused(none).kind == "vm-not-found");
  GuestFacts two = fresh_guest();
  two.matches.push_back(two.matches.front());
  CHECK(refused(two).kind == "vm-ambiguous");
  GuestFacts off = fresh_guest();
  off.matches[0].state = "Off";
  const auto off_problem = refused(off);
  CHECK(off_problem.kind == "vm-not-running");
  CHECK(off_problem.fix ==
        "Start it (Hyper-V\\Start-VM -VM (Hyper-V\\Get-VM -Id '6b1a-1')), wait until Windows "
        "inside has booted, then run this again.");
  GuestFacts missing;
  missing.hyperv_error = {"The term 'Hyper-V\\Get-VM' is not recognized", "CommandNotFound",
                          "CommandNotFoundException"};
  CHECK(refused(missing).kind == "hyperv-missing");
  GuestFacts denied;
  denied.hyperv_error = {"You do not have the required permission", "AccessDenied,X",
                         "VirtualizationException"};
  CHECK(refused(denied).kind == "hyperv-access");
  GuestFacts bad_login = fresh_guest();
  bad_login.guest_answered = false;
  bad_login.direct_error = {"The credential is invalid.", "InvalidCredential,X", ""};
  const auto cred = refused(bad_login);
  CHECK(cred.kind == "credential-invalid");
  CHECK(cred.powershell_error == "The credential is invalid. [InvalidCredential,X]");
  CHECK(cred.fix.find("NESTVIRT_GUEST_PASSWORD") != std::string::npos);
  GuestFacts unbooted = fresh_guest();
  unbooted.guest_answered = false;
  unbooted.direct_error = {"A remote session might have ended.", "PSSessionStateBroken,X", ""};
  CHECK(refused(unbooted).kind == "direct-failed");
  GuestFacts silent = fresh_guest();
  silent.guest_answered = false;
  CHECK(refused(silent).unreadable);

  GuestFacts two_up = fresh_guest();
  two_up.adapters.push_back(adapter("Ethernet 2", 5));
  const auto ambiguous = refused(two_up);
  CHECK(ambiguous.kind == "adapter-ambiguous");
  CHECK(ambiguous.message ==
        "several network adapters are Up in the guest (its adapters: Ethernet (Up), Ethernet 2 "
        "(Up))");
  CHECK(plan_guest(request({}, "Ethernet 2"), two_up, host_nat_ok()).if_index == 5);
  CHECK(refused(two_up, request({}, "Ethernet 3")).kind == "adapter-not-found");
  GuestFacts down = fresh_guest();
  down.adapters[0].status = "Disconnected";
  CHECK(refused(down).kind == "no-adapter-up");

  GuestFacts elsewhere = fresh_guest();
  elsewhere.adapters.push_back(adapter("Ethernet 2", 5, "Disconnected"));
  elsewhere.adapters[1].config.addresses = {{"192.168.100.2", 24, "Manual"}};
  CHECK(refused(elsewhere).message ==
        "192.168.100.2 is already on another adapter of the guest: 'Ethernet 2'");
  GuestFacts other_length = fresh_guest();
  other_length.adapters[0].config.addresses = {{"192.168.100.2", 16, "Manual"}};
  CHECK(refused(other_length).kind == "address-conflict");
  GuestFacts other_static = fresh_guest();
  other_static.adapters[0].config.addresses = {{"10.0.0.5", 8, "Manual"}};
  CHECK(refused(other_static).message == "'Ethernet' already has the static address 10.0.0.5/8");
  GuestFacts other_gateway = fresh_guest();
  other_gateway.adapters[0].config.gateways = {"10.0.0.1"};
  CHECK(refused(other_gateway).kind == "gateway-conflict");
}

TEST_CASE("guest facts decoded from the script's reply, 5.1 shapes included", "[guest][replies]") {
  // The guest's answer is JSON text; 5.1 writes a one-element array as the element itself.
  const json inner = {
      {"adapters",
       {{"name", "Ethernet"},
        {"status", "Up"},
        {"if_index", "4"},
        {"addresses", {{"ip", "169.254.7.1"}, {"prefix_length", 16}, {"origin", "WellKnown"}}},
        {"gateways", nullptr},
        {"dns", "1.1.1.1"}}}};
  const json reply = {
      {"hyperv_error", nullptr},
      {"vms",
       {{"name", "Lab1"}, {"id", "6b1a-1"}, {"state", "Running"}, {"adapters", json::array()}}},
      {"direct_error", nullptr},
      {"guest", inner.dump()}};
  const GuestFacts f = decode_guest_facts(reply);
  REQUIRE(f.matches.size() == 1);
  CHECK(f.matches[0].id == "6b1a-1");
  REQUIRE(f.guest_answered);
  REQUIRE(f.adapters.size() == 1);
  CHECK(f.adapters[0].if_index == 4);
  CHECK(f.adapters[0].config.addresses ==
        std::vector<GuestAddress>{{"169.254.7.1", 16, "WellKnown"}});
  CHECK(f.adapters[0].config.gateways.empty());
  CHECK(f.adapters[0].config.dns == std::vector<std::string>{"1.1.1.1"});

  json broken = reply;
  broken["guest"] = "{not json";
  CHECK_THROWS_AS(decode_guest_facts(broken), ReplyError);
  CHECK_THROWS_WITH(decode_guest_facts(json::array()),
                    "guest_read reply: expected an object, received []");
}
