// net-nat guest: what is checked before PowerShell starts, and the exact --print text.
#include "catch.h"
#include "nestvirt/core/guest_plan.h"

using namespace nestvirt::core;

namespace {

GuestInput input(const std::string& ip, const std::string& prefix = "192.168.100.0/24") {
  GuestInput in;
  in.vm = "Lab1";
  in.ip = ip;
  in.prefix = prefix;
  return in;
}

std::string errors_of(const GuestInputCheck& c) {
  std::string out;
  for (const auto& e : c.errors) out += e + "\n";
  return out;
}

bool mentions(const GuestInputCheck& c, const std::string& text) {
  return errors_of(c).find(text) != std::string::npos;
}

HostNat one_nat(const std::string& prefix, const std::vector<std::string>& host_ips = {}) {
  NetFacts net;
  net.nats.push_back({"LocalNAT", prefix});
  for (const auto& ip : host_ips) net.addresses.push_back({ip, 24, "vEthernet (VmNAT)"});
  return host_nat(net);
}

}  // namespace

TEST_CASE("guest address: a good request and its defaults", "[guest]") {
  auto c = check_guest_input(input("192.168.100.2"), std::nullopt);
  INFO(errors_of(c));
  REQUIRE(c.request);
  CHECK_FALSE(c.needs_host_nat);
  CHECK(c.request->ip.str() == "192.168.100.2");
  CHECK(c.request->prefix.str() == "192.168.100.0/24");
  CHECK(c.request->gateway.str() == "192.168.100.1");  // the first host
  CHECK(c.request->gateway_source == "default");
  CHECK(c.request->prefix_source == "option");
  CHECK(c.request->dns.empty());
  CHECK(c.request->adapter.empty());
}

TEST_CASE("guest address: inside the prefix, not its network, broadcast or gateway", "[guest]") {
  CHECK(mentions(check_guest_input(input("192.168.101.2"), std::nullopt),
                 "--ip 192.168.101.2 is outside 192.168.100.0/24: a nested VM needs an address "
                 "in the NAT's network (192.168.100.1 to 192.168.100.254), for example "
                 "192.168.100.2"));
  CHECK(mentions(check_guest_input(input("192.168.100.0"), std::nullopt),
                 "--ip 192.168.100.0 is the network address of 192.168.100.0/24"));
  CHECK(mentions(check_guest_input(input("192.168.100.255"), std::nullopt),
                 "--ip 192.168.100.255 is the broadcast address of 192.168.100.0/24"));
  CHECK(mentions(check_guest_input(input("192.168.100.1"), std::nullopt),
                 "--ip 192.168.100.1 is the gateway (the NAT host's own address): the nested VM "
                 "needs an address of its own, for example 192.168.100.2"));
  auto gw = input("192.168.100.1");
  gw.gateway = "192.168.100.254";
  CHECK(check_guest_input(gw, std::nullopt).request);  // .1 is fine when the gateway is .254
  gw.ip = "192.168.100.254";
  CHECK(mentions(check_guest_input(gw, std::nullopt), "for example 192.168.100.1"));
  // The edges of a small prefix.
  CHECK(check_guest_input(input("10.0.0.2", "10.0.0.0/30"), std::nullopt).request);
  CHECK(mentions(check_guest_input(input("10.0.0.3", "10.0.0.0/30"), std::nullopt), "broadcast"));
}

TEST_CASE("guest address: the gateway is a host inside the prefix", "[guest]") {
  auto in = input("192.168.100.2");
  in.gateway = "192.168.200.1";
  CHECK(mentions(check_guest_input(in, std::nullopt),
                 "--gateway 192.168.200.1 is outside 192.168.100.0/24"));
  in.gateway = "192.168.100.0";
  CHECK(mentions(check_guest_input(in, std::nullopt),
                 "--gateway 192.168.100.0 is the network address of 192.168.100.0/24"));
  in.gateway = "192.168.100.255";
  CHECK(mentions(check_guest_input(in, std::nullopt), "is the broadcast address"));
  in.gateway = "192.168.100.9";
  auto ok = check_guest_input(in, std::nullopt);
  REQUIRE(ok.request);
  CHECK(ok.request->gateway.str() == "192.168.100.9");
  CHECK(ok.request->gateway_source == "option");
}

