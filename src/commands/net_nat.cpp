#include "nestvirt/commands/net_nat.h"

#include <thread>

#include "nestvirt/commands/check.h"

namespace nestvirt::commands {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace {

struct Call {
  bool ok = false;
  json result;
  std::string error;
};

Call nat_call(powershell::ScriptHost& host, const json& args) {
  powershell::Reply reply = host.call("nat_step", args);
  Call c{reply.ok, reply.result, ""};
  if (!reply.ok) {
    c.error = reply.error.message;
    if (!reply.error.fully_qualified_error_id.empty()) {
      c.error += " [" + reply.error.fully_qualified_error_id + "]";
    }
  }
  return c;
}

Call wait_for_adapter(powershell::ScriptHost& host, const std::string& alias,
                      const NatApplyOptions& o) {
  const auto start = Clock::now();
  for (;;) {
    Call c = nat_call(host, {{"action", "adapter-present"}, {"alias", alias}});
    if (!c.ok) return c;
    if (c.result.value("present", false)) return c;
    if (Clock::now() - start >= o.adapter_timeout) {
      return {false, json(),
              "the host adapter '" + alias + "' did not appear within " +
                  std::to_string(o.adapter_timeout.count()) + " s of creating the switch"};
    }
    std::this_thread::sleep_for(o.poll_interval);
  }
}

}  // namespace

NatResult run_net_nat(powershell::ScriptHost& host, const core::NatRequest& request, bool dry_run,
                      const NatApplyOptions& options) {
  NatResult result;
  result.request = request;
  const core::Facts facts = gather_facts(host, request.connect_vms);
  const powershell::Reply reply = host.call("net_facts", {{"switch", request.switch_name}});
  if (!reply.ok) {
    throw std::runtime_error("reading the host's network failed: " + reply.error.message);
  }
  const core::NetFacts net = core::parse_net_facts(reply.result);
  result.probe_errors = net.errors;
  result.plan = core::plan_nat(request, net, core::evaluate_host(facts.host), facts.vms);
  for (const auto& s : result.plan.steps) result.steps.push_back({s, StepStatus::Planned, 0, ""});

  if (result.plan.refused()) {
    result.outcome = VmOutcome::Refused;
  } else if (result.plan.steps.empty()) {
    result.outcome = VmOutcome::Unchanged;
  } else if (dry_run) {
    result.outcome = VmOutcome::Planned;
  } else {
    std::size_t failed_at = result.steps.size();
    for (std::size_t i = 0; i < result.steps.size(); ++i) {
      auto& sr = result.steps[i];
      const auto start = Clock::now();
      Call c{true, json(), ""};
      if (sr.step.kind == "new-address") c = wait_for_adapter(host, sr.step.args["alias"], options);
      if (c.ok) c = nat_call(host, sr.step.args);
      sr.duration_ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
      if (!c.ok) {
        sr.status = StepStatus::Failed;
        sr.error = c.error;
        failed_at = i;
        break;
      }
      sr.status = StepStatus::Done;
      // A new switch is undone by its id: another switch may carry the same name.
      if (sr.step.kind == "new-switch") {
        sr.step.undo = json{{"action", "remove-switch"}, {"id", c.result.value("id", "")}};
      }
    }
    if (failed_at == result.steps.size()) {
      result.outcome = VmOutcome::Changed;
    } else {
      bool incomplete = false;
      for (std::size_t i = failed_at + 1; i < result.steps.size(); ++i) {
        result.steps[i].status = StepStatus::Skipped;
      }
      for (std::size_t i = failed_at; i-- > 0;) {
        auto& done = result.steps[i];
        if (!done.step.undo) continue;
        Call u = nat_call(host, *done.step.undo);
        if (u.ok) {
          done.status = StepStatus::Undone;
        } else {
          done.status = StepStatus::NotUndone;
          done.error = "undo failed: " + u.error;
          result.left_for_admin.push_back("Done, and could not be undone: " + done.step.title +
                                          " (" + u.error +
                                          "). Check it, and undo it by hand if "
                                          "it should not stay.");
          incomplete = true;
        }
      }
      result.outcome = incomplete ? VmOutcome::Incomplete : VmOutcome::Failed;
    }
  }
  VmReport as_report;
  as_report.outcome = result.outcome == VmOutcome::Planned ? VmOutcome::Changed : result.outcome;
  result.exit_code = change_exit_code({as_report});
  return result;
}

}  // namespace nestvirt::commands
