// Step kinds, their read-back checks and their undo. One switch per question, so adding a
// step kind fails to compile (-Wswitch) until each question has an answer.
#include "nestvirt/core/recovery.h"

#include <algorithm>

#include "nestvirt/core/hyperv_guest.h"
#include "step_builders.h"

namespace nestvirt::core {

std::string to_string(StepKind kind) {
  switch (kind) {
    case StepKind::RemoveSavedState:
      return "remove-saved-state";
    case StepKind::StopVm:
      return "stop-vm";
    case StepKind::UpdateVersion:
      return "update-version";
    case StepKind::SetDynamicMemory:
      return "set-dynamic-memory";
    case StepKind::SetProcessor:
      return "set-processor";
    case StepKind::SetMacSpoofing:
      return "set-mac-spoofing";
    case StepKind::StartVm:
      return "start-vm";
    case StepKind::NewSwitch:
      return "new-switch";
    case StepKind::NewAddress:
      return "new-address";
    case StepKind::NewNat:
      return "new-nat";
    case StepKind::Connect:
      return "connect";
    case StepKind::Disconnect:
      return "disconnect";
    case StepKind::RemoveNat:
      return "remove-nat";
    case StepKind::RemoveAddress:
      return "remove-address";
    case StepKind::RemoveSwitch:
      return "remove-switch";
    case StepKind::GuestAddAddress:
      return "guest-add-address";
    case StepKind::GuestAddGateway:
      return "guest-add-gateway";
    case StepKind::GuestSetDns:
      return "guest-set-dns";
    case StepKind::GuestRemoveAddress:
      return "guest-remove-address";
    case StepKind::GuestRemoveGateway:
      return "guest-remove-gateway";
    case StepKind::GuestInstallHyperV:
      return "guest-install-hyperv";
    case StepKind::GuestSetLaunchType:
      return "guest-set-launch-type";
    case StepKind::GuestReboot:
      return "guest-reboot";
    case StepKind::GuestVerifyHyperV:
      break;
  }
  return "guest-verify-hyperv";
}

StepScope scope_of(StepKind kind) {
  switch (kind) {
    case StepKind::RemoveSavedState:
    case StepKind::StopVm:
    case StepKind::UpdateVersion:
    case StepKind::SetDynamicMemory:
    case StepKind::SetProcessor:
    case StepKind::SetMacSpoofing:
    case StepKind::StartVm:
      return StepScope::Vm;
    case StepKind::NewSwitch:
    case StepKind::NewAddress:
    case StepKind::NewNat:
    case StepKind::Connect:
    case StepKind::Disconnect:
    case StepKind::RemoveNat:
    case StepKind::RemoveAddress:
    case StepKind::RemoveSwitch:
      return StepScope::HostNetwork;
    case StepKind::GuestAddAddress:
    case StepKind::GuestAddGateway:
    case StepKind::GuestSetDns:
    case StepKind::GuestRemoveAddress:
    case StepKind::GuestRemoveGateway:
      break;
    case StepKind::GuestInstallHyperV:
    case StepKind::GuestSetLaunchType:
    case StepKind::GuestReboot:
    case StepKind::GuestVerifyHyperV:
      return StepScope::GuestHyperV;
  }
  return StepScope::Guest;
}

const VmRef* vm_of(const Step& step) {
  return std::visit(
      [](const auto& a) -> const VmRef* {
        using T = std::decay_t<decltype(a)>;
        if constexpr (std::is_same_v<T, VmPowerArgs> || std::is_same_v<T, VmFlagArgs> ||
                      std::is_same_v<T, SpoofArgs> || std::is_same_v<T, ConnectArgs> ||
                      std::is_same_v<T, GuestArgs> || std::is_same_v<T, HyperVArgs>) {
          return &a.vm;
        } else {
          return nullptr;
        }
      },
      step.args);
}

namespace {

std::string on_off(bool on) {
  return on ? "On" : "Off";
}

std::string yes_no(const std::optional<bool>& v) {
  return v ? (*v ? "true" : "false") : "nothing";
}

bool has_address(const GuestReadback& r, const std::string& ip, int length) {
  return std::any_of(r.addresses.begin(), r.addresses.end(), [&](const GuestAddress& a) {
    return a.ip == ip && (length == 0 || a.prefix_length == length);
  });
}

bool has(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

// What the host reports that differs from what the step asked for; nullopt when it holds.
std::optional<std::string> vm_off(const VmReadback& r) {
  if (r.state != "Off") return "state " + r.state;
  return std::nullopt;
}

std::optional<std::string> vm_flag(const char* name, const std::optional<bool>& now, bool want) {
  if (now != want) return std::string(name) + " " + yes_no(now);
  return std::nullopt;
}

std::optional<std::string> mac_spoofing(const SpoofArgs& a, const VmReadback& r) {
  for (const auto& nic : r.adapters) {
    if (nic.id != a.adapter_id) continue;
    if (nic.mac_address_spoofing != on_off(a.on))
      return "MacAddressSpoofing " + nic.mac_address_spoofing + " on that adapter";
    return std::nullopt;
  }
  return "no adapter with id " + a.adapter_id;
}

std::optional<std::string> connected(const ConnectArgs& a, const NetReadback& r) {
  if (!r.adapter_present) return "no adapter with id " + a.adapter_id;
  if (r.adapter_switch != a.to_switch)
    return r.adapter_switch.empty() ? std::string("the adapter not connected")
                                    : "the adapter on '" + r.adapter_switch + "'";
  return std::nullopt;
}

std::optional<std::string> gone(const NetReadback& r) {
  if (r.count != 0) return std::to_string(r.count) + " still there";
  return std::nullopt;
}

std::optional<std::string> guest_dns(const GuestArgs& a, const GuestReadback& r) {
  // A reset hands the adapter back to DHCP, which may fill in servers of its own.
  if (!a.dns.empty() && r.dns != a.dns) {
    std::string now;
    for (const auto& d : r.dns) now += (now.empty() ? "" : ", ") + d;
    return "DNS servers " + (now.empty() ? std::string("none") : now);
  }
  return std::nullopt;
}

// The guest answered PowerShell Direct, and the step's own command reported no error.
std::optional<std::string> guest_answered(const HyperVGuestFacts& f) {
  if (!f.action_error.empty()) return "the error: " + f.action_error.message;
  if (reach_of(f) != GuestReach::Answered) return "a guest that does not answer";
  return std::nullopt;
}

template <typename T>
const T* as(const Readback& r) {
  return std::get_if<T>(&r);
}

// One switch over every kind: adding a kind fails to compile (-Wswitch) until it is checked.
std::optional<std::string> mismatch_of(const Step& step, const Readback& readback) {
  const std::optional<std::string> none = "nothing it could check";
  const auto* vm = as<VmReadback>(readback);
  const auto* net = as<NetReadback>(readback);
  const auto* guest = as<GuestReadback>(readback);
  const auto* hyperv = as<HyperVGuestFacts>(readback);
  switch (step.kind) {
    case StepKind::RemoveSavedState:
    case StepKind::StopVm:
      return vm ? vm_off(*vm) : none;
    case StepKind::StartVm:
      if (!vm) return none;
      if (vm->state != "Running") return "state " + vm->state;
      return std::nullopt;
    case StepKind::UpdateVersion:  // Hyper-V picks the version
      return vm ? std::nullopt : none;
    case StepKind::SetDynamicMemory:
      return vm ? vm_flag("DynamicMemoryEnabled", vm->dynamic_memory,
                          std::get<VmFlagArgs>(step.args).value)
                : none;
    case StepKind::SetProcessor:
      return vm ? vm_flag("ExposeVirtualizationExtensions", vm->expose_virtualization_extensions,
                          std::get<VmFlagArgs>(step.args).value)
                : none;
    case StepKind::SetMacSpoofing:
      return vm ? mac_spoofing(std::get<SpoofArgs>(step.args), *vm) : none;
    case StepKind::NewSwitch:
      if (!net) return none;
      if (net->count != 1 || net->switch_type != "Internal" || net->id.empty())
        return std::to_string(net->count) + " switch(es) of that name, type '" + net->switch_type +
               "'";
      return std::nullopt;
    case StepKind::NewAddress: {
      if (!net) return none;
      const auto& a = std::get<AddressArgs>(step.args);
      if (net->count != 1 || net->prefix_length != a.prefix_length)
        return std::to_string(net->count) + " such address(es), prefix length " +
               std::to_string(net->prefix_length);
      return std::nullopt;
    }
    case StepKind::NewNat: {
      if (!net) return none;
      const auto& a = std::get<NatArgs>(step.args);
      if (net->count != 1 || net->prefix != a.prefix)
        return std::to_string(net->count) + " NAT(s) of that name, prefix '" + net->prefix + "'";
      return std::nullopt;
    }
    case StepKind::Connect:
    case StepKind::Disconnect:
      return net ? connected(std::get<ConnectArgs>(step.args), *net) : none;
    case StepKind::RemoveNat:
    case StepKind::RemoveAddress:
    case StepKind::RemoveSwitch:
      return net ? gone(*net) : none;
    case StepKind::GuestAddAddress: {
      if (!guest) return none;
      const auto& a = std::get<GuestArgs>(step.args);
      if (!has_address(*guest, a.ip, a.prefix_length))
        return "no " + a.ip + "/" + std::to_string(a.prefix_length) + " on the adapter";
      if (!a.gateway.empty() && !has(guest->gateways, a.gateway))
        return "no default gateway " + a.gateway + " on the adapter";
      return std::nullopt;
    }
    case StepKind::GuestAddGateway: {
      if (!guest) return none;
      const auto& a = std::get<GuestArgs>(step.args);
      if (!has(guest->gateways, a.gateway)) return "no default gateway " + a.gateway;
      return std::nullopt;
    }
    case StepKind::GuestSetDns:
      return guest ? guest_dns(std::get<GuestArgs>(step.args), *guest) : none;
    case StepKind::GuestRemoveAddress: {
      if (!guest) return none;
      const auto& a = std::get<GuestArgs>(step.args);
      if (has_address(*guest, a.ip, 0)) return a.ip + " still on the adapter";
      return std::nullopt;
    }
    case StepKind::GuestRemoveGateway: {
      if (!guest) return none;
      const auto& a = std::get<GuestArgs>(step.args);
      if (has(guest->gateways, a.gateway)) return "default gateway " + a.gateway + " still there";
      return std::nullopt;
    }
    case StepKind::GuestInstallHyperV:
      if (!hyperv) return none;
      if (auto e = guest_answered(*hyperv)) return e;
      if (!feature_installed(hyperv->inside->feature) && !feature_pending(hyperv->inside->feature))
        return "the feature " +
               (hyperv->inside->feature.empty() ? std::string("unknown") : hyperv->inside->feature);
      return std::nullopt;
    case StepKind::GuestSetLaunchType:
      if (!hyperv) return none;
      if (auto e = guest_answered(*hyperv)) return e;
      if (hyperv->inside->launch_type != "Auto")
        return "hypervisorlaunchtype " + (hyperv->inside->launch_type.empty()
                                              ? std::string("not set")
                                              : hyperv->inside->launch_type);
      return std::nullopt;
    case StepKind::GuestReboot:  // the runner waits for the new boot itself
      if (!hyperv) return none;
      return guest_answered(*hyperv);
    case StepKind::GuestVerifyHyperV:
      if (!hyperv) return none;
      if (auto e = guest_answered(*hyperv)) return e;
      if (!hyperv_running(*hyperv->inside)) return missing_words(*hyperv->inside);
      return std::nullopt;
  }
  return none;
}

}  // namespace

std::optional<std::string> verify(const Step& step, const Readback& readback) {
  const std::optional<std::string> mismatch = mismatch_of(step, readback);
  if (!mismatch) return std::nullopt;
  if (scope_of(step.kind) == StepScope::GuestHyperV) {
    return step.kind == StepKind::GuestVerifyHyperV
               ? "Hyper-V does not run in the guest: " + *mismatch
               : "the guest answered, but reports " + *mismatch;
  }
  return "the change was accepted, but afterwards the host reports " + *mismatch;
}

std::optional<Step> undo_step(const Step& step, const Readback& readback, bool effect_known) {
  const std::string undo = "undo: put back what this run changed";
  switch (step.kind) {
    case StepKind::StopVm:
      return detail::start_step(std::get<VmPowerArgs>(step.args).vm,
                                "undo: it was running before nestvirt stopped it");
    case StepKind::SetDynamicMemory: {
      const auto& a = std::get<VmFlagArgs>(step.args);
      return detail::memory_step(a.vm, !a.value);
    }
    case StepKind::SetProcessor: {
      const auto& a = std::get<VmFlagArgs>(step.args);
      Step s = detail::processor_step(a.vm, !a.value);
      s.why = "undo: it was " + std::string(a.value ? "off" : "on") + " before";
      return s;
    }
    case StepKind::SetMacSpoofing: {
      const auto& a = std::get<SpoofArgs>(step.args);
      // Only an adapter this step changed: one already as wanted is left alone both ways.
      const auto* r = std::get_if<VmReadback>(&readback);
      const bool changed = r && has(r->changed, a.adapter_id);
      if (effect_known && !changed) return std::nullopt;
      Step s = detail::mac_spoofing_step(a.vm, a.adapter_id, a.adapter_name, !a.on);
      s.why = "undo: it was " + on_off(!a.on) + " before";
      return s;
    }
    case StepKind::NewSwitch: {
      const auto& a = std::get<SwitchArgs>(step.args);
      const auto* r = std::get_if<NetReadback>(&readback);
      return detail::remove_switch_step(a.name, r ? r->id : "", "undo: this run created it");
    }
    case StepKind::NewAddress: {
      const auto& a = std::get<AddressArgs>(step.args);
      return detail::remove_address_step(a.ip, a.prefix_length, a.switch_name,
                                         "undo: this run added it");
    }
    case StepKind::NewNat: {
      const auto& a = std::get<NatArgs>(step.args);
      return detail::remove_nat_step(a.name, a.prefix, "undo: this run created it");
    }
    case StepKind::Connect:
    case StepKind::Disconnect: {
      const auto& a = std::get<ConnectArgs>(step.args);
      return detail::connect_step(a.vm, a.adapter_id, a.adapter_name, a.from_switch, a.to_switch,
                                  undo);
    }
    case StepKind::RemoveNat: {
      const auto& a = std::get<NatArgs>(step.args);
      return detail::new_nat_step(a.name, a.prefix, "undo: it was there before");
    }
    case StepKind::RemoveAddress: {
      const auto& a = std::get<AddressArgs>(step.args);
      return detail::new_address_step(a.ip, a.prefix_length, a.switch_name,
                                      "undo: it was there before");
    }
    case StepKind::GuestAddAddress:
      return detail::guest_remove_address_step(std::get<GuestArgs>(step.args),
                                               "undo: this run added it");
    case StepKind::GuestAddGateway:
      return detail::guest_remove_gateway_step(std::get<GuestArgs>(step.args),
                                               "undo: this run added it");
    case StepKind::GuestSetDns: {
      GuestArgs a = std::get<GuestArgs>(step.args);
      std::swap(a.dns, a.previous_dns);
      return detail::guest_set_dns_step(a, "undo: these were the servers before");
    }
    case StepKind::StartVm:  // last in its plan: nothing after it can fail
    case StepKind::RemoveSavedState:
    case StepKind::UpdateVersion:
    case StepKind::RemoveSwitch:  // last in its plan
    case StepKind::GuestRemoveAddress:
    case StepKind::GuestRemoveGateway:
    // A role install, its boot setting and a reboot are not undone (the plan says so).
    case StepKind::GuestInstallHyperV:
    case StepKind::GuestSetLaunchType:
    case StepKind::GuestReboot:
    case StepKind::GuestVerifyHyperV:
      break;
  }
  return std::nullopt;
}

std::optional<bool> took_effect(const Step& step, const Readback& now) {
  const auto* vm = std::get_if<VmReadback>(&now);
  const auto* net = std::get_if<NetReadback>(&now);
  const auto* hyperv = std::get_if<HyperVGuestFacts>(&now);
  const bool answered = hyperv && reach_of(*hyperv) == GuestReach::Answered;
  switch (step.kind) {
    case StepKind::UpdateVersion: {
      const auto& before = std::get<VmPowerArgs>(step.args).version_before;
      if (!vm || before.empty() || vm->version.empty()) return std::nullopt;
      return vm->version != before;
    }
    case StepKind::RemoveSavedState:
      if (!vm) return std::nullopt;
      return vm->state != "Saved";
    case StepKind::RemoveSwitch:
      if (!net) return std::nullopt;
      return net->count == 0;
    case StepKind::GuestInstallHyperV:
      if (!answered) return std::nullopt;
      return feature_installed(hyperv->inside->feature) || feature_pending(hyperv->inside->feature);
    case StepKind::GuestSetLaunchType:
      if (!answered) return std::nullopt;
      return hyperv->inside->launch_type == "Auto";
    // Undone when they fail (their undo is safe either way), or changing nothing that stays.
    case StepKind::StopVm:
    case StepKind::SetDynamicMemory:
    case StepKind::SetProcessor:
    case StepKind::SetMacSpoofing:
    case StepKind::StartVm:
    case StepKind::NewSwitch:
    case StepKind::NewAddress:
    case StepKind::NewNat:
    case StepKind::Connect:
    case StepKind::Disconnect:
    case StepKind::RemoveNat:
    case StepKind::RemoveAddress:
    case StepKind::GuestAddAddress:
    case StepKind::GuestAddGateway:
    case StepKind::GuestSetDns:
    case StepKind::GuestRemoveAddress:
    case StepKind::GuestRemoveGateway:
    case StepKind::GuestReboot:
    case StepKind::GuestVerifyHyperV:
      break;
  }
  return std::nullopt;
}

bool leaves_something(const Step& step) {
  switch (step.kind) {
    case StepKind::GuestReboot:        // a restart leaves the guest as it was, only newer
    case StepKind::GuestVerifyHyperV:  // a read
      return false;
    case StepKind::RemoveSavedState:
    case StepKind::StopVm:
    case StepKind::UpdateVersion:
    case StepKind::SetDynamicMemory:
    case StepKind::SetProcessor:
    case StepKind::SetMacSpoofing:
    case StepKind::StartVm:
    case StepKind::NewSwitch:
    case StepKind::NewAddress:
    case StepKind::NewNat:
    case StepKind::Connect:
    case StepKind::Disconnect:
    case StepKind::RemoveNat:
    case StepKind::RemoveAddress:
    case StepKind::RemoveSwitch:
    case StepKind::GuestAddAddress:
    case StepKind::GuestAddGateway:
    case StepKind::GuestSetDns:
    case StepKind::GuestRemoveAddress:
    case StepKind::GuestRemoveGateway:
    case StepKind::GuestInstallHyperV:
    case StepKind::GuestSetLaunchType:
      break;
  }
  return true;
}

namespace {

std::string check_guest(const VmRef& vm) {
  return "nestvirt check --vm " + ps_quote(vm.name) + " --guest";
}

}  // namespace

std::optional<std::string> failure_left(const Step& failed, const Readback& readback,
                                        bool effect_known, bool interrupted) {
  const auto* hyperv = std::get_if<HyperVGuestFacts>(&readback);
  const bool answered = hyperv && reach_of(*hyperv) == GuestReach::Answered;
  switch (failed.kind) {
    case StepKind::GuestReboot: {
      const VmRef& vm = std::get<HyperVArgs>(failed.args).vm;
      if (hyperv && !hyperv->action_error.empty()) return std::nullopt;  // shutdown.exe refused
      if (hyperv && !answered && interrupted) {
        return "The guest of " + vm.name +
               " was restarting when nestvirt was interrupted: once it is back, run " +
               check_guest(vm) + ".";
      }
      if (hyperv && !answered) {
        return "The guest of " + vm.name +
               " did not come back after its restart: look at its console (vmconnect), then run " +
               check_guest(vm) + ".";
      }
      if (hyperv) {
        return "The guest of " + vm.name +
               " was asked to restart and still answers from before it: restart it yourself, "
               "then run " +
               check_guest(vm) + ".";
      }
      if (effect_known) return std::nullopt;  // the request failed before it reached the guest
      return "It is unknown whether the guest of " + vm.name + " restarted: run " +
             check_guest(vm) + ".";
    }
    case StepKind::GuestVerifyHyperV: {
      const VmRef& vm = std::get<HyperVArgs>(failed.args).vm;
      if (answered) {
        return "Hyper-V does not run in " + vm.name + "'s guest (" +
               missing_words(*hyperv->inside) + "): see " + check_guest(vm) + ".";
      }
      return "nestvirt could not prove that Hyper-V runs in " + vm.name +
             "'s guest (it did not answer the final check): see " + check_guest(vm) + ".";
    }
    case StepKind::RemoveSavedState:
    case StepKind::StopVm:  // the executor reads the VM again itself
    case StepKind::UpdateVersion:
    case StepKind::SetDynamicMemory:
    case StepKind::SetProcessor:
    case StepKind::SetMacSpoofing:
    case StepKind::StartVm:
    case StepKind::NewSwitch:
    case StepKind::NewAddress:
    case StepKind::NewNat:
    case StepKind::Connect:
    case StepKind::Disconnect:
    case StepKind::RemoveNat:
    case StepKind::RemoveAddress:
    case StepKind::RemoveSwitch:
    case StepKind::GuestAddAddress:
    case StepKind::GuestAddGateway:
    case StepKind::GuestSetDns:
    case StepKind::GuestRemoveAddress:
    case StepKind::GuestRemoveGateway:
    case StepKind::GuestInstallHyperV:
    case StepKind::GuestSetLaunchType:
      break;
  }
  return std::nullopt;
}

std::string unknown_effect_left(const Step& step) {
  std::string text =
      "It is unknown whether this step took effect, and it cannot be undone: " + step.title + ".";
  if (scope_of(step.kind) == StepScope::GuestHyperV) {
    return text + " Check with " + check_guest(std::get<HyperVArgs>(step.args).vm) + ".";
  }
  for (const auto& c : step.commands) {
    if (c.rfind("#", 0) != 0) return text + " Check it (" + c + ").";
  }
  return text;
}

std::string left_for_admin(const Step& done, const std::optional<Step>& undo,
                           const std::string& why_not_undone) {
  const VmRef* vm = vm_of(done);
  const std::string name = vm ? ps_quote(vm->name) : "";
  switch (done.kind) {
    case StepKind::UpdateVersion:
      return "The configuration version of " + name +
             " was upgraded and cannot be downgraded (Update-VMVersion is irreversible).";
    case StepKind::RemoveSavedState:
      return "The saved state of " + name + " was discarded; it cannot be restored.";
    case StepKind::RemoveSwitch:
      return "The switch " + ps_quote(std::get<SwitchArgs>(done.args).name) +
             " was removed; a switch created again would be a new one (New-VMSwitch -Name " +
             ps_quote(std::get<SwitchArgs>(done.args).name) + " -SwitchType Internal).";
    case StepKind::GuestInstallHyperV:
      return "Hyper-V stays installed in " + vm->name +
             "'s guest (a role install is not rolled back); it runs once the guest has "
             "restarted: " +
             check_guest(*vm) + " says what is missing.";
    case StepKind::GuestSetLaunchType:
      return "The boot entry of " + vm->name +
             "'s guest keeps hypervisorlaunchtype Auto (not rolled back); Hyper-V starts at the "
             "guest's next boot.";
    case StepKind::GuestReboot:
    case StepKind::GuestVerifyHyperV:
      return "It is unknown whether this step in " + vm->name + "'s guest finished (" +
             why_not_undone + "): " + done.title + ". Check with " + check_guest(*vm) + ".";
    case StepKind::StopVm:
    case StepKind::SetDynamicMemory:
    case StepKind::SetProcessor:
    case StepKind::SetMacSpoofing:
    case StepKind::StartVm:
    case StepKind::NewSwitch:
    case StepKind::NewAddress:
    case StepKind::NewNat:
    case StepKind::Connect:
    case StepKind::Disconnect:
    case StepKind::RemoveNat:
    case StepKind::RemoveAddress:
    case StepKind::GuestAddAddress:
    case StepKind::GuestAddGateway:
    case StepKind::GuestSetDns:
    case StepKind::GuestRemoveAddress:
    case StepKind::GuestRemoveGateway:
      break;
  }
  std::string text = "Done" + (vm ? " on " + name : std::string()) + " and not undone (" +
                     why_not_undone + "): " + done.title + ".";
  std::string command;
  if (undo) {
    for (const auto& c : undo->commands) {
      if (c.rfind("#", 0) != 0) command += (command.empty() ? "" : "; ") + c;
    }
  }
  return text + (command.empty() ? " Check it, and put it back by hand if it should not stay."
                                 : " To put it back: " + command);
}

}  // namespace nestvirt::core
