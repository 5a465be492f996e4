// `nestvirt check` on the command line.
#include "nestvirt/commands/check.h"
#include "nestvirt/commands/cli_help.h"
#include "nestvirt/commands/registry.h"

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
  set_examples(cmd, {"nestvirt check", "nestvirt check --vm Lab1",
                     "nestvirt check --vm Lab1 --vm 'Web*' --json"});
  return [cmd, request, &global]() -> int {
    if (!cmd->parsed()) return -1;
    return run_command("check", global, [&](powershell::ScriptHost& host) {
      CheckResult result = run_check(host, *request);
      return CommandOutput{result.exit_code, check_to_json(result), check_to_text(result), "", ""};
    });
  };
}

}  // namespace nestvirt::commands
