#include <string>

#include "plan_detail.h"

namespace nestvirt::core::detail {

namespace {

Step make(StepKind kind, std::string title, std::string why, nlohmann::json args,
          std::vector<std::string> commands, bool reversible = true) {
  Step s;
  s.kind = kind;
  s.title = std::move(title);
  s.why = std::move(why);
  s.args = std::move(args);
  s.commands = std::move(commands);
  s.reversible = reversible;
  return s;
}

std::string ps_bool(bool v) {
  return v ? "$true" : "$false";
}

}  // namespace

std::string vm_by_id(const VmFacts& vm) {
  return "(Hyper-V\\Get-VM -Id " + ps_quote(vm.id) + ")";
}

Step remove_saved_state_step(const VmFacts& vm) {
  return make(StepKind::RemoveSavedState, "Discard the saved state",
              "the VM is Saved and --discard-saved-state was given; this loses the guest's "
              "unsaved memory contents, like pulling the plug, and cannot be undone",
              {{"action", "remove-saved-state"}},
              {"Hyper-V\\Remove-VMSavedState -VM " + vm_by_id(vm)}, false);
}

Step stop_step(const ChangeOptions& o, const VmFacts& vm) {
  const std::string seconds = std::to_string(o.shutdown_timeout_seconds);
  std::vector<std::string> commands = {
      "Hyper-V\\Stop-VM -VM " + vm_by_id(vm) + (o.force ? " -Force -AsJob" : " -AsJob"),
      "# then Hyper-V\\Get-VM -Id " + ps_quote(vm.id) + " every second until State is Off, up to " +
          seconds + " s"};
  std::string why =
      "the VM is running and must be off for the change; --restart asks for a "
      "guest shutdown, waiting up to " +
      seconds + " s";
  if (o.force) {
    commands.push_back("# if the guest is still running then (--force):");
    commands.push_back("Hyper-V\\Stop-VM -VM " + vm_by_id(vm) + " -TurnOff -Force");
    why += ", then turning the power off (--force)";
  }
  return make(StepKind::StopVm, "Shut down the guest", why,
              {{"action", "stop"},
               {"timeout_seconds", o.shutdown_timeout_seconds},
               {"turn_off_after_timeout", o.force}},
              commands);
}

Step upgrade_step(const HostFacts& host, const VmFacts& vm) {
  const auto highest = host.highest_supported_version();
  const std::string to = host.default_version ? host.default_version->str()
                         : highest            ? highest->str()
                                              : "the host's default";
  return make(StepKind::UpdateVersion, "Upgrade the configuration version to " + to,
              "version " + vm.version_text + " is below the " +
                  required_version(host.vendor()).value_or(Version{}).str() +
                  " this CPU needs and --upgrade-version was given. IRREVERSIBLE: the VM will no "
                  "longer start on hosts without version " +
                  to,
              {{"action", "update-version"}},
              {"Hyper-V\\Update-VMVersion -VM " + vm_by_id(vm) + " -Force"}, false);
}

Step memory_step(const VmFacts& vm, bool dynamic) {
  return make(
      StepKind::SetDynamicMemory,
      dynamic ? "Turn dynamic memory back on" : "Turn dynamic memory off",
      dynamic ? "undo: it was on before"
              : "--disable-dynamic-memory: while Hyper-V runs inside the VM its memory "
                "cannot change, so static memory is what the VM really has",
      {{"action", "set-dynamic-memory"}, {"value", dynamic}},
      {"Hyper-V\\Set-VMMemory -VM " + vm_by_id(vm) + " -DynamicMemoryEnabled " + ps_bool(dynamic)});
}

Step processor_step(const VmFacts& vm, bool expose) {
  return make(StepKind::SetProcessor,
              expose ? "Turn nested virtualization on" : "Turn nested virtualization off",
              expose ? "exposes the CPU's virtualization extensions to the guest, so Hyper-V can "
                       "run inside it"
                     : "stops exposing the CPU's virtualization extensions to the guest",
              {{"action", "set-processor"}, {"value", expose}},
              {"Hyper-V\\Set-VMProcessor -VM " + vm_by_id(vm) +
               " -ExposeVirtualizationExtensions " + ps_bool(expose)});
}

Step mac_spoofing_step(const VmFacts& vm, const AdapterFacts& adapter, const std::string& value) {
  return make(
      StepKind::SetMacSpoofing,
      "Turn MAC address spoofing " + value + " (adapter " + ps_quote(adapter.name) + ")",
      value == "On" ? "--mac-spoofing: nested VMs' packets carry their own MAC addresses, "
                      "which the L1 VM's adapters must be allowed to send"
                    : "undo: it was Off before",
      {{"action", "set-mac-spoofing"},
       {"value", value},
       {"adapter_id", adapter.id},
       {"adapter_name", adapter.name}},
      {"Hyper-V\\Get-VMNetworkAdapter -VM " + vm_by_id(vm) + " | Where-Object { $_.Id -eq " +
       ps_quote(adapter.id) + " } | Hyper-V\\Set-VMNetworkAdapter -MacAddressSpoofing " + value});
}

Step start_step(const VmFacts& vm, const std::string& why) {
  return make(StepKind::StartVm, "Start the VM again", why, {{"action", "start"}},
              {"Hyper-V\\Start-VM -VM " + vm_by_id(vm),
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
        vm_by_id(vm) + ") and rerun nestvirt " + flag + ".";
  } else if (vm.state == "Saved") {
    f.id = "vm.saved";
    f.title = "VM is saved";
    f.fix = "Start the VM (Hyper-V\\Start-VM -VM " + vm_by_id(vm) +
            "), shut the guest down cleanly, and rerun; "
            "or rerun with --discard-saved-state to throw the saved memory away (what the guest "
            "had not written to disk is lost).";
  } else if (vm.state == "Paused") {
    f.id = "vm.paused";
    f.title = "VM is paused";
    f.fix = "Resume it (Hyper-V\\Resume-VM -VM " + vm_by_id(vm) + "), then rerun with --restart.";
  } else {
    f.id = "vm.state";
    f.title = "VM is changing state";
    f.fix = "Wait until the VM is Running or Off (Hyper-V\\Get-VM -Id " + ps_quote(vm.id) +
            "), then rerun.";
  }
  return f;
}

}  // namespace nestvirt::core::detail
