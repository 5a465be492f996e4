// `nestvirt net-nat guest` on the command line; the flow (input and credentials checked before
// PowerShell starts, --print starting nothing at all) is commands/net_nat_guest.h.
#include "nestvirt/commands/net_nat_guest.h"
#include "nestvirt/cli/commands.h"
#include "nestvirt/cli/options.h"

namespace nestvirt::cli {

namespace {

// net-nat's own options given before `guest` (`net-nat --remove guest ...`): they mean nothing
// here, and taking them silently would do something other than asked.
std::string misplaced_net_nat_option(const CLI::App& net_nat) {
  for (const CLI::Option* opt : net_nat.get_options()) {
    if (!is_global_option(opt) && opt != net_nat.get_help_ptr() && opt->count() > 0) {
      return "'" + opt->get_name() + "' is an option of 'net-nat', not of 'net-nat guest'";
    }
  }
  return "";
}

}  // namespace

Runner add_net_nat_guest(CLI::App* cmd, commands::GlobalOptions& global) {
  auto input = std::make_shared<core::GuestInput>();
  auto dry_run = std::make_shared<bool>(false);
  // Never empty: cli.cpp checks every option's value (require_non_empty_values).
  cmd->add_option("--vm", input->vm, "The nested VM (exact name, no wildcards)")
      ->required()
      ->type_name("NAME");
  cmd->add_option("--ip", input->ip, "Its address, e.g. 192.168.100.2")
      ->required()
      ->type_name("ADDRESS");
  cmd->add_option("--prefix", input->prefix,
                  "The NAT's network, e.g. 192.168.100.0/24 (default: the host's one NAT)")
      ->type_name("PREFIX");
  cmd->add_option("--gateway", input->gateway,
                  "Default gateway (default: the NAT host's address in the prefix, else its "
                  "first address)")
      ->type_name("ADDRESS");
  cmd->add_option("--dns", input->dns, "DNS server (repeatable, in order)")->type_name("ADDRESS");
  cmd->add_option("--guest-adapter", input->adapter,
                  "Adapter inside the guest (default: the only one that is Up)")
      ->type_name("NAME");
  cmd->add_flag("--dry-run", *dry_run,
                "Read the VM and the guest (credentials needed), show the plan and the exact "
                "commands of each step; change nothing");
  cmd->add_flag("--print", input->print,
                "Print the commands to run inside the guest; contact nothing, change nothing");
  return [cmd, input, dry_run, &global]() -> int {
    if (!cmd->parsed()) return -1;
    if (const std::string misplaced = misplaced_net_nat_option(*cmd->get_parent());
        !misplaced.empty()) {
      return commands::usage_error("net-nat guest", global, misplaced);
    }
    return commands::net_nat_guest_command(*input, *dry_run, global);
  };
}

}  // namespace nestvirt::cli
