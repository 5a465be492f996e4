// Guest credentials for PowerShell Direct (net-nat guest). They come from NESTVIRT_GUEST_USER /
// NESTVIRT_GUEST_PASSWORD or from a prompt on the terminal (the password without echo), never
// from the command line, where other users of the machine could read them (ps, shell history).
// Nothing here logs or prints a password.
#pragma once

#include <functional>
#include <optional>
#include <string>

namespace nestvirt::commands {

inline constexpr const char* kGuestUserVariable = "NESTVIRT_GUEST_USER";
inline constexpr const char* kGuestPasswordVariable = "NESTVIRT_GUEST_PASSWORD";

struct GuestCredentials {
  std::string user;
  std::string password;
  std::string source;  // "environment" or "prompt": safe to report, unlike the values
};

struct CredentialLookup {
  std::optional<GuestCredentials> credentials;
  std::string error;  // why there are none, naming the two variables
};

// Reads a variable: the value, or nullopt when unset (set but empty is "").
using EnvReader = std::function<std::optional<std::string>(const char* name)>;
// Asks for one line on the terminal (echo off for the password): nullopt at end of input.
using Asker = std::function<std::optional<std::string>(const std::string& prompt, bool echo)>;

// Pure over its inputs. The user must be non-empty; an empty password is accepted (PowerShell
// Direct allows accounts without one). Variables first; what is missing is asked only when
// `interactive` (stdin is a terminal); otherwise the error says which variables to set.
CredentialLookup resolve_credentials(const EnvReader& env, bool interactive, const Asker& ask);

// The real environment, terminal and prompts (prompts go to stderr: stdout may carry JSON).
std::optional<std::string> read_environment(const char* name);
bool stdin_is_terminal();
std::optional<std::string> ask_on_terminal(const std::string& prompt, bool echo);
// Removes a variable from this process's environment, so PowerShell (a child) does not inherit
// the password.
void forget_environment(const char* name);
// Overwrites a secret's bytes before the string is released.
void wipe(std::string& secret);

}  // namespace nestvirt::commands
