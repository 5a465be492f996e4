// The remote-host harness itself (tests/remote/sim-sshd, e2e/remote_support.h), without
// nestvirt: plain ssh with the options nestvirt passes for ssh://, and New-PSSession from the
// local engine as pwsh-ssh:// opens it, against the sshd instances the harness starts. When a
// [remote] case fails, these say whether the harness or nestvirt is at fault.
#include <future>
#include <set>
#include <sstream>
#include <thread>

#include "catch.h"
#include "e2e/remote_support.h"
#include "nestvirt/powershell/encoding.h"

using e2e::SimSshHost;
using nlohmann::json;
namespace fs = std::filesystem;
namespace process = nestvirt::process;

namespace {

struct Login {
  int port;
  std::string user;
  fs::path identity, known_hosts;
  std::string host = "127.0.0.1";
  std::vector<std::string> options = {};  // more ssh options, before the host (-s: a subsystem)
};

Login login(const SimSshHost& h) {
  return {h.port(), h.user(), h.identity(), h.known_hosts()};
}

// ssh as nestvirt starts it for ssh:// (docs/remote.md), then the remote command.
std::vector<std::string> ssh_argv(const Login& l, const std::vector<std::string>& remote) {
  std::vector<std::string> argv = {"ssh", "-T",
                                   "-o",  "BatchMode=yes",
                                   "-o",  "StrictHostKeyChecking=yes",
                                   "-o",  "ConnectTimeout=3",
                                   "-i",  l.identity.string(),
                                   "-o",  "IdentitiesOnly=yes",
                                   "-o",  "UserKnownHostsFile=" + l.known_hosts.string(),
                                   "-p",  std::to_string(l.port),
                                   "-l",  l.user};
  argv.insert(argv.end(), l.options.begin(), l.options.end());
  argv.push_back(l.host);
  argv.insert(argv.end(), remote.begin(), remote.end());
  return argv;
}

process::RunResult ssh(const Login& l, const std::vector<std::string>& remote) {
  return process::run({ssh_argv(l, remote), {}}, "", std::chrono::seconds(120));
}

// The remote command line of ssh:// with `script` as the whole program.
std::vector<std::string> powershell(const std::string& script,
                                    const std::string& program = "powershell.exe") {
  return {program,
          "-NoLogo",
          "-NoProfile",
          "-NonInteractive",
          "-ExecutionPolicy",
          "Bypass",
          "-EncodedCommand",
          nestvirt::powershell::encode_command(script)};
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!line.empty()) out.push_back(line);
  }
  return out;
}

std::set<std::string> vm_names(const json& state) {
  std::set<std::string> names;
  for (const auto& vm : state["vms"]) names.insert(vm["name"].get<std::string>());
  return names;
}

