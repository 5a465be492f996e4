// net-nat's pure parts: input checks and the conflict rules, without PowerShell.
#include "nestvirt/core/nat_plan.h"
#include "catch.h"
#include "nestvirt/core/recovery.h"

using namespace nestvirt::core;

namespace {

NatRequest request() {
  NatInput in;
  in.switch_name = "NestedNAT";
  in.prefix = "192.168.100.0/24";
  return *check_nat_input(in).request;
}

NetFacts empty_host() {
  NetFacts net;
  net.host_adapter = "vEthernet (NestedNAT)";
  net.addresses = {{"10.0.0.20", 24, "vEthernet (External)"}, {"127.0.0.1", 8, "Loopback"}};
  return net;
}

std::vector<std::string> kinds(const NatPlan& p) {
  std::vector<std::string> out;
  for (const auto& s : p.steps) out.push_back(to_string(s.kind));
  return out;
}

std::vector<std::string> refusal_ids(const NatPlan& p) {
  std::vector<std::string> out;
  for (const auto& f : p.refusals) out.push_back(f.id);
  return out;
}

}  // namespace

TEST_CASE("net-nat input: defaults and each refusal", "[nat]") {
  NatRequest r = request();
  CHECK(r.nat_name == "NestedNAT");
  CHECK(r.gateway.str() == "192.168.100.1");

  NatInput in;
  in.switch_name = "S";
  in.prefix = "192.168.100.0/24";
  in.gateway = "192.168.100.254";
  CHECK(check_nat_input(in).request->gateway.str() == "192.168.100.254");
  in.gateway = "192.168.100.255";
  CHECK(check_nat_input(in).errors ==
        std::vector<std::string>{"--gateway 192.168.100.255 is the broadcast address of "
                                 "192.168.100.0/24; use a host address, for example "
                                 "192.168.100.1"});
  in.gateway = "10.1.1.1";
  CHECK(check_nat_input(in).errors[0].find("is outside --prefix") != std::string::npos);
  in.gateway.clear();
  in.force = true;
  CHECK(check_nat_input(in).errors[0].find("--force only applies with --remove") !=
        std::string::npos);

  NatInput none;
  auto checked = check_nat_input(none);
  CHECK_FALSE(checked.request);
  CHECK(checked.errors.size() == 2);  // no switch, no prefix

  NatInput remove;
  remove.switch_name = "S";
  remove.remove = true;
  CHECK(check_nat_input(remove).request);  // no prefix needed to remove

  NatInput pub;
  pub.switch_name = "S";
  pub.prefix = "100.64.0.0/24";
  auto warned = check_nat_input(pub);
  CHECK(warned.request);
  CHECK(warned.warnings.size() == 1);
}

TEST_CASE("net-nat on an empty host: switch, address, NAT in that order", "[nat]") {
  NatPlan p = plan_nat(request(), empty_host(), {}, {});
  CHECK(p.refusals.empty());
  CHECK(kinds(p) == std::vector<std::string>{"new-switch", "new-address", "new-nat"});
  CHECK(p.steps[1].commands.back() ==
        "NetTCPIP\\New-NetIPAddress -IPAddress '192.168.100.1' -PrefixLength 24 -InterfaceAlias "
        "'vEthernet (NestedNAT)'");
  // Each step's undo removes exactly what it created.
  auto undo = undo_step(p.steps[2], NetReadback{1, "", "", 0, "192.168.100.0/24", "", true}, true);
  REQUIRE(undo);
  CHECK(undo->kind == StepKind::RemoveNat);
  CHECK(std::get<NatArgs>(undo->args) == NatArgs{"NestedNAT", "192.168.100.0/24"});
  auto remove_switch =
      undo_step(p.steps[0], NetReadback{1, "new-id", "Internal", 0, "", "", true}, true);
  REQUIRE(remove_switch);
  CHECK(std::get<SwitchArgs>(remove_switch->args) == SwitchArgs{"NestedNAT", "new-id"});
}

TEST_CASE("net-nat: what exists and matches is kept", "[nat]") {
  NetFacts net = empty_host();
  net.switches = {{"NestedNAT", "id-1", "Internal"}};
  net.nats = {{"NestedNAT", "192.168.100.0/24"}};
  net.addresses.push_back({"192.168.100.1", 24, "vEthernet (NestedNAT)"});
  NatPlan p = plan_nat(request(), net, {}, {});
  CHECK(p.refusals.empty());
  CHECK(p.steps.empty());
}

