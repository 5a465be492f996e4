// A fleet: which arguments each host's nestvirt gets, the document and the exit code over hosts.
#include "nestvirt/fleet/fleet.h"
#include "catch.h"
#include "nestvirt/core/exit_codes.h"
#include "nestvirt/core/host_run.h"
#include "nestvirt/report/fleet.h"

using namespace nestvirt;
using core::HostRun;
using fleet::fleet_targets;
using fleet::member_arguments;
using report::fleet_document;
using report::fleet_summary;

namespace {
bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}
}  // namespace

TEST_CASE("each host's nestvirt gets the command without the fleet's options") {
  const std::vector<std::string> args = {
      "nestvirt",       "--host",     "ssh://a", "enable",         "--vm",  "Lab1",
      "--host=ssh://b", "--parallel", "2",       "--hosts-file=f", "--json"};
  const auto member = member_arguments(args, "ssh://b");
  const std::vector<std::string> want = {"nestvirt", "enable",   "--vm",   "Lab1",
                                         "--json",   "--target", "ssh://b"};
  CHECK(member == want);
}

TEST_CASE("targets from --host and --hosts-file, once each, bad ones all named") {
  commands::RemoteCliOptions o;
  o.hosts = {"ssh://a", "ssh://a", "winrm://b", "c"};
  const auto t = fleet_targets(o);
  REQUIRE(t.targets.size() == 2);
  CHECK(t.targets[1].host == "b");
  REQUIRE(t.errors.size() == 1);
  CHECK(contains(t.errors[0], "'c'"));

  o.hosts = {};
  o.hosts_file = "/nonexistent/hosts.txt";
  const auto missing = fleet_targets(o);
  REQUIRE(missing.errors.size() == 1);
  CHECK(contains(missing.errors[0], "cannot be read"));
}

TEST_CASE("the fleet document keeps each host's document and adds where it ran") {
  std::vector<HostRun> runs(2);
  runs[0].target = *core::parse_target("ssh://admin@hv1").target;
  runs[0].exit_code = 0;
  runs[0].out = R"({"schema_version":2,"command":"check","exit_code":0,"outcome":"ok",)"
                R"("error":null,"vms":[]})";
  runs[1].target = *core::parse_target("winrms://hv2").target;
  runs[1].exit_code = core::kExitInternal;
  runs[1].error = "nestvirt for this host killed by signal 11 (Segmentation fault)";
  const int code = core::fleet_exit_code(runs);
  CHECK(code == core::kExitInternal);
  const auto doc = fleet_document("check", runs, code);
  CHECK(doc["outcome"] == "internal-error");
  REQUIRE(doc["hosts"].size() == 2);
  CHECK(doc["hosts"][0]["target"] == "ssh://admin@hv1");
  CHECK(doc["hosts"][0]["transport"] == "ssh");
  CHECK(doc["hosts"][0]["vms"].is_array());
  CHECK(doc["hosts"][1]["transport"] == "winrms");
  CHECK(doc["hosts"][1]["error"]["message"] == runs[1].error);
  CHECK(doc["hosts"][1]["exit_code"] == core::kExitInternal);

  const std::string text = fleet_summary(runs, code);
  CHECK(contains(text, "admin@hv1  ok (exit 0"));
  CHECK(contains(text, "Result: 1 of 2 hosts ok; exit 1"));
}
