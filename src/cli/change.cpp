// enable, disable and net-spoof on the command line: their options and the usage checks that
// need no PowerShell; the flow is commands/change.h.
#include "nestvirt/commands/change.h"
#include "nestvirt/cli/commands.h"
#include "nestvirt/cli/options.h"

namespace nestvirt::cli {

using commands::ChangeRequest;
using commands::GlobalOptions;

CLI::Option* add_vm_option(CLI::App* cmd, std::vector<std::string>& vms, const char* help) {
  // Never empty: cli.cpp checks every option's value (require_non_empty_values).
  return cmd->add_option("--vm", vms, help)->required()->type_name("NAME");
}

Runner add_net_spoof(CLI::App* cmd, GlobalOptions& global) {
  auto request = std::make_shared<ChangeRequest>();
  request->spoof = true;
  add_vm_option(cmd, request->vms, "VM whose adapters to change (repeatable; wildcards allowed)");
  cmd->add_option("--adapter", request->spoof_options.adapter,
                  "Only this network adapter (default: every adapter of the VM)")
      ->type_name("NAME");
  auto off = std::make_shared<bool>(false);
  cmd->add_flag("--off", *off, "Turn MAC address spoofing off instead");
  cmd->add_flag("--dry-run", request->dry_run, "Show the plan and its PowerShell; change nothing");
  return [cmd, request, off, &global]() -> int {
    if (!cmd->parsed()) return -1;
    request->spoof_options.on = !*off;
    return commands::change_command("net-spoof",
                                    *off ? "MAC address spoofing off" : "MAC address spoofing on",
                                    *request, global);
  };
}

namespace {

Runner add_change(CLI::App* cmd, GlobalOptions& global, core::Action action) {
  const bool enable = action == core::Action::Enable;
  const std::string name = enable ? "enable" : "disable";
  auto request = std::make_shared<ChangeRequest>();
  request->options.action = action;
  auto& o = request->options;
  auto guest_timeout = std::make_shared<int>(900);
  add_vm_option(cmd, request->vms, "VM to change (repeatable; Hyper-V wildcards such as Lab*)");
  cmd->add_flag("--restart", o.restart,
                "A running VM: shut the guest down, change it, start it again");
  cmd->add_flag("--force", o.force,
                "With --restart: power the VM off if the guest has not shut down in time");
  cmd->add_option("--shutdown-timeout", o.shutdown_timeout_seconds,
                  "Seconds to wait for the guest to shut down")
      ->type_name("SECONDS")
      ->check(whole_number(1, 86400))
      ->capture_default_str();
  cmd->add_flag("--discard-saved-state", o.discard_saved_state,
                "A saved VM: throw its saved state away (the guest's unsaved work is lost)");
  if (enable) {
    cmd->add_flag("--disable-dynamic-memory", o.disable_dynamic_memory,
                  "Turn dynamic memory off as part of the change");
    cmd->add_flag("--upgrade-version", o.upgrade_version,
                  "Upgrade a too-old configuration version (Update-VMVersion; irreversible)");
    cmd->add_flag("--mac-spoofing", o.mac_spoofing,
                  "Also turn MAC address spoofing on for the VM's network adapters");
    cmd->add_flag("--install-hyperv", request->install_hyperv,
                  "Then install Hyper-V inside the guest (the VM is started), restart it as "
                  "needed and prove Hyper-V runs there. Guest administrator credentials from "
                  "NESTVIRT_GUEST_USER / NESTVIRT_GUEST_PASSWORD or a prompt");
    cmd->add_option("--guest-timeout", *guest_timeout,
                    "With --install-hyperv: seconds to wait for the guest to boot or come back "
                    "from each restart")
        ->type_name("SECONDS")
        ->check(whole_number(1, 86400))
        ->capture_default_str();
    cmd->add_option("--install-source", request->install_source,
                    "With --install-hyperv: where the guest finds Hyper-V's files when its image "
                    "lacks them (Install-WindowsFeature -Source), e.g. 'D:\\sources\\sxs'")
        ->type_name("PATH");
    cmd->add_flag("--reboot-guest-first", request->reboot_guest_first,
                  "With --install-hyperv: restart a guest that already has a reboot pending "
                  "(e.g. from updates) before installing");
  }
  cmd->add_flag("--dry-run", request->dry_run,
                "Show the plan and the exact PowerShell of each step; change nothing");
  return [cmd, request, guest_timeout, &global, enable, name]() -> int {
    if (!cmd->parsed()) return -1;
    if (enable && !request->install_hyperv) {
      for (const char* opt : {"--guest-timeout", "--install-source", "--reboot-guest-first"}) {
        if (cmd->count(opt) > 0) {
          return commands::usage_error(name, global,
                                       std::string(opt) +
                                           " only applies with --install-hyperv. Add "
                                           "--install-hyperv, or drop " +
                                           opt + ".");
        }
      }
    }
    if (enable && request->install_hyperv) {
      request->options.start = true;
      request->guest_timeout = std::chrono::seconds(*guest_timeout);
      return commands::change_command(name, "Hyper-V installed", *request, global);
    }
    if (request->options.force && !request->options.restart) {
      return commands::usage_error(name, global,
                                   "--force only applies with --restart (it powers off a guest "
                                   "that did not shut down in time). Add --restart, or drop "
                                   "--force.");
    }
    return commands::change_command(
        name, enable ? "nested virtualization enabled" : "nested virtualization disabled", *request,
        global);
  };
}

}  // namespace

Runner add_enable(CLI::App* cmd, GlobalOptions& global) {
  return add_change(cmd, global, core::Action::Enable);
}

Runner add_disable(CLI::App* cmd, GlobalOptions& global) {
  return add_change(cmd, global, core::Action::Disable);
}

}  // namespace nestvirt::cli
