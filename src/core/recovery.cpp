// Step kinds, their read-back checks and their undo. One switch per question, so adding a
// step kind fails to compile (-Wswitch) until each question has an answer.
#include "nestvirt/core/recovery.h"

#include <algorithm>

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

std::optional<std::string> verify_vm(const Step& step, const VmReadback& r) {
  switch (step.kind) {
    case StepKind::RemoveSavedState:
    case StepKind::StopVm:
      if (r.state != "Off") return "state " + r.state;
      return std::nullopt;
    case StepKind::StartVm:
      if (r.state != "Running") return "state " + r.state;
      return std::nullopt;
    case StepKind::SetDynamicMemory: {
      const bool want = std::get<VmFlagArgs>(step.args).value;
      if (r.dynamic_memory != want) return "DynamicMemoryEnabled " + yes_no(r.dynamic_memory);
      return std::nullopt;
    }
    case StepKind::SetProcessor: {
      const bool want = std::get<VmFlagArgs>(step.args).value;
      if (r.expose_virtualization_extensions != want)
        return "ExposeVirtualizationExtensions " + yes_no(r.expose_virtualization_extensions);
      return std::nullopt;
    }
    case StepKind::SetMacSpoofing: {
      const auto& a = std::get<SpoofArgs>(step.args);
      for (const auto& nic : r.adapters) {
        if (nic.id != a.adapter_id) continue;
        if (nic.mac_address_spoofing != on_off(a.on))
          return "MacAddressSpoofing " + nic.mac_address_spoofing + " on that adapter";
        return std::nullopt;
      }
      return "no adapter with id " + a.adapter_id;
    }
    default:
      return std::nullopt;  // UpdateVersion: Hyper-V picks the version
  }
}

std::optional<std::string> verify_net(const Step& step, const NetReadback& r) {
  const std::string count = std::to_string(r.count);
  switch (step.kind) {
    case StepKind::NewSwitch:
      if (r.count != 1 || r.switch_type != "Internal" || r.id.empty())
        return count + " switch(es) of that name, type '" + r.switch_type + "'";
      return std::nullopt;
    case StepKind::NewAddress: {
      const auto& a = std::get<AddressArgs>(step.args);
      if (r.count != 1 || r.prefix_length != a.prefix_length)
        return count + " such address(es), prefix length " + std::to_string(r.prefix_length);
      return std::nullopt;
    }
    case StepKind::NewNat: {
      const auto& a = std::get<NatArgs>(step.args);
      if (r.count != 1 || r.prefix != a.prefix)
        return count + " NAT(s) of that name, prefix '" + r.prefix + "'";
      return std::nullopt;
    }
    case StepKind::Connect:
    case StepKind::Disconnect: {
      const auto& a = std::get<ConnectArgs>(step.args);
      if (!r.adapter_present) return "no adapter with id " + a.adapter_id;
      if (r.adapter_switch != a.to_switch)
        return r.adapter_switch.empty() ? std::string("the adapter not connected")
                                        : "the adapter on '" + r.adapter_switch + "'";
      return std::nullopt;
    }
    case StepKind::RemoveNat:
    case StepKind::RemoveAddress:
    case StepKind::RemoveSwitch:
      if (r.count != 0) return count + " still there";
      return std::nullopt;
    default:
      return "a read-back of another kind";
  }
}

std::optional<std::string> verify_guest(const Step& step, const GuestReadback& r) {
  const auto& a = std::get<GuestArgs>(step.args);
  switch (step.kind) {
    case StepKind::GuestAddAddress:
      if (!has_address(r, a.ip, a.prefix_length))
        return "no " + a.ip + "/" + std::to_string(a.prefix_length) + " on the adapter";
      if (!a.gateway.empty() && !has(r.gateways, a.gateway))
        return "no default gateway " + a.gateway + " on the adapter";
      return std::nullopt;
    case StepKind::GuestAddGateway:
      if (!has(r.gateways, a.gateway)) return "no default gateway " + a.gateway;
      return std::nullopt;
    case StepKind::GuestSetDns:
      // A reset hands the adapter back to DHCP, which may fill in servers of its own.
      if (!a.dns.empty() && r.dns != a.dns) {
        std::string now;
        for (const auto& d : r.dns) now += (now.empty() ? "" : ", ") + d;
        return "DNS servers " + (now.empty() ? std::string("none") : now);
      }
      return std::nullopt;
    case StepKind::GuestRemoveAddress:
      if (has_address(r, a.ip, 0)) return a.ip + " still on the adapter";
      return std::nullopt;
    case StepKind::GuestRemoveGateway:
      if (has(r.gateways, a.gateway)) return "default gateway " + a.gateway + " still there";
      return std::nullopt;
    default:
      return "a read-back of another kind";
  }
}

}  // namespace

std::optional<std::string> verify(const Step& step, const Readback& readback) {
  std::optional<std::string> mismatch;
  switch (scope_of(step.kind)) {
    case StepScope::Vm:
      if (const auto* r = std::get_if<VmReadback>(&readback)) {
        mismatch = verify_vm(step, *r);
      } else {
        mismatch = "nothing it could check";
      }
      break;
    case StepScope::HostNetwork:
      if (const auto* r = std::get_if<NetReadback>(&readback)) {
        mismatch = verify_net(step, *r);
      } else {
        mismatch = "nothing it could check";
      }
      break;
    case StepScope::Guest:
      if (const auto* r = std::get_if<GuestReadback>(&readback)) {
        mismatch = verify_guest(step, *r);
      } else {
        mismatch = "nothing it could check";
      }
      break;
    case StepScope::GuestHyperV:  // engine/hyperv_guest_runner.cpp reads the guest itself
      break;
  }
  if (!mismatch) return std::nullopt;
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
  if (const auto* net = std::get_if<NetReadback>(&now); net && step.kind == StepKind::RemoveSwitch)
    return net->count == 0;
  const auto* vm = std::get_if<VmReadback>(&now);
  if (vm == nullptr) return std::nullopt;
  switch (step.kind) {
    case StepKind::UpdateVersion: {
      const auto& before = std::get<VmPowerArgs>(step.args).version_before;
      if (before.empty() || vm->version.empty()) return std::nullopt;
      return vm->version != before;
    }
    case StepKind::RemoveSavedState:
      return vm->state != "Saved";
    default:
      return std::nullopt;
  }
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
    default:
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
