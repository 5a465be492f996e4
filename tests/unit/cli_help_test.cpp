// Help a newcomer can use: examples under every command that the command line accepts, required
// options marked, defaults written plainly, the global options everywhere, the exit codes at the
// end of `nestvirt --help` (from the one table docs/json-output.md is held to), and --version.
#include <cstdlib>
#include <fstream>
#include <regex>
#include <sstream>

#include "catch.h"
#include "nestvirt/core/exit_codes.h"
#include "nestvirt/report/envelope.h"
#include "unit/cli_run.h"

using namespace nestvirt::testing;
using nlohmann::json;

namespace {

const std::vector<std::vector<std::string>> kCommands = {
    {"check"}, {"enable"}, {"disable"}, {"net-spoof"}, {"net-nat"}, {"net-nat", "guest"}};

std::string path_of(const std::vector<std::string>& command) {
  std::string out;
  for (const auto& c : command) out += (out.empty() ? "" : " ") + c;
  return out;
}

std::string help_of(std::vector<std::string> command) {
  command.push_back("--help");
  const CliRun r = run_cli_with(command);
  REQUIRE(r.exit_code == 0);
  CHECK_FALSE(r.launched);
  return r.out;
}

// The lines after "Examples:".
std::vector<std::string> examples_in(const std::string& help) {
  std::vector<std::string> out;
  std::istringstream in(help.substr(help.find("Examples:")));
  std::string line;
  std::getline(in, line);
  while (std::getline(in, line) && line.rfind("  nestvirt ", 0) == 0) out.push_back(line.substr(2));
  return out;
}

// Splits an example as a POSIX shell would ('single quotes' only, which is all they use).
std::vector<std::string> words_of(const std::string& line) {
  std::vector<std::string> out;
  std::string word;
  bool quoted = false, any = false;
  for (char c : line) {
    if (c == '\'') {
      quoted = !quoted;
      any = true;
    } else if (c == ' ' && !quoted) {
      if (any) out.push_back(word);
      word.clear();
      any = false;
    } else {
      word += c;
      any = true;
    }
  }
  if (any) out.push_back(word);
  return out;
}

std::string line_with(const std::string& help, const std::string& start) {
  std::istringstream in(help);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(start, 0) == 0) return line;
  }
  return "";
}

}  // namespace

TEST_CASE("every command's help has 2-3 examples the command line accepts", "[cli]") {
  for (const auto& command : kCommands) {
    const std::string path = path_of(command);
    INFO(path);
    const std::string help = help_of(command);
    INFO(help);
    const std::vector<std::string> examples = examples_in(help);
    CHECK(examples.size() >= 2);
    CHECK(examples.size() <= 3);
    for (const auto& e : examples) {
      INFO(e);
      CHECK((e == "nestvirt " + path || e.rfind("nestvirt " + path + " ", 0) == 0));
      // Run against a host with a NAT and no VMs: refused, unchanged or changed, never a usage
      // error.
      std::vector<std::string> args = words_of(e);
      args.erase(args.begin());
      FakeHyperV fake;
      fake.host = intel_server_2022();
      fake.state.switches = {{"NestedNAT", "sw-nat", "Internal"}};
      fake.state.addresses = {{"192.168.100.1", 24, "vEthernet (NestedNAT)"}};
      fake.state.nats = {{"NestedNAT", "192.168.100.0/24"}};
      set_guest_login();
      const CliRun r = run_cli_with(args, &fake);
      INFO(r.err);
      CHECK(r.exit_code != 2);
      CHECK(r.exit_code != 1);
    }
  }
}

