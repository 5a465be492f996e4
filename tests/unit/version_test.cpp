#include "nestvirt/core/version.h"

#include <string>

#include "catch.h"

using nestvirt::core::Version;

namespace {

struct Parsed {
  const char* text;
  int major;
  int minor;
};

}  // namespace

TEST_CASE("Version::parse reads configuration versions as numbers", "[version]") {
  const auto row = GENERATE(values<Parsed>({
      {"8.0", 8, 0},
      {"9.3", 9, 3},
      {"10.0", 10, 0},
      {"12.0", 12, 0},
      {"12", 12, 0},      // one part: [version] needs two, Get-VMHostSupportedVersion never
                          // prints one, but a bare major is unambiguous
      {"  9.0 ", 9, 0},   // stray spaces from PowerShell output are harmless
      {"9.0\r\n", 9, 0},  // CRLF from a text pipe
      {"\t5.0", 5, 0},
      {"09.03", 9, 3},        // leading zeros, as System.Version accepts them
      {"10.0.22631", 10, 0},  // further parts are ignored for configuration versions
      {"10.0.22631.0", 10, 0},
      {"0.0", 0, 0},
      {"2147483647.1", 2147483647, 1},
  }));
  CAPTURE(row.text);
  const auto version = Version::parse(row.text);
  REQUIRE(version.has_value());
  CHECK(version->major == row.major);
  CHECK(version->minor == row.minor);
}

TEST_CASE("Version::parse rejects what is not a version", "[version]") {
  const char* text = GENERATE("", " ", "abc", "9.", ".3", "9..3", "-1", "-1.0", "9.-3", "+9.3",
                              "9.3.", "9 .3", "9. 3", "9,3", "9.3a", "v9.3", "1.2.3.4.5",
                              "2147483648.0", "9.99999999999", "0x9.3", "9.3 x");
  CAPTURE(text);
  CHECK_FALSE(Version::parse(text).has_value());
}

TEST_CASE("Version::str writes major.minor", "[version]") {
  CHECK(Version{9, 3}.str() == "9.3");
  CHECK(Version{10, 0}.str() == "10.0");
  CHECK(Version{12, 0}.str() == "12.0");
  CHECK(Version::parse("12")->str() == "12.0");
  CHECK(Version::parse(" 09.03 ")->str() == "9.3");
}

TEST_CASE("Versions compare as numbers, never as text", "[version]") {
  const auto v = [](const char* text) { return *Version::parse(text); };
  // As strings "10.0" < "9.3"; as versions it is the other way round.
  CHECK(std::string("10.0") < std::string("9.3"));
  CHECK(v("10.0") > v("9.3"));
  CHECK(v("9.3") > v("9.2"));
  CHECK(v("9.10") > v("9.3"));
  CHECK(v("8.0") < v("9.0"));
  CHECK(v("12.0") > v("11.0"));
  CHECK(v("9.3") == v("9.3.0"));
  CHECK(v("9.3") >= v("9.3"));
  CHECK_FALSE(v("9.2") >= v("9.3"));
  CHECK(v("5.0") < v("8.0"));
}
