// What each command found and did: plain data, filled by the command flows (src/commands/) and
// turned into words and JSON by src/report/ alone.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "nestvirt/core/facts.h"
#include "nestvirt/core/findings.h"
#include "nestvirt/core/guest_plan.h"
#include "nestvirt/core/hyperv_guest.h"
#include "nestvirt/core/nat_plan.h"
#include "nestvirt/core/outcome.h"
#include "nestvirt/core/overview.h"
#include "nestvirt/core/plan.h"

namespace nestvirt::core {

// check: the facts read, their findings (host first, then each VM's), and without --vm one
// line per VM on the host. The exit code stays the findings'.
struct CheckResult {
  Facts facts;
  std::vector<Finding> findings;
  std::vector<VmOverview> overview;
  int exit_code = 0;
};

// enable, disable, net-spoof: one VM.
struct VmReport {
  VmPlan plan;
  ExecReport run;  // what happened (Planned with --dry-run); guest steps appended
  // --install-hyperv: the guest's part, when it was reached (its steps are also in run.steps).
  std::optional<HyperVGuestRun> guest;
  bool guest_unread = false;  // a dry run that could not read the guest: generic guest steps
};

struct ChangeResult {
  std::vector<Finding> host_findings;
  std::vector<VmReport> vms;
  int exit_code = 0;
};

// net-nat.
struct NatResult {
  NatRequest request;
  std::vector<std::string> input_warnings;
  NatPlan plan;
  ExecReport run;
  std::vector<ProbeError> probe_errors;
  int exit_code = 0;
};

// net-nat guest.
struct GuestResult {
  GuestRequest request;
  bool print = false;
  bool dry_run = false;           // --dry-run: read and planned, nothing ran
  std::string credential_source;  // "environment", "prompt", or empty: never the values
  GuestPlan plan;
  ExecReport run;
  std::vector<GuestItem> items;  // before and after, with what was done to each
  std::string result;  // printed, planned, changed, unchanged, refused, failed, incomplete
  int exit_code = 0;
};

}  // namespace nestvirt::core