TEST_CASE("guest address: syntax of every value, all errors at once", "[guest]") {
  auto in = input("192.168.100.300");
  in.gateway = "gw";
  in.dns = {"1.1.1.1", "dns.example", "1.1.1.1"};
  auto c = check_guest_input(in, std::nullopt);
  CHECK_FALSE(c.request);
  CHECK(mentions(c, "--ip '192.168.100.300' is not an IPv4 address"));
  CHECK(mentions(c, "--gateway 'gw' is not an IPv4 address"));
  CHECK(mentions(c, "--dns 'dns.example' is not an IPv4 address"));
  CHECK(mentions(c, "--dns 1.1.1.1 is given twice"));
  CHECK(mentions(check_guest_input(input("192.168.100.2", "192.168.100.7/24"), std::nullopt),
                 "Did you mean --prefix 192.168.100.0/24?"));
  auto dns = input("192.168.100.2");
  dns.dns = {"8.8.8.8", "1.1.1.1"};
  auto ok = check_guest_input(dns, std::nullopt);
  REQUIRE(ok.request);
  REQUIRE(ok.request->dns.size() == 2);
  CHECK(ok.request->dns[0].str() == "8.8.8.8");  // order kept: it is the resolver order
}

TEST_CASE("guest address: without --prefix the host's one NAT decides", "[guest]") {
  auto in = input("192.168.100.2", "");
  auto first = check_guest_input(in, std::nullopt);
  CHECK(first.needs_host_nat);
  CHECK_FALSE(first.request);
  CHECK(first.errors.empty());
  // A syntax error is reported before any host is asked.
  auto bad = input("x", "");
  CHECK_FALSE(check_guest_input(bad, std::nullopt).needs_host_nat);

  auto second = check_guest_input(in, one_nat("192.168.100.0/24", {"192.168.100.1"}));
  REQUIRE(second.request);
  CHECK(second.request->prefix_source == "host-nat");
  CHECK(second.request->gateway.str() == "192.168.100.1");
  CHECK(second.request->gateway_source == "host-nat");
  // net-nat --gateway .254: the host's address is the gateway, not the first host.
  auto moved = check_guest_input(in, one_nat("192.168.100.0/24", {"10.0.0.5", "192.168.100.254"}));
  REQUIRE(moved.request);
  CHECK(moved.request->gateway.str() == "192.168.100.254");
  // No host address in it (or two): the first host.
  auto none = check_guest_input(in, one_nat("192.168.100.0/24"));
  REQUIRE(none.request);
  CHECK(none.request->gateway.str() == "192.168.100.1");
  CHECK(none.request->gateway_source == "default");
  auto two = check_guest_input(in, one_nat("192.168.100.0/24", {"192.168.100.1", "192.168.100.3"}));
  REQUIRE(two.request);
  CHECK(two.request->gateway_source == "default");
  // The address still has to fit the NAT's prefix.
  CHECK(mentions(check_guest_input(input("10.1.1.1", ""), one_nat("192.168.100.0/24")),
                 "is outside 192.168.100.0/24"));
}

