// Pushes generated hostile names (hostile_names.h) through nestvirt's real request path, the
// real PowerShell engine and the Hyper-V simulator, in batches: per batch ONE PowerShell
// process (powershell::Session) answers one "facts" request naming every VM of the batch, as
// `nestvirt check` sends it (commands::gather_facts), and one "net_facts" request per switch
// name, as `net-nat` sends it. Then it counts:
//
// - names that ran code: files in the canary folder (each payload names its file after the
//   name's number), and any change to the simulator's state other than its calls log (both
//   requests only read);
// - names matched exactly as typed: the VM name reached the simulator's Get-VM -Name verbatim
//   (its calls log), came back verbatim as the reply's `requested`, and found exactly the VMs
//   of that name when it is no pattern (VM names are Hyper-V wildcard patterns by design; a
//   pattern must still find the VM really named so); the switch name found exactly the
//   switches of that name, never a decoy named almost like it, and its host adapter alias came
//   back as "vEthernet (<name>)".
//
// Run under scripts/with-sim (it supplies NESTVIRT_POWERSHELL and the simulator): its state
// is the base each batch's state is made from. Exit 0 only when nothing ran and everything
// matched. docs/fuzzing.md.
#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <unistd.h>

#include "hostile/hostile_names.h"
#include "hostile/sim_state.h"
#include "nestvirt/core/nat_plan.h"
#include "nestvirt/engine/requests.h"
#include "nestvirt/powershell/session.h"

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

struct Options {
  std::size_t count = 10000;
  std::size_t batch = 250;
  std::size_t plant = 8;  // per batch: names given to real VMs and switches
  // Every name is a VM name; every switch_every-th is also a switch name. A net_facts request
  // costs about ten Get-VM lookups in the simulator, so a quicker run may sample them.
  std::size_t switch_every = 1;
  std::uint64_t seed = 20261128;
  fs::path work;  // batch states and the canary folder; a temporary folder by default
};

struct Tally {
  std::size_t tried = 0;
  std::size_t batches = 0;
  std::set<std::size_t> ran_code;  // name numbers
  std::vector<std::string> state_changes;
  std::size_t exact = 0, vm_verbatim = 0, vm_echoed = 0, switch_tried = 0;
  std::size_t planted_vms = 0, planted_vms_found = 0;
  std::size_t switch_exact = 0, planted_switches = 0, planted_switches_found = 0, decoys = 0;
  std::map<std::size_t, std::vector<std::string>> mismatches;  // name number -> why
};

json read_json(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return json::parse(in);
}

void write_json(const fs::path& path, const json& doc) {
  std::ofstream(path, std::ios::binary) << doc.dump(1, ' ', false, json::error_handler_t::strict);
}

json without_calls(json state) {
  state.erase("calls");
  return state;
}

std::string env_or_empty(const char* name) {
  const char* value = std::getenv(name);
  return value == nullptr ? std::string() : std::string(value);
}

// The canary files, by the name number in their file name "n<i>-<letter>".
std::set<std::size_t> canary_hits(const fs::path& canary) {
  std::set<std::size_t> hits;
  for (const auto& entry : fs::directory_iterator(canary)) {
    const std::string file = entry.path().filename().string();
    hits.insert(file.size() > 1 && file[0] == 'n' ? std::strtoull(file.c_str() + 1, nullptr, 10)
                                                  : static_cast<std::size_t>(-1));
  }
  return hits;
}

// The VM names each Get-VM -Name call of the log received, in order.
std::vector<std::string> get_vm_names(const json& state) {
  std::vector<std::string> out;
  for (const auto& call : state.value("calls", json::array())) {
    if (call.value("type", "") != "cmdlet" || call.value("name", "") != "Get-VM") continue;
    const json& parameters = call.value("parameters", json::object());
    if (!parameters.contains("Name")) continue;
    for (const auto& name : parameters["Name"]) out.push_back(name.get<std::string>());
  }
  return out;
}

