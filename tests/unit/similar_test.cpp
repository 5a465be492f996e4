// "Did you mean": edit distance and the closest-name rule.
#include "nestvirt/core/similar.h"
#include "catch.h"

using namespace nestvirt::core;

TEST_CASE("edit distance: inserts, deletes, substitutions; case is ignored", "[similar]") {
  CHECK(edit_distance("", "") == 0);
  CHECK(edit_distance("abc", "") == 3);
  CHECK(edit_distance("", "abc") == 3);
  CHECK(edit_distance("NestdNAT", "NestedNAT") == 1);
  CHECK(edit_distance("NestedNTA", "NestedNAT") == 1);  // a swap is one slip
  CHECK(edit_distance("kitten", "sitting") == 3);
  CHECK(edit_distance("nestednat", "NestedNAT") == 0);
}

TEST_CASE("closest name: a likely typo only, the first of equals, never itself", "[similar]") {
  const std::vector<std::string> names = {"External", "NestedNAT", "nat"};
  CHECK(closest_name("NestdNAT", names) == "NestedNAT");
  CHECK(closest_name("nestednat", names) == "NestedNAT");  // other case: Windows sees one name
  CHECK_FALSE(closest_name("NestedNAT", names));           // the name itself is no suggestion
  CHECK_FALSE(closest_name("Lab", names));                 // 2 edits of 3 letters: too far
  CHECK_FALSE(closest_name("Completely", names));
  CHECK_FALSE(closest_name("", names));
  CHECK(closest_name("Externl", names) == "External");
  CHECK(closest_name("NestedNA", {"NestedNAT", "NestedNAB"}) == "NestedNAT");  // tie: the first
  CHECK(closest_name("nta", {"nat"}) == "nat");  // one swap of 3 letters: a typo
  CHECK_FALSE(closest_name("x", {"y"}));
}
