// Simulator states for one batch of hostile names: the scenario with some of the names given
// to real VMs and switches, so a lookup can be checked both ways (the VM or switch of that name
// is found, and nothing else is), plus decoy switches named almost like them (a space more, a
// zero-width space or a soft hyphen, the accent composed the other way, the wildcards matched)
// that an exact lookup must never return.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace hostile {

struct BatchState {
  nlohmann::json state;
  std::vector<std::string> vm_names;      // names given to new VMs
  std::vector<std::string> switch_names;  // names given to new switches
  std::size_t decoys = 0;                 // decoy switches added
};

// `base`: a complete simulator state (a scenario). `plant`: how many of `names` get a VM and
// a switch of their own. `batch`: makes ids unique across batches.
BatchState plant_names(const nlohmann::json& base, const std::vector<std::string>& names,
                       std::size_t plant, std::size_t batch);

// Ids of the VMs (or switches) whose name equals `name` ignoring ASCII case: what an exact
// lookup must return.
std::vector<std::string> ids_named(const nlohmann::json& items, const std::string& name);

}  // namespace hostile
