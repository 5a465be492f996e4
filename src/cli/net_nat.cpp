// `nestvirt net-nat` on the command line; the flow (the input checked before PowerShell starts)
// is commands/net_nat.h.
#include "nestvirt/commands/net_nat.h"
#include "nestvirt/cli/commands.h"

namespace nestvirt::cli {

Runner add_net_nat(CLI::App* cmd, commands::GlobalOptions& global) {
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
  // At most one: `net-nat guest guest` is a typo, not two commands.
  cmd->require_subcommand(0, 1);
  return [cmd, input, dry_run, &global]() -> int {
    // `net-nat guest` is a command of its own, with its own row in the table.
    if (!cmd->parsed() || !cmd->get_subcommands().empty()) return -1;
    return commands::net_nat_command(*input, *dry_run, global);
  };
}

}  // namespace nestvirt::cli
