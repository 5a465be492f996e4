// The one table of commands (include/nestvirt/cli/commands.h): what `nestvirt --help` lists,
// each command's summary and examples, and what runs it.
#include "nestvirt/cli/commands.h"

namespace nestvirt::cli {

const std::vector<CommandSpec>& command_table() {
  static const std::vector<CommandSpec> table = {
      {"check",
       "Read the host and VMs and report every prerequisite of nested virtualization. Without "
       "--vm: the host, and one line per VM saying whether enable could turn nesting on. Changes "
       "nothing.",
       {"nestvirt check", "nestvirt check --vm Lab1 --guest",
        "nestvirt check --vm Lab1 --vm 'Web*' --json"},
       add_check},
      {"enable",
       "Turn nested virtualization on for VMs (Set-VMProcessor -ExposeVirtualizationExtensions "
       "$true), after checking every prerequisite.",
       {"nestvirt enable --vm Lab1 --dry-run", "nestvirt enable --vm Lab1 --restart",
        "nestvirt enable --vm Lab1 --restart --install-hyperv --guest-timeout 1200"},
       add_enable},
      {"disable",
       "Turn nested virtualization off for VMs.",
       {"nestvirt disable --vm Lab1 --dry-run", "nestvirt disable --vm Lab1",
        "nestvirt disable --vm Lab1 --restart"},
       add_disable},
      {"net-spoof",
       "Turn MAC address spoofing on (or off) for VMs' network adapters, so nested VMs reach the "
       "network through the L1 VM (the first networking option of Microsoft's page).",
       {"nestvirt net-spoof --vm Lab1 --dry-run", "nestvirt net-spoof --vm Lab1",
        "nestvirt net-spoof --vm Lab1 --adapter 'Network Adapter' --off"},
       add_net_spoof},
      {"net-nat",
       "Give nested VMs a network through NAT: an internal switch, a gateway address on its host "
       "adapter and a WinNAT for the prefix (run it where the nested VMs live, i.e. inside the L1 "
       "VM). --remove takes exactly those away again.",
       {"nestvirt net-nat --switch NestedNAT --prefix 192.168.100.0/24 --dry-run",
        "nestvirt net-nat --switch NestedNAT --prefix 192.168.100.0/24 --connect-vm Nested1",
        "nestvirt net-nat --switch NestedNAT --remove --force"},
       add_net_nat},
      {"net-nat guest",
       "Give a nested VM its address in the NAT's network, the gateway and DNS servers, set "
       "inside that VM through PowerShell Direct (it must be running). Credentials of an "
       "administrator in the guest come from NESTVIRT_GUEST_USER / NESTVIRT_GUEST_PASSWORD or a "
       "prompt, never from the command line. --dry-run reads the guest and shows the plan; "
       "--print shows the commands to run there instead.",
       {"nestvirt net-nat guest --vm Nested1 --ip 192.168.100.2 --dns 1.1.1.1 --dry-run",
        "nestvirt net-nat guest --vm Nested1 --ip 192.168.100.2 --dns 1.1.1.1",
        "nestvirt net-nat guest --vm Nested1 --ip 192.168.100.2 --prefix 192.168.100.0/24 "
        "--print"},
       add_net_nat_guest},
      {"help",
       "Print the help of nestvirt, or of one command (its options and examples).",
       {"nestvirt help", "nestvirt help enable", "nestvirt help net-nat guest"},
       add_help},
  };
  return table;
}

}  // namespace nestvirt::cli