TEST_CASE("net-nat conflicts", "[nat]") {
  NetFacts net = empty_host();
  net.nats = {{"Docker", "172.28.0.0/16"}};
  CHECK(refusal_ids(plan_nat(request(), net, {}, {})) == std::vector<std::string>{"net.nat-other"});
  net.nats = {{"Docker", "192.168.0.0/16"}};
  CHECK(refusal_ids(plan_nat(request(), net, {}, {})) ==
        std::vector<std::string>{"net.nat-overlap"});
  net.nats = {{"NestedNAT", "192.168.200.0/24"}};
  CHECK(refusal_ids(plan_nat(request(), net, {}, {})) ==
        std::vector<std::string>{"net.nat-prefix"});

  NetFacts sw = empty_host();
  sw.switches = {{"NestedNAT", "a", "External"}};
  CHECK(refusal_ids(plan_nat(request(), sw, {}, {})) ==
        std::vector<std::string>{"net.switch-type"});
  sw.switches = {{"NestedNAT", "a", "Internal"}, {"NestedNAT", "b", "Internal"}};
  CHECK(refusal_ids(plan_nat(request(), sw, {}, {})) ==
        std::vector<std::string>{"net.switch-duplicate"});

  NetFacts addr = empty_host();
  addr.addresses.push_back({"192.168.100.1", 24, "Ethernet"});
  CHECK(refusal_ids(plan_nat(request(), addr, {}, {})) ==
        std::vector<std::string>{"net.gateway-in-use"});
  addr = empty_host();
  addr.addresses.push_back({"192.168.100.1", 16, "vEthernet (NestedNAT)"});
  CHECK(refusal_ids(plan_nat(request(), addr, {}, {})) ==
        std::vector<std::string>{"net.gateway-prefix"});
  addr = empty_host();
  addr.addresses.push_back({"192.168.100.77", 25, "Wi-Fi"});
  CHECK(refusal_ids(plan_nat(request(), addr, {}, {})) ==
        std::vector<std::string>{"net.prefix-overlap"});
}

TEST_CASE("net-nat --remove: only its own NAT, address and switch", "[nat]") {
  NatInput in;
  in.switch_name = "NestedNAT";
  in.remove = true;
  NatRequest r = *check_nat_input(in).request;
  NetFacts net = empty_host();
  net.switches = {{"NestedNAT", "id-1", "Internal"}};
  net.nats = {{"NestedNAT", "192.168.100.0/24"}, {"Docker", "172.28.0.0/16"}};
  net.addresses.push_back({"192.168.100.1", 24, "vEthernet (NestedNAT)"});
  net.connected = {{"Lab1", "vm-1", "Network Adapter", "nic-1"}};
  CHECK(refusal_ids(plan_nat(r, net, {}, {})) == std::vector<std::string>{"net.switch-in-use"});
  r.force = true;
  NatPlan p = plan_nat(r, net, {}, {});
  CHECK(kinds(p) ==
        std::vector<std::string>{"disconnect", "remove-nat", "remove-address", "remove-switch"});
  CHECK(std::get<NatArgs>(p.steps[1].args) == NatArgs{"NestedNAT", "192.168.100.0/24"});
  CHECK(std::get<SwitchArgs>(p.steps[3].args) == SwitchArgs{"NestedNAT", "id-1"});
  CHECK(std::get<ConnectArgs>(p.steps[0].args) ==
        ConnectArgs{{"vm-1", "Lab1"}, "nic-1", "Network Adapter", "", "NestedNAT"});
}

