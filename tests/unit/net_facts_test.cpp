// decode_net_facts on net_facts.ps1's replies: what both PowerShell editions write, and what it
// refuses (ReplyError, a std::runtime_error the commands report as exit 6).
#include <stdexcept>

#include "catch.h"
#include "nestvirt/core/replies.h"

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
  const NetFacts net = decode_net_facts(reply);
  REQUIRE(net.switches.size() == 1);  // 5.1: a one-element array written as the element
  CHECK(net.switches[0].id == "s-1");
  REQUIRE(net.addresses.size() == 2);
  CHECK(net.addresses[0].prefix_length == 24);
  CHECK(net.addresses[1].prefix_length == 0);
  CHECK(net.host_adapter_present);
  CHECK(net.errors.empty());
  // 5.1 may write numbers and booleans as text; those are read.
  const NetFacts texts = decode_net_facts(json::parse(
      R"({"addresses": {"ip": "10.0.0.1", "prefix_length": "24"}, "host_adapter_present": "True"})"));
  CHECK(texts.addresses[0].prefix_length == 24);
  CHECK(texts.host_adapter_present);
}

// Found by tests/fuzz/facts_fuzz and reply_fuzz on the reader before the decoder module: these
// threw nlohmann's type_error (no std::runtime_error: net-nat ended in std::terminate), or were
// undefined behaviour (a prefix length of 1e300 turned into an int, 33 or -1 shifted by later).
TEST_CASE("net facts: malformed fields are refused as a ReplyError", "[net-facts]") {
  const char* bad[] = {
      R"({"addresses": [{"ip": "10.0.0.1", "prefix_length": 1e300}]})",
      R"({"addresses": [{"ip": "10.0.0.1", "prefix_length": 24.5}]})",
      R"({"addresses": [{"ip": "10.0.0.1", "prefix_length": 33}]})",
      R"({"addresses": [{"ip": "10.0.0.1", "prefix_length": -1}]})",
      R"({"addresses": [{"ip": "10.0.0.1", "prefix_length": 4294967320}]})",
      R"({"addresses": [{"ip": "10.0.0.1", "prefix_length": 18446744073709551615}]})",
      R"({"addresses": 9223372036854775807})",
      R"({"host_adapter_present": 1})",
      R"({"switches": [{"name": {"x": 1}}]})",
      R"([])",
  };
  for (const char* text : bad) {
    INFO(text);
    CHECK_THROWS_AS(decode_net_facts(json::parse(text)), ReplyError);
  }
  // What was received is in the message, cut to a readable length.
  try {
    decode_net_facts(
        json::parse(R"({"nats": [{"name": ")" + std::string(500, 'x') + R"("}], "errors": 5})"));
  } catch (const ReplyError& e) {
    CHECK(std::string(e.what()).size() < 300);
  }
}
