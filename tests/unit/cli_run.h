// Runs the whole command line (run_cli) with string streams, for the tests of what the command
// line accepts and says. A usage error must start no PowerShell: `launched` tells.
#pragma once

#include <cstdlib>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "nestvirt/cli/cli.h"
#include "unit/fake_hyperv.h"

namespace nestvirt::testing {

struct CliRun {
  int exit_code = 0;
  std::string out;
  std::string err;
  bool launched = false;
  nlohmann::json doc() const { return nlohmann::json::parse(out, nullptr, false); }
};

// Hands the command a host that forwards to the test's fake, which outlives the command.
struct ForwardHost : powershell::ScriptHost {
  explicit ForwardHost(FakeHyperV& fake) : fake_(fake) {}
  powershell::Reply call(std::string_view s, const nlohmann::json& a) override {
    return fake_.call(s, a);
  }
  int launches() const override { return fake_.launches(); }
  FakeHyperV& fake_;
};

// A guest run takes the password out of the environment, so each sets it again.
inline void set_guest_login() {
#ifdef _WIN32
  _putenv_s("NESTVIRT_GUEST_USER", "Administrator");
  _putenv_s("NESTVIRT_GUEST_PASSWORD", "pw");
#else
  setenv("NESTVIRT_GUEST_USER", "Administrator", 1);
  setenv("NESTVIRT_GUEST_PASSWORD", "pw", 1);
#endif
}

// `args` without the program name; `fake` answers PowerShell (an empty host if none).
inline CliRun run_cli_with(std::vector<std::string> args, FakeHyperV* fake = nullptr) {
  static FakeHyperV empty;
  FakeHyperV& host = fake != nullptr ? *fake : empty;
  std::ostringstream out, err;
  CliRun r;
  commands::Io io;
  io.out = &out;
  io.err = &err;
  io.make_host = [&host, &r](const powershell::SessionOptions&) {
    r.launched = true;
    return std::make_unique<ForwardHost>(host);
  };
  io.poll_interval = std::chrono::milliseconds(1);
  args.insert(args.begin(), "nestvirt");
  r.exit_code = cli::run_cli(args, io);
  r.out = out.str();
  r.err = err.str();
  return r;
}

}  // namespace nestvirt::testing
