// enable --install-hyperv: how the VM's result and its guest's combine (one pure function).
#include "catch.h"
#include "nestvirt/core/hyperv_guest.h"

using namespace nestvirt::core;

namespace {
const VmRef lab{"vm-1", "Lab1"};
}  // namespace

TEST_CASE("a guest with nothing to do leaves the VM's result as it is", "[guest]") {
  for (const Outcome vm : {Outcome::Changed, Outcome::Unchanged, Outcome::Planned}) {
    const VmAndGuest both = combine_vm_and_guest(vm, Outcome::Unchanged, lab);
    CHECK(both.outcome == vm);
    CHECK(both.left_for_admin.empty());
  }
}

TEST_CASE("a guest that changed or would change gives the result", "[guest]") {
  CHECK(combine_vm_and_guest(Outcome::Unchanged, Outcome::Changed, lab).outcome ==
        Outcome::Changed);
  CHECK(combine_vm_and_guest(Outcome::Changed, Outcome::Changed, lab).outcome == Outcome::Changed);
  CHECK(combine_vm_and_guest(Outcome::Planned, Outcome::Planned, lab).outcome == Outcome::Planned);
}

TEST_CASE("a guest that failed after the VM changed: incomplete, and nesting stays on", "[guest]") {
  const VmAndGuest both = combine_vm_and_guest(Outcome::Changed, Outcome::Failed, lab);
  CHECK(both.outcome == Outcome::Incomplete);
  REQUIRE(both.left_for_admin.size() == 1);
  CHECK(both.left_for_admin[0].find("Lab1") != std::string::npos);
  CHECK(both.left_for_admin[0].find("nested virtualization stays on") != std::string::npos);
}

TEST_CASE("a guest that failed on a VM nestvirt did not change: failed, nothing left", "[guest]") {
  const VmAndGuest both = combine_vm_and_guest(Outcome::Unchanged, Outcome::Failed, lab);
  CHECK(both.outcome == Outcome::Failed);
  CHECK(both.left_for_admin.empty());
}

TEST_CASE("a guest refused, not found or left incomplete gives its own result", "[guest]") {
  for (const Outcome guest : {Outcome::Refused, Outcome::NotFound, Outcome::Incomplete}) {
    CHECK(combine_vm_and_guest(Outcome::Unchanged, guest, lab).outcome == guest);
    CHECK(combine_vm_and_guest(Outcome::Changed, guest, lab).outcome == guest);
  }
  // A refusal after the VM changed: what the run did stays, and the report names it.
  const VmAndGuest refused = combine_vm_and_guest(Outcome::Changed, Outcome::Refused, lab);
  REQUIRE(refused.left_for_admin.size() == 1);
  CHECK(refused.left_for_admin[0].find("Nested virtualization stays on and Lab1 runs") == 0);
  CHECK(combine_vm_and_guest(Outcome::Unchanged, Outcome::Refused, lab).left_for_admin.empty());
}

TEST_CASE("an interrupted guest after the VM changed: incomplete, and what stays is named",
          "[guest]") {
  const VmAndGuest both = combine_vm_and_guest(Outcome::Changed, Outcome::Interrupted, lab);
  CHECK(both.outcome == Outcome::Incomplete);
  REQUIRE(both.left_for_admin.size() == 1);
  CHECK(both.left_for_admin[0].find("Interrupted before Hyper-V was installed in Lab1") == 0);
  CHECK(combine_vm_and_guest(Outcome::Unchanged, Outcome::Interrupted, lab).outcome ==
        Outcome::Interrupted);
}
