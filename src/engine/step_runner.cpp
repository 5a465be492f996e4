#include "nestvirt/engine/step_runner.h"

#include "nestvirt/core/hyperv_guest.h"
#include "nestvirt/core/recovery.h"
#include "nestvirt/core/replies.h"
#include "nestvirt/engine/guest_wait.h"
#include "nestvirt/engine/poll.h"
#include "nestvirt/process/interrupt.h"

namespace nestvirt::engine {

using core::StepKind;
using nlohmann::json;

namespace {

std::string seconds_text(std::chrono::milliseconds d) {
  return std::to_string(std::chrono::duration_cast<std::chrono::seconds>(d).count()) + " s";
}

}  // namespace

void StepRunner::progress(const std::string& who, const std::string& text, bool final) {
  if (options_.progress) options_.progress(who, text, final);
}

// One request. A script's own error is a failed step whose effect is known (nothing changed:
// every script stops at its first error); PowerShell failing, or a reply nestvirt cannot read,
// leaves the effect unknown.
Attempt StepRunner::call(std::string_view script, const json& args, core::StepScope scope) {
  Attempt a;
  powershell::Reply reply;
  try {
    reply = host_.call(script, args);
  } catch (const powershell::SessionError& e) {
    a.effect_known = false;
    a.session_lost = true;
    a.error = e.what();
    if (!e.detail().empty()) a.error += ": " + e.detail();
    return a;
  }
  if (!reply.ok) {
    a.error = reply.error.message;
    if (!reply.error.fully_qualified_error_id.empty())
      a.error += " [" + reply.error.fully_qualified_error_id + "]";
    return a;
  }
  try {
    switch (scope) {
      case core::StepScope::Vm:
        a.readback = core::decode_vm_readback(reply.result);
        break;
      case core::StepScope::HostNetwork:
        a.readback = core::decode_net_readback(reply.result);
        break;
      case core::StepScope::Guest:
        a.readback = core::decode_guest_readback(reply.result);
        break;
      case core::StepScope::GuestHyperV: {
        auto facts = core::decode_hyperv_guest(reply.result);
        a.readback = facts;
        last_guest_ = facts;
        if (!facts.action_error.empty()) {  // the command in the guest failed: nothing changed
          a.error = facts.action_error.message;
          if (!facts.action_error.fqid.empty()) a.error += " [" + facts.action_error.fqid + "]";
          return a;
        }
        if (!facts.direct_error.empty()) {  // PowerShell Direct broke off: it may have run
          a.effect_known = false;
          a.error = "PowerShell Direct failed: " + facts.direct_error.message;
          return a;
        }
        break;
      }
    }
  } catch (const core::ReplyError& e) {
    a.effect_known = false;
    a.error = "PowerShell answered request '" + std::string(script) +
              "' in a shape nestvirt cannot read: " + e.what();
    return a;
  }
  a.ok = true;
  return a;
}

Attempt StepRunner::vm_call(const core::VmRef& vm, const std::string& action, json args) {
  if (!args.is_object()) args = json::object();
  args["vm_id"] = vm.id;
  args["action"] = action;
  return call("vm_step", args, core::StepScope::Vm);
}

std::optional<core::VmReadback> StepRunner::vm_state(const core::VmRef& vm) {
  Attempt a = vm_call(vm, "state");
  if (!a.ok) return std::nullopt;
  return std::get<core::VmReadback>(a.readback);
}

std::optional<core::Readback> StepRunner::current(const core::Step& step) {
  if (const core::VmRef* vm = core::vm_of(step);
      vm && core::scope_of(step.kind) == core::StepScope::Vm) {
    if (auto now = vm_state(*vm)) return core::Readback(*now);
    return std::nullopt;
  }
  if (core::scope_of(step.kind) == core::StepScope::GuestHyperV && login_ != nullptr) {
    try {
      return core::Readback(
          read_hyperv_guest(host_, std::get<core::HyperVArgs>(step.args).vm, *login_));
    } catch (const std::exception&) {
      return std::nullopt;  // PowerShell failed again, or answered unreadably: unknown
    }
  }
  if (step.kind == StepKind::RemoveSwitch) {
    const auto& a = std::get<core::SwitchArgs>(step.args);
    try {
      const core::NetFacts net = read_net_facts(host_, a.name);
      core::NetReadback now;
      for (const auto& s : net.switches) now.count += (a.id.empty() || s.id == a.id) ? 1 : 0;
      return core::Readback(now);
    } catch (const std::exception&) {
      return std::nullopt;  // PowerShell failed again, or answered unreadably: unknown
    }
  }
  return std::nullopt;
}

Poll StepRunner::wait_for_state(const core::VmRef& vm, const std::string& state,
                                std::chrono::milliseconds limit, const std::string& doing) {
  const auto start = Clock::now();
  const Poll last = poll_until(
      start + limit, {options_.poll_interval, options_.poll_interval * 4},
      [&] {
        Attempt a = vm_call(vm, "state");
        const std::string now = a.ok ? std::get<core::VmReadback>(a.readback).state : "unknown";
        const auto elapsed =
            std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
        progress(
            vm.name,
            doing + ": state " + now + ", " + seconds_text(elapsed) + " of " + seconds_text(limit),
            false);
        if (a.session_lost) return Poll::Stop;  // a dead PowerShell will not tell us more
        return a.ok && now == state ? Poll::Done : Poll::Again;
      },
      options_.interrupts_to_stop);
  progress(vm.name, "", true);
  return last;
}

namespace {

std::string interrupted_while(const std::string& doing) {
  return "interrupted (" + process::interrupt_name() + ") while " + doing;
}

}  // namespace

Attempt StepRunner::stop(const core::Step& step) {
  const auto& args = std::get<core::VmPowerArgs>(step.args);
  const auto timeout = std::chrono::seconds(args.shutdown_timeout_seconds);
  // Without --force a plain guest shutdown: Stop-VM -Force would power the guest off on its
  // own after 5 minutes, long after nestvirt reported that it had changed nothing.
  Attempt begin = vm_call(args.vm, "stop", {{"force", args.turn_off_after_timeout}});
  if (!begin.ok) return begin;
  const Poll off =
      std::get<core::VmReadback>(begin.readback).state == "Off"
          ? Poll::Done
          : wait_for_state(args.vm, "Off", timeout, "waiting for the guest to shut down");
  if (off == Poll::Done) {
    begin.readback = vm_state(args.vm).value_or(std::get<core::VmReadback>(begin.readback));
    return begin;
  }
  if (off == Poll::Interrupted) {  // not powered off hard: the user asked to stop
    Attempt stopped;
    stopped.shutdown_asked = true;
    stopped.error = interrupted_while("waiting for the guest to shut down") +
                    "; it was asked to shut down, and may still do so";
    return stopped;
  }
  if (args.turn_off_after_timeout) {
    Attempt hard = vm_call(args.vm, "turn-off");
    if (hard.ok && std::get<core::VmReadback>(hard.readback).state == "Off") {
      hard.note = "the guest did not shut down within " + std::to_string(timeout.count()) +
                  " s; powered off (--force)";
    }
    return hard;
  }
  Attempt failed;
  failed.shutdown_asked = true;
  failed.error = "the guest did not shut down within " + std::to_string(timeout.count()) +
                 " s (--shutdown-timeout); it was asked to, and may still do so. Rerun with "
                 "--force to power it off after the timeout";
  return failed;
}

Attempt StepRunner::start(const core::Step& step) {
  const auto& vm = std::get<core::VmPowerArgs>(step.args).vm;
  Attempt a = vm_call(vm, "start");
  if (!a.ok) return a;
  if (std::get<core::VmReadback>(a.readback).state != "Running") {
    const Poll running =
        wait_for_state(vm, "Running", options_.start_timeout, "waiting for the VM to start");
    if (running != Poll::Done) {
      a.ok = false;
      a.error = running == Poll::Interrupted
                    ? interrupted_while("waiting for the VM to start; it was started")
                    : "the VM did not reach Running within " +
                          std::to_string(options_.start_timeout.count()) + " s";
      return a;
    }
    a.readback = vm_state(vm).value_or(std::get<core::VmReadback>(a.readback));
  }
  return a;
}

Attempt StepRunner::net(const core::Step& step) {
  json args;
  if (const auto* sw = std::get_if<core::SwitchArgs>(&step.args)) {
    args = {{"switch", sw->name}, {"id", sw->id}};
  } else if (const auto* address = std::get_if<core::AddressArgs>(&step.args)) {
    args = {
        {"ip", address->ip}, {"prefix_length", address->prefix_length}, {"alias", address->alias}};
    if (step.kind == StepKind::NewAddress) {
      // The switch's host adapter can lag its creation by seconds.
      if (Attempt seen = wait_for_adapter(*address); !seen.ok) return seen;
    }
  } else if (const auto* nat = std::get_if<core::NatArgs>(&step.args)) {
    args = {{"nat", nat->name}, {"prefix", nat->prefix}};
  } else if (const auto* connect = std::get_if<core::ConnectArgs>(&step.args)) {
    args = {{"vm_id", connect->vm.id},
            {"adapter_id", connect->adapter_id},
            {"adapter", connect->adapter_name},
            {"switch", connect->to_switch}};
  }
  args["action"] = core::to_string(step.kind);
  return call("nat_step", args, core::StepScope::HostNetwork);
}

Attempt StepRunner::wait_for_adapter(const core::AddressArgs& a) {
  Attempt out;
  out.ok = true;
  const Poll last = poll_until(
      Clock::now() + options_.adapter_timeout, {options_.adapter_poll, options_.adapter_poll},
      [&] {
        Attempt seen =
            call("nat_step",
                 {{"action", "adapter-present"}, {"alias", a.alias}, {"switch", a.switch_name}},
                 core::StepScope::HostNetwork);
        if (!seen.ok) {
          out = seen;
          return Poll::Stop;
        }
        const auto& back = std::get<core::NetReadback>(seen.readback);
        if (back.count > 0) return Poll::Done;
        if (!back.switch_present) {
          // An undo after the switch itself went: no adapter will ever come.
          out.ok = false;
          out.error = "the switch '" + a.switch_name + "' no longer exists, so its host " +
                      "adapter '" + a.alias + "' cannot take the address";
          return Poll::Stop;
        }
        return Poll::Again;
      },
      options_.interrupts_to_stop);
  if (last == Poll::Again) {
    out.ok = false;
    out.error = "the host adapter '" + a.alias + "' did not appear within " +
                std::to_string(options_.adapter_timeout.count()) + " s of creating the switch";
  } else if (last == Poll::Interrupted) {
    out.ok = false;
    out.error = interrupted_while("waiting for the host adapter '" + a.alias + "'");
  }
  return out;
}

Attempt StepRunner::guest(const core::Step& step) {
  const auto& a = std::get<core::GuestArgs>(step.args);
  if (login_ == nullptr) {
    Attempt none;
    none.error = "no guest credentials were given for PowerShell Direct";
    return none;
  }
  json args = {{"action", core::to_string(step.kind)},
               {"vm_id", a.vm.id},
               {"if_index", a.if_index},
               {"ip", a.ip},
               {"prefix_length", a.prefix_length},
               {"gateway", a.gateway},
               {"dns", a.dns},
               {"restore_dhcp", a.restore_dhcp}};
  const GuestLoginScope login(args, *login_);
  return call("guest_step", args, core::StepScope::Guest);
}

Attempt StepRunner::hyperv_call(const core::HyperVArgs& args, const std::string& action) {
  if (login_ == nullptr) {
    Attempt none;
    none.error = "no guest credentials were given for PowerShell Direct";
    return none;
  }
  json request = {
      {"action", action}, {"vm_id", args.vm.id}, {"server", args.server}, {"source", args.source}};
  const GuestLoginScope login(request, *login_);
  return call("guest_hyperv", request, core::StepScope::GuestHyperV);
}

Attempt StepRunner::install_hyperv(const core::HyperVArgs& args) {
  progress(args.vm.name, "installing Hyper-V in the guest", false);
  Attempt a = hyperv_call(args, "install");
  progress(args.vm.name, "", true);
  if (a.ok) {
    const auto& facts = std::get<core::HyperVGuestFacts>(a.readback);
    a.note = "restart needed: " +
             (facts.restart_needed.empty() ? std::string("unknown") : facts.restart_needed);
  }
  return a;
}

Attempt StepRunner::set_launch_type(const core::HyperVArgs& args) {
  Attempt a = hyperv_call(args, "set-launch-type");
  if (!a.ok && a.effect_known) a.error = "bcdedit.exe failed: " + a.error;
  return a;
}

Attempt StepRunner::verify_hyperv(const core::HyperVArgs& args) {
  Attempt a = hyperv_call(args, "verify");
  if (const auto* f = std::get_if<core::HyperVGuestFacts>(&a.readback);
      a.ok && f != nullptr && f->inside) {
    a.note = "feature " + f->inside->feature + ", vmms Running, hypervisorlaunchtype Auto";
  }
  return a;
}

Attempt StepRunner::reboot(const core::HyperVArgs& args) {
  // The boot time before the restart: a new one afterwards is the proof it restarted.
  if (!last_guest_ || !last_guest_->inside) {
    Attempt before = hyperv_call(args, "read");
    if (!before.ok) return before;
  }
  const std::string old_boot =
      last_guest_ && last_guest_->inside ? last_guest_->inside->boot_time : std::string();
  Attempt a = hyperv_call(args, "reboot");
  if (!a.ok) {
    if (a.effect_known) a.error = "shutdown.exe failed: " + a.error;
    return a;
  }
  ++a.guest_reboots;
  try {
    GuestWait back =
        wait_for_guest(host_, args.vm, *login_, options_,
                       "rebooting (" + std::to_string(a.guest_reboots) + ")", old_boot);
    a.guest_waited_s += back.seconds;
    a.readback = back.facts;
    last_guest_ = back.facts;
    if (back.interrupted) {
      a.ok = false;
      a.error = interrupted_while("waiting for the guest to come back from its restart");
      return a;
    }
    // Role installs can restart more than once: wait until the install has settled (nothing
    // pending, vmms up) or the guest stays as it is for a few polls. An interruption ends it:
    // the restart itself is done, and the executor stops before the next step.
    settle(args.vm, a);
  } catch (const powershell::SessionError& e) {
    // The restart was asked for (its effect is known); what became of it is failure_left's.
    a.ok = false;
    a.session_lost = true;
    a.error = std::string("while waiting for the guest after its restart: ") + e.what();
    a.readback = std::monostate{};
    return a;
  } catch (const std::exception& e) {  // an answer nestvirt cannot read
    a.ok = false;
    a.error = std::string("while waiting for the guest after its restart: ") + e.what();
    a.readback = std::monostate{};
    return a;
  }
  const auto& facts = std::get<core::HyperVGuestFacts>(a.readback);
  if (core::reach_of(facts) != core::GuestReach::Answered || facts.inside->boot_time == old_boot) {
    a.ok = false;
    a.error = "the guest did not come back within " +
              std::to_string(options_.guest_timeout.count()) + " s after restart " +
              std::to_string(a.guest_reboots) + " (heartbeat " +
              (facts.heartbeat.empty() ? std::string("none") : facts.heartbeat) +
              "); the VM is left running";
    return a;
  }
  a.note = std::to_string(a.guest_reboots) + (a.guest_reboots == 1 ? " restart" : " restarts") +
           " seen; booted at " + facts.inside->boot_time;
  return a;
}

void StepRunner::settle(const core::VmRef& vm, Attempt& a) {
  auto& facts = std::get<core::HyperVGuestFacts>(a.readback);
  int same = 0;
  std::string boot;
  bool first = true;
  poll_until(
      Clock::now() + options_.guest_timeout, {options_.poll_interval, options_.poll_interval},
      [&] {
        if (!first) {
          const std::string before = facts.inside->boot_time;
          facts = read_hyperv_guest(host_, vm, *login_);
          if (core::reach_of(facts) != core::GuestReach::Answered) {
            ++a.guest_reboots;  // it restarts by itself, as role installs can
            GuestWait back =
                wait_for_guest(host_, vm, *login_, options_,
                               "rebooting (" + std::to_string(a.guest_reboots) + ")", before);
            a.guest_waited_s += back.seconds;
            facts = back.facts;
          } else if (facts.inside->boot_time != before) {
            ++a.guest_reboots;  // restarted between two polls
          }
          last_guest_ = facts;
        }
        first = false;
        if (core::reach_of(facts) != core::GuestReach::Answered) return Poll::Stop;
        const auto& in = *facts.inside;
        if (!core::feature_pending(in.feature) && !in.pending_cbs &&
            (core::hyperv_running(in) || !core::feature_installed(in.feature)))
          return Poll::Done;
        if (in.boot_time == boot) {
          if (++same >= 5) return Poll::Done;  // stays as it is: the check says the rest
        } else {
          same = 0;
          boot = in.boot_time;
        }
        return Poll::Again;
      },
      options_.interrupts_to_stop);
}

Attempt StepRunner::run(const core::Step& step) {
  if (options_.trace) {
    for (const auto& c : step.commands) {
      if (c.rfind('#', 0) != 0) options_.trace(c);
    }
  }
  Attempt a;
  switch (step.kind) {
    case StepKind::StopVm:
      a = stop(step);
      break;
    case StepKind::StartVm:
      a = start(step);
      break;
    case StepKind::RemoveSavedState:
    case StepKind::UpdateVersion:
      a = vm_call(std::get<core::VmPowerArgs>(step.args).vm, core::to_string(step.kind));
      break;
    case StepKind::SetDynamicMemory:
    case StepKind::SetProcessor: {
      const auto& args = std::get<core::VmFlagArgs>(step.args);
      a = vm_call(args.vm, core::to_string(step.kind), {{"value", args.value}});
      break;
    }
    case StepKind::SetMacSpoofing: {
      const auto& args = std::get<core::SpoofArgs>(step.args);
      a = vm_call(args.vm, core::to_string(step.kind),
                  {{"value", args.on ? "On" : "Off"}, {"adapter_id", args.adapter_id}});
      break;
    }
    case StepKind::NewSwitch:
    case StepKind::NewAddress:
    case StepKind::NewNat:
    case StepKind::Connect:
    case StepKind::Disconnect:
    case StepKind::RemoveNat:
    case StepKind::RemoveAddress:
    case StepKind::RemoveSwitch:
      a = net(step);
      break;
    case StepKind::GuestAddAddress:
    case StepKind::GuestAddGateway:
    case StepKind::GuestSetDns:
    case StepKind::GuestRemoveAddress:
    case StepKind::GuestRemoveGateway:
      a = guest(step);
      break;
    case StepKind::GuestInstallHyperV:
      a = install_hyperv(std::get<core::HyperVArgs>(step.args));
      break;
    case StepKind::GuestSetLaunchType:
      a = set_launch_type(std::get<core::HyperVArgs>(step.args));
      break;
    case StepKind::GuestReboot:
      a = reboot(std::get<core::HyperVArgs>(step.args));
      break;
    case StepKind::GuestVerifyHyperV:
      a = verify_hyperv(std::get<core::HyperVArgs>(step.args));
      break;
  }
  if (!a.ok) return a;
  if (auto mismatch = core::verify(step, a.readback)) {
    a.ok = false;
    a.effect_known = false;  // something changed, but not as asked
    a.error = *mismatch;
  }
  return a;
}

}  // namespace nestvirt::engine
