// net-nat guest's host-side checks: the address must belong to a NAT of this host, with the
// host's address as gateway, and the VM must be on that NAT's switch. No PowerShell.
#include "catch.h"
#include "nestvirt/core/exit_rules.h"
#include "nestvirt/core/guest_findings.h"
#include "nestvirt/core/guest_plan.h"

using namespace nestvirt::core;

namespace {

GuestRequest request(std::string prefix = "192.168.100.0/24", std::string gateway = "") {
  GuestInput in;
  in.vm = "Lab1";
  in.ip = "192.168.100.2";
  in.prefix = std::move(prefix);
  in.gateway = std::move(gateway);
  return *check_guest_input(in, std::nullopt).request;
}

GuestFacts guest_on(std::string switch_name) {
  GuestFacts f;
  f.matches = {{"Lab1", "6b1a-1", "Running", {{"nic-1", "Network Adapter", switch_name, "Off"}}}};
  f.guest_answered = true;
  GuestAdapter eth;
  eth.name = "Ethernet";
  eth.status = "Up";
  eth.if_index = 4;
  f.adapters = {eth};
  return f;
}

// The host: NAT 'NestedNAT' 192.168.100.0/24, gateway .1 on the internal switch NestedNAT.
NetFacts host() {
  NetFacts net;
  net.nats = {{"NestedNAT", "192.168.100.0/24"}};
  net.addresses = {{"10.0.0.20", 24, "vEthernet (External)"},
                   {"192.168.100.1", 24, "vEthernet (NestedNAT)"}};
  net.all_switches = {{"External", "id-e", "External"}, {"NestedNAT", "id-n", "Internal"}};
  return net;
}

GuestProblem refused(const GuestRequest& r, const GuestFacts& f, const NetFacts& net) {
  GuestPlan p = plan_guest(r, f, host_nat_for(net, r.ip));
  REQUIRE(p.problem);
  CHECK(p.steps.empty());
  return *p.problem;
}

}  // namespace

TEST_CASE("host NAT for an address: its switch and gateway", "[guest]") {
  HostNat n = host_nat_for(host(), *Ipv4::parse("192.168.100.9"));
  CHECK(n.error.empty());
  CHECK(n.name == "NestedNAT");
  CHECK(n.switch_name == "NestedNAT");
  CHECK(n.gateway == Ipv4::parse("192.168.100.1"));
  CHECK(host_nat_for(host(), *Ipv4::parse("10.9.9.9")).error ==
        "no NAT on this host has 10.9.9.9 in its prefix");
  NetFacts denied = host();
  denied.errors = {{"Get-NetNat", "Access denied", ""}};
  CHECK(host_nat_for(denied, *Ipv4::parse("192.168.100.9")).unreadable);
}

TEST_CASE("net-nat guest: all checks pass on the NAT's switch", "[guest]") {
  GuestPlan p = plan_guest(request(), guest_on("NestedNAT"),
                           host_nat_for(host(), *Ipv4::parse("192.168.100.2")));
  CHECK_FALSE(p.problem);
  CHECK_FALSE(p.steps.empty());
}

TEST_CASE("net-nat guest refuses when the VM is not on the NAT's switch", "[guest]") {
  GuestProblem p = refused(request(), guest_on("External"), host());
  CHECK(p.kind == "guest.adapter-switch");
  CHECK(p.message ==
        "VM is not on the NAT's switch: 'Lab1' has no network adapter on 'NestedNAT' (its "
        "adapters: 'Network Adapter' on 'External'); needed: a network adapter of the VM on "
        "'NestedNAT', the switch of NAT 'NestedNAT' (192.168.100.0/24)");
  CHECK(p.fix_command ==
        "nestvirt net-nat --switch 'NestedNAT' --prefix 192.168.100.0/24 --connect-vm 'Lab1'");
  // A NAT named apart from its switch, with a moved gateway: both are in the fix.
  NetFacts moved = host();
  moved.nats = {{"LabNAT", "192.168.100.0/24"}};
  moved.addresses.back().ip = "192.168.100.254";
  CHECK(refused(request("192.168.100.0/24", "192.168.100.254"), guest_on(""), moved).fix_command ==
        "nestvirt net-nat --switch 'NestedNAT' --nat-name 'LabNAT' --prefix 192.168.100.0/24 "
        "--gateway 192.168.100.254 --connect-vm 'Lab1'");
  // No adapter at all: net-nat cannot connect one.
  GuestFacts none = guest_on("");
  none.matches[0].adapters.clear();
  GuestProblem no_nic = refused(request(), none, host());
  CHECK(no_nic.fix_command.empty());
  CHECK(no_nic.fix.rfind("Add one on that switch: Hyper-V\\Add-VMNetworkAdapter", 0) == 0);
}

