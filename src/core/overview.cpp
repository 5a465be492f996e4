// Whether `nestvirt enable` could turn nesting on, per VM: plan_change itself answers, first
// as typed, then with the fewest of enable's options. Nothing here re-decides a prerequisite.
#include "nestvirt/core/overview.h"

#include <cstddef>

#include "findings_detail.h"

namespace nestvirt::core {

std::string to_string(EnableVerdict verdict) {
  switch (verdict) {
    case EnableVerdict::AlreadyOn:
      return "already-on";
    case EnableVerdict::Yes:
      return "yes";
    case EnableVerdict::WithOptions:
      return "with-options";
    case EnableVerdict::No:
      break;
  }
  return "no";
}

const std::vector<TriedOption>& overview_options() {
  // In the order of enable's help and README; an earlier one is preferred on a tie.
  static const std::vector<TriedOption> options = {
      {"--restart", &ChangeOptions::restart},
      {"--discard-saved-state", &ChangeOptions::discard_saved_state},
      {"--disable-dynamic-memory", &ChangeOptions::disable_dynamic_memory},
      {"--upgrade-version", &ChangeOptions::upgrade_version},
  };
  return options;
}

namespace {

ChangeOptions with(unsigned mask) {
  ChangeOptions o;  // Action::Enable and enable's defaults, as `nestvirt enable --vm X`
  const auto& tried = overview_options();
  for (std::size_t i = 0; i < tried.size(); ++i) {
    if (mask & (1u << i)) o.*(tried[i].field) = true;
  }
  return o;
}

std::string enable_line(const VmFacts& vm, const std::vector<std::string>& flags) {
  std::string line = "nestvirt enable --vm " + detail::vm_selector(vm);
  for (const auto& flag : flags) line += " " + flag;
  return line;
}

int bits(unsigned mask) {
  int n = 0;
  for (; mask != 0; mask &= mask - 1) ++n;
  return n;
}

}  // namespace

VmOverview overview_vm(const HostFacts& host, const std::vector<Finding>& host_findings,
                       const VmFacts& vm) {
  VmOverview out;
  out.vm = vm;
  const VmPlan as_typed = plan_change(with(0), host, host_findings, vm);
  if (as_typed.decision == Decision::Unchanged) {
    out.verdict = EnableVerdict::AlreadyOn;
    return out;
  }
  if (as_typed.decision == Decision::Change) {
    out.verdict = EnableVerdict::Yes;
    out.enable_command = enable_line(vm, {});
    return out;
  }
  // Refused (or not found): the fewest options that make it a change, fewest first, then in
  // the order of overview_options().
  const unsigned all = (1u << overview_options().size()) - 1;
  for (int count = 1; count <= bits(all); ++count) {
    for (unsigned mask = 1; mask <= all; ++mask) {
      if (bits(mask) != count) continue;
      if (plan_change(with(mask), host, host_findings, vm).decision != Decision::Change) continue;
      out.verdict = EnableVerdict::WithOptions;
      for (std::size_t i = 0; i < overview_options().size(); ++i) {
        if (mask & (1u << i)) out.options.push_back(overview_options()[i].flag);
      }
      out.enable_command = enable_line(vm, out.options);
      out.refusals = as_typed.refusals;
      return out;
    }
  }
  out.verdict = EnableVerdict::No;
  out.refusals = plan_change(with(all), host, host_findings, vm).refusals;
  if (out.refusals.empty()) out.refusals = as_typed.refusals;
  return out;
}

std::vector<VmOverview> overview_vms(const HostFacts& host,
                                     const std::vector<Finding>& host_findings,
                                     const std::vector<VmFacts>& vms) {
  std::vector<VmOverview> out;
  out.reserve(vms.size());
  for (const auto& vm : vms) out.push_back(overview_vm(host, host_findings, vm));
  return out;
}

}  // namespace nestvirt::core
