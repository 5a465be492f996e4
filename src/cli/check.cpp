// `nestvirt check` on the command line; the flow is commands/check.h.
#include "nestvirt/commands/check.h"
#include "nestvirt/cli/commands.h"

namespace nestvirt::cli {

Runner add_check(CLI::App* cmd, commands::GlobalOptions& global) {
  auto request = std::make_shared<commands::CheckRequest>();
  cmd->add_option("--vm", request->vms, "VM to check (repeatable; Hyper-V wildcards such as Lab*)")
      ->type_name("NAME")
      ->allow_extra_args(false);
  auto guest = std::make_shared<bool>(false);
  cmd->add_flag("--guest", *guest,
                "With --vm: also read Hyper-V inside each VM's guest through PowerShell Direct "
                "(edition, role, vmms, launch type). Credentials of a guest administrator from "
                "NESTVIRT_GUEST_USER / NESTVIRT_GUEST_PASSWORD or a prompt");
  return [cmd, request, guest, &global]() -> int {
    if (!cmd->parsed()) return -1;
    if (*guest && request->vms.empty()) {
      return commands::usage_error(
          "check", global, "--guest reads the guests of the VMs named with --vm. Add --vm NAME.");
    }
    return commands::check_command(*request, *guest, global);
  };
}

}  // namespace nestvirt::cli
