// Every script nestvirt can send is parsed by PowerShell's own parser; anything Windows
// PowerShell 5.1 lacks, and any Hyper-V/network cmdlet called without its module, fails.
#include <fstream>

#include "catch.h"
#include "e2e/support.h"
#include "nestvirt/powershell/scripts.h"

namespace {

using nlohmann::json;

json check_folder(const std::filesystem::path& folder) {
  // Through with-sim, so the simulator's modules say which cmdlets need qualifying.
  e2e::TempDir state_dir;
  auto checker = e2e::source_dir() / "tests" / "e2e" / "Test-ScriptSyntax.ps1";
  std::vector<std::string> argv = {(e2e::source_dir() / "scripts" / "with-sim").string(),
                                   "intel-windows-server-2022",
                                   "--",
                                   e2e::engine().string(),
                                   "-NoProfile",
                                   "-NonInteractive",
                                   "-File",
                                   checker.string(),
                                   "-Path",
                                   folder.string()};
  auto result = nestvirt::process::run({argv, {}}, "", std::chrono::seconds(120));
  INFO("stderr: " << result.err);
  REQUIRE(result.status.kind == nestvirt::process::ExitKind::Exited);
  REQUIRE(result.status.code == 0);
  auto doc = json::parse(result.out, nullptr, false);
  REQUIRE_FALSE(doc.is_discarded());
  if (!doc.is_array()) doc = json::array({doc});
  return doc;
}

}  // namespace

TEST_CASE("every embedded script parses and uses only Windows PowerShell 5.1 syntax", "[syntax]") {
  e2e::TempDir dir;
  REQUIRE(nestvirt::powershell::kEmbeddedScriptCount >= 2);
  for (std::size_t i = 0; i < nestvirt::powershell::kEmbeddedScriptCount; ++i) {
    const auto& s = nestvirt::powershell::kEmbeddedScripts[i];
    std::ofstream(dir.path() / (std::string(s.name) + ".ps1")) << s.text;
  }
  json problems = check_folder(dir.path());
  INFO(problems.dump(2));
  CHECK(problems.empty());
}

TEST_CASE("the syntax check catches each construct 5.1 lacks", "[syntax]") {
  json problems = check_folder(e2e::source_dir() / "tests" / "e2e" / "fixtures" / "ps7-only");
  INFO(problems.dump(2));
  auto has = [&](const std::string& kind, int line) {
    for (const auto& p : problems) {
      if (p["kind"] == kind && p["line"] == line) return true;
    }
    return false;
  };
  CHECK(has("ps7-only", 1));   // ternary
  CHECK(has("ps7-only", 2));   // ??
  CHECK(has("ps7-only", 3));   // ??=
  CHECK(has("ps7-only", 5));   // ?.
  CHECK(has("ps7-only", 6));   // ?[]
  CHECK(has("ps7-only", 7));   // &&
  CHECK(has("ps7-only", 8));   // ConvertFrom-Json -AsHashtable
  CHECK(has("ps7-only", 9));   // ConvertTo-Json -AsArray
  CHECK(has("ps7-only", 10));  // ConvertTo-Json -EnumsAsStrings (abbreviated)
  CHECK(has("ps7-only", 11));  // ForEach-Object -Parallel
  CHECK(has("no-depth", 12));
  CHECK(has("unqualified", 14));
  CHECK_FALSE(has("ps7-only", 4));  // $x?.Name is the variable "x?" in every version
}
