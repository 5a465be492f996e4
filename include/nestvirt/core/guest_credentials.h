// Credentials of an administrator inside a guest, for PowerShell Direct (net-nat guest, enable
// --install-hyperv, check --guest). They come from NESTVIRT_GUEST_USER / NESTVIRT_GUEST_PASSWORD
// or from a prompt on the terminal (the password without echo), never from the command line,
// where other users of the machine could read them (ps, shell history). Pure over its inputs;
// the environment and the terminal are process/'s. Nothing here logs or prints a password.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "nestvirt/core/secret.h"

namespace nestvirt::core {

inline constexpr const char* kGuestUserVariable = "NESTVIRT_GUEST_USER";
inline constexpr const char* kGuestPasswordVariable = "NESTVIRT_GUEST_PASSWORD";

// An account inside a guest. Travels to PowerShell only inside a request's data, never on a
// command line.
struct GuestLogin {
  std::string user;
  Secret password;
  std::string source;  // "environment" or "prompt": safe to report, unlike the values
};

struct CredentialLookup {
  std::optional<GuestLogin> credentials;
  std::string error;  // why there are none, naming the two variables
};

// Reads a variable: the value, or nullopt when unset (set but empty is "").
using EnvReader = std::function<std::optional<std::string>(const char* name)>;
// Asks for one line on the terminal (echo off for the password): nullopt at end of input.
using Asker = std::function<std::optional<std::string>(const std::string& prompt, bool echo)>;

// The user must be non-empty; an empty password is accepted (PowerShell Direct allows accounts
// without one). Variables first; what is missing is asked only when `interactive` (stdin is a
// terminal); otherwise the error says which variables to set.
CredentialLookup resolve_credentials(const EnvReader& env, bool interactive, const Asker& ask);

}  // namespace nestvirt::core
