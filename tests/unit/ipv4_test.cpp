#include "nestvirt/core/ipv4.h"
#include "catch.h"

using namespace nestvirt::core;

TEST_CASE("IPv4 dotted quads", "[ipv4]") {
  CHECK(Ipv4::parse("192.168.100.1")->value == 0xC0A86401u);
  CHECK(Ipv4::parse("0.0.0.0")->value == 0u);
  CHECK(Ipv4::parse("255.255.255.255")->value == 0xFFFFFFFFu);
  CHECK(Ipv4::parse("10.0.0.1")->str() == "10.0.0.1");
  for (const char* bad : {"", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1.2.3.-1", "01.2.3.4", "1..2.3",
                          "1.2.3.4 ", " 1.2.3.4", "a.b.c.d", "1.2.3.4/24", "1.2.3."}) {
    INFO(bad);
    CHECK_FALSE(Ipv4::parse(bad));
  }
}

TEST_CASE("CIDR prefixes: valid ones and their addresses", "[ipv4]") {
  auto r = parse_prefix("192.168.100.0/24");
  REQUIRE(r.prefix);
  CHECK(r.prefix->str() == "192.168.100.0/24");
  CHECK(r.prefix->first_host().str() == "192.168.100.1");
  CHECK(r.prefix->last_host().str() == "192.168.100.254");
  CHECK(r.prefix->broadcast().str() == "192.168.100.255");
  CHECK(r.prefix->contains(*Ipv4::parse("192.168.100.77")));
  CHECK_FALSE(r.prefix->contains(*Ipv4::parse("192.168.101.1")));
  CHECK(r.prefix->is_private());
  CHECK(parse_prefix("10.0.0.0/8").prefix->is_private());
  CHECK(parse_prefix("172.16.0.0/12").prefix->is_private());
  CHECK(parse_prefix("172.31.4.0/30").prefix->is_private());
  CHECK_FALSE(parse_prefix("172.32.0.0/16").prefix->is_private());
  CHECK_FALSE(parse_prefix("8.8.8.0/24").prefix->is_private());
  CHECK_FALSE(parse_prefix("172.0.0.0/8").prefix->is_private());  // wider than 172.16/12
}

TEST_CASE("CIDR prefixes: refusals say what was wrong and the fix", "[ipv4]") {
  CHECK(parse_prefix("192.168.100.5/24").error ==
        "--prefix '192.168.100.5/24' has host bits set: the network of 192.168.100.5/24 is "
        "192.168.100.0/24. Did you mean --prefix 192.168.100.0/24?");
  CHECK(parse_prefix("192.168.100.0").error.find("example 192.168.100.0/24") != std::string::npos);
  CHECK(parse_prefix("192.168.100.0/31").error.find("/8 to /30") != std::string::npos);
  CHECK(parse_prefix("10.0.0.0/7").error.find("/8 to /30") != std::string::npos);
  CHECK(parse_prefix("192.168.300.0/24").error.find("four numbers") != std::string::npos);
  CHECK(parse_prefix("192.168.1.0/x").error.find("four numbers") != std::string::npos);
  CHECK_FALSE(parse_prefix("192.168.1.0/33").prefix);
}

TEST_CASE("prefix overlap", "[ipv4]") {
  auto a = *parse_prefix("192.168.0.0/16").prefix;
  auto b = *parse_prefix("192.168.100.0/24").prefix;
  auto c = *parse_prefix("192.169.0.0/24").prefix;
  CHECK(a.overlaps(b));
  CHECK(b.overlaps(a));
  CHECK_FALSE(b.overlaps(c));
  CHECK(prefix_of(*Ipv4::parse("192.168.100.9"), 24).str() == "192.168.100.0/24");
}

// Found by tests/fuzz/ipv4_fuzz: "10.0.0.-0" was accepted as 10.0.0.0 (std::from_chars reads a
// minus sign, and "-0" is neither negative nor a leading zero), though the documented form is
// decimal digits only.
TEST_CASE("a sign is not part of a dotted quad or a prefix length", "[ipv4]") {
  for (const char* bad : {"10.0.0.-0", "-0.1.2.3", "1.-0.2.3", "1.2.+3.4", "1.2.3.-00"}) {
    INFO(bad);
    CHECK_FALSE(Ipv4::parse(bad));
  }
  CHECK_FALSE(parse_prefix("10.0.0.-0/24").prefix);
  CHECK_FALSE(parse_prefix("10.0.0.0/-0").prefix);
  CHECK_FALSE(parse_prefix("10.0.0.0/-24").prefix);
}
