#include "nestvirt/core/guest_findings.h"

namespace nestvirt::core {

namespace {

struct Shape {
  const char* kind;
  const char* id;
  const char* title;
  const char* needed;
};

const Shape kShapes[] = {
    {"vm-not-found", "vm.exists", "VM exists", "a VM of exactly that name on this host"},
    {"vm-ambiguous", "vm.ambiguous", "VM name is unique", "exactly one VM of that name"},
    {"vm-not-running", "vm.not-running", "VM is running",
     "the VM Running, with Windows booted inside"},
    {"hyperv-missing", "host.hyperv-module", "Hyper-V PowerShell module",
     "the Hyper-V module (RSAT-Hyper-V-Tools or the Hyper-V role)"},
    {"hyperv-access", "host.permissions", "Permission to use Hyper-V",
     "an elevated session, or membership of Hyper-V Administrators"},
    {"credential-invalid", "guest.credentials", "Guest accepts the credentials",
     "a user name and password the guest accepts"},
    {"direct-failed", "guest.direct", "PowerShell Direct reaches the guest",
     "Windows booted in the guest (Windows 10 / Server 2016 or later)"},
    {"adapter-not-found", "guest.adapter", "Guest network adapter exists",
     "an adapter of that name in the guest"},
    {"adapter-ambiguous", "guest.adapter-ambiguous", "One guest network adapter to configure",
     "exactly one adapter of that name, or one adapter that is Up"},
    {"no-adapter-up", "guest.adapter-up", "A guest network adapter is Up",
     "one adapter Up in the guest, connected to the NAT switch"},
    {"address-conflict", "guest.address-conflict", "Guest address is free",
     "no other static address on the adapter, and the address on no other adapter"},
    {"gateway-conflict", "guest.gateway-conflict", "Guest default gateway",
     "no default gateway, or the NAT's gateway"},
    {"unreadable", "guest.unreadable", "Guest answered", "an answer nestvirt can read"},
};

const Shape* shape_of(const std::string& kind) {
  for (const auto& s : kShapes) {
    if (kind == s.kind) return &s;
  }
  return nullptr;
}

}  // namespace

std::string guest_finding_id(const std::string& problem_kind) {
  const Shape* s = shape_of(problem_kind);
  if (s) return s->id;
  // The checks against the host's NAT (guest_nat_checks.cpp) name their finding id as their
  // kind already: "guest.adapter-switch".
  return problem_kind.find('.') != std::string::npos ? problem_kind : "guest." + problem_kind;
}

Finding guest_finding(const GuestProblem& problem, const std::string& vm,
                      const std::string& vm_id) {
  const Shape* s = shape_of(problem.kind);
  Finding f;
  f.id = problem.unreadable ? "guest.unreadable" : guest_finding_id(problem.kind);
  f.status = Status::Fail;
  f.vm = vm;
  f.vm_id = vm_id;
  f.title = !problem.title.empty() ? problem.title : s ? s->title : problem.kind;
  f.seen = problem.seen.empty() ? problem.message : problem.seen;
  if (!problem.powershell_error.empty()) f.seen += " (" + problem.powershell_error + ")";
  f.needed = !problem.needed.empty() ? problem.needed : s ? s->needed : "";
  f.fix = problem.fix;
  f.fix_command = problem.fix_command;
  return f;
}

}  // namespace nestvirt::core