TEST_CASE("guest address: no NAT, several, or unreadable: --prefix is asked for", "[guest]") {
  NetFacts net;
  auto none = host_nat(net);
  CHECK_FALSE(none.prefix);
  CHECK(none.error.find("no NAT") != std::string::npos);
  CHECK(none.error.find("--prefix") != std::string::npos);
  net.nats = {{"A", "192.168.100.0/24"}, {"B", "172.28.0.0/16"}};
  auto two = host_nat(net);
  CHECK(two.error ==
        "this host has 2 NATs ('A' (192.168.100.0/24), 'B' (172.28.0.0/16)): choose the nested "
        "VMs' network with --prefix");
  NetFacts denied;
  denied.errors.push_back({"Get-NetNat", "Access denied ", "Windows System Error 5,Get-NetNat"});
  CHECK(host_nat(denied).error.find("could not be read (Access denied )") != std::string::npos);
  NetFacts v6;
  v6.nats = {{"N", "fd00::/64"}};
  CHECK(host_nat(v6).error.find("no IPv4 prefix") != std::string::npos);
  auto errors = check_guest_input(input("192.168.100.2", ""), none);
  CHECK(mentions(errors, "no NAT"));
  // A NAT with a /16 from Windows containers is taken as it is.
  auto wide =
      host_nat(NetFacts{{}, {{"ContainerNAT", "172.28.0.0/16"}}, {}, "", false, {}, {}, {}});
  REQUIRE(wide.prefix);
  CHECK(wide.prefix->str() == "172.28.0.0/16");
}

TEST_CASE("guest address: --print needs --prefix (it starts nothing)", "[guest]") {
  auto in = input("192.168.100.2", "");
  in.print = true;
  auto c = check_guest_input(in, std::nullopt);
  CHECK_FALSE(c.needs_host_nat);
  CHECK(mentions(c, "--print runs nothing, so it cannot read the prefix from the host's NAT"));
}

TEST_CASE("guest address: the --print text, exactly", "[guest]") {
  auto in = input("192.168.100.2");
  in.dns = {"1.1.1.1", "8.8.8.8"};
  auto c = check_guest_input(in, std::nullopt);
  REQUIRE(c.request);
  CHECK(guest_print_text(*c.request) ==
        "# Run inside the nested VM 'Lab1', in an elevated PowerShell (nestvirt ran nothing).\n"
        "# The adapter: the only one that is Up (name one with --guest-adapter).\n"
        "$nic = @(NetAdapter\\Get-NetAdapter | Where-Object { $_.Status -eq 'Up' })\n"
        "if ($nic.Count -ne 1) { throw ('Expected exactly one adapter, found ' + $nic.Count) }\n"
        "$ifIndex = $nic[0].ifIndex\n"
        "NetTCPIP\\New-NetIPAddress -InterfaceIndex $ifIndex -IPAddress '192.168.100.2' "
        "-PrefixLength 24 -DefaultGateway '192.168.100.1'\n"
        "DnsClient\\Set-DnsClientServerAddress -InterfaceIndex $ifIndex -ServerAddresses "
        "'1.1.1.1','8.8.8.8'\n");
  // A named adapter is found by exact comparison (never as a pattern: the name holds [ ]),
  // quoted as a PowerShell literal; no DNS: no second command.
  auto named = input("10.20.0.9", "10.20.0.0/16");
  named.adapter = "Ethernet [LAN] 'x' \xE2\x80\x99x";
  named.gateway = "10.20.255.254";
  auto n = check_guest_input(named, std::nullopt);
  REQUIRE(n.request);
  const std::string text = guest_print_text(*n.request);
  CHECK(text.find("$nic = @(NetAdapter\\Get-NetAdapter | Where-Object { $_.Name -eq 'Ethernet "
                  "[LAN] ''x'' \xE2\x80\x99\xE2\x80\x99x' })\n") != std::string::npos);
  const auto steps = guest_print_steps(*n.request);
  REQUIRE(steps.size() == 1);
  CHECK(steps[0].commands ==
        std::vector<std::string>{"NetTCPIP\\New-NetIPAddress -InterfaceIndex $ifIndex -IPAddress "
                                 "'10.20.0.9' -PrefixLength 16 -DefaultGateway '10.20.255.254'"});
  // A line break in the VM name cannot end the comment line and start a command.
  auto hostile = input("192.168.100.2");
  hostile.vm = "a\nRemove-Item C:\\ -Recurse";
  auto h = check_guest_input(hostile, std::nullopt);
  REQUIRE(h.request);
  const std::string hostile_text = guest_print_text(*h.request);
  CHECK(hostile_text.find("\nRemove-Item") == std::string::npos);
  CHECK(hostile_text.find("'a?Remove-Item C:\\ -Recurse'") != std::string::npos);
}
