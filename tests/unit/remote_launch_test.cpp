// What nestvirt starts for a remote host: every ssh option that keeps it safe and unattended,
// a remote command far below cmd.exe's 8,191 characters, and a password only on stdin.
#include <algorithm>

#include "catch.h"
#include "nestvirt/powershell/encoding.h"
#include "nestvirt/powershell/remote.h"
#include "nestvirt/powershell/scripts.h"
#include "nestvirt/powershell/session.h"

using namespace nestvirt;
using powershell::RemoteOptions;

namespace {

RemoteOptions options(const std::string& text) {
  RemoteOptions o;
  o.target = *core::parse_target(text).target;
  return o;
}

bool has(const std::vector<std::string>& argv, const std::string& a, const std::string& b) {
  for (std::size_t i = 0; i + 1 < argv.size(); ++i) {
    if (argv[i] == a && argv[i + 1] == b) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("ssh:// never prompts, never skips the host key, and times out") {
  RemoteOptions o = options("ssh://admin@hv1:2222");
  o.connect_timeout_seconds = 9;
  o.identity_file = "/keys/lab key";
  o.known_hosts_file = "/keys/known hosts";
  const auto launch = powershell::ssh_launch(o);
  const auto& a = launch.argv;
  CHECK(a.front() == "ssh");
  CHECK(has(a, "-o", "BatchMode=yes"));
  CHECK(has(a, "-o", "StrictHostKeyChecking=yes"));
  CHECK(has(a, "-o", "ConnectTimeout=9"));
  CHECK(has(a, "-p", "2222"));
  CHECK(has(a, "-l", "admin"));
  CHECK(has(a, "-i", "/keys/lab key"));
  CHECK(has(a, "-o", "UserKnownHostsFile=\"/keys/known hosts\""));
  // The host after "--", so no host name is ever read as an option.
  const auto dashes = std::find(a.begin(), a.end(), "--");
  REQUIRE(dashes != a.end());
  CHECK(*(dashes + 1) == "hv1");
  const std::string& command = a.back();
  CHECK(command.rfind("powershell.exe -NoLogo -NoProfile -NonInteractive", 0) == 0);
  CHECK(command.size() < 3000);                                    // cmd.exe stops at 8,191
  CHECK(command.find_first_of("\"'&|<>^%") == std::string::npos);  // the same in any shell
  // The bootstrap travels on stdin, as one base64 line.
  CHECK(*powershell::base64_decode(launch.first_line) == powershell::bootstrap_script());
  CHECK_FALSE(launch.connect_reply);

  o.remote_powershell = "pwsh";
  CHECK(powershell::ssh_launch(o).argv.back().rfind("pwsh -NoLogo", 0) == 0);
}

TEST_CASE("ssh:// without a user or port leaves them to ssh's own configuration") {
  const auto a = powershell::ssh_launch(options("ssh://hv1")).argv;
  CHECK(has(a, "-p", "22"));
  CHECK(std::find(a.begin(), a.end(), "-l") == a.end());
  CHECK(std::find(a.begin(), a.end(), "-i") == a.end());
}

TEST_CASE("remoting starts the local PowerShell; the password travels only on stdin") {
  RemoteOptions o = options("winrms://hv2");
  o.user = "CORP\\admin";
  o.password = std::make_shared<const nestvirt::core::Secret>(std::string("s3cret pass"));
  o.authentication = "Negotiate";
  const auto launch = powershell::remoting_launch("pwsh", o);
  CHECK(launch.argv.front() == "pwsh");
  CHECK(launch.connect_reply);
  for (const auto& arg : launch.argv) CHECK(arg.find("s3cret") == std::string::npos);
  const auto spec = nlohmann::json::parse(*powershell::base64_decode(launch.first_line));
  CHECK(spec["transport"] == "winrms");
  CHECK(spec["port"] == 5986);
  CHECK(spec["user"] == "CORP\\admin");
  CHECK(spec["password"] == "s3cret pass");
  CHECK(spec["authentication"] == "Negotiate");
  CHECK(spec["processor"] == std::string(powershell::script("processor")));

  RemoteOptions p = options("pwsh-ssh://admin@hv3:2200");
  const auto spec2 = nlohmann::json::parse(
      *powershell::base64_decode(powershell::remote_launch("pwsh", p).first_line));
  CHECK(spec2["transport"] == "pwsh-ssh");
  CHECK(spec2["user"] == "admin");
  CHECK(spec2["port"] == 2200);
}
