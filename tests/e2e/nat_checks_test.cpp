// net-nat's checks before claiming success, against the simulator: a rerun with another
// --gateway, --remove of a name that does not exist, and the reuse of an existing NAT.
#include "catch.h"
#include "e2e/support.h"

using nlohmann::json;

namespace {

const std::vector<std::string> kCreate = {"net-nat",  "--switch",         "NestedNAT",
                                          "--prefix", "192.168.100.0/24", "--json"};

const json& only_refusal(const json& doc) {
  REQUIRE(doc["refusals"].size() == 1);
  return doc["refusals"][0];
}

}  // namespace

TEST_CASE("net-nat rerun with another --gateway refuses instead of adding a second address",
          "[network]") {
  e2e::Run first = e2e::run_nestvirt("intel-windows-server-2022", kCreate);
  REQUIRE(first.exit_code() == 0);
  std::vector<std::string> other = kCreate;
  other.insert(other.end(), {"--gateway", "192.168.100.254"});
  e2e::Run second = e2e::run_nestvirt_state(e2e::next_run(first.state_after), other);
  INFO(second.result.out);
  CHECK(second.exit_code() == 11);  // refused: a conflict with what is there
  const json doc = second.json();
  CHECK(doc["result"] == "refused");
  const json& r = only_refusal(doc);
  CHECK(r["id"] == "net.gateway-other");
  CHECK(r["fix_command"] == "nestvirt net-nat --switch 'NestedNAT' --prefix 192.168.100.0/24");
  CHECK(e2e::change_cmdlets(second).empty());
}

TEST_CASE("net-nat --remove of a misspelt name says so, with did-you-mean", "[network]") {
  e2e::Run first = e2e::run_nestvirt("intel-windows-server-2022", kCreate);
  REQUIRE(first.exit_code() == 0);
  e2e::Run typo = e2e::run_nestvirt_state(e2e::next_run(first.state_after),
                                          {"net-nat", "--remove", "--switch", "NestdNAT"});
  INFO(typo.result.out);
  CHECK(typo.exit_code() == 10);  // not-found: the name does not exist
  CHECK(typo.result.out.find("everything was already in place") == std::string::npos);
  CHECK(typo.result.out.find("Did you mean 'NestedNAT'? nestvirt net-nat --remove --switch "
                             "'NestedNAT'") != std::string::npos);
  CHECK(e2e::change_cmdlets(typo).empty());
  std::vector<std::string> typo_json = {"net-nat", "--remove", "--switch", "NestdNAT", "--json"};
  e2e::Run typo_doc = e2e::run_nestvirt_state(e2e::next_run(first.state_after), typo_json);
  CHECK(typo_doc.exit_code() == 10);
  const json doc = typo_doc.json();
  CHECK(doc["result"] == "not-found");
  CHECK(doc["outcome"] == "not-found");
  const json& r = only_refusal(doc);
  CHECK(r["id"] == "net.remove-not-found");
  CHECK(r["fix_command"] == "nestvirt net-nat --remove --switch 'NestedNAT'");
}

TEST_CASE("net-nat beside Windows containers' NAT suggests reusing it, and that works",
          "[network]") {
  e2e::Run run = e2e::run_nestvirt("amd-windows-server-2019", kCreate);
  INFO(run.result.out);
  CHECK(run.exit_code() == 11);  // refused: WinNAT has one NAT per host
  const json doc = run.json();
  const json& r = only_refusal(doc);
  CHECK(r["id"] == "net.nat-other");
  CHECK(r["fix_command"] ==
        "nestvirt net-nat --switch 'nat' --nat-name 'ContainerNAT' --prefix 172.28.0.0/16");
  e2e::Run reuse = e2e::run_nestvirt("amd-windows-server-2019",
                                     {"net-nat", "--switch", "nat", "--nat-name", "ContainerNAT",
                                      "--prefix", "172.28.0.0/16", "--json"});
  INFO(reuse.result.out);
  CHECK(reuse.exit_code() == 0);
  CHECK(reuse.json()["result"] == "unchanged");
}
