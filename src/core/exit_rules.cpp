#include "nestvirt/core/exit_rules.h"

#include <algorithm>
#include <array>
#include <iterator>
#include <utility>

#include "nestvirt/core/exit_codes.h"

namespace nestvirt::core {

namespace {

// Ids whose kind is not Conflict. net.* refusals (a switch or NAT already there, a prefix that
// overlaps) and vm.running/saved/paused/state are Conflicts.
const std::pair<const char*, RefusalKind> kKinds[] = {
    {"host.os-build", RefusalKind::Prerequisite},
    {"host.cpu-vendor", RefusalKind::Prerequisite},
    {"host.virtualization", RefusalKind::Prerequisite},
    {"host.hypervisor", RefusalKind::Prerequisite},
    {"host.hyperv-module", RefusalKind::Prerequisite},
    {"host.permissions", RefusalKind::Prerequisite},
    {"net.permissions", RefusalKind::Prerequisite},
    // check --guest: Hyper-V does not run in the guest (Microsoft's page, step 4).
    {"guest.hyperv-role", RefusalKind::Prerequisite},
    {"guest.vmms", RefusalKind::Prerequisite},
    {"guest.launch-type", RefusalKind::Prerequisite},
    {"vm.config-version", RefusalKind::Prerequisite},
    {"vm.vcpus", RefusalKind::Prerequisite},
    {"vm.dynamic-memory", RefusalKind::Prerequisite},
    {"vm.memory", RefusalKind::Prerequisite},
    {"vm.lookup", RefusalKind::Unreadable},
    {"net.unreadable", RefusalKind::Unreadable},
    {"guest.unreadable", RefusalKind::Garbled},
    {"guest.host-unreadable", RefusalKind::Unreadable},
    {"vm.exists", RefusalKind::NotFound},
    {"vm.adapter", RefusalKind::NotFound},
    {"net.remove-not-found", RefusalKind::NotFound},
    {"guest.adapter", RefusalKind::NotFound},
    {"guest.credentials", RefusalKind::Credentials},
    {"guest.os", RefusalKind::Prerequisite},
    {"guest.edition", RefusalKind::Prerequisite},
    {"guest.virtualization", RefusalKind::Prerequisite},
    {"guest.hyperv-unreadable", RefusalKind::Unreadable},
    {"guest.not-ready", RefusalKind::NotReady},
};

// Position in the severity order: lower is more severe.
int rank(int code) {
  // A bug first, then what is left or undone on a host, then a host that could not be used at
  // all, then what a host's findings say (docs/json-output.md, "Exit codes").
  static const std::array<int, 19> kOrder = {kExitInternal,
                                             kExitChangeIncomplete,
                                             kExitChangeFailed,
                                             kExitInterrupted,
                                             kExitConnectionLost,
                                             kExitPowerShellTimedOut,
                                             kExitPowerShellFailed,
                                             kExitPowerShellMissing,
                                             kExitHostNotTrusted,
                                             kExitLoginRefused,
                                             kExitHostUnreachable,
                                             kExitGuestNotReady,
                                             kExitUsage,
                                             kExitPrerequisitesNotMet,
                                             kExitCredentialsRejected,
                                             kExitPrerequisitesUnknown,
                                             kExitRefused,
                                             kExitNotFound,
                                             kExitOk};
  const auto* at = std::find(kOrder.begin(), kOrder.end(), code);
  return at == kOrder.end() ? -1 : static_cast<int>(at - kOrder.begin());
}

}  // namespace

RefusalKind refusal_kind(const std::string& finding_id) {
  for (const auto& [id, kind] : kKinds) {
    if (finding_id == id) return kind;
  }
  return RefusalKind::Conflict;
}

int exit_code_of(RefusalKind kind) {
  switch (kind) {
    case RefusalKind::Prerequisite:
      return kExitPrerequisitesNotMet;
    case RefusalKind::Unreadable:
      return kExitPrerequisitesUnknown;
    case RefusalKind::NotFound:
      return kExitNotFound;
    case RefusalKind::Credentials:
      return kExitCredentialsRejected;
    case RefusalKind::Garbled:
      return kExitPowerShellFailed;
    case RefusalKind::NotReady:
      return kExitGuestNotReady;
    case RefusalKind::Conflict:
      break;
  }
  return kExitRefused;
}

int combine_exit_codes(const std::vector<int>& codes) {
  int worst = kExitOk;
  for (const int code : codes) {
    if (rank(code) < rank(worst)) worst = code;
  }
  return worst;
}

int item_exit_code(Outcome outcome, const std::vector<Finding>& refusals) {
  switch (outcome) {
    case Outcome::Incomplete:
      return kExitChangeIncomplete;
    case Outcome::Interrupted:
      return kExitInterrupted;
    case Outcome::Failed:
      return kExitChangeFailed;
    case Outcome::Refused:
    case Outcome::NotFound: {
      const int code = findings_exit_code(refusals);
      if (code != kExitOk) return code;
      return outcome == Outcome::NotFound ? kExitNotFound : kExitRefused;
    }
    case Outcome::Planned:
    case Outcome::Changed:
    case Outcome::Unchanged:
      break;
  }
  return kExitOk;
}

int findings_exit_code(const std::vector<Finding>& findings) {
  std::vector<int> codes;
  bool unknown = false;
  for (const auto& f : findings) {
    if (f.status == Status::Fail) codes.push_back(exit_code_of(refusal_kind(f.id)));
    unknown |= f.status == Status::Unknown;
  }
  if (codes.empty() && unknown) return kExitPrerequisitesUnknown;
  return combine_exit_codes(codes);
}

}  // namespace nestvirt::core
