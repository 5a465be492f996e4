#include "nestvirt/engine/step_runner.h"

#include <algorithm>
#include <thread>

#include "nestvirt/core/recovery.h"
#include "nestvirt/core/replies.h"

namespace nestvirt::engine {

using core::StepKind;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

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
      case core::StepScope::GuestHyperV:  // never through here: hyperv_guest_runner.cpp
        break;
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

bool StepRunner::wait_for_state(const core::VmRef& vm, const std::string& state,
                                std::chrono::milliseconds limit, const std::string& doing) {
  const auto start = Clock::now();
  // Polls often at first (a VM that starts or stops in a second is seen at once), then less:
  // a guest shutdown takes tens of seconds, and every poll is a query on the host (on a fleet,
  // on every host at once).
  auto interval = options_.poll_interval;
  for (;;) {
    Attempt a = vm_call(vm, "state");
    const std::string now = a.ok ? std::get<core::VmReadback>(a.readback).state : "unknown";
    const auto elapsed =
        std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
    progress(vm.name,
             doing + ": state " + now + ", " + seconds_text(elapsed) + " of " + seconds_text(limit),
             false);
    if (a.session_lost) return false;  // a dead PowerShell will not tell us more
    if (a.ok && now == state) return true;
    if (Clock::now() - start >= limit) return false;
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(limit - (Clock::now() - start));
    std::this_thread::sleep_for(std::min(interval, left));
    interval = std::min(interval * 3 / 2, options_.poll_interval * 4);
  }
}

Attempt StepRunner::stop(const core::Step& step) {
  const auto& args = std::get<core::VmPowerArgs>(step.args);
  const auto timeout = std::chrono::seconds(args.shutdown_timeout_seconds);
  // Without --force a plain guest shutdown: Stop-VM -Force would power the guest off on its
  // own after 5 minutes, long after nestvirt reported that it had changed nothing.
  Attempt begin = vm_call(args.vm, "stop", {{"force", args.turn_off_after_timeout}});
  if (!begin.ok) return begin;
  const bool off = std::get<core::VmReadback>(begin.readback).state == "Off" ||
                   wait_for_state(args.vm, "Off", timeout, "waiting for the guest to shut down");
  progress(args.vm.name, "", true);
  if (off) {
    begin.readback = vm_state(args.vm).value_or(std::get<core::VmReadback>(begin.readback));
    return begin;
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
    const bool running =
        wait_for_state(vm, "Running", options_.start_timeout, "waiting for the VM to start");
    progress(vm.name, "", true);
    if (!running) {
      a.ok = false;
      a.error = "the VM did not reach Running within " +
                std::to_string(options_.start_timeout.count()) + " s";
      return a;
    }
    a.readback = vm_state(vm).value_or(std::get<core::VmReadback>(a.readback));
  }
  return a;
}

Attempt StepRunner::net(const core::Step& step) {
  json args;
  switch (step.kind) {
    case StepKind::NewSwitch:
    case StepKind::RemoveSwitch: {
      const auto& a = std::get<core::SwitchArgs>(step.args);
      args = {{"switch", a.name}, {"id", a.id}};
      break;
    }
    case StepKind::NewAddress:
    case StepKind::RemoveAddress: {
      const auto& a = std::get<core::AddressArgs>(step.args);
      args = {{"ip", a.ip}, {"prefix_length", a.prefix_length}, {"alias", a.alias}};
      if (step.kind == StepKind::NewAddress) {
        // The switch's host adapter can lag its creation by seconds.
        const auto start = Clock::now();
        for (;;) {
          Attempt seen =
              call("nat_step",
                   {{"action", "adapter-present"}, {"alias", a.alias}, {"switch", a.switch_name}},
                   core::StepScope::HostNetwork);
          if (!seen.ok) return seen;
          const auto& back = std::get<core::NetReadback>(seen.readback);
          if (back.count > 0) break;
          if (!back.switch_present) {
            // An undo after the switch itself went: no adapter will ever come.
            Attempt gone;
            gone.error = "the switch '" + a.switch_name + "' no longer exists, so its host " +
                         "adapter '" + a.alias + "' cannot take the address";
            return gone;
          }
          if (Clock::now() - start >= options_.adapter_timeout) {
            Attempt late;
            late.error = "the host adapter '" + a.alias + "' did not appear within " +
                         std::to_string(options_.adapter_timeout.count()) +
                         " s of creating the switch";
            return late;
          }
          std::this_thread::sleep_for(options_.adapter_poll);
        }
      }
      break;
    }
    case StepKind::NewNat:
    case StepKind::RemoveNat: {
      const auto& a = std::get<core::NatArgs>(step.args);
      args = {{"nat", a.name}, {"prefix", a.prefix}};
      break;
    }
    case StepKind::Connect:
    case StepKind::Disconnect: {
      const auto& a = std::get<core::ConnectArgs>(step.args);
      args = {{"vm_id", a.vm.id},
              {"adapter_id", a.adapter_id},
              {"adapter", a.adapter_name},
              {"switch", a.to_switch}};
      break;
    }
    default:
      break;
  }
  args["action"] = core::to_string(step.kind);
  return call("nat_step", args, core::StepScope::HostNetwork);
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

Attempt StepRunner::run(const core::Step& step) {
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
    case StepKind::GuestAddAddress:
    case StepKind::GuestAddGateway:
    case StepKind::GuestSetDns:
    case StepKind::GuestRemoveAddress:
    case StepKind::GuestRemoveGateway:
      a = guest(step);
      break;
    default:
      a = net(step);
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
