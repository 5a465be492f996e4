// `nestvirt net-nat guest`: addressing inside a nested VM (placeholder until implemented).
#include "nestvirt/commands/registry.h"

namespace nestvirt::commands {

Runner register_net_nat_guest(CLI::App* net_nat, GlobalOptions& global) {
  (void)global;
  auto* cmd = net_nat->add_subcommand("guest", "Set a nested VM's address, gateway and DNS");
  return [cmd]() -> int { return cmd->parsed() ? 1 : -1; };
}

}  // namespace nestvirt::commands
