#include "nestvirt/engine/requests.h"

#include "nestvirt/core/replies.h"

namespace nestvirt::engine {

using nlohmann::json;

GuestLoginScope::GuestLoginScope(json& args, const core::GuestLogin& login) : args_(args) {
  args_["user"] = login.user;
  args_["password"] = login.password.reveal();
}

GuestLoginScope::~GuestLoginScope() {
  if (auto it = args_.find("password"); it != args_.end() && it->is_string()) {
    core::Secret::take(it->get_ref<std::string&>());  // wiped as the temporary goes
  }
}

json call_checked(powershell::ScriptHost& host, std::string_view script, const json& args) {
  powershell::Reply reply = host.call(script, args);
  if (!reply.ok) {
    std::string error = reply.error.message;
    if (!reply.error.fully_qualified_error_id.empty())
      error += " [" + reply.error.fully_qualified_error_id + "]";
    throw ScriptFailure("PowerShell request '" + std::string(script) + "' failed: " + error);
  }
  return reply.result;
}

core::Facts read_facts(powershell::ScriptHost& host, const std::vector<std::string>& vms,
                       bool all_vms) {
  json args = {{"vms", vms}};
  if (all_vms) args["all"] = true;
  return core::decode_facts(call_checked(host, "facts", args));
}

core::NetFacts read_net_facts(powershell::ScriptHost& host, const std::string& switch_name) {
  return core::decode_net_facts(call_checked(host, "net_facts", {{"switch", switch_name}}));
}

json call_as_guest(powershell::ScriptHost& host, std::string_view script, json args,
                   const core::GuestLogin& login) {
  const GuestLoginScope scope(args, login);
  return call_checked(host, script, args);
}

core::GuestFacts read_guest_facts(powershell::ScriptHost& host, const std::string& vm,
                                  const core::GuestLogin& login) {
  return core::decode_guest_facts(call_as_guest(host, "guest_read", {{"vm", vm}}, login));
}

core::HyperVGuestFacts read_hyperv_guest(powershell::ScriptHost& host, const core::VmRef& vm,
                                         const core::GuestLogin& login, const std::string& action,
                                         const core::HyperVArgs* args) {
  return core::decode_hyperv_guest(
      call_as_guest(host, "guest_hyperv",
                    {{"action", action},
                     {"vm_id", vm.id},
                     {"server", args != nullptr && args->server},
                     {"source", args != nullptr ? args->source : std::string()}},
                    login));
}

}  // namespace nestvirt::engine