TEST_CASE("net-nat: another NAT's fix reuses it on its own switch and gateway", "[nat]") {
  // amd-windows-server-2019: Windows containers left ContainerNAT on the internal switch 'nat'.
  NetFacts net = empty_host();
  net.nats = {{"ContainerNAT", "172.28.0.0/16"}};
  net.addresses.push_back({"172.28.0.1", 16, "vEthernet (nat)"});
  net.all_switches = {{"nat", "id-n", "Internal"}, {"External", "id-e", "External"}};
  NatRequest r = request();
  r.connect_vms = {"Lab1"};
  NatPlan p = plan_nat(r, net, {}, {});
  REQUIRE(refusal_ids(p) == std::vector<std::string>{"net.nat-other"});
  CHECK(p.refusals[0].fix_command ==
        "nestvirt net-nat --switch 'nat' --nat-name 'ContainerNAT' --prefix 172.28.0.0/16 "
        "--connect-vm 'Lab1'");
  CHECK(p.refusals[0].fix.rfind(
            "Reuse it: " + p.refusals[0].fix_command + ". Or, if nothing uses it", 0) == 0);

  // The suggested command, planned on the same host, is not refused.
  NatRequest reuse = r;
  reuse.switch_name = "nat";
  reuse.nat_name = "ContainerNAT";
  reuse.prefix = *parse_prefix("172.28.0.0/16").prefix;
  reuse.gateway = *Ipv4::parse("172.28.0.1");
  NetFacts same = net;
  same.switches = {{"nat", "id-n", "Internal"}};
  same.host_adapter = "vEthernet (nat)";
  same.host_adapter_present = true;
  CHECK(plan_nat(reuse, same, {}, {}).refusals.empty());

  // A gateway that is not the first host is carried over; a gateway on a physical adapter
  // cannot be reused by net-nat: then only the removal is offered.
  net.addresses.back() = {"172.28.0.254", 16, "vEthernet (nat)"};
  CHECK(plan_nat(request(), net, {}, {}).refusals[0].fix_command ==
        "nestvirt net-nat --switch 'nat' --nat-name 'ContainerNAT' --prefix 172.28.0.0/16 "
        "--gateway 172.28.0.254");
  net.addresses.back() = {"172.28.0.1", 16, "Ethernet"};
  CHECK(plan_nat(request(), net, {}, {}).refusals[0].fix_command.empty());
}

TEST_CASE("net-nat: a rerun with another --gateway refuses instead of adding a second", "[nat]") {
  NetFacts net = empty_host();
  net.switches = {{"NestedNAT", "id-1", "Internal"}};
  net.nats = {{"NestedNAT", "192.168.100.0/24"}};
  net.addresses.push_back({"192.168.100.1", 24, "vEthernet (NestedNAT)"});
  NatRequest r = request();
  r.gateway = *Ipv4::parse("192.168.100.254");
  NatPlan p = plan_nat(r, net, {}, {});
  REQUIRE(refusal_ids(p) == std::vector<std::string>{"net.gateway-other"});
  CHECK(p.steps.empty());
  CHECK(p.refusals[0].seen ==
        "'vEthernet (NestedNAT)' already has 192.168.100.1/24 in 192.168.100.0/24, not "
        "192.168.100.254");
  CHECK(p.refusals[0].fix_command ==
        "nestvirt net-nat --switch 'NestedNAT' --prefix 192.168.100.0/24");
  CHECK(p.refusals[0].fix.find("nestvirt net-nat --remove --switch 'NestedNAT'") !=
        std::string::npos);
  // The same gateway again is no conflict.
  CHECK(plan_nat(request(), net, {}, {}).refusals.empty());
}

TEST_CASE("net-nat --remove of a name that does not exist says so, with did-you-mean", "[nat]") {
  NatInput in;
  in.switch_name = "NestdNAT";
  in.remove = true;
  NatRequest r = *check_nat_input(in).request;
  NetFacts net = empty_host();
  net.host_adapter = "vEthernet (NestdNAT)";
  net.nats = {{"NestedNAT", "192.168.100.0/24"}};
  net.addresses.push_back({"192.168.100.1", 24, "vEthernet (NestedNAT)"});
  net.all_switches = {{"NestedNAT", "id-1", "Internal"}, {"External", "id-e", "External"}};
  NatPlan p = plan_nat(r, net, {}, {});
  REQUIRE(refusal_ids(p) == std::vector<std::string>{"net.remove-not-found"});
  CHECK(p.steps.empty());
  CHECK(p.items.empty());
  CHECK(p.refusals[0].fix_command == "nestvirt net-nat --remove --switch 'NestedNAT'");
  CHECK(p.refusals[0].fix.rfind("Did you mean 'NestedNAT'? ", 0) == 0);
  // Nothing close: only how to look.
  r.switch_name = r.nat_name = "Lab";
  p = plan_nat(r, net, {}, {});
  CHECK(p.refusals[0].fix_command.empty());
  CHECK(p.refusals[0].fix.rfind("Check the name", 0) == 0);
  // An external switch is never removed by net-nat, so it is never suggested.
  r.switch_name = r.nat_name = "Externl";
  CHECK(plan_nat(r, net, {}, {}).refusals[0].fix_command.empty());
  // Only the NAT of that name left (its switch went): removing it is no "not found".
  r.switch_name = r.nat_name = "NestedNAT";
  net.all_switches.clear();
  CHECK(plan_nat(r, net, {}, {}).refusals.empty());
}
