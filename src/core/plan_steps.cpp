#include <string>

#include "step_builders.h"

namespace nestvirt::core::detail {

Step make_step(StepKind kind, std::string title, std::string why, StepArgs args,
               std::vector<std::string> commands, bool reversible) {
  Step s;
  s.kind = kind;
  s.title = std::move(title);
  s.why = std::move(why);
  s.args = std::move(args);
  s.commands = std::move(commands);
  s.reversible = reversible;
  return s;
}

namespace {

std::string ps_bool(bool v) {
  return v ? "$true" : "$false";
}

}  // namespace

std::string vm_by_id(const std::string& id) {
  return "(Hyper-V\\Get-VM -Id " + ps_quote(id) + ")";
}

VmRef ref_of(const VmFacts& vm) {
  return {vm.id, vm.name};
}

Step remove_saved_state_step(const VmRef& vm) {
  return make_step(StepKind::RemoveSavedState, "Discard the saved state",
                   "the VM is Saved and --discard-saved-state was given; this loses the guest's "
                   "unsaved memory contents, like pulling the plug, and cannot be undone",
                   VmPowerArgs{vm, 0, false, ""},
                   {"Hyper-V\\Remove-VMSavedState -VM " + vm_by_id(vm.id)}, false);
}

Step stop_step(const ChangeOptions& o, const VmRef& vm) {
  const std::string seconds = std::to_string(o.shutdown_timeout_seconds);
  std::vector<std::string> commands = {
      "Hyper-V\\Stop-VM -VM " + vm_by_id(vm.id) + (o.force ? " -Force -AsJob" : " -AsJob"),
      "# then Hyper-V\\Get-VM -Id " + ps_quote(vm.id) + " every second until State is Off, up to " +
          seconds + " s"};
  std::string why =
      "the VM is running and must be off for the change; --restart asks for a "
      "guest shutdown, waiting up to " +
      seconds + " s";
  if (o.force) {
    commands.push_back("# if the guest is still running then (--force):");
    commands.push_back("Hyper-V\\Stop-VM -VM " + vm_by_id(vm.id) + " -TurnOff -Force");
    why += ", then turning the power off (--force)";
  }
  return make_step(StepKind::StopVm, "Shut down the guest", why,
                   VmPowerArgs{vm, o.shutdown_timeout_seconds, o.force, ""}, commands);
}

Step upgrade_step(const HostFacts& host, const VmFacts& vm) {
  const auto highest = host.highest_supported_version();
  const std::string to = host.default_version ? host.default_version->str()
                         : highest            ? highest->str()
                                              : "the host's default";
  return make_step(
      StepKind::UpdateVersion, "Upgrade the configuration version to " + to,
      "version " + vm.version_text + " is below the " +
          required_version(host.vendor()).value_or(Version{}).str() +
          " this CPU needs and --upgrade-version was given. IRREVERSIBLE: the VM will no "
          "longer start on hosts without version " +
          to,
      VmPowerArgs{ref_of(vm), 0, false, vm.version_text},
      {"Hyper-V\\Update-VMVersion -VM " + vm_by_id(vm.id) + " -Force"}, false);
}

Step memory_step(const VmRef& vm, bool dynamic) {
  return make_step(StepKind::SetDynamicMemory,
                   dynamic ? "Turn dynamic memory back on" : "Turn dynamic memory off",
                   dynamic
                       ? "undo: it was on before"
                       : "--disable-dynamic-memory: while Hyper-V runs inside the VM its memory "
                         "cannot change, so static memory is what the VM really has",
                   VmFlagArgs{vm, dynamic},
                   {"Hyper-V\\Set-VMMemory -VM " + vm_by_id(vm.id) + " -DynamicMemoryEnabled " +
                    ps_bool(dynamic)});
}

Step processor_step(const VmRef& vm, bool expose) {
  return make_step(StepKind::SetProcessor,
                   expose ? "Turn nested virtualization on" : "Turn nested virtualization off",
                   expose
                       ? "exposes the CPU's virtualization extensions to the guest, so Hyper-V can "
                         "run inside it"
                       : "stops exposing the CPU's virtualization extensions to the guest",
                   VmFlagArgs{vm, expose},
                   {"Hyper-V\\Set-VMProcessor -VM " + vm_by_id(vm.id) +
                    " -ExposeVirtualizationExtensions " + ps_bool(expose)});
}

Step mac_spoofing_step(const VmRef& vm, const std::string& adapter_id,
                       const std::string& adapter_name, bool on) {
  const std::string value = on ? "On" : "Off";
  return make_step(
      StepKind::SetMacSpoofing,
      "Turn MAC address spoofing " + value + " (adapter " + ps_quote(adapter_name) + ")",
      on ? "--mac-spoofing: nested VMs' packets carry their own MAC addresses, "
           "which the L1 VM's adapters must be allowed to send"
         : "undo: it was Off before",
      SpoofArgs{vm, adapter_id, adapter_name, on},
      {"Hyper-V\\Get-VMNetworkAdapter -VM " + vm_by_id(vm.id) + " | Where-Object { $_.Id -eq " +
       ps_quote(adapter_id) + " } | Hyper-V\\Set-VMNetworkAdapter -MacAddressSpoofing " + value});
}

Step start_step(const VmRef& vm, const std::string& why, const std::string& title) {
  return make_step(StepKind::StartVm, title, why, VmPowerArgs{vm, 0, false, ""},
                   {"Hyper-V\\Start-VM -VM " + vm_by_id(vm.id),
                    "# then Hyper-V\\Get-VM -Id " + ps_quote(vm.id) + " until State is Running"});
}

Finding state_refusal(const ChangeOptions& o, const VmFacts& vm) {
  Finding f;
  f.status = Status::Fail;
  f.vm = vm.name;
  f.vm_id = vm.id;
  f.seen = "the VM is " + vm.state;
  f.needed = "the VM turned off: Hyper-V changes these settings only on a VM that is Off";
  const std::string flag = o.action == Action::Enable ? "enable" : "disable";
  if (vm.state == "Running") {
    f.id = "vm.running";
    f.title = "VM is running";
    f.fix =
        "Rerun with --restart: nestvirt shuts the guest down (waiting up to "
        "--shutdown-timeout seconds; --force powers it off after that), makes the change and "
        "starts the VM again. Or shut it down yourself (Hyper-V\\Stop-VM -VM " +
        vm_by_id(vm.id) + ") and rerun nestvirt " + flag + ".";
  } else if (vm.state == "Saved") {
    f.id = "vm.saved";
    f.title = "VM is saved";
    f.fix = "Start the VM (Hyper-V\\Start-VM -VM " + vm_by_id(vm.id) +
            "), shut the guest down cleanly, and rerun; "
            "or rerun with --discard-saved-state to throw the saved memory away (what the guest "
            "had not written to disk is lost).";
  } else if (vm.state == "Paused") {
    f.id = "vm.paused";
    f.title = "VM is paused";
    f.fix =
        "Resume it (Hyper-V\\Resume-VM -VM " + vm_by_id(vm.id) + "), then rerun with --restart.";
  } else {
    f.id = "vm.state";
    f.title = "VM is changing state";
    f.fix = "Wait until the VM is Running or Off (Hyper-V\\Get-VM -Id " + ps_quote(vm.id) +
            "), then rerun.";
  }
  return f;
}

}  // namespace nestvirt::core::detail
