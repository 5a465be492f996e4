// `nestvirt net-nat` on the command line. Input is checked before PowerShell starts.
#include "nestvirt/commands/cli_help.h"
#include "nestvirt/commands/net_nat.h"
#include "nestvirt/commands/registry.h"
#include "nestvirt/core/exit_codes.h"

namespace nestvirt::commands {

Runner register_net_nat(CLI::App& app, GlobalOptions& global) {
  auto* cmd = app.add_subcommand(
      "net-nat",
      "Give nested VMs a network through NAT: an internal switch, a gateway address on its host "
      "adapter and a WinNAT for the prefix (run it where the nested VMs live, i.e. inside the L1 "
      "VM). --remove takes exactly those away again.");
  auto input = std::make_shared<core::NatInput>();
  auto dry_run = std::make_shared<bool>(false);
  // Required, but not through CLI11: `net-nat guest` runs without it, and core's input check
  // lists every problem at once. The help marks it all the same.
  cmd->add_option("--switch", input->switch_name, "Internal switch to create or use")
      ->option_text("NAME REQUIRED");
  cmd->add_option("--prefix", input->prefix, "Internal network, e.g. 192.168.100.0/24")
      ->type_name("PREFIX");
  cmd->add_option("--gateway", input->gateway,
                  "Gateway address on the host adapter (default: the first host address)")
      ->type_name("ADDRESS");
  cmd->add_option("--nat-name", input->nat_name, "Name of the NAT (default: the switch name)")
      ->type_name("NAME");
  cmd->add_option("--connect-vm", input->connect_vms,
                  "Connect this VM's adapters to the switch (repeatable)")
      ->type_name("NAME");
  cmd->add_option("--adapter", input->adapter, "With --connect-vm: only this adapter")
      ->type_name("NAME");
  cmd->add_flag("--remove", input->remove, "Remove that NAT, gateway address and switch");
  cmd->add_flag("--force", input->force, "With --remove: disconnect connected VMs first");
  cmd->add_flag("--dry-run", *dry_run, "Show the plan and its PowerShell; change nothing");
  set_examples(cmd, {"nestvirt net-nat --switch NestedNAT --prefix 192.168.100.0/24 --dry-run",
                     "nestvirt net-nat --switch NestedNAT --prefix 192.168.100.0/24 "
                     "--connect-vm Nested1",
                     "nestvirt net-nat --switch NestedNAT --remove --force"});
  // At most one: `net-nat guest guest` is a typo, not two commands.
  cmd->require_subcommand(0, 1);
  Runner guest = register_net_nat_guest(cmd, global);
  return [cmd, input, dry_run, guest, &global]() -> int {
    if (!cmd->parsed()) return -1;
    if (int code = guest(); code >= 0) return code;
    core::NatInputCheck checked = core::check_nat_input(*input);
    if (!checked.request) {
      std::string message;
      for (const auto& e : checked.errors) message += (message.empty() ? "" : "\n  ") + e;
      return report_error("net-nat", global, core::kExitUsage, "usage-error", message, "");
    }
    const engine::ExecOptions options = exec_options(global);
    return run_command("net-nat", global, [&](powershell::ScriptHost& host) {
      NatResult result = run_net_nat(host, *checked.request, *dry_run, options);
      result.input_warnings = checked.warnings;
      return CommandOutput{result.exit_code, nat_to_json(result, *dry_run),
                           nat_to_text(result, *dry_run), "", ""};
    });
  };
}

}  // namespace nestvirt::commands
