// parse_net_facts on net_facts.ps1's replies: what both PowerShell editions write, and what
// it must refuse with the std::runtime_error the commands report.
#include <stdexcept>

#include "catch.h"
#include "nestvirt/core/nat_plan.h"

using namespace nestvirt::core;
using nlohmann::json;

TEST_CASE("net facts: a reply as PowerShell writes it", "[net-facts]") {
  const json reply = json::parse(R"j({
    "switches": {"name": "NestedNAT", "id": "s-1", "switch_type": "Internal"},
    "nats": [{"name": "NestedNAT", "internal_prefix": "192.168.100.0/24"}],
    "addresses": [{"ip": "10.0.0.20", "prefix_length": 24, "interface_alias": "Ethernet"},
                  {"ip": "192.168.100.1", "prefix_length": null, "interface_alias": "x"}],
    "host_adapter": "vEthernet (NestedNAT)", "host_adapter_present": true,
    "connected": [], "errors": null})j");
  const NetFacts net = parse_net_facts(reply);
  REQUIRE(net.switches.size() == 1);  // 5.1: a one-element array written as the element
  CHECK(net.switches[0].id == "s-1");
  REQUIRE(net.addresses.size() == 2);
  CHECK(net.addresses[0].prefix_length == 24);
  CHECK(net.addresses[1].prefix_length == 0);
  CHECK(net.host_adapter_present);
  CHECK(net.errors.empty());
}

// Found by tests/fuzz/facts_fuzz and reply_fuzz: these threw nlohmann's type_error, which is
// no std::runtime_error, so net-nat ended in std::terminate instead of reporting a reply it
// cannot read; a prefix length of 1e300 was undefined behaviour (float to int), one of 33 or
// -1 an undefined shift later in prefix_of.
TEST_CASE("net facts: malformed fields are refused as runtime_error", "[net-facts]") {
  const char* bad[] = {
      R"({"addresses": {"ip": "10.0.0.1", "prefix_length": "24"}})",
      R"({"addresses": [{"ip": "10.0.0.1", "prefix_length": 1e300}]})",
      R"({"addresses": [{"ip": "10.0.0.1", "prefix_length": 24.5}]})",
      R"({"addresses": [{"ip": "10.0.0.1", "prefix_length": 33}]})",
      R"({"addresses": [{"ip": "10.0.0.1", "prefix_length": -1}]})",
      R"({"addresses": [{"ip": "10.0.0.1", "prefix_length": 4294967320}]})",
      R"({"host_adapter_present": "True"})",
      R"({"host_adapter_present": 1})",
  };
  for (const char* text : bad) {
    INFO(text);
    CHECK_THROWS_AS(parse_net_facts(json::parse(text)), std::runtime_error);
  }
  // Entries that are no objects read as empty, as every other field of them does.
  const NetFacts odd = parse_net_facts(json::parse(R"({"addresses": 9223372036854775807})"));
  REQUIRE(odd.addresses.size() == 1);
  CHECK(odd.addresses[0].ip.empty());
  CHECK(odd.addresses[0].prefix_length == 0);
}
