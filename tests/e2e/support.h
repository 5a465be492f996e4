// Runs build/nestvirt through the real process runner against the Hyper-V simulator
// (scripts/with-sim), and reads the simulator's state file afterwards.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "nestvirt/process/child.h"

namespace e2e {

std::filesystem::path source_dir();
std::filesystem::path engine();  // build/pwsh-host/pwsh-host

// A temp folder removed at scope exit.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

struct Run {
  nestvirt::process::RunResult result;
  nlohmann::json state_before;  // the scenario as copied
  nlohmann::json state_after;   // the state file after the command
  int exit_code() const { return result.status.code; }
  nlohmann::json json() const;  // stdout parsed; fails the test if it is not JSON
  // Entries of the calls log of one type ("launch", "cmdlet").
  std::vector<nlohmann::json> calls(const std::string& type) const;
  std::vector<nlohmann::json> cmdlet_calls(const std::string& name) const;
};

// scripts/with-sim --state <tmp> SCENARIO -- build/nestvirt ARGS...
Run run_nestvirt(const std::string& scenario, const std::vector<std::string>& args,
                 const std::vector<std::pair<std::string, std::string>>& env = {});

// The same with a state document instead of a named scenario (a scenario read with
// scenario(), then changed by the test: a fault added, a VM's state set).
Run run_nestvirt_state(const nlohmann::json& state, const std::vector<std::string>& args,
                       const std::vector<std::pair<std::string, std::string>>& env = {});
nlohmann::json scenario(const std::string& name);
// The l1-guest scenario with its nested VM Lab1 running on an internal switch VmNAT.
nlohmann::json l1_running();
// The VM of that name in a state document.
nlohmann::json& vm_in(nlohmann::json& state, const std::string& name);
const nlohmann::json& vm_in(const nlohmann::json& state, const std::string& name);
// Names of the cmdlets called, in order, that are not readers (Get-*).
std::vector<std::string> change_cmdlets(const Run& run);

// Adds the host side of a NAT as net-nat makes it: the internal switch, its host adapter
// "vEthernet (<switch>)" with the gateway (/24), and the NAT for the gateway's /24. net-nat
// guest checks that the nested VM is on that switch before it changes the guest.
void add_host_nat(nlohmann::json& state, const std::string& switch_name = "NestedNAT",
                  const std::string& nat_name = "NestedNAT",
                  const std::string& gateway = "192.168.100.1");

// Keeps `out` when it is a nestvirt --json document, for the json-schema CTest entry, which
// validates every kept document against docs/schema/nestvirt-output.schema.json in one
// PowerShell (Test-Json). The run_nestvirt* helpers keep theirs; tests that start nestvirt
// themselves call it. Safe from several threads.
void keep_json_document(const std::string& out);

nlohmann::json read_json_file(const std::filesystem::path& path);
// Keeps a --json document for the json-schema CTest entry (non-JSON output is ignored).
void keep_json_document(const std::string& out);
// The state without its calls log: what a read-only command must leave unchanged.
nlohmann::json without_calls(nlohmann::json state);
// A run's end state as the start of the next run, with an empty calls log. Host adapters made
// in that run lose their appearance lag: it counts calls of the old log (docs/simulator.md), so
// with the log restarted they would vanish again.
nlohmann::json next_run(nlohmann::json state);

}  // namespace e2e
