// `nestvirt check` on the command line.
#include "nestvirt/commands/check.h"
#include "nestvirt/commands/cli_help.h"
#include "nestvirt/commands/credentials.h"
#include "nestvirt/commands/registry.h"
#include "nestvirt/core/exit_codes.h"

namespace nestvirt::commands {

Runner register_check(CLI::App& app, GlobalOptions& global) {
  auto* cmd = app.add_subcommand("check",
                                 "Read the host and VMs and report every prerequisite "
                                 "of nested virtualization. Without --vm: the host, and one "
                                 "line per VM saying whether enable could turn nesting on. "
                                 "Changes nothing.");
  auto request = std::make_shared<CheckRequest>();
  cmd->add_option("--vm", request->vms, "VM to check (repeatable; Hyper-V wildcards such as Lab*)")
      ->type_name("NAME")
      ->allow_extra_args(false);
  auto guest = std::make_shared<bool>(false);
  cmd->add_flag("--guest", *guest,
                "With --vm: also read Hyper-V inside each VM's guest through PowerShell Direct "
                "(edition, role, vmms, launch type). Credentials of a guest administrator from "
                "NESTVIRT_GUEST_USER / NESTVIRT_GUEST_PASSWORD or a prompt");
  set_examples(cmd, {"nestvirt check", "nestvirt check --vm Lab1 --guest",
                     "nestvirt check --vm Lab1 --vm 'Web*' --json"});
  return [cmd, request, guest, &global]() -> int {
    if (!cmd->parsed()) return -1;
    engine::GuestLogin login;
    if (*guest) {
      if (request->vms.empty()) {
        return report_error("check", global, core::kExitUsage, "usage-error",
                            "--guest reads the guests of the VMs named with --vm. Add --vm NAME.",
                            "");
      }
      CredentialLookup lookup =
          resolve_credentials(read_environment, stdin_is_terminal(), ask_on_terminal);
      forget_environment(kGuestPasswordVariable);
      if (!lookup.credentials) {
        return report_error("check", global, core::kExitUsage, "usage-error",
                            "--guest needs an administrator account of the guest: " + lookup.error,
                            "");
      }
      login = {lookup.credentials->user, lookup.credentials->password};
      wipe(lookup.credentials->password);
      request->login = &login;
    }
    struct Wiper {
      std::string& secret;
      ~Wiper() { wipe(secret); }
    } wiper{login.password};
    return run_command("check", global, [&](powershell::ScriptHost& host) {
      CheckResult result = run_check(host, *request);
      return CommandOutput{result.exit_code, check_to_json(result), check_to_text(result), "", ""};
    });
  };
}

}  // namespace nestvirt::commands
