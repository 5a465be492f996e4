// `nestvirt net-nat guest` on the command line: input and credentials are checked before
// PowerShell starts; --print starts nothing at all.
#include "nestvirt/commands/cli_help.h"
#include "nestvirt/commands/cli_options.h"
#include "nestvirt/commands/credentials.h"
#include "nestvirt/commands/net_nat_guest.h"
#include "nestvirt/commands/registry.h"
#include "nestvirt/core/exit_codes.h"
#include "nestvirt/engine/requests.h"

namespace nestvirt::commands {

namespace {

const char* const kCommand = "net-nat guest";

std::string joined_errors(const std::vector<std::string>& errors) {
  std::string message;
  for (const auto& e : errors) message += (message.empty() ? "" : "\n  ") + e;
  return message;
}

CommandOutput output_of(const GuestResult& g) {
  return CommandOutput{g.exit_code, guest_to_json(g), guest_to_text(g), "", ""};
}

// Overwrites the password however the command ends.
struct Wiper {
  std::string& secret;
  ~Wiper() { wipe(secret); }
};

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

int run_guest(const core::GuestInput& input, bool dry_run, const GlobalOptions& global) {
  if (input.print && dry_run) {
    return report_error(kCommand, global, core::kExitUsage, "usage-error",
                        "--print and --dry-run exclude each other: --print contacts nothing and "
                        "shows a script; --dry-run reads the guest and shows the plan",
                        "");
  }
  const core::GuestInputCheck first = core::check_guest_input(input, std::nullopt);
  if (!first.errors.empty()) {
    return report_error(kCommand, global, core::kExitUsage, "usage-error",
                        joined_errors(first.errors), "");
  }
  if (input.print) {  // starts nothing: the host below is never asked anything
    return run_command(kCommand, global, [&](powershell::ScriptHost&) {
      return output_of(printed_result(*first.request));
    });
  }

  CredentialLookup lookup =
      resolve_credentials(read_environment, stdin_is_terminal(), ask_on_terminal);
  // PowerShell is our child: it must not inherit the password through the environment.
  forget_environment(kGuestPasswordVariable);
  if (!lookup.credentials) {
    return report_error(kCommand, global, core::kExitUsage, "usage-error", lookup.error, "");
  }
  GuestCredentials& credentials = *lookup.credentials;
  Wiper wiper{credentials.password};
  engine::GuestLogin login{credentials.user, credentials.password};
  Wiper login_wiper{login.password};
  const engine::ExecOptions options = exec_options(global);
  return run_command(kCommand, global, [&](powershell::ScriptHost& host) -> CommandOutput {
    // Read-only, before the guest: the host's NATs, addresses and switches, for the prefix
    // and gateway when they were not given, and for the checks that the address can work.
    const core::NetFacts net = engine::read_net_facts(host, "");
    const core::HostNat nat =
        first.needs_host_nat ? core::host_nat(net) : core::host_nat_for(net, first.request->ip);
    core::GuestInputCheck second = core::check_guest_input(input, nat);
    if (!second.errors.empty()) {
      // Bad input found only once the host's NAT was read: a usage error like the others.
      return CommandOutput{core::kExitUsage, nullptr, "", "usage-error",
                           joined_errors(second.errors)};
    }
    return output_of(
        run_net_nat_guest(host, *second.request, net, login, credentials.source, dry_run, options));
  });
}

}  // namespace

Runner register_net_nat_guest(CLI::App* net_nat, GlobalOptions& global) {
  auto* cmd = net_nat->add_subcommand(
      "guest",
      "Give a nested VM its address in the NAT's network, the gateway and DNS servers, set "
      "inside that VM through PowerShell Direct (it must be running). Credentials of an "
      "administrator in the guest come from NESTVIRT_GUEST_USER / NESTVIRT_GUEST_PASSWORD or a "
      "prompt, never from the command line. --dry-run reads the guest and shows the plan; "
      "--print shows the commands to run there instead.");
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
  set_examples(cmd, {"nestvirt net-nat guest --vm Nested1 --ip 192.168.100.2 --dns 1.1.1.1 "
                     "--dry-run",
                     "nestvirt net-nat guest --vm Nested1 --ip 192.168.100.2 --dns 1.1.1.1",
                     "nestvirt net-nat guest --vm Nested1 --ip 192.168.100.2 --prefix "
                     "192.168.100.0/24 --print"});
  return [cmd, net_nat, input, dry_run, &global]() -> int {
    if (!cmd->parsed()) return -1;
    if (const std::string misplaced = misplaced_net_nat_option(*net_nat); !misplaced.empty()) {
      return report_error(kCommand, global, core::kExitUsage, "usage-error", misplaced, "");
    }
    return run_guest(*input, *dry_run, global);
  };
}

}  // namespace nestvirt::commands
