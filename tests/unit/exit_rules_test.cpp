// Each exit code means one thing: which code a refusal gives, and which wins among several.
#include "nestvirt/core/exit_rules.h"
#include "catch.h"
#include "nestvirt/core/exit_codes.h"

using namespace nestvirt::core;

namespace {

Finding failing(const std::string& id) {
  Finding f;
  f.id = id;
  f.status = Status::Fail;
  return f;
}

}  // namespace

TEST_CASE("a refusal's exit code follows from its finding id") {
  CHECK(findings_exit_code({failing("host.os-build")}) == kExitPrerequisitesNotMet);
  CHECK(findings_exit_code({failing("vm.config-version")}) == kExitPrerequisitesNotMet);
  CHECK(findings_exit_code({failing("vm.exists")}) == kExitNotFound);
  CHECK(findings_exit_code({failing("vm.adapter")}) == kExitNotFound);
  CHECK(findings_exit_code({failing("vm.running")}) == kExitRefused);
  CHECK(findings_exit_code({failing("net.gateway-in-use")}) == kExitRefused);
  CHECK(findings_exit_code({failing("guest.credentials")}) == kExitCredentialsRejected);
  CHECK(findings_exit_code({failing("net.unreadable")}) == kExitPrerequisitesUnknown);
  // net-nat and net-nat guest checks against what is on the host: state and conflicts, a name
  // that is not there, and a host network that could not be read.
  for (const char* id : {"net.gateway-other", "guest.no-host-nat", "guest.prefix-not-host-nat",
                         "guest.nat-no-gateway", "guest.gateway-not-host", "guest.nat-switch",
                         "guest.adapter-switch"}) {
    INFO(id);
    CHECK(findings_exit_code({failing(id)}) == kExitRefused);
  }
  CHECK(findings_exit_code({failing("net.remove-not-found")}) == kExitNotFound);
  CHECK(findings_exit_code({failing("guest.host-unreadable")}) == kExitPrerequisitesUnknown);
  // An id the table does not know is a refusal, never a claim about Microsoft's prerequisites.
  CHECK(findings_exit_code({failing("net.something-new")}) == kExitRefused);
}

TEST_CASE("a missing prerequisite outranks a state refusal, which outranks a missing name") {
  CHECK(findings_exit_code({failing("vm.exists"), failing("vm.running")}) == kExitRefused);
  CHECK(findings_exit_code({failing("vm.running"), failing("host.os-build")}) ==
        kExitPrerequisitesNotMet);
  Finding unknown = failing("host.os-build");
  unknown.status = Status::Unknown;
  CHECK(findings_exit_code({unknown}) == kExitPrerequisitesUnknown);
  Finding warn = failing("vm.memory");
  warn.status = Status::Warn;
  CHECK(findings_exit_code({warn}) == kExitOk);
  CHECK(findings_exit_code({}) == kExitOk);
}

TEST_CASE("several items: a failed change outranks every refusal") {
  CHECK(combine_exit_codes({kExitOk, kExitNotFound, kExitChangeFailed}) == kExitChangeFailed);
  CHECK(combine_exit_codes({kExitChangeFailed, kExitChangeIncomplete}) == kExitChangeIncomplete);
  CHECK(combine_exit_codes({kExitNotFound, kExitRefused}) == kExitRefused);
  CHECK(combine_exit_codes({kExitRefused, kExitCredentialsRejected}) == kExitCredentialsRejected);
  CHECK(combine_exit_codes({}) == kExitOk);
}

TEST_CASE("an item's exit code: its outcome, then its refusals") {
  CHECK(item_exit_code(Outcome::Changed, {}) == kExitOk);
  CHECK(item_exit_code(Outcome::Planned, {}) == kExitOk);
  CHECK(item_exit_code(Outcome::Failed, {}) == kExitChangeFailed);
  CHECK(item_exit_code(Outcome::Incomplete, {}) == kExitChangeIncomplete);
  CHECK(item_exit_code(Outcome::NotFound, {}) == kExitNotFound);
  CHECK(item_exit_code(Outcome::Refused, {}) == kExitRefused);
  CHECK(item_exit_code(Outcome::Refused, {failing("vm.config-version")}) ==
        kExitPrerequisitesNotMet);
}

TEST_CASE("over several hosts, a bug, then what is left undone, then a host not reached") {
  CHECK(combine_exit_codes({kExitOk, kExitHostUnreachable, kExitRefused}) == kExitHostUnreachable);
  CHECK(combine_exit_codes({kExitHostUnreachable, kExitChangeFailed}) == kExitChangeFailed);
  CHECK(combine_exit_codes({kExitConnectionLost, kExitChangeIncomplete}) == kExitChangeIncomplete);
  CHECK(combine_exit_codes({kExitLoginRefused, kExitHostNotTrusted}) == kExitHostNotTrusted);
  CHECK(combine_exit_codes({kExitChangeIncomplete, kExitInternal}) == kExitInternal);
  CHECK(combine_exit_codes({kExitPrerequisitesNotMet, kExitPowerShellMissing}) ==
        kExitPowerShellMissing);
}
