// The step scripts' replies decoded in core/replies.cpp: the shapes both PowerShell editions
// write, and every malformed one refused with what was received.
#include "nestvirt/core/replies.h"
#include "catch.h"

using namespace nestvirt::core;
using nlohmann::json;

TEST_CASE("vm_step read-back: 5.1 shapes are read", "[replies]") {
  // One adapter written as the object itself, a boolean as text, changed as a lone string.
  const json reply = {{"state", "Off"},
                      {"version", "10.0"},
                      {"dynamic_memory", "False"},
                      {"expose_virtualization_extensions", true},
                      {"adapters",
                       {{"name", "Network Adapter"},
                        {"id", "nic-1"},
                        {"switch_name", "External"},
                        {"mac_address_spoofing", "On"}}},
                      {"changed", "nic-1"}};
  const VmReadback r = decode_vm_readback(reply);
  CHECK(r.state == "Off");
  CHECK(r.dynamic_memory == false);
  CHECK(r.expose_virtualization_extensions == true);
  REQUIRE(r.adapters.size() == 1);
  CHECK(r.adapters[0] == VmAdapterState{"nic-1", "Network Adapter", "External", "On"});
  CHECK(r.changed == std::vector<std::string>{"nic-1"});
}

TEST_CASE("vm_step read-back: what cannot be read is refused, naming it", "[replies]") {
  CHECK_THROWS_WITH(decode_vm_readback(nullptr),
                    "vm_step reply: expected an object, received null");
  CHECK_THROWS_WITH(decode_vm_readback("OK"), "vm_step reply: expected an object, received \"OK\"");
  CHECK_THROWS_WITH(decode_vm_readback(json::object()),
                    "vm_step reply.state: expected the VM's state, received null");
  CHECK_THROWS_WITH(decode_vm_readback({{"state", "Off"}, {"dynamic_memory", "maybe"}}),
                    "vm_step reply.dynamic_memory: expected a boolean, received \"maybe\"");
  CHECK_THROWS_AS(decode_vm_readback({{"state", "Off"}, {"adapters", {1, 2}}}), ReplyError);
}

TEST_CASE("nat_step read-back: the count is required, lengths are IPv4's", "[replies]") {
  const NetReadback r = decode_net_readback(
      {{"count", "1"}, {"id", "sw-1"}, {"switch_type", "Internal"}, {"prefix_length", 24}});
  CHECK(r.count == 1);
  CHECK(r.id == "sw-1");
  CHECK(r.adapter_present);  // absent: the step is not about an adapter
  CHECK_THROWS_WITH(decode_net_readback({{"id", "x"}}),
                    "nat_step reply.count: expected how many objects the step left, received null");
  CHECK_THROWS_AS(decode_net_readback({{"count", 1}, {"prefix_length", 40}}), ReplyError);
  CHECK_THROWS_AS(decode_net_readback({{"count", 1.5}}), ReplyError);
}

TEST_CASE("guest_step read-back: the guest's answer travels as JSON text", "[replies]") {
  const json inner = {{"addresses", {{"ip", "192.168.100.2"}, {"prefix_length", 24}}},
                      {"gateways", "192.168.100.1"},
                      {"dns", nullptr}};
  const GuestReadback r = decode_guest_readback({{"guest", inner.dump()}});
  CHECK(r.addresses == std::vector<GuestAddress>{{"192.168.100.2", 24, ""}});
  CHECK(r.gateways == std::vector<std::string>{"192.168.100.1"});
  CHECK(r.dns.empty());
  CHECK_THROWS_WITH(decode_guest_readback({{"guest", "not json"}}),
                    "guest_step reply.guest: expected the guest's answer as JSON text, received "
                    "\"not json\"");
  CHECK_THROWS_AS(decode_guest_readback({{"guest", json::array()}}), ReplyError);
}

TEST_CASE("what was received is cut to a readable length", "[replies]") {
  const std::string big(5000, 'x');
  try {
    decode_vm_readback({{"state", "Off"}, {"dynamic_memory", big}});
    FAIL("no error");
  } catch (const ReplyError& e) {
    const std::string what = e.what();
    CHECK(what.size() < 300);
    CHECK(what.find("(5002 characters)") != std::string::npos);
  }
  // A multi-byte character is never cut in half.
  std::string accents;
  for (int i = 0; i < 200; ++i) accents += "\xC3\xA9";
  const std::string cut = excerpt(json(accents), 101);
  CHECK(json::parse("\"" + cut.substr(1, cut.find("...") - 1) + "\"", nullptr, false).is_string());
}
