#include "nestvirt/engine/requests.h"

#include <algorithm>

#include "nestvirt/core/replies.h"

namespace nestvirt::engine {

using nlohmann::json;

void wipe_password(json& args) {
  if (args.contains("password") && args["password"].is_string()) {
    auto& secret = args["password"].get_ref<std::string&>();
    std::fill(secret.begin(), secret.end(), '\0');
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

json call_with_password(powershell::ScriptHost& host, std::string_view script, json args) {
  json result;
  try {
    result = call_checked(host, script, args);
  } catch (...) {
    wipe_password(args);
    throw;
  }
  wipe_password(args);
  return result;
}

core::GuestFacts read_guest_facts(powershell::ScriptHost& host, const std::string& vm,
                                  const GuestLogin& login) {
  return core::decode_guest_facts(call_with_password(
      host, "guest_read", {{"vm", vm}, {"user", login.user}, {"password", login.password}}));
}

}  // namespace nestvirt::engine
