// The docs promise every finding id and every outcome word the code can emit: a new id or word
// without its line in docs/ fails here. Native build only: the Windows build's tests run under
// wine, where the source tree's Linux paths are not the program's paths.
#ifndef _WIN32
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include "catch.h"
#include "nestvirt/core/outcome.h"

namespace fs = std::filesystem;

namespace {

std::string read_text(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Every "host.x" / "vm.x" / "net.x" / "guest.x" / "adapter.x" string literal in the sources.
std::set<std::string> finding_ids_in_sources() {
  const std::regex id("\"((host|vm|net|guest|adapter)\\.[a-z0-9-]+)\"");
  std::set<std::string> ids;
  for (const char* dir : {"src/core", "src/commands"}) {
    for (const auto& entry : fs::directory_iterator(fs::path(NESTVIRT_SOURCE_DIR) / dir)) {
      const std::string text = read_text(entry.path());
      for (auto it = std::sregex_iterator(text.begin(), text.end(), id);
           it != std::sregex_iterator(); ++it) {
        ids.insert((*it)[1].str());
      }
    }
  }
  return ids;
}

}  // namespace

TEST_CASE("every finding id the code can emit is in docs/prerequisites.md") {
  const std::string docs = read_text(fs::path(NESTVIRT_SOURCE_DIR) / "docs" / "prerequisites.md");
  const auto ids = finding_ids_in_sources();
  // The scan itself must see the ids (a moved source folder would make this test vacuous).
  REQUIRE(ids.count("host.os-build") == 1);
  REQUIRE(ids.count("vm.exists") == 1);
  REQUIRE(ids.size() > 30);
  for (const auto& id : ids) {
    INFO(id);
    CHECK(docs.find("`" + id + "`") != std::string::npos);
  }
}

TEST_CASE("every result word is in docs/json-output.md") {
  // (The exit codes' words: cli_help_test.cpp holds the docs' table to kExitCodes.)
  const std::string docs = read_text(fs::path(NESTVIRT_SOURCE_DIR) / "docs" / "json-output.md");
  using nestvirt::core::Outcome;
  for (const Outcome o : {Outcome::Planned, Outcome::Changed, Outcome::Unchanged, Outcome::Refused,
                          Outcome::NotFound, Outcome::Failed, Outcome::Incomplete}) {
    INFO(nestvirt::core::to_string(o));
    CHECK(docs.find("`" + nestvirt::core::to_string(o) + "`") != std::string::npos);
  }
}

#endif  // _WIN32