TEST_CASE("net-nat guest refuses a prefix or gateway that is not the host's NAT", "[guest]") {
  GuestProblem p = refused(request("192.168.100.0/25"), guest_on("NestedNAT"), host());
  CHECK(p.kind == "guest.prefix-not-host-nat");
  CHECK(p.fix_command ==
        "nestvirt net-nat guest --vm 'Lab1' --ip 192.168.100.2 --prefix "
        "192.168.100.0/24");

  GuestProblem g =
      refused(request("192.168.100.0/24", "192.168.100.9"), guest_on("NestedNAT"), host());
  CHECK(g.kind == "guest.gateway-not-host");
  CHECK(g.fix_command ==
        "nestvirt net-nat guest --vm 'Lab1' --ip 192.168.100.2 --prefix "
        "192.168.100.0/24");

  // No NAT has the address: create one (this host has none) ...
  NetFacts bare = host();
  bare.nats.clear();
  GuestProblem none = refused(request(), guest_on("External"), bare);
  CHECK(none.kind == "guest.no-host-nat");
  CHECK(none.fix_command ==
        "nestvirt net-nat --switch 'NestedNAT' --prefix 192.168.100.0/24 --connect-vm 'Lab1'");
  // ... or use the one there: WinNAT has one per host, so no command would get through.
  NetFacts other = host();
  other.nats = {{"ContainerNAT", "172.28.0.0/16"}};
  GuestProblem elsewhere = refused(request(), guest_on("External"), other);
  CHECK(elsewhere.kind == "guest.no-host-nat");
  CHECK(elsewhere.fix_command.empty());
  CHECK(elsewhere.message.find("(its NATs: 'ContainerNAT' (172.28.0.0/16))") != std::string::npos);

  // A NAT without the host's address in it has no gateway for the nested VMs.
  NetFacts orphan = host();
  orphan.addresses.pop_back();
  GuestProblem gw = refused(request(), guest_on("NestedNAT"), orphan);
  CHECK(gw.kind == "guest.nat-no-gateway");
  CHECK(gw.fix_command ==
        "nestvirt net-nat --switch 'NestedNAT' --prefix 192.168.100.0/24 "
        "--connect-vm 'Lab1'");

  // The gateway on an adapter that belongs to no internal switch.
  NetFacts physical = host();
  physical.addresses.back().interface_alias = "Ethernet 2";
  CHECK(refused(request(), guest_on("NestedNAT"), physical).kind == "guest.nat-switch");

  NetFacts denied = host();
  denied.errors = {{"Get-NetIPAddress", "Access denied", ""}};
  CHECK(refused(request(), guest_on("NestedNAT"), denied).kind == "guest.host-unreadable");
}

TEST_CASE("net-nat guest takes the host's gateway when --prefix names its NAT", "[guest]") {
  NetFacts moved = host();
  moved.addresses.back().ip = "192.168.100.254";
  GuestInput in;
  in.vm = "Lab1";
  in.ip = "192.168.100.2";
  in.prefix = "192.168.100.0/24";
  auto check = check_guest_input(in, host_nat_for(moved, *Ipv4::parse("192.168.100.2")));
  REQUIRE(check.request);
  CHECK(check.request->gateway.str() == "192.168.100.254");
  CHECK(check.request->gateway_source == "host-nat");
}

TEST_CASE("net-nat guest's host-side refusals are findings with their parts and fix_command",
          "[guest]") {
  // refusals[] in the JSON: the id as the kind, title, seen and needed apart, the fix command.
  const GuestProblem p = refused(request(), guest_on("External"), host());
  const Finding f = guest_finding(p, "Lab1", "6b1a-1");
  CHECK(f.id == "guest.adapter-switch");
  CHECK(f.status == Status::Fail);
  CHECK(f.vm == "Lab1");
  CHECK(f.vm_id == "6b1a-1");
  CHECK(f.title == "VM is not on the NAT's switch");
  CHECK(f.seen ==
        "'Lab1' has no network adapter on 'NestedNAT' (its adapters: 'Network Adapter' on "
        "'External')");
  CHECK(f.needed ==
        "a network adapter of the VM on 'NestedNAT', the switch of NAT 'NestedNAT' "
        "(192.168.100.0/24)");
  CHECK(f.fix_command == p.fix_command);
  CHECK(f.fix.find(f.fix_command) != std::string::npos);
  CHECK(exit_code_of(refusal_kind(f.id)) == 11);

  // The host's network unreadable: nothing could be decided (4), not a refusal of the state.
  NetFacts denied = host();
  denied.errors = {{"Get-NetNat", "Access denied", ""}};
  const Finding u = guest_finding(refused(request(), guest_on("NestedNAT"), denied), "Lab1", "");
  CHECK(u.id == "guest.host-unreadable");
  CHECK(exit_code_of(refusal_kind(u.id)) == 4);
}
