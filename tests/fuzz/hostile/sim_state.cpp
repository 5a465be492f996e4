#include "hostile/sim_state.h"

#include <algorithm>
#include <cstdio>

#include "hostile/hostile_names.h"

namespace hostile {
namespace {

using nlohmann::json;

// A well-formed GUID made of a kind, the batch and a counter.
std::string make_id(unsigned kind, std::size_t batch, std::size_t n) {
  char text[40];
  std::snprintf(text, sizeof text, "f0220000-%04x-4%03zx-8000-%012zx", kind, batch % 0x1000, n);
  return text;
}

void replace_all(std::string& text, const std::string& from, const std::string& to) {
  for (std::size_t at = text.find(from); at != std::string::npos;
       at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
}

// Names an exact comparison must tell apart from `name`.
std::vector<std::string> decoys_of(const std::string& name) {
  std::vector<std::string> out = {name + " ", " " + name, "\xE2\x80\x8B" + name, name + "\xC2\xAD"};
  std::string other = name;
  replace_all(other, "\xC3\xA9", "e\xCC\x81");  // é composed -> decomposed
  if (other == name) replace_all(other, "e\xCC\x81", "\xC3\xA9");
  if (other != name) out.push_back(other);
  // What the name matches as a pattern: * as nothing, ? as one letter.
  std::string matched = name;
  replace_all(matched, "*", "");
  replace_all(matched, "?", "Q");
  if (matched != name && !matched.empty()) out.push_back(matched);
  return out;
}

json new_switch(const std::string& name, const std::string& id) {
  return {{"name", name},
          {"id", id},
          {"type", "Internal"},
          {"allow_management_os", true},
          {"notes", "hostile-names"}};
}

}  // namespace

BatchState plant_names(const json& base, const std::vector<std::string>& names, std::size_t plant,
                       std::size_t batch) {
  BatchState out;
  out.state = base;
  out.state["calls"] = json::array();
  const json& vms = base.at("vms");
  const json template_vm = vms.empty() ? json::object() : vms.at(0);
  std::size_t n = 0;
  // Spread over the batch, so long names and every kind of piece get their turn.
  const std::size_t step =
      plant == 0 ? names.size() : std::max<std::size_t>(1, names.size() / plant);
  for (std::size_t i = 0; i < names.size() && out.vm_names.size() < plant; i += step) {
    const std::string& name = names[i];
    json vm = template_vm;
    vm["name"] = name;
    vm["id"] = make_id(1, batch, ++n);
    vm["state"] = "Off";
    vm.erase("guest");
    if (vm.contains("network_adapters")) {
      for (auto& nic : vm["network_adapters"]) {
        nic["id"] = make_id(2, batch, ++n);
        char mac[16];
        std::snprintf(mac, sizeof mac, "00155DF%05zX", (batch * 4096 + n) % 0x100000);
        nic["mac"] = mac;
      }
    }
    out.state["vms"].push_back(std::move(vm));
    out.vm_names.push_back(name);

    out.state["switches"].push_back(new_switch(name, make_id(3, batch, ++n)));
    out.switch_names.push_back(name);
    for (const auto& decoy : decoys_of(name)) {
      out.state["switches"].push_back(new_switch(decoy, make_id(4, batch, ++n)));
      ++out.decoys;
    }
  }
  return out;
}

std::vector<std::string> ids_named(const json& items, const std::string& name) {
  std::vector<std::string> ids;
  const std::string folded = fold_case(name);
  for (const auto& item : items) {
    if (fold_case(item.value("name", "")) == folded) ids.push_back(item.value("id", ""));
  }
  return ids;
}

}  // namespace hostile
