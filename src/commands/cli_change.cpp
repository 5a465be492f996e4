// enable, disable and net-spoof on the command line: one executor, three planners.
#include "nestvirt/commands/cli_help.h"
#include "nestvirt/commands/cli_options.h"
#include "nestvirt/commands/credentials.h"
#include "nestvirt/commands/registry.h"
#include "nestvirt/core/exit_codes.h"
#include "nestvirt/report/progress.h"

namespace nestvirt::commands {

// Runs a per-VM change (enable, disable, net-spoof) and prints its report.
engine::ExecOptions exec_options(const GlobalOptions& global) {
  // One progress line for the whole run, on the process's stderr (a terminal or a log).
  static report::Progress progress(stderr);
  engine::ExecOptions options;
  if (global.io != nullptr && global.io->poll_interval) {
    options.poll_interval = *global.io->poll_interval;
    options.adapter_poll = *global.io->poll_interval;
  }
  options.progress = [](const std::string& who, const std::string& text, bool final) {
    progress.update(who, text, final);
  };
  return options;
}

int run_change_command(const std::string& name, const std::string& what,
                       const ChangeRequest& request, const GlobalOptions& global) {
  const engine::ExecOptions options = exec_options(global);
  return run_command(name, global, [&](powershell::ScriptHost& host) {
    ChangeResult result = run_change(host, request, options);
    return CommandOutput{result.exit_code, change_to_json(result, request.dry_run),
                         change_to_text(result, what, request.dry_run), "", ""};
  });
}

namespace {

// Overwrites the password however the command ends.
struct Wiper {
  std::string& secret;
  ~Wiper() { wipe(secret); }
};

// enable --install-hyperv: credentials first (from the environment, or asked on a terminal;
// a dry run only takes them from the environment and otherwise shows the generic guest steps).
int run_install_hyperv(const std::string& name, ChangeRequest request,
                       const GlobalOptions& global) {
  CredentialLookup lookup = resolve_credentials(
      read_environment, !request.dry_run && stdin_is_terminal(), ask_on_terminal);
  // PowerShell is our child: it must not inherit the password through the environment.
  forget_environment(kGuestPasswordVariable);
  if (!lookup.credentials && !request.dry_run) {
    return report_error(
        name, global, core::kExitUsage, "usage-error",
        "--install-hyperv needs an administrator account of the guest: " + lookup.error, "");
  }
  engine::GuestLogin login;
  Wiper login_wiper{login.password};
  if (lookup.credentials) {
    login = {lookup.credentials->user, lookup.credentials->password};
    wipe(lookup.credentials->password);
    request.login = &login;
  }
  return run_change_command(name, "Hyper-V installed", request, global);
}

}  // namespace

CLI::Option* add_vm_option(CLI::App* cmd, std::vector<std::string>& vms, const char* help) {
  // Never empty: cli.cpp checks every option's value (require_non_empty_values).
  return cmd->add_option("--vm", vms, help)->required()->type_name("NAME");
}

Runner register_spoof(CLI::App& app, GlobalOptions& global) {
  auto* cmd = app.add_subcommand(
      "net-spoof",
      "Turn MAC address spoofing on (or off) for VMs' network adapters, so nested VMs reach the "
      "network through the L1 VM (the first networking option of Microsoft's page).");
  auto request = std::make_shared<ChangeRequest>();
  request->spoof = true;
  add_vm_option(cmd, request->vms, "VM whose adapters to change (repeatable; wildcards allowed)");
  cmd->add_option("--adapter", request->spoof_options.adapter,
                  "Only this network adapter (default: every adapter of the VM)")
      ->type_name("NAME");
  auto off = std::make_shared<bool>(false);
  cmd->add_flag("--off", *off, "Turn MAC address spoofing off instead");
  cmd->add_flag("--dry-run", request->dry_run, "Show the plan and its PowerShell; change nothing");
  set_examples(cmd, {"nestvirt net-spoof --vm Lab1 --dry-run", "nestvirt net-spoof --vm Lab1",
                     "nestvirt net-spoof --vm Lab1 --adapter 'Network Adapter' --off"});
  return [cmd, request, off, &global]() -> int {
    if (!cmd->parsed()) return -1;
    request->spoof_options.on = !*off;
    return run_change_command("net-spoof",
                              *off ? "MAC address spoofing off" : "MAC address spoofing on",
                              *request, global);
  };
}

Runner register_change(CLI::App& app, GlobalOptions& global, core::Action action) {
  const bool enable = action == core::Action::Enable;
  const std::string name = enable ? "enable" : "disable";
  auto* cmd = app.add_subcommand(
      name, enable ? "Turn nested virtualization on for VMs (Set-VMProcessor "
                     "-ExposeVirtualizationExtensions $true), after checking every prerequisite."
                   : "Turn nested virtualization off for VMs.");
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
  if (enable) {
    set_examples(cmd,
                 {"nestvirt enable --vm Lab1 --dry-run", "nestvirt enable --vm Lab1 --restart",
                  "nestvirt enable --vm Lab1 --restart --install-hyperv --guest-timeout 1200"});
  } else {
    set_examples(cmd, {"nestvirt disable --vm Lab1 --dry-run", "nestvirt disable --vm Lab1",
                       "nestvirt disable --vm Lab1 --restart"});
  }
  return [cmd, request, guest_timeout, &global, enable, name]() -> int {
    if (!cmd->parsed()) return -1;
    if (enable && !request->install_hyperv) {
      for (const char* opt : {"--guest-timeout", "--install-source", "--reboot-guest-first"}) {
        if (cmd->count(opt) > 0) {
          return report_error(name, global, core::kExitUsage, "usage-error",
                              std::string(opt) +
                                  " only applies with --install-hyperv. Add "
                                  "--install-hyperv, or drop " +
                                  opt + ".",
                              "");
        }
      }
    }
    if (enable && request->install_hyperv) {
      request->options.start = true;
      request->guest_timeout = std::chrono::seconds(*guest_timeout);
      return run_install_hyperv(name, *request, global);
    }
    if (request->options.force && !request->options.restart) {
      return report_error(name, global, core::kExitUsage, "usage-error",
                          "--force only applies with --restart (it powers off a guest that "
                          "did not shut down in time). Add --restart, or drop --force.",
                          "");
    }
    return run_change_command(
        name, enable ? "nested virtualization enabled" : "nested virtualization disabled", *request,
        global);
  };
}

}  // namespace nestvirt::commands
