// Simulated remote Hyper-V hosts for the end-to-end tests: one real sshd per host, started by
// tests/remote/sim-sshd as the current user on a free loopback port, with throwaway keys and
// its own known_hosts and simulator state (docs/simulator.md, "Remote hosts").
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "e2e/support.h"

namespace e2e {

class SimSshHost {
 public:
  // `state`: the simulator state this host starts from. `with_powershell` false: the host has
  // neither powershell.exe nor pwsh nor the powershell subsystem.
  explicit SimSshHost(const nlohmann::json& state, bool with_powershell = true);
  ~SimSshHost();
  SimSshHost(const SimSshHost&) = delete;
  SimSshHost& operator=(const SimSshHost&) = delete;

  int port() const { return port_; }
  const std::string& user() const { return user_; }
  std::string target(const std::string& scheme) const;  // "ssh" -> ssh://USER@127.0.0.1:PORT
  const std::filesystem::path& identity() const { return identity_; }
  const std::filesystem::path& known_hosts() const { return known_hosts_; }
  const std::filesystem::path& state_file() const { return state_file_; }
  nlohmann::json state() const;  // the host's state file now
  // For the fault cases: a client key this host refuses, a known_hosts without its key, and
  // one holding another key for [127.0.0.1]:PORT.
  const std::filesystem::path& wrong_identity() const { return wrong_identity_; }
  const std::filesystem::path& unknown_known_hosts() const { return unknown_known_hosts_; }
  const std::filesystem::path& changed_known_hosts() const { return changed_known_hosts_; }
  // The options every run against this host needs: --ssh-identity, --ssh-known-hosts.
  std::vector<std::string> key_options() const;
  // Lets the holder of another client key log in too (one key for a fleet of hosts).
  void authorize(const std::filesystem::path& identity) const;
  // Kills every open SSH session of this host and what runs in it; the listener stays.
  void drop_connections() const;

 private:
  TempDir dir_;
  int port_ = 0;
  std::string user_;
  std::filesystem::path identity_, known_hosts_, state_file_;
  std::filesystem::path wrong_identity_, unknown_known_hosts_, changed_known_hosts_;
};

// build/nestvirt ARGS with the local PowerShell being the test engine (pwsh-ssh:// runs it here)
// and no simulator on this side; its --json document is kept for the schema check.
nestvirt::process::RunResult run_remote(
    const std::vector<std::string>& args,
    const std::vector<std::pair<std::string, std::string>>& env = {});

std::string read_text(const std::filesystem::path& path);

// A loopback port that accepts TCP connections and never says a word, while it lives.
class SilentPort {
 public:
  SilentPort();
  ~SilentPort();
  SilentPort(const SilentPort&) = delete;
  SilentPort& operator=(const SilentPort&) = delete;
  int port() const { return port_; }

 private:
  int fd_ = -1;
  int port_ = 0;
};

// A loopback port nobody listens on.
int closed_port();

}  // namespace e2e
