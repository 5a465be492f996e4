#include "nestvirt/core/similar.h"

#include "catch.h"

using nestvirt::core::closest_word;
using nestvirt::core::edit_distance;

TEST_CASE("edit_distance counts insertions, deletions, replacements and swaps", "[cli]") {
  CHECK(edit_distance("", "") == 0);
  CHECK(edit_distance("enable", "enable") == 0);
  CHECK(edit_distance("enabel", "enable") == 1);  // a swap is one slip
  CHECK(edit_distance("enble", "enable") == 1);
  CHECK(edit_distance("enablee", "enable") == 1);
  CHECK(edit_distance("ENABLE", "enable") == 0);  // case is no slip
  CHECK(edit_distance("kitten", "sitting") == 3);
  CHECK(edit_distance("", "abc") == 3);
  CHECK(edit_distance("abc", "") == 3);
}

TEST_CASE("closest suggests only a near candidate", "[cli]") {
  const std::vector<std::string> commands = {"check", "enable", "disable", "net-spoof", "net-nat"};
  CHECK(closest_word("enabel", commands) == "enable");
  CHECK(closest_word("chek", commands) == "check");
  CHECK(closest_word("net-nta", commands) == "net-nat");
  CHECK(closest_word("netnat", commands) == "net-nat");
  CHECK(closest_word("Enable", commands) == "enable");
  CHECK_FALSE(closest_word("frobnicate", commands).has_value());
  CHECK_FALSE(closest_word("enable", commands).has_value());  // the word itself is no suggestion

  const std::vector<std::string> options = {"--vm", "--restart", "--shutdown-timeout", "--dry-run",
                                            "--ip"};
  CHECK(closest_word("--shutdown-timout", options) == "--shutdown-timeout");
  CHECK(closest_word("--dryrun", options) == "--dry-run");
  CHECK(closest_word("--restrat", options) == "--restart");
  CHECK(closest_word("--wm", options) == "--vm");
  // Two-letter names are too short for a two-letter difference to be a typo.
  CHECK_FALSE(closest_word("--xy", options).has_value());
  CHECK_FALSE(closest_word("--bogus", options).has_value());
}
