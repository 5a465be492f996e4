// net-nat guest: read the guest, plan in core, run through the executor, and say per item what
// the guest had before and has after.
#include "nestvirt/commands/net_nat_guest.h"

#include "nestvirt/core/exit_codes.h"
#include "nestvirt/core/exit_rules.h"
#include "nestvirt/core/guest_findings.h"
#include "nestvirt/engine/requests.h"
#include "nestvirt/report/net_nat_guest.h"

namespace nestvirt::commands {

namespace {

std::vector<std::string> formatted(const std::vector<core::GuestAddress>& addresses) {
  std::vector<std::string> out;
  for (const auto& a : addresses) out.push_back(a.ip + "/" + std::to_string(a.prefix_length));
  return out;
}

std::string action_of(core::StepStatus status, const char* done_word) {
  switch (status) {
    case core::StepStatus::Done:
      return done_word;
    case core::StepStatus::Failed:
      return "failed";
    case core::StepStatus::Undone:
      return "undone";
    case core::StepStatus::NotUndone:
      return done_word;  // it stays; left_for_admin says so
    case core::StepStatus::Planned:
      return "planned";
    case core::StepStatus::Skipped:
      break;
  }
  return "not-run";
}

// Each item's action from the step that set it, and its "after" from the last read-back.
void fill_items(core::GuestResult& g) {
  g.items = g.plan.items;
  // The plan's steps only ever set these three items (removals are undos, never planned).
  for (const auto& s : g.run.steps) {
    const auto& a = std::get<core::GuestArgs>(s.step.args);
    if (s.step.kind == core::StepKind::GuestAddAddress) {
      g.items[0].action = action_of(s.status, "added");
      if (!a.gateway.empty()) g.items[1].action = action_of(s.status, "added");
    } else if (s.step.kind == core::StepKind::GuestAddGateway) {
      g.items[1].action = action_of(s.status, "added");
    } else if (s.step.kind == core::StepKind::GuestSetDns) {
      g.items[2].action = action_of(s.status, "changed");
    }
  }
  const auto* last = std::get_if<core::GuestReadback>(&g.run.last);
  for (auto& item : g.items) {
    if (last == nullptr) {
      item.after = item.before;
    } else if (item.item == "address") {
      item.after = formatted(last->addresses);
    } else if (item.item == "gateway") {
      item.after = last->gateways;
    } else {
      item.after = last->dns;
    }
  }
}

}  // namespace

core::GuestResult printed_result(const core::GuestRequest& request) {
  core::GuestResult g;
  g.request = request;
  g.print = true;
  g.result = "planned";  // as --dry-run says it: nothing ran
  g.items = core::guest_print_items(request);
  g.run = core::not_run(core::guest_print_steps(request), core::Outcome::Planned);
  return g;
}

core::GuestResult run_net_nat_guest(powershell::ScriptHost& host, const core::GuestRequest& request,
                                    const core::NetFacts& net, const core::GuestLogin& login,
                                    bool dry_run, const engine::ExecOptions& options) {
  core::GuestResult g;
  g.request = request;
  g.dry_run = dry_run;
  g.credential_source = login.source;
  g.plan = core::plan_guest(request, engine::read_guest_facts(host, request.vm, login),
                            core::host_nat_for(net, request.ip));
  if (g.plan.problem) {
    g.items = g.plan.items;
    g.run = core::not_run({}, core::Outcome::Refused);
    // The finding's id decides the exit code (exit_rules.h): an answer nestvirt cannot read is
    // PowerShell failing (6), any other problem the kind of refusal it is.
    const std::string id = g.plan.problem->unreadable
                               ? std::string("guest.unreadable")
                               : core::guest_finding_id(g.plan.problem->kind);
    const core::RefusalKind kind = core::refusal_kind(id);
    g.result = kind == core::RefusalKind::Garbled    ? "failed"
               : kind == core::RefusalKind::NotFound ? "not-found"
                                                     : "refused";
    g.exit_code = core::exit_code_of(kind);
    return g;
  }
  if (g.plan.steps.empty()) {
    g.run = core::not_run({}, core::Outcome::Unchanged);
  } else if (dry_run) {
    g.run = core::not_run(g.plan.steps, core::Outcome::Planned);
  } else {
    g.run = engine::execute(host, g.plan.steps, options, &login);
  }
  fill_items(g);
  g.result = core::to_string(g.run.outcome);
  g.exit_code = core::item_exit_code(g.run.outcome, {});
  return g;
}

namespace {

const char* const kCommand = "net-nat guest";

std::string joined_errors(const std::vector<std::string>& errors) {
  std::string message;
  for (const auto& e : errors) message += (message.empty() ? "" : "\n  ") + e;
  return message;
}

CommandOutput output_of(const core::GuestResult& g) {
  return CommandOutput{g.exit_code, report::guest_to_json(g), report::guest_to_text(g), "", ""};
}

}  // namespace

int net_nat_guest_command(const core::GuestInput& input, bool dry_run,
                          const GlobalOptions& global) {
  if (input.print && dry_run) {
    return usage_error(kCommand, global,
                       "--print and --dry-run exclude each other: --print contacts nothing and "
                       "shows a script; --dry-run reads the guest and shows the plan");
  }
  const core::GuestInputCheck first = core::check_guest_input(input, std::nullopt);
  if (!first.errors.empty()) return usage_error(kCommand, global, joined_errors(first.errors));
  if (input.print) {  // starts nothing: the host below is never asked anything
    return run_command(kCommand, global, [&](powershell::ScriptHost&) {
      return output_of(printed_result(*first.request));
    });
  }

  std::string error;
  const std::optional<core::GuestLogin> login = guest_login(global, true, error);
  if (!login) return usage_error(kCommand, global, error);
  const engine::ExecOptions options = exec_options(global);
  return run_command(kCommand, global, [&](powershell::ScriptHost& host) -> CommandOutput {
    // Read-only, before the guest: the host's NATs, addresses and switches, for the prefix
    // and gateway when they were not given, and for the checks that the address can work.
    const core::NetFacts net = engine::read_net_facts(host, "");
    const core::HostNat nat =
        first.needs_host_nat ? core::host_nat(net) : core::host_nat_for(net, first.request->ip);
    core::GuestInputCheck second = core::check_guest_input(input, nat);
    if (!second.errors.empty()) {
      // Bad input found only once the host's NAT was read: a usage error like the others.
      return CommandOutput{core::kExitUsage, nullptr, "", "usage-error",
                           joined_errors(second.errors)};
    }
    return output_of(run_net_nat_guest(host, *second.request, net, *login, dry_run, options));
  });
}

}  // namespace nestvirt::commands
