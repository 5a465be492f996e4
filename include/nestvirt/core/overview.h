// `nestvirt check` without --vm: one line per VM on the host, saying whether `nestvirt enable`
// could turn nested virtualization on as things stand. Pure. The answer is plan_change's own
// (plan.h), with enable's options tried, so the overview cannot disagree with enable.
#pragma once

#include <string>
#include <vector>

#include "nestvirt/core/facts.h"
#include "nestvirt/core/findings.h"
#include "nestvirt/core/plan.h"

namespace nestvirt::core {

enum class EnableVerdict {
  AlreadyOn,    // enable as typed would change nothing: nesting is on, nothing refuses
  Yes,          // enable as typed would turn it on
  WithOptions,  // enable would turn it on with `options` (e.g. --restart for a running VM)
  No,           // enable refuses whatever options are given: `refusals` say why
};
// "already-on", "yes", "with-options", "no"
std::string to_string(EnableVerdict verdict);

struct VmOverview {
  VmFacts vm;
  EnableVerdict verdict = EnableVerdict::No;
  // WithOptions: the fewest of enable's options that get it past its refusals, as typed
  // ("--restart", "--upgrade-version", ...), in the order of enable's help. Else empty.
  std::vector<std::string> options;
  // Yes and WithOptions: the command that turns nesting on ("nestvirt enable --vm 'Web1'
  // --restart"; the VM named by id when its name is not its own). Else empty.
  std::string enable_command;
  // No: the refusals that remain with every option tried; the first is the one to show.
  // WithOptions: the refusals of enable as typed, which the options get past. Else empty.
  std::vector<Finding> refusals;
};

// The options the overview tries, each a flag of `nestvirt enable`: the ones that let the plan
// get past a refusal. --force only changes how a running VM is stopped, --mac-spoofing only
// adds a step: neither decides whether enable refuses, so they are not tried.
struct TriedOption {
  const char* flag;
  bool ChangeOptions::*field;
};
const std::vector<TriedOption>& overview_options();

// One VM. host_findings: evaluate_host(host), as plan_change takes them.
VmOverview overview_vm(const HostFacts& host, const std::vector<Finding>& host_findings,
                       const VmFacts& vm);

// Every VM, in the order given.
std::vector<VmOverview> overview_vms(const HostFacts& host,
                                     const std::vector<Finding>& host_findings,
                                     const std::vector<VmFacts>& vms);

}  // namespace nestvirt::core
