// `nestvirt net-nat guest` on the command line: input and credentials are checked before
// PowerShell starts; --print starts nothing at all.
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

int run_guest(const core::GuestInput& input, const GlobalOptions& global) {
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
        run_net_nat_guest(host, *second.request, net, login, credentials.source, options));
  });
}

}  // namespace

Runner register_net_nat_guest(CLI::App* net_nat, GlobalOptions& global) {
  auto* cmd = net_nat->add_subcommand(
      "guest",
      "Give a nested VM its address in the NAT's network, the gateway and DNS servers, set "
      "inside that VM through PowerShell Direct (it must be running). Credentials of an "
      "administrator in the guest come from NESTVIRT_GUEST_USER / NESTVIRT_GUEST_PASSWORD or a "
      "prompt, never from the command line. --print shows the commands instead.");
  auto input = std::make_shared<core::GuestInput>();
  auto not_empty = [](const std::string& value) {
    return value.empty() ? std::string("the value cannot be empty") : std::string();
  };
  cmd->add_option("--vm", input->vm, "The nested VM (exact name, no wildcards)")
      ->required()
      ->check(not_empty);
  cmd->add_option("--ip", input->ip, "Its address, e.g. 192.168.100.2")->required();
  cmd->add_option("--prefix", input->prefix,
                  "The NAT's network, e.g. 192.168.100.0/24 (default: the host's one NAT)");
  cmd->add_option("--gateway", input->gateway,
                  "Default gateway (default: the NAT host's address in the prefix, else its "
                  "first address)");
  cmd->add_option("--dns", input->dns, "DNS server (repeatable, in order)");
  cmd->add_option("--guest-adapter", input->adapter,
                  "Adapter inside the guest (default: the only one that is Up)")
      ->check(not_empty);
  cmd->add_flag("--print", input->print,
                "Print the commands to run inside the guest; run nothing, change nothing");
  return [cmd, input, &global]() -> int {
    if (!cmd->parsed()) return -1;
    return run_guest(*input, global);
  };
}

}  // namespace nestvirt::commands