void run_batch(const Options& options, const json& base, const std::vector<std::string>& names,
               std::size_t first, std::size_t batch, const fs::path& canary,
               const std::string& executable, Tally& tally) {
  hostile::BatchState planted = hostile::plant_names(base, names, options.plant, batch);
  const fs::path state_path = options.work / ("batch-" + std::to_string(batch) + ".json");
  write_json(state_path, planted.state);
  tally.decoys += planted.decoys;
  auto mismatch = [&](std::size_t i, std::string why) {
    tally.mismatches[first + i].push_back(std::move(why));
  };

  nestvirt::powershell::SessionOptions session_options;
  session_options.executable = executable;
  session_options.timeout = std::chrono::minutes(10);
  session_options.env = {{"NESTVIRT_SIM_STATE", state_path.string()}};
  std::vector<std::optional<nestvirt::core::NetFacts>> nets(names.size());
  nestvirt::core::Facts facts;
  {
    nestvirt::powershell::Session session(session_options);
    facts = nestvirt::engine::read_facts(session, names);
    for (std::size_t i = 0; i < names.size(); ++i) {
      // Names given to real switches are always asked for: they are the two-way check.
      const bool planted_switch =
          std::find(planted.switch_names.begin(), planted.switch_names.end(), names[i]) !=
          planted.switch_names.end();
      if ((first + i) % options.switch_every != 0 && !planted_switch) continue;
      // As run_net_nat asks for it.
      nets[i] = nestvirt::engine::read_net_facts(session, names[i]);
    }
  }  // the PowerShell process ends here: the state file is complete
  const json after = read_json(state_path);
  tally.tried += names.size();
  ++tally.batches;

  for (const std::size_t hit : canary_hits(canary)) tally.ran_code.insert(hit);
  if (without_calls(after) != without_calls(planted.state)) {
    tally.state_changes.push_back("batch " + std::to_string(batch) + " (" + state_path.string() +
                                  ")");
  }

  // VMs: Get-VM -Name received each name as typed, in order.
  const std::vector<std::string> received = get_vm_names(after);
  std::size_t next = 0;
  std::vector<bool> verbatim(names.size(), false);
  for (const auto& got : received) {
    if (next < names.size() && got == names[next]) verbatim[next++] = true;
  }
  // The reply: for each name, in order, its matches (or one entry saying it has none).
  std::map<std::string, std::vector<std::string>> found;  // requested -> ids
  std::vector<std::string> order;
  for (const auto& vm : facts.vms) {
    if (order.empty() || order.back() != vm.requested_name) order.push_back(vm.requested_name);
    auto& ids = found[vm.requested_name];
    if (vm.exists) ids.push_back(vm.id);
  }
  const std::set<std::string> planted_vm_names(planted.vm_names.begin(), planted.vm_names.end());
  const std::set<std::string> planted_switch_names(planted.switch_names.begin(),
                                                   planted.switch_names.end());
  for (std::size_t i = 0; i < names.size(); ++i) {
    const std::string& name = names[i];
    bool exact = true;
    if (verbatim[i]) {
      ++tally.vm_verbatim;
    } else {
      exact = false;
      mismatch(i, "did not reach Get-VM -Name as typed");
    }
    if (i < order.size() && order[i] == name) {
      ++tally.vm_echoed;
    } else {
      exact = false;
      mismatch(i, "the facts reply does not answer it as typed, in order");
    }
    const std::vector<std::string> expected = hostile::ids_named(after["vms"], name);
    std::vector<std::string> got = found.count(name) ? found[name] : std::vector<std::string>{};
    const std::multiset<std::string> got_set(got.begin(), got.end());
    bool vm_ok = true;
    if (hostile::has_pattern_characters(name)) {
      for (const auto& id : expected) vm_ok &= got_set.count(id) == 1;  // found, once
    } else {
      vm_ok = got_set == std::multiset<std::string>(expected.begin(), expected.end());
    }
    if (planted_vm_names.count(name)) {
      ++tally.planted_vms;
      if (vm_ok) ++tally.planted_vms_found;
    }
    if (!vm_ok) {
      exact = false;
      mismatch(i, "VM lookup found " + std::to_string(got.size()) + " VMs, expected the " +
                      std::to_string(expected.size()) + " named exactly so" +
                      (hostile::has_pattern_characters(name) ? " (among the pattern's)" : ""));
    }

    if (!nets[i]) {
      if (exact) ++tally.exact;
      continue;
    }
    // Switches: exactly those of that name, and the alias as typed.
    ++tally.switch_tried;
    const auto& net = *nets[i];
    const std::vector<std::string> wanted = hostile::ids_named(after["switches"], name);
    std::multiset<std::string> switch_ids;
    for (const auto& s : net.switches) switch_ids.insert(s.id);
    const bool switch_ok = switch_ids == std::multiset<std::string>(wanted.begin(), wanted.end()) &&
                           net.host_adapter == "vEthernet (" + name + ")";
    if (planted_switch_names.count(name)) {
      ++tally.planted_switches;
      if (switch_ok) ++tally.planted_switches_found;
    }
    if (switch_ok) {
      ++tally.switch_exact;
    } else {
      exact = false;
      mismatch(i, "switch lookup returned " + std::to_string(switch_ids.size()) +
                      " switches, expected the " + std::to_string(wanted.size()) +
                      " named exactly so, or the adapter alias changed");
    }
    if (exact) ++tally.exact;
  }
}

