#include "unit/fake_hyperv.h"

#include "nestvirt/process/interrupt.h"

#include <algorithm>
#include <stdexcept>

namespace nestvirt::testing {

using nlohmann::json;
using powershell::Reply;
using powershell::SessionError;

std::string to_string(Fault fault) {
  switch (fault) {
    case Fault::None:
      return "none";
    case Fault::Error:
      return "error";
    case Fault::Die:
      return "die";
    case Fault::Hang:
      return "hang";
    case Fault::Null:
      return "null";
    case Fault::WrongType:
      break;
  }
  return "wrong-type";
}

namespace {

json host_base() {
  return {{"os_caption", "Microsoft Windows Server 2022 Datacenter"},
          {"vm_monitor_mode_extensions", false},
          {"virtualization_firmware_enabled", false},
          {"slat", false},
          {"hypervisor_present", true},
          {"hyperv_module_present", true},
          {"is_admin", nullptr},
          {"is_hyperv_admin", nullptr},
          {"hyperv_access", true},
          {"hyperv_access_error", nullptr}};
}

json adapters_json(const std::vector<core::VmAdapterState>& adapters) {
  json out = json::array();
  for (const auto& a : adapters) {
    out.push_back({{"id", a.id},
                   {"name", a.name},
                   {"switch_name", a.switch_name},
                   {"mac_address_spoofing", a.mac_address_spoofing}});
  }
  return out;
}

json guest_json(const core::GuestReadback& g) {
  json addresses = json::array();
  for (const auto& a : g.addresses) {
    addresses.push_back({{"ip", a.ip}, {"prefix_length", a.prefix_length}, {"origin", a.origin}});
  }
  return {{"addresses", addresses}, {"gateways", g.gateways}, {"dns", g.dns}};
}

Reply error_reply(const std::string& message) {
  Reply r;
  r.ok = false;
  r.error.message = message;
  r.error.fully_qualified_error_id = "OperationFailed,Fake";
  return r;
}

// A script's own error: the bootstrap catches it and replies ok=false.
struct ScriptThrow {
  std::string message;
};

// The step kind a change request runs (core::to_string of its StepKind).
std::string kind_of(const std::string& script, const std::string& action) {
  if (script == "vm_step") {
    if (action == "stop" || action == "turn-off") return "stop-vm";
    if (action == "start") return "start-vm";
  }
  if (script == "guest_hyperv") {
    if (action == "install") return "guest-install-hyperv";
    if (action == "set-launch-type") return "guest-set-launch-type";
    if (action == "reboot") return "guest-reboot";
    if (action == "verify") return "guest-verify-hyperv";
  }
  return action;
}

}  // namespace

json intel_server_2022() {
  json h = host_base();
  h["os_build"] = 20348;
  h["product_type"] = 3;
  h["cpu_manufacturer"] = "GenuineIntel";
  h["cpu_name"] = "Intel(R) Xeon(R) Platinum 8490H";
  h["supported_versions"] = {"8.0", "9.0", "9.3", "10.0"};
  h["default_version"] = "10.0";
  return h;
}

json amd_windows11() {
  json h = host_base();
  h["os_caption"] = "Microsoft Windows 11 Pro";
  h["os_build"] = 22631;
  h["product_type"] = 1;
  h["cpu_manufacturer"] = "AuthenticAMD";
  h["cpu_name"] = "AMD Ryzen 9 7950X";
  h["supported_versions"] = {"8.0", "9.0", "9.3", "10.0", "11.0"};
  h["default_version"] = "11.0";
  return h;
}

void FakeHyperV::interrupt_at(int nth, int count) {
  interrupt_at_ = nth;
  interrupts_ = count;
}

void FakeHyperV::inject(Fault fault, int nth, bool after_effect) {
  fault_ = fault;
  fault_at_ = nth;
  after_effect_ = after_effect;
}

FakeVm& FakeHyperV::vm(const std::string& id) {
  for (auto& v : state.vms) {
    if (v.id == id) return v;
  }
  throw ScriptThrow{"Hyper-V was unable to find a virtual machine with id '" + id + "'."};
}

Reply FakeHyperV::call(std::string_view script, const json& args) {
  if (!running_) {
    running_ = true;
    ++launches_;
  }
  const std::string name(script);
  const std::string action = args.value("action", "");
  // Every request that runs a step (the final check of a guest's Hyper-V included); not the
  // polls and reads around them.
  const bool change = (name == "vm_step" && action != "state") ||
                      (name == "nat_step" && action != "adapter-present") || name == "guest_step" ||
                      (name == "guest_hyperv" && action != "read");
  Fault fault = Fault::None;
  if (change) {
    changes.push_back(name + " " + action);
    kinds.push_back(kind_of(name, action));
    if (++change_requests_ == fault_at_) fault = fault_;
    if (change_requests_ == interrupt_at_) {
      for (int i = 0; i < interrupts_; ++i) process::note_interrupt("SIGTERM");
    }
  }
  // Error: the cmdlet fails before it changes anything. The others: before the change, or
  // (after_effect) after it, where only the answer is lost.
  const bool apply = fault == Fault::None || (fault != Fault::Error && after_effect_);
  Reply reply;
  reply.ok = true;
  try {
    if (fault == Fault::Error) throw ScriptThrow{"Injected failure of " + name + " " + action};
    if (name == "facts") {
      reply.result = facts(args);
    } else if (name == "net_facts") {
      reply.result = net_facts(args);
    } else if (name == "guest_read") {
      reply.result = guest_read(args);
    } else if (name == "vm_step") {
      reply.result = vm_step(args, apply);
    } else if (name == "nat_step") {
      reply.result = nat_step(args, apply);
    } else if (name == "guest_step") {
      reply.result = guest_step(args, apply);
    } else if (name == "guest_hyperv") {
      reply.result = guest_hyperv(args, apply);
    } else {
      throw std::logic_error("fake host: no script " + name);
    }
  } catch (const ScriptThrow& e) {
    return error_reply(e.message);
  }
  switch (fault) {
    case Fault::Die:
      running_ = false;
      throw SessionError(SessionError::Kind::Exited, name,
                         "PowerShell exited while answering request '" + name + "'", "");
    case Fault::Hang:
      running_ = false;  // the session ends a PowerShell that does not answer
      throw SessionError(SessionError::Kind::TimedOut, name,
                         "PowerShell did not answer request '" + name + "' within 3 s", "");
    case Fault::Null:
      reply.result = nullptr;
      break;
    case Fault::WrongType:
      reply.result = "OK";
      break;
    case Fault::None:
    case Fault::Error:  // answered as an error above
      break;
  }
  return reply;
}

json FakeHyperV::vm_step(const json& args, bool apply) {
  FakeVm& v = vm(args.value("vm_id", ""));
  const std::string action = args.value("action", "");
  json changed = json::array();
  auto need_off = [&] {
    if (v.state != "Off")
      throw ScriptThrow{
          "The operation cannot be performed while the virtual machine is in its current state."};
  };
  if (action == "stop" || action == "turn-off") {
    if (apply) v.state = "Off";
  } else if (action == "start") {
    if (apply) v.state = "Running";
  } else if (action == "remove-saved-state") {
    if (v.state != "Saved") need_off();
    if (apply) v.state = "Off";
  } else if (action == "update-version") {
    need_off();
    if (apply) v.version = upgrade_to;
  } else if (action == "set-dynamic-memory") {
    need_off();
    if (apply) v.dynamic_memory = args.value("value", false);
  } else if (action == "set-processor") {
    need_off();
    if (apply) v.expose = args.value("value", false);
  } else if (action == "set-mac-spoofing") {
    auto nic = std::find_if(v.adapters.begin(), v.adapters.end(),
                            [&](const auto& a) { return a.id == args.value("adapter_id", ""); });
    if (nic == v.adapters.end()) throw ScriptThrow{"no adapter"};
    const std::string wanted = args.value("value", "On");
    if (nic->mac_address_spoofing != wanted) {
      if (apply) nic->mac_address_spoofing = wanted;
      changed.push_back(nic->id);
    }
  } else if (action != "state") {
    throw ScriptThrow{"nestvirt: unknown step action '" + action + "'"};
  }
  return {{"state", v.state},
          {"version", v.version},
          {"dynamic_memory", v.dynamic_memory},
          {"expose_virtualization_extensions", v.expose},
          {"adapters", adapters_json(v.adapters)},
          {"changed", changed}};
}

json FakeHyperV::nat_step(const json& args, bool apply) {
  const std::string action = args.value("action", "");
  const std::string sw = args.value("switch", "");
  const std::string id = args.value("id", "");
  auto& S = state.switches;
  auto same_switch = [&](const FakeSwitch& s) { return id.empty() ? s.name == sw : s.id == id; };
  auto address = [&](const FakeAddress& a) {
    return a.ip == args.value("ip", "") && a.alias == args.value("alias", "");
  };
  auto nat = [&](const FakeNat& n) { return n.name == args.value("nat", ""); };
  if (action == "adapter-present") {
    const auto n = std::count_if(S.begin(), S.end(), [&](const FakeSwitch& s) {
      return "vEthernet (" + s.name + ")" == args.value("alias", "");
    });
    const bool has_switch = std::any_of(S.begin(), S.end(), [&](const FakeSwitch& s) {
      return s.name == args.value("switch", "");
    });
    return {{"count", n}, {"switch_present", has_switch}};
  }
  if (action == "new-switch") {
    std::string new_id = "new-switch-" + std::to_string(next_id_);
    if (apply) {
      ++next_id_;
      S.push_back({sw, new_id, "Internal"});
    }
    const auto n =
        std::count_if(S.begin(), S.end(), [&](const FakeSwitch& s) { return s.name == sw; });
    return {{"count", n}, {"id", new_id}, {"switch_type", "Internal"}};
  }
  if (action == "remove-switch") {
    if (apply) S.erase(std::remove_if(S.begin(), S.end(), same_switch), S.end());
    return {{"count", std::count_if(S.begin(), S.end(), same_switch)}, {"id", id}};
  }
  auto& A = state.addresses;
  if (action == "new-address") {
    if (std::none_of(A.begin(), A.end(), address)) {
      const std::string alias = args.value("alias", "");
      const bool adapter = std::any_of(S.begin(), S.end(), [&](const FakeSwitch& s) {
        return "vEthernet (" + s.name + ")" == alias;
      });
      if (!adapter) throw ScriptThrow{"Element not found."};
      if (apply) A.push_back({args.value("ip", ""), args.value("prefix_length", 0), alias});
    }
    auto it = std::find_if(A.begin(), A.end(), address);
    return {{"count", std::count_if(A.begin(), A.end(), address)},
            {"prefix_length", it == A.end() ? 0 : it->prefix_length}};
  }
  if (action == "remove-address") {
    if (apply) A.erase(std::remove_if(A.begin(), A.end(), address), A.end());
    return {{"count", std::count_if(A.begin(), A.end(), address)}};
  }
  auto& N = state.nats;
  if (action == "new-nat") {
    if (std::none_of(N.begin(), N.end(), nat) && apply)
      N.push_back({args.value("nat", ""), args.value("prefix", "")});
    auto it = std::find_if(N.begin(), N.end(), nat);
    return {{"count", std::count_if(N.begin(), N.end(), nat)},
            {"prefix", it == N.end() ? "" : it->prefix}};
  }
  if (action == "remove-nat") {
    if (apply) N.erase(std::remove_if(N.begin(), N.end(), nat), N.end());
    return {{"count", std::count_if(N.begin(), N.end(), nat)}};
  }
  if (action == "connect" || action == "disconnect") {
    FakeVm& v = vm(args.value("vm_id", ""));
    for (auto& a : v.adapters) {
      if (a.id != args.value("adapter_id", "")) continue;
      if (!sw.empty() &&
          std::none_of(S.begin(), S.end(), [&](const FakeSwitch& s) { return s.name == sw; }))
        throw ScriptThrow{"nestvirt: no switch named '" + sw + "'"};
      if (apply) a.switch_name = sw;
      return {{"count", 1}, {"adapter_present", true}, {"adapter_switch", a.switch_name}};
    }
    throw ScriptThrow{"nestvirt: the VM has no adapter with that id"};
  }
  throw ScriptThrow{"nestvirt: unknown net-nat action '" + action + "'"};
}

json FakeHyperV::guest_step(const json& args, bool apply) {
  if (args.value("password", "") != "pw") throw ScriptThrow{"The credential is invalid."};
  FakeVm& v = vm(args.value("vm_id", ""));
  core::GuestReadback& g = v.guest;
  const std::string action = args.value("action", "");
  const std::string ip = args.value("ip", "");
  const std::string gateway = args.value("gateway", "");
  auto has_ip = [&] {
    return std::any_of(g.addresses.begin(), g.addresses.end(),
                       [&](const auto& a) { return a.ip == ip; });
  };
  auto drop_gateway = [&] {
    g.gateways.erase(std::remove(g.gateways.begin(), g.gateways.end(), gateway), g.gateways.end());
  };
  if (apply) {
    if (action == "guest-add-address") {
      if (!has_ip()) {
        g.addresses.push_back({ip, args.value("prefix_length", 0), "Manual"});
        if (!gateway.empty()) g.gateways.push_back(gateway);
      }
    } else if (action == "guest-add-gateway") {
      if (std::find(g.gateways.begin(), g.gateways.end(), gateway) == g.gateways.end())
        g.gateways.push_back(gateway);
    } else if (action == "guest-set-dns") {
      g.dns = args.value("dns", std::vector<std::string>{});
    } else if (action == "guest-remove-address") {
      if (!gateway.empty()) drop_gateway();
      g.addresses.erase(std::remove_if(g.addresses.begin(), g.addresses.end(),
                                       [&](const auto& a) { return a.ip == ip; }),
                        g.addresses.end());
    } else if (action == "guest-remove-gateway") {
      drop_gateway();
    } else {
      throw ScriptThrow{"nestvirt: unknown guest action '" + action + "'"};
    }
  }
  return {{"guest", guest_json(g).dump()}};
}

// guest_hyperv.ps1: the host's view (state, heartbeat, KVP), then, through PowerShell Direct,
// the action's result and the guest's Hyper-V as JSON text.
json FakeHyperV::guest_hyperv(const json& args, bool apply) {
  FakeVm& v = vm(args.value("vm_id", ""));
  FakeHyperVGuest& g = v.hyperv;
  const std::string action = args.value("action", "");
  const bool running = v.state == "Running";
  json out = {{"state", v.state},
              {"heartbeat", running ? "OK" : ""},
              {"os_name", g.server ? "Windows Server 2022 Datacenter" : "Windows 11 Pro"},
              {"os_platform", "2"},
              {"direct_error", nullptr},
              {"guest", nullptr}};
  if (!running) return out;
  if (args.value("password", "") != "pw") {
    out["direct_error"] = {{"message", "The credential is invalid."},
                           {"fqid", "InvalidCredential"},
                           {"exception", "PSRemotingTransportException"}};
    return out;
  }
  json answer = {{"error", nullptr}, {"install", nullptr}, {"guest", nullptr}};
  if (action == "install") {
    if (apply) {
      g.feature = g.server ? "InstallPending" : "EnablePending";
      g.launch_type = "Auto";  // the role's install sets it
    }
    answer["install"] = {{"success", true}, {"restart_needed", "Yes"}, {"exit_code", "Success"}};
  } else if (action == "set-launch-type") {
    if (apply) g.launch_type = "Auto";
  } else if (action == "reboot") {
    if (apply) {
      ++g.boots;
      if (g.feature == "InstallPending") g.feature = "Installed";
      if (g.feature == "EnablePending") g.feature = "Enabled";
      const bool installed = g.feature == "Installed" || g.feature == "Enabled";
      g.vmms = installed ? (g.launch_type == "Auto" ? "Running" : "Stopped") : "";
    }
    out["guest"] = answer.dump();  // answered before the guest goes down
    return out;
  } else if (action != "read" && action != "verify") {
    throw ScriptThrow{"nestvirt: unknown guest Hyper-V action '" + action + "'"};
  }
  answer["guest"] = {{"caption", g.server ? "Microsoft Windows Server 2022 Datacenter"
                                          : "Microsoft Windows 11 Pro"},
                     {"product_type", g.server ? 3 : 1},
                     {"sku", g.server ? 8 : 48},
                     {"build", "20348"},
                     {"boot_time", "2026-12-0" + std::to_string(g.boots) + "T06:00:00.0000000Z"},
                     {"feature", g.feature},
                     {"tools", g.server ? json(g.feature == "Installed") : json(nullptr)},
                     {"feature_error", nullptr},
                     {"vmms", g.vmms},
                     {"launch_type", g.launch_type},
                     {"bcd_error", ""},
                     {"pending_cbs", g.feature == "InstallPending" || g.feature == "EnablePending"},
                     {"pending_update", false}};
  out["guest"] = answer.dump();
  return out;
}

json FakeHyperV::facts(const json& args) const {
  json vms = json::array();
  for (const auto& requested : args.value("vms", std::vector<std::string>{})) {
    json matches = json::array();
    for (const auto& v : state.vms) {
      if (v.name != requested) continue;
      matches.push_back({{"name", v.name},
                         {"id", v.id},
                         {"state", v.state},
                         {"version", v.version},
                         {"generation", 2},
                         {"processor_count", 4},
                         {"memory_startup_bytes", 4294967296LL},
                         {"dynamic_memory", v.dynamic_memory},
                         {"expose_virtualization_extensions", v.expose},
                         {"adapters", adapters_json(v.adapters)}});
    }
    vms.push_back({{"requested", requested}, {"matches", matches}});
  }
  return {{"host", host}, {"errors", json::array()}, {"hyperv_checked", true}, {"vms", vms}};
}

json FakeHyperV::net_facts(const json& args) const {
  const std::string sw = args.value("switch", "");
  const std::string alias = "vEthernet (" + sw + ")";
  json switches = json::array(), nats = json::array(), addresses = json::array(),
       connected = json::array(), all_switches = json::array();
  bool present = false;
  for (const auto& s : state.switches) {
    all_switches.push_back({{"name", s.name}, {"id", s.id}, {"switch_type", s.type}});
    if (s.name == sw) switches.push_back({{"name", s.name}, {"id", s.id}, {"switch_type", s.type}});
    present |= "vEthernet (" + s.name + ")" == alias;
  }
  for (const auto& n : state.nats)
    nats.push_back({{"name", n.name}, {"internal_prefix", n.prefix}});
  for (const auto& a : state.addresses) {
    addresses.push_back(
        {{"ip", a.ip}, {"prefix_length", a.prefix_length}, {"interface_alias", a.alias}});
  }
  for (const auto& v : state.vms) {
    for (const auto& a : v.adapters) {
      if (!sw.empty() && a.switch_name == sw) {
        connected.push_back(
            {{"vm_name", v.name}, {"vm_id", v.id}, {"adapter", a.name}, {"adapter_id", a.id}});
      }
    }
  }
  return {{"switches", switches},   {"all_switches", all_switches},
          {"nats", nats},           {"addresses", addresses},
          {"host_adapter", alias},  {"host_adapter_present", present},
          {"connected", connected}, {"errors", json::array()}};
}

json FakeHyperV::guest_read(const json& args) const {
  json vms = json::array();
  const FakeVm* found = nullptr;
  for (const auto& v : state.vms) {
    if (v.name != args.value("vm", "")) continue;
    vms.push_back({{"name", v.name},
                   {"id", v.id},
                   {"state", v.state},
                   {"adapters", adapters_json(v.adapters)}});
    found = &v;
  }
  json out = {
      {"hyperv_error", nullptr}, {"vms", vms}, {"direct_error", nullptr}, {"guest", nullptr}};
  if (vms.size() == 1 && found->state == "Running" && args.value("password", "") != "pw") {
    // As guest_read.ps1 reports a rejected credential: as data.
    out["direct_error"] = {{"message", "The credential is invalid."},
                           {"fqid", "InvalidCredential"}};
  } else if (vms.size() == 1 && found->state == "Running") {
    json adapter = guest_json(found->guest);
    adapter["name"] = "Ethernet";
    adapter["status"] = "Up";
    adapter["if_index"] = 4;
    out["guest"] = json{{"adapters", json::array({adapter})}}.dump();
  }
  return out;
}

}  // namespace nestvirt::testing
