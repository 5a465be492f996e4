// The read-only requests every command starts with, through one PowerShell session: facts of
// the host and VMs, the host's network, and a guest's network through PowerShell Direct. Each
// reply becomes a typed struct (core/replies.h).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "nestvirt/core/facts.h"
#include "nestvirt/core/guest_credentials.h"
#include "nestvirt/core/guest_facts.h"
#include "nestvirt/core/hyperv_guest.h"
#include "nestvirt/core/nat_plan.h"
#include "nestvirt/powershell/session.h"

namespace nestvirt::engine {

// A request whose script reported an error where none was expected (a read-only request):
// PowerShell did not answer usefully, exit 6.
class ScriptFailure : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Runs `script` and returns its result; throws ScriptFailure when the script reported an error,
// SessionError when PowerShell itself failed.
nlohmann::json call_checked(powershell::ScriptHost& host, std::string_view script,
                            const nlohmann::json& args);

// call_checked for a guest request: `args` gains "user" and "password" from `login`, and the
// copy of the password in the request's data is wiped however the call ends.
nlohmann::json call_as_guest(powershell::ScriptHost& host, std::string_view script,
                             nlohmann::json args, const core::GuestLogin& login);

// Adds the login to a request's data for as long as it lives, then takes the password's copy
// back out of the data and wipes it (core::Secret), however the request ended.
class GuestLoginScope {
 public:
  GuestLoginScope(nlohmann::json& args, const core::GuestLogin& login);
  ~GuestLoginScope();
  GuestLoginScope(const GuestLoginScope&) = delete;
  GuestLoginScope& operator=(const GuestLoginScope&) = delete;

 private:
  nlohmann::json& args_;
};

// These throw SessionError (PowerShell failed), ScriptFailure, or core::ReplyError (the answer
// has a shape nestvirt cannot read).
// all_vms: also list every VM on the host (Facts::all_vms), in the same request.
core::Facts read_facts(powershell::ScriptHost& host, const std::vector<std::string>& vms,
                       bool all_vms = false);
core::NetFacts read_net_facts(powershell::ScriptHost& host, const std::string& switch_name);
core::GuestFacts read_guest_facts(powershell::ScriptHost& host, const std::string& vm,
                                  const core::GuestLogin& login);
// guest_hyperv.ps1: `action` "read" (or "verify", the same read as a step), or a guest step's
// "install", "set-launch-type", "reboot" (`args` then says which edition and source).
core::HyperVGuestFacts read_hyperv_guest(powershell::ScriptHost& host, const core::VmRef& vm,
                                         const core::GuestLogin& login,
                                         const std::string& action = "read",
                                         const core::HyperVArgs* args = nullptr);

}  // namespace nestvirt::engine
