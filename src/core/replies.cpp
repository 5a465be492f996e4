// The decoders of every script reply (replies.h). Field names are the scripts' own
// (src/powershell/scripts/*.ps1).
#include "nestvirt/core/replies.h"

namespace nestvirt::core {

using nlohmann::json;

namespace {

HostFacts host_facts(const Reader& h) {
  HostFacts host;
  if (auto b = h.opt_int("os_build")) host.os_build = static_cast<int>(*b);
  host.os_caption = h.text("os_caption");
  if (auto p = h.opt_int("product_type")) host.product_type = static_cast<int>(*p);
  host.cpu_manufacturer = h.text("cpu_manufacturer");
  host.cpu_name = h.text("cpu_name");
  host.vm_monitor_mode_extensions = h.opt_bool("vm_monitor_mode_extensions");
  host.virtualization_firmware_enabled = h.opt_bool("virtualization_firmware_enabled");
  host.slat = h.opt_bool("slat");
  host.hypervisor_present = h.opt_bool("hypervisor_present");
  host.hyperv_module_present = h.boolean("hyperv_module_present", false);
  host.is_admin = h.opt_bool("is_admin");
  host.is_hyperv_admin = h.opt_bool("is_hyperv_admin");
  host.hyperv_access = h.opt_bool("hyperv_access");
  host.hyperv_access_error = h.text("hyperv_access_error");
  for (const std::string& v : h.strings("supported_versions")) {
    if (auto parsed = Version::parse(v)) host.supported_versions.push_back(*parsed);
  }
  if (auto d = h.text("default_version"); !d.empty()) host.default_version = Version::parse(d);
  return host;
}

VmAdapterState adapter_state(const Reader& a) {
  a.require_object();
  return {a.text("id"), a.text("name"), a.text("switch_name"), a.text("mac_address_spoofing")};
}

VmFacts vm_facts(const Reader& v, const std::string& requested) {
  v.require_object();
  VmFacts vm;
  vm.requested_name = requested;
  vm.exists = true;
  vm.looked_up = true;
  vm.name = v.text("name");
  vm.id = v.text("id");
  if (vm.id.empty()) v.fail("id", "the VM's id");
  vm.state = v.text("state");
  vm.version_text = v.text("version");
  vm.version = Version::parse(vm.version_text);
  if (auto g = v.opt_int("generation")) vm.generation = static_cast<int>(*g);
  vm.processor_count = v.opt_int("processor_count");
  vm.memory_startup_bytes = v.opt_int("memory_startup_bytes");
  vm.dynamic_memory = v.opt_bool("dynamic_memory");
  vm.expose_virtualization_extensions = v.opt_bool("expose_virtualization_extensions");
  vm.name_unique = v.boolean("name_unique", true);
  for (const auto& a : v.list("adapters")) {
    const VmAdapterState s = adapter_state(a);
    vm.adapters.push_back({s.name, s.switch_name, s.mac_address_spoofing, s.id});
  }
  return vm;
}

ProbeError probe_error(const Reader& e) {
  e.require_object();
  return {e.text("probe"), e.text("message"), e.text("fqid")};
}

PsError ps_error(const std::optional<Reader>& e) {
  if (!e) return {};
  return {e->text("message"), e->text("fqid"), e->text("exception")};
}

GuestReadback guest_config(const Reader& r) {
  r.require_object();
  GuestReadback out;
  for (const auto& a : r.list("addresses")) {
    a.require_object();
    const int length = a.integer("prefix_length", 0);
    if (length < 0 || length > 32) a.fail("prefix_length", "an IPv4 prefix length (0 to 32)");
    out.addresses.push_back({a.text("ip"), length, a.text("origin")});
  }
  out.gateways = r.strings("gateways");
  out.dns = r.strings("dns");
  return out;
}

// The guest's answer travels as JSON text: remoting would flatten nested objects.
json inner_json(const Reader& r, const char* key) {
  const std::string text = r.text(key);
  json doc = json::parse(text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) r.fail(key, "the guest's answer as JSON text");
  return doc;
}

}  // namespace

Facts decode_facts(const json& result) {
  Reader reply(result, "facts reply");
  reply.require_object();
  auto host = reply.object("host");
  if (!host) reply.fail("host", "the host object");
  Facts facts;
  facts.host = host_facts(*host);
  for (const auto& e : reply.list("errors")) facts.probe_errors.push_back(probe_error(e));
  const bool checked = reply.boolean("hyperv_checked", false);
  for (const auto& entry : reply.list("vms")) {
    entry.require_object();
    const std::string requested = entry.text("requested");
    const auto matches = entry.list("matches");
    if (matches.empty()) {
      VmFacts missing;
      missing.requested_name = requested;
      missing.looked_up = checked;
      if (auto error = entry.object("error")) missing.lookup_error = error->text("message");
      facts.vms.push_back(std::move(missing));
      continue;
    }
    for (const auto& m : matches) facts.vms.push_back(vm_facts(m, requested));
  }
  if (auto all = reply.object("all_vms")) {
    VmListing listing;
    listing.listed = all->boolean("listed", false);
    if (auto error = all->object("error")) listing.error = error->text("message");
    for (const auto& m : all->list("vms")) {
      VmFacts vm = vm_facts(m, "");
      vm.requested_name = vm.name;  // not asked for by name: each VM answers for itself
      listing.vms.push_back(std::move(vm));
    }
    facts.all_vms = std::move(listing);
  }
  return facts;
}

NetFacts decode_net_facts(const json& result) {
  Reader reply(result, "net_facts reply");
  reply.require_object();
  NetFacts net;
  for (const auto& s : reply.list("switches")) {
    s.require_object();
    net.switches.push_back({s.text("name"), s.text("id"), s.text("switch_type")});
  }
  for (const auto& s : reply.list("all_switches")) {
    s.require_object();
    net.all_switches.push_back({s.text("name"), s.text("id"), s.text("switch_type")});
  }
  for (const auto& n : reply.list("nats")) {
    n.require_object();
    net.nats.push_back({n.text("name"), n.text("internal_prefix")});
  }
  for (const auto& a : reply.list("addresses")) {
    a.require_object();
    const int length = a.integer("prefix_length", 0);
    // Decisions shift by it: a length outside IPv4's 0..32 is no address nestvirt can reason on.
    if (length < 0 || length > 32) a.fail("prefix_length", "an IPv4 prefix length (0 to 32)");
    net.addresses.push_back({a.text("ip"), length, a.text("interface_alias")});
  }
  net.host_adapter = reply.text("host_adapter");
  net.host_adapter_present = reply.boolean("host_adapter_present", false);
  for (const auto& c : reply.list("connected")) {
    c.require_object();
    net.connected.push_back(
        {c.text("vm_name"), c.text("vm_id"), c.text("adapter"), c.text("adapter_id")});
  }
  for (const auto& e : reply.list("errors")) net.errors.push_back(probe_error(e));
  return net;
}

GuestFacts decode_guest_facts(const json& result) {
  Reader reply(result, "guest_read reply");
  reply.require_object();
  GuestFacts facts;
  facts.hyperv_error = ps_error(reply.object("hyperv_error"));
  for (const auto& v : reply.list("vms")) {
    v.require_object();
    GuestVm vm{v.text("name"), v.text("id"), v.text("state"), {}};
    for (const auto& a : v.list("adapters")) vm.adapters.push_back(adapter_state(a));
    facts.matches.push_back(std::move(vm));
  }
  facts.direct_error = ps_error(reply.object("direct_error"));
  if (reply.has("guest")) {
    const json inner = inner_json(reply, "guest");
    Reader guest(inner, "guest_read reply.guest");
    facts.guest_answered = true;
    for (const auto& a : guest.list("adapters")) {
      a.require_object();
      GuestAdapter adapter;
      adapter.name = a.text("name");
      adapter.status = a.text("status");
      adapter.if_index = a.integer("if_index", 0);
      adapter.dhcp = a.boolean("dhcp", false);
      adapter.config = guest_config(a);
      facts.adapters.push_back(std::move(adapter));
    }
  }
  return facts;
}

VmReadback decode_vm_readback(const json& result) {
  Reader r(result, "vm_step reply");
  r.require_object();
  VmReadback out;
  out.state = r.text("state");
  if (out.state.empty()) r.fail("state", "the VM's state");
  out.version = r.text("version");
  out.dynamic_memory = r.opt_bool("dynamic_memory");
  out.expose_virtualization_extensions = r.opt_bool("expose_virtualization_extensions");
  for (const auto& a : r.list("adapters")) out.adapters.push_back(adapter_state(a));
  out.changed = r.strings("changed");
  return out;
}

NetReadback decode_net_readback(const json& result) {
  Reader r(result, "nat_step reply");
  r.require_object();
  if (!r.has("count")) r.fail("count", "how many objects the step left");
  NetReadback out;
  out.count = r.integer("count", 0);
  out.id = r.text("id");
  out.switch_type = r.text("switch_type");
  out.prefix_length = r.integer("prefix_length", 0);
  if (out.prefix_length < 0 || out.prefix_length > 32)
    r.fail("prefix_length", "an IPv4 prefix length (0 to 32)");
  out.prefix = r.text("prefix");
  out.adapter_switch = r.text("adapter_switch");
  out.adapter_present = r.boolean("adapter_present", true);
  out.switch_present = r.boolean("switch_present", true);
  return out;
}

GuestReadback decode_guest_readback(const json& result) {
  Reader r(result, "guest_step reply");
  r.require_object();
  const json inner = inner_json(r, "guest");
  return guest_config(Reader(inner, "guest_step reply.guest"));
}

}  // namespace nestvirt::core
