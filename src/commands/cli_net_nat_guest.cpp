// `nestvirt net-nat guest` on the command line: input and credentials are checked before
// PowerShell starts; --print starts nothing at all.
#include <iostream>

#include "nestvirt/commands/net_nat_guest.h"
#include "nestvirt/commands/registry.h"
#include "nestvirt/core/exit_codes.h"

namespace nestvirt::commands {

namespace {

const char* const kCommand = "net-nat guest";

int usage_error(const GlobalOptions& global, const std::vector<std::string>& errors) {
  std::string message;
  for (const auto& e : errors) message += (message.empty() ? "" : "\n  ") + e;
  return report_error(kCommand, global, core::kExitUsage, "usage-error", message, "");
}

CommandOutput output_of(const GuestResult& g) {
  return CommandOutput{g.exit_code, guest_to_json(g), guest_to_text(g)};
}

// Bad input found only once the host's NAT was read: a usage error like the others (exit 2),
// thrown past run_with_session, which reports only PowerShell's own failures.
struct LateUsageError {
  std::vector<std::string> errors;
};

// Overwrites the password however the command ends.
struct Wiper {
  std::string& secret;
  ~Wiper() { wipe(secret); }
};

int run_guest(const GuestInput& input, const GlobalOptions& global) {
  const GuestInputCheck first = check_guest_input(input, std::nullopt);
  if (!first.errors.empty()) return usage_error(global, first.errors);
  if (input.print) {  // starts nothing: the session below never launches PowerShell
    return run_with_session(kCommand, global, [&](powershell::Session&) {
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
  try {
    return run_with_session(kCommand, global, [&](powershell::Session& session) {
      std::optional<GuestRequest> request = first.request;
      if (first.needs_host_nat) {
        // Read-only: the host's NATs and addresses, for the prefix and its gateway.
        const powershell::Reply reply = session.call("net_facts", {{"switch", ""}});
        if (!reply.ok) {
          throw std::runtime_error("reading the host's NAT failed: " + reply.error.message);
        }
        GuestInputCheck second =
            check_guest_input(input, host_nat(core::parse_net_facts(reply.result)));
        if (!second.errors.empty()) throw LateUsageError{second.errors};
        request = second.request;
      }
      return output_of(run_net_nat_guest(session, *request, credentials));
    });
  } catch (const LateUsageError& e) {
    return usage_error(global, e.errors);
  }
}

}  // namespace

Runner register_net_nat_guest(CLI::App* net_nat, GlobalOptions& global) {
  auto* cmd = net_nat->add_subcommand(
      "guest",
      "Give a nested VM its address in the NAT's network, the gateway and DNS servers, set "
      "inside that VM through PowerShell Direct (it must be running). Credentials of an "
      "administrator in the guest come from NESTVIRT_GUEST_USER / NESTVIRT_GUEST_PASSWORD or a "
      "prompt, never from the command line. --print shows the commands instead.");
  auto input = std::make_shared<GuestInput>();
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
