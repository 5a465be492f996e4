#include "nestvirt/core/guest_credentials.h"

namespace nestvirt::core {

CredentialLookup resolve_credentials(const EnvReader& env, bool interactive, const Asker& ask) {
  std::optional<std::string> user = env(kGuestUserVariable);
  std::optional<Secret> password;
  if (auto value = env(kGuestPasswordVariable)) password = Secret::take(*value);
  if (user && user->empty()) user.reset();
  if (user && password) return {GuestLogin{*user, std::move(*password), "environment"}, ""};
  if (!interactive) {
    std::string message =
        "PowerShell Direct needs the credentials of an administrator inside the guest, and no "
        "terminal is there to ask for them: set " +
        std::string(kGuestUserVariable) + " and " + kGuestPasswordVariable;
    if (user || password) {
      message += " (" + std::string(user ? kGuestPasswordVariable : kGuestUserVariable) +
                 " is not set" + (user ? "" : " or empty") + ")";
    }
    return {std::nullopt, message + ". They are never read from the command line."};
  }
  if (!user) {
    user = ask("Guest user (an administrator inside the VM): ", true);
    if (!user || user->empty()) return {std::nullopt, "no guest user name was entered"};
  }
  if (!password) {
    auto typed = ask("Password for " + *user + " (not shown): ", false);
    if (!typed) return {std::nullopt, "no guest password was entered"};
    password = Secret::take(*typed);
  }
  return {GuestLogin{*user, std::move(*password), "prompt"}, ""};
}

}  // namespace nestvirt::core