Options parse_options(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) throw std::invalid_argument(arg + " needs a value");
      return argv[++i];
    };
    if (arg == "--count") {
      options.count = std::stoull(value());
    } else if (arg == "--batch") {
      options.batch = std::stoull(value());
    } else if (arg == "--plant") {
      options.plant = std::stoull(value());
    } else if (arg == "--switch-every") {
      options.switch_every = std::stoull(value());
    } else if (arg == "--seed") {
      options.seed = std::stoull(value());
    } else if (arg == "--work") {
      options.work = value();
    } else {
      throw std::invalid_argument(
          "unknown option " + arg +
          " (--count N --batch N --plant N --switch-every N --seed N --work DIR)");
    }
  }
  if (options.batch == 0 || options.switch_every == 0) {
    throw std::invalid_argument("--batch and --switch-every must be at least 1");
  }
  return options;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  try {
    options = parse_options(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "hostile names: " << e.what() << "\n";
    return 2;
  }
  const std::string executable = env_or_empty("NESTVIRT_POWERSHELL");
  const std::string base_path = env_or_empty("NESTVIRT_SIM_STATE");
  if (executable.empty() || base_path.empty()) {
    std::cerr << "hostile names: run under scripts/with-sim SCENARIO -- ...\n";
    return 2;
  }
  const bool own_work = options.work.empty();
  if (own_work) {
    options.work = fs::temp_directory_path() /
                   ("nestvirt-hostile-" +
                    std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()));
  }
  const fs::path canary = options.work / "canary";
  fs::create_directories(canary);

  const auto start = std::chrono::steady_clock::now();
  const json base = read_json(base_path);
  const std::vector<std::string> names =
      hostile::generate_names(options.seed, options.count, canary.string());
  Tally tally;
  try {
    for (std::size_t first = 0, batch = 0; first < names.size(); first += options.batch, ++batch) {
      const std::vector<std::string> slice(
          names.begin() + static_cast<std::ptrdiff_t>(first),
          names.begin() +
              static_cast<std::ptrdiff_t>(std::min(names.size(), first + options.batch)));
      run_batch(options, base, slice, first, batch, canary, executable, tally);
      if (isatty(2)) std::cerr << "hostile names: " << tally.tried << "/" << names.size() << "\r";
    }
  } catch (const std::exception& e) {
    std::cerr << "\nhostile names: the run failed: " << e.what() << "\n";
    return 1;
  }
  const auto seconds =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - start)
          .count();

  std::cout << "hostile names: " << tally.tried << " tried (" << tally.tried << " as VM names, "
            << tally.switch_tried << " also as switch names) in " << tally.batches
            << " PowerShell processes, " << seconds << " s, seed " << options.seed << "\n";
  std::cout << "hostile names: " << tally.ran_code.size()
            << " ran code (canary files: " << canary_hits(canary).size()
            << "; reads that changed the state: " << tally.state_changes.size() << ")\n";
  std::cout << "hostile names: " << tally.exact << " matched exactly as typed (Get-VM -Name "
            << tally.vm_verbatim << ", echoed " << tally.vm_echoed << ", planted VMs found "
            << tally.planted_vms_found << "/" << tally.planted_vms << "; switches exact "
            << tally.switch_exact << ", planted switches found " << tally.planted_switches_found
            << "/" << tally.planted_switches << ", decoys " << tally.decoys << " never returned)\n";
  for (const std::size_t i : tally.ran_code) {
    std::cout << "  RAN CODE: #" << i << " "
              << (i < names.size() ? hostile::shown(names[i]) : std::string("?")) << "\n";
  }
  for (const auto& change : tally.state_changes) std::cout << "  STATE CHANGED: " << change << "\n";
  std::size_t listed = 0;
  for (const auto& [i, why] : tally.mismatches) {
    if (++listed > 50) {
      std::cout << "  ... and " << tally.mismatches.size() - 50 << " more\n";
      break;
    }
    std::cout << "  NOT MATCHED: #" << i << " " << hostile::shown(names[i]) << ": ";
    for (std::size_t k = 0; k < why.size(); ++k) std::cout << (k ? "; " : "") << why[k];
    std::cout << "\n";
  }
  const bool clean = tally.ran_code.empty() && tally.state_changes.empty() &&
                     tally.mismatches.empty() && tally.tried == names.size();
  if (own_work && clean) fs::remove_all(options.work);
  if (!clean) std::cout << "hostile names: evidence kept in " << options.work.string() << "\n";
  return clean ? 0 : 1;
}