std::vector<json> launches(const json& state) {
  std::vector<json> out;
  for (const auto& c : state.value("calls", json::array()))
    if (c.value("type", "") == "launch") out.push_back(c);
  return out;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("plain ssh runs the simulated host's engine wrappers against its own state",
          "[remote-harness]") {
  SimSshHost host(e2e::scenario("intel-windows-server-2022"));
  const auto path = ssh(login(host), {"command -v powershell.exe pwsh"});
  INFO(path.err);
  CHECK(path.status.code == 0);
  const fs::path bin = host.state_file().parent_path() / "bin";
  CHECK(lines(path.out) ==
        std::vector<std::string>{(bin / "powershell.exe").string(), (bin / "pwsh").string()});

  const std::string script =
      "(Get-Command Invoke-Command).Source; $env:NESTVIRT_SIM_STATE; (Get-VM).Name";
  for (const std::string program : {"powershell.exe", "pwsh"}) {
    const auto r = ssh(login(host), powershell(script, program));
    INFO(program << "\n" << r.err << r.out);
    REQUIRE(r.status.code == 0);
    auto out = lines(r.out);
    REQUIRE(out.size() >= 2);
    CHECK(out[0] == "NestvirtSimDirect");  // the PowerShell Direct stand-in, preloaded
    CHECK(out[1] == host.state_file().string());
    CHECK(std::set<std::string>(out.begin() + 2, out.end()) == vm_names(host.state()));
  }
  CHECK(launches(host.state()).size() == 2);
}

TEST_CASE("two simulated hosts at once keep separate states", "[remote-harness]") {
  json b_state = e2e::scenario("intel-windows-server-2022");
  e2e::vm_in(b_state, "Lab1")["name"] = "OnlyOnB";
  SimSshHost a(e2e::scenario("intel-windows-server-2022"));
  SimSshHost b(b_state);
  const std::string change =
      "Set-VMProcessor -VMName Lab1 -ExposeVirtualizationExtensions $true -ErrorAction Stop; "
      "(Get-VM).Name";
  auto on_a = std::async(std::launch::async, [&] { return ssh(login(a), powershell(change)); });
  auto on_b =
      std::async(std::launch::async, [&] { return ssh(login(b), powershell("(Get-VM).Name")); });
  const auto ra = on_a.get(), rb = on_b.get();
  INFO(ra.err << rb.err);
  REQUIRE(ra.status.code == 0);
  REQUIRE(rb.status.code == 0);
  const auto names_a = lines(ra.out), names_b = lines(rb.out);
  CHECK(std::set<std::string>(names_a.begin(), names_a.end()) == vm_names(a.state()));
  CHECK(std::set<std::string>(names_b.begin(), names_b.end()) == vm_names(b.state()));
  CHECK(vm_names(b.state()).count("OnlyOnB") == 1);
  CHECK(vm_names(a.state()).count("OnlyOnB") == 0);
  CHECK(e2e::vm_in(a.state(), "Lab1")["processor"]["expose_virtualization_extensions"] == true);
  CHECK(e2e::vm_in(b.state(), "OnlyOnB")["processor"]["expose_virtualization_extensions"] == false);
  CHECK(launches(a.state()).size() == 1);
  CHECK(launches(b.state()).size() == 1);
}

TEST_CASE("New-PSSession over the powershell subsystem sees the simulator", "[remote-harness]") {
  SimSshHost host(e2e::scenario("intel-windows-server-2022"));
  e2e::TempDir client;  // the local engine as a client: no simulator, a home of its own
  const auto quoted = [](const fs::path& p) { return "'" + p.string() + "'"; };
  const std::string script =
      "$ErrorActionPreference = 'Stop'\n"
      "$s = New-PSSession -HostName 127.0.0.1 -Port " +
      std::to_string(host.port()) + " -UserName " + host.user() + " -KeyFilePath " +
      quoted(host.identity()) + " -Options @{StrictHostKeyChecking = 'yes'; UserKnownHostsFile = " +
      quoted(host.known_hosts()) +
      "; BatchMode = 'yes'} -ConnectingTimeout 30000\n"
      "Invoke-Command -Session $s { (Get-Command Invoke-Command).Source; "
      "$env:NESTVIRT_SIM_STATE; (Get-VM).Name }\n"
      "Remove-PSSession $s\n";
  const auto r =
      process::run({{e2e::engine().string(), "-NoProfile", "-NonInteractive", "-Command", script},
                    {{"NESTVIRT_SIM_STATE", ""},
                     {"NESTVIRT_SIM_PRELOAD", ""},
                     {"HOME", client.path().string()},
                     {"XDG_CONFIG_HOME", (client.path() / "config").string()},
                     {"XDG_DATA_HOME", (client.path() / "data").string()},
                     {"XDG_CACHE_HOME", (client.path() / "cache").string()}}},
                   "", std::chrono::seconds(120));
  INFO(r.err << r.out);
  REQUIRE(r.status.code == 0);
  const auto out = lines(r.out);
  REQUIRE(out.size() >= 2);
  CHECK(out[0] == "NestvirtSimDirect");  // imported by the subsystem's session configuration
  CHECK(out[1] == host.state_file().string());
  CHECK(std::set<std::string>(out.begin() + 2, out.end()) == vm_names(host.state()));
  const auto started = launches(host.state());
  REQUIRE(started.size() == 1);
  CHECK(started[0]["args"].dump().find("-sshs") != std::string::npos);
}

TEST_CASE("each fault the harness makes gives ssh's own exit code and words", "[remote-harness]") {
  SimSshHost host(e2e::scenario("intel-windows-server-2022"));
  SimSshHost bare(e2e::scenario("intel-windows-server-2022"), false);
  e2e::SilentPort silent;
  const std::string at = "[127.0.0.1]:" + std::to_string(host.port());
  struct Case {
    std::string name;
    Login login;
    std::vector<std::string> remote;
    int code;
    std::vector<std::string> words;  // each a part of ssh's stderr
  };
  Login wrong_key = login(host), unknown = login(host), changed = login(host);
  Login refused = login(host), no_answer = login(host), unresolvable = login(host);
  wrong_key.identity = host.wrong_identity();
  unknown.known_hosts = host.unknown_known_hosts();
  changed.known_hosts = host.changed_known_hosts();
  refused.port = e2e::closed_port();
  no_answer.port = silent.port();
  unresolvable.host = "nosuchhost.invalid";
  Login subsystem = login(bare);
  subsystem.options = {"-s"};
  const std::vector<std::string> ps = powershell("'unreachable'");
  const std::vector<Case> cases = {
      {"wrong key",
       wrong_key,
       ps,
       255,
       {host.user() + "@127.0.0.1: Permission denied (publickey)."}},
      {"unknown host key",
       unknown,
       ps,
       255,
       {"No ED25519 host key is known for " + at + " and you have requested strict checking.",
        "Host key verification failed."}},
      {"changed host key",
       changed,
       ps,
       255,
       {"WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!",
        "Host key for " + at + " has changed and you have requested strict checking.",
        "Host key verification failed."}},
      {"refusing port",
       refused,
       ps,
       255,
       {"ssh: connect to host 127.0.0.1 port " + std::to_string(refused.port) +
        ": Connection refused"}},
      {"port that never answers",
       no_answer,
       ps,
       255,
       {"Connection timed out during banner exchange",
        "Connection to 127.0.0.1 port " + std::to_string(no_answer.port) + " timed out"}},
      // The resolver's reason varies ("Name or service not known" here, "Temporary failure in
      // name resolution" without DNS).
      {"unresolvable name",
       unresolvable,
       ps,
       255,
       {"ssh: Could not resolve hostname nosuchhost.invalid: "}},
      {"no powershell.exe on the host",
       login(bare),
       ps,
       127,
       {"powershell.exe: command not found"}},
      {"no pwsh on the host",
       login(bare),
       powershell("1", "pwsh"),
       127,
       {"pwsh: command not found"}},
      {"no powershell subsystem on the host",
       subsystem,
       {"powershell"},
       255,
       {"subsystem request failed on channel 0"}},
  };
  for (const auto& c : cases) {
    const auto started = std::chrono::steady_clock::now();
    const auto r = ssh(c.login, c.remote);
    const auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started);
    INFO(c.name << ": exit " << r.status.code << "\n" << r.err);
    CHECK(r.status.kind == process::ExitKind::Exited);
    CHECK(r.status.code == c.code);
    for (const auto& w : c.words) CHECK(contains(r.err, w));
    CHECK(seconds.count() < 20);  // ConnectTimeout=3 holds
  }
  CHECK(launches(host.state()).empty());  // nothing got as far as PowerShell
  CHECK(launches(bare.state()).empty());
}

TEST_CASE("a connection the harness drops ends ssh; the host serves the next one",
          "[remote-harness]") {
  SimSshHost host(e2e::scenario("intel-windows-server-2022"));
  const Login l = login(host);
  const auto argv = ssh_argv(l, powershell("Start-Sleep 120"));
  process::ExitStatus status;
  auto child = process::spawn({argv, {}}, status);
  REQUIRE(child);
  child->close_stdin();
  bool running = false;  // the engine logs its launch as it starts
  for (int i = 0; i < 600 && !running; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    running = !launches(host.state()).empty();
  }
  REQUIRE(running);
  host.drop_connections();
  status = child->wait(process::Clock::now() + std::chrono::seconds(30));
  const std::string err = child->take_stderr();
  INFO(err);
  CHECK(status.kind == process::ExitKind::Exited);
  CHECK(status.code == 255);
  CHECK(contains(err, "Connection to 127.0.0.1 closed by remote host."));

  const auto again = ssh(l, powershell("(Get-VM).Count"));
  INFO(again.err);
  CHECK(again.status.code == 0);
  CHECK(lines(again.out) == std::vector<std::string>{std::to_string(host.state()["vms"].size())});
}