TEST_CASE("help marks required options, shows defaults plainly and lists global options", "[cli]") {
  for (const auto& command : kCommands) {
    INFO(path_of(command));
    const std::string help = help_of(command);
    INFO(help);
    CHECK(help.find("Global options:") != std::string::npos);
    for (const char* global : {"  --powershell PATH", "  --timeout SECONDS", "  --json",
                               "  -v,--verbose", "  -h,--help"}) {
      CHECK_FALSE(line_with(help, global).empty());
    }
    CHECK(line_with(help, "  --timeout SECONDS").find("(default: 120)") != std::string::npos);
    // CLI11's own notation is for programmers, not for someone reading help.
    CHECK(help.find("INT:") == std::string::npos);
    CHECK(help.find("TEXT") == std::string::npos);
    CHECK(help.find("=") == std::string::npos);
  }
  for (const char* command : {"enable", "disable", "net-spoof"}) {
    CHECK(line_with(help_of({command}), "  --vm NAME").find("REQUIRED") != std::string::npos);
  }
  CHECK(line_with(help_of({"check"}), "  --vm NAME").find("REQUIRED") == std::string::npos);
  CHECK(line_with(help_of({"net-nat"}), "  --switch NAME").find("REQUIRED") != std::string::npos);
  const std::string guest = help_of({"net-nat", "guest"});
  CHECK(line_with(guest, "  --vm NAME").find("REQUIRED") != std::string::npos);
  CHECK(line_with(guest, "  --ip ADDRESS").find("REQUIRED") != std::string::npos);
  CHECK(line_with(guest, "  --dry-run").find("change nothing") != std::string::npos);
  const std::string enable = help_of({"enable"});
  CHECK(line_with(enable, "  --shutdown-timeout SECONDS").find("(default: 300)") !=
        std::string::npos);
}

TEST_CASE("nestvirt --help lists the commands and ends with every exit code", "[cli]") {
  const std::string help = help_of({});
  INFO(help);
  for (const char* command : {"check", "enable", "disable", "net-spoof", "net-nat"}) {
    CHECK_FALSE(line_with(help, std::string("  ") + command).empty());
  }
  CHECK(help.find("Global options:") != std::string::npos);
  const std::size_t codes = help.find("Exit codes");
  REQUIRE(codes != std::string::npos);
  std::istringstream in(help.substr(codes));
  std::string line;
  std::getline(in, line);
  for (const auto& c : nestvirt::core::kExitCodes) {
    REQUIRE(std::getline(in, line));
    const std::string code = std::to_string(static_cast<int>(c.code));
    CHECK(line.find(code + "  " + c.outcome + ": " + c.meaning) != std::string::npos);
  }
  // Nothing after the last code but blank lines.
  while (std::getline(in, line)) CHECK(line.empty());
}

TEST_CASE("the exit code table, outcome_name and docs/json-output.md agree", "[cli]") {
  std::ifstream doc(NESTVIRT_SOURCE_DIR "/docs/json-output.md");
  REQUIRE(doc);
  const std::regex row(R"(^\| (\d+) \| `([a-z-]+)` \|)");
  std::vector<std::pair<int, std::string>> documented;
  std::string line;
  std::smatch m;
  while (std::getline(doc, line)) {
    if (std::regex_search(line, m, row)) documented.emplace_back(std::stoi(m[1]), m[2]);
  }
  std::vector<std::pair<int, std::string>> coded;
  for (const auto& c : nestvirt::core::kExitCodes) {
    coded.emplace_back(static_cast<int>(c.code), c.outcome);
    CHECK(nestvirt::report::outcome_name(c.code) == c.outcome);
  }
  CHECK(documented == coded);
}

TEST_CASE("--version prints the version, or with --json one document", "[cli]") {
  const CliRun text = run_cli_with({"--version"});
  CHECK(text.exit_code == 0);
  CHECK(text.out == std::string("nestvirt ") + nestvirt::report::nestvirt_version() + "\n");
  CHECK_FALSE(text.launched);
  for (const auto& args :
       std::vector<std::vector<std::string>>{{"--version", "--json"}, {"--json", "--version"}}) {
    const CliRun r = run_cli_with(args);
    CHECK(r.exit_code == 0);
    CHECK_FALSE(r.launched);
    const json doc = r.doc();
    REQUIRE_FALSE(doc.is_discarded());
    CHECK(doc == json{{"schema_version", nestvirt::report::kSchemaVersion},
                      {"nestvirt_version", nestvirt::report::nestvirt_version()},
                      {"command", "version"},
                      {"exit_code", 0},
                      {"outcome", "ok"},
                      {"error", nullptr}});
  }
}
