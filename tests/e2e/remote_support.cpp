#include "e2e/remote_support.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace e2e {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

fs::path script() {
  return source_dir() / "tests" / "remote" / "sim-sshd";
}

int bound_socket(bool listening, int& port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) throw std::runtime_error("socket() failed");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      (listening && ::listen(fd, 16) != 0)) {
    ::close(fd);
    throw std::runtime_error("bind/listen on loopback failed");
  }
  socklen_t length = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &length);
  port = ntohs(addr.sin_port);
  return fd;
}

}  // namespace

SimSshHost::SimSshHost(const json& state, bool with_powershell) {
  const fs::path start_state = dir_.path() / "start.json";
  std::ofstream(start_state) << state.dump(2);
  std::vector<std::string> argv = {script().string(), "start", (dir_.path() / "host").string(),
                                   start_state.string()};
  if (!with_powershell) argv.push_back("--no-powershell");
  const auto r = nestvirt::process::run({argv, {}}, "", std::chrono::seconds(60));
  if (r.status.code != 0) throw std::runtime_error("sim-sshd start failed: " + r.err);
  std::istringstream lines(r.out);
  for (std::string line; std::getline(lines, line);) {
    const auto eq = line.find('=');
    if (eq == std::string::npos) continue;
    const std::string key = line.substr(0, eq), value = line.substr(eq + 1);
    if (key == "port") port_ = std::stoi(value);
    if (key == "user") user_ = value;
    if (key == "identity") identity_ = value;
    if (key == "known_hosts") known_hosts_ = value;
    if (key == "state") state_file_ = value;
    if (key == "wrong_identity") wrong_identity_ = value;
    if (key == "unknown_known_hosts") unknown_known_hosts_ = value;
    if (key == "changed_known_hosts") changed_known_hosts_ = value;
  }
  if (port_ == 0) throw std::runtime_error("sim-sshd printed no port: " + r.out);
}

SimSshHost::~SimSshHost() {
  nestvirt::process::run({{script().string(), "stop", (dir_.path() / "host").string()}, {}}, "",
                         std::chrono::seconds(30));
}

std::string SimSshHost::target(const std::string& scheme) const {
  return scheme + "://" + user_ + "@127.0.0.1:" + std::to_string(port_);
}

json SimSshHost::state() const {
  // The simulator rewrites the file in place under its own lock, which a reader here does not
  // take: a read that lands mid-write is torn. Read again until it parses (a whole write takes
  // milliseconds).
  for (int attempt = 0; attempt < 50; ++attempt) {
    json state = json::parse(read_text(state_file_), nullptr, false);
    if (state.is_object()) return state;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return read_json_file(state_file_);  // still torn: let its parse error speak
}

std::vector<std::string> SimSshHost::key_options() const {
  return {"--ssh-identity", identity_.string(), "--ssh-known-hosts", known_hosts_.string()};
}

void SimSshHost::authorize(const fs::path& identity) const {
  std::ofstream(dir_.path() / "host" / "authorized_keys", std::ios::app)
      << read_text(identity.string() + ".pub");
}

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void SimSshHost::drop_connections() const {
  nestvirt::process::run({{script().string(), "drop", (dir_.path() / "host").string()}, {}}, "",
                         std::chrono::seconds(30));
}

nestvirt::process::RunResult run_remote(
    const std::vector<std::string>& args,
    const std::vector<std::pair<std::string, std::string>>& env) {
  std::vector<std::string> argv = {NESTVIRT_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  std::vector<std::pair<std::string, std::string>> all = {
      {"NESTVIRT_POWERSHELL", engine().string()},
      {"NESTVIRT_SIM_STATE", ""},
      {"NESTVIRT_SIM_PRELOAD", ""}};
  all.insert(all.end(), env.begin(), env.end());
  auto result = nestvirt::process::run({argv, all}, "", std::chrono::seconds(300));
  keep_json_document(result.out);
  return result;
}

SilentPort::SilentPort() {
  fd_ = bound_socket(true, port_);
}
SilentPort::~SilentPort() {
  if (fd_ >= 0) ::close(fd_);
}

int closed_port() {
  int port = 0;
  ::close(bound_socket(false, port));  // free again: nobody listens there now
  return port;
}

}  // namespace e2e
