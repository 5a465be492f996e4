#include "nestvirt/commands/cli_suggest.h"

#include "catch.h"

using nestvirt::commands::closest;
using nestvirt::commands::edit_distance;

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
  CHECK(closest("enabel", commands) == "enable");
  CHECK(closest("chek", commands) == "check");
  CHECK(closest("net-nta", commands) == "net-nat");
  CHECK(closest("netnat", commands) == "net-nat");
  CHECK(closest("Enable", commands) == "enable");
  CHECK_FALSE(closest("frobnicate", commands).has_value());
  CHECK_FALSE(closest("enable", commands).has_value());  // the word itself is no suggestion

  const std::vector<std::string> options = {"--vm", "--restart", "--shutdown-timeout", "--dry-run",
                                            "--ip"};
  CHECK(closest("--shutdown-timout", options) == "--shutdown-timeout");
  CHECK(closest("--dryrun", options) == "--dry-run");
  CHECK(closest("--restrat", options) == "--restart");
  CHECK(closest("--wm", options) == "--vm");
  // Two-letter names are too short for a two-letter difference to be a typo.
  CHECK_FALSE(closest("--xy", options).has_value());
  CHECK_FALSE(closest("--bogus", options).has_value());
}
