// The docs promise every finding id and every outcome word the code can emit: a new id or word
// without its line in docs/ fails here. Native build only: the Windows build's tests run under
// wine, where the source tree's Linux paths are not the program's paths.
#ifndef _WIN32
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include "catch.h"
#include "nestvirt/core/exit_codes.h"
#include "nestvirt/core/exit_rules.h"
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

// The rows of docs/prerequisites.md's "Refusals and their exit codes" table: each id with the
// exit code its row gives (the first number of the last column).
std::map<std::string, int> exit_code_table(const std::string& docs) {
  const auto start = docs.find("## Refusals and their exit codes");
  REQUIRE(start != std::string::npos);
  const auto end = docs.find("\n## ", start + 1);
  std::istringstream section(docs.substr(start, end - start));
  const std::regex id("`((host|vm|net|guest|adapter)\\.[a-z0-9-]+)`");
  std::map<std::string, int> table;
  for (std::string line; std::getline(section, line);) {
    if (line.rfind("| `", 0) != 0) continue;
    const auto last = line.rfind('|', line.size() - 2);
    const int code = std::stoi(line.substr(last + 1));
    const std::string ids = line.substr(0, line.find('|', 1));
    for (auto it = std::sregex_iterator(ids.begin(), ids.end(), id); it != std::sregex_iterator();
         ++it) {
      table[(*it)[1].str()] = code;
    }
  }
  return table;
}

TEST_CASE("every finding id has its row in the exit-code table, with the code exit_rules gives") {
  const std::string docs = read_text(fs::path(NESTVIRT_SOURCE_DIR) / "docs" / "prerequisites.md");
  const auto table = exit_code_table(docs);
  REQUIRE(table.count("vm.exists") == 1);
  for (const auto& id : finding_ids_in_sources()) {
    INFO(id);
    REQUIRE(table.count(id) == 1);
    const int code = table.at(id);
    CHECK(code == nestvirt::core::exit_code_of(nestvirt::core::refusal_kind(id)));
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
