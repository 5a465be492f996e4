#include "hostile/hostile_names.h"

#include <cstdio>
#include <random>
#include <string_view>
#include <unordered_set>

namespace hostile {
namespace {

using Random = std::mt19937_64;

// Pieces a name is made of, by kind. "{C}" is the canary path for this name and payload.
const std::vector<std::string> kQuotes = {"'",
                                          "''",
                                          "\"",
                                          "\"\"",
                                          "\xE2\x80\x98",
                                          "\xE2\x80\x99",
                                          "\xE2\x80\x9A",
                                          "\xE2\x80\x9B",
                                          "\xE2\x80\x9C",
                                          "\xE2\x80\x9D",
                                          "\xE2\x80\x9E",
                                          "'\"",
                                          "\"'"};
const std::vector<std::string> kSubexpressions = {
    "$(x)",  "$(Get-Date)", "${env:PATH}", "${x}",     "@(1,2)", "@{a=1}", "$x", "$null",
    "$true", "$_",          "$env:HOME",   "$$",       "$?",     "$^",     "$(", "${",
    "@(",    "$()",         "$($(1))",     "[char]39", "{ }",    "@args"};
const std::vector<std::string> kBackticks = {"`",  "`n",  "`0",   "`$",    "``",
                                             "`'", "`\"", "`r`n", "`u{41}"};
const std::vector<std::string> kSeparators = {";",    "|", "&", "&&",  "||",      ">",      ">>",
                                              "2>&1", "<", ",", "--%", " -Name ", " -and ", "::"};
const std::vector<std::string> kControls = {"\n", "\r",   "\r\n",     "\t",  "\v",
                                            "\f", "\x01", "\x1B[31m", "\x7F"};
const std::vector<std::string> kComments = {"#", "<#", "#>", "<# x #>", "# comment"};
const std::vector<std::string> kWildcards = {"*",  "?",  "[",  "]",      "[a-z]", "[!x]",
                                             "[]", "`*", "`[", "Lab[1]", "L?b*"};
const std::vector<std::string> kNonAscii = {
    "\xC3\xA9",          // é, composed
    "e\xCC\x81",         // é, decomposed (e + U+0301)
    "\xC3\x9Cn\xC3\xAF"  // Ünïcødé
    "c\xC3\xB8"
    "d\xC3\xA9",
    "\xE6\xB5\x8B\xE8\xAF\x95",                      // 测试
    "\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E",          // 日本語
    "\xF0\x9F\x98\x80",                              // 😀
    "\xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x91\xA9",  // 👨‍👩 (a zero-width joiner inside)
    "\xD7\xA9\xD7\x9C\xD7\x95\xD7\x9D",              // שלום
    "\xD9\x85\xD8\xB1\xD8\xAD\xD8\xA8\xD8\xA7",      // مرحبا
    "\xE2\x80\xAE",                                  // right-to-left override
    "\xEF\xBB\xBF",                                  // byte order mark
    "\xC2\xA0",                                      // no-break space
    "\xE2\x80\x8B",                                  // zero-width space
    "\xC2\xAD",                                      // soft hyphen
    "\xC3\x9F",                                      // ß
    "\xEF\xBC\x84\xEF\xBC\x88\xEF\xBC\x89",          // ＄（） fullwidth
    "\xE2\x80\x94",                                  // em dash (PowerShell reads it as '-')
};
const std::vector<std::string> kWords = {"Lab", "vm",  "Web1", "x", "O'Brien", "test",
                                         "Db",  "a b", " ",    "-", "."};
// Code that creates the canary file if it is ever run, in the shapes a quoting bug would run
// it: inside a subexpression, after closing a single- or double-quoted (or typographically
// quoted) string, on a new line, in a script block invoked with &.
const std::vector<std::string> kPayloads = {
    "$(New-Item -ItemType File -Path '{C}')",
    "'; New-Item -ItemType File -Path '{C}'; '",
    "\"; New-Item -ItemType File -Path \"{C}\"; \"",
    "\xE2\x80\x98; New-Item -ItemType File -Path \xE2\x80\x98{C}\xE2\x80\x99; \xE2\x80\x98",
    "\xE2\x80\x9C; New-Item -ItemType File -Path \xE2\x80\x9C{C}\xE2\x80\x9D; \xE2\x80\x9C",
    "\nNew-Item -ItemType File -Path '{C}'\n",
    "\r\nNew-Item -ItemType File -Path '{C}' #",
    "& { New-Item -ItemType File -Path '{C}' }",
    "@(New-Item -ItemType File -Path '{C}')",
    "$(Set-Content -Path '{C}' -Value x)",
    "') ; New-Item -ItemType File -Path ('{C}",
    "\") ; New-Item -ItemType File -Path (\"{C}",
    "#> ; New-Item -ItemType File -Path '{C}' <#",
    "`$(New-Item -ItemType File -Path '{C}')",
    "${function:New-Item}",
    "$([IO.File]::WriteAllText('{C}', 'x'))",
    "| ForEach-Object { New-Item -ItemType File -Path '{C}' }",
    "'+(New-Item -ItemType File -Path '{C}')+'",
};

const std::vector<const std::vector<std::string>*> kKinds = {
    &kQuotes,   &kSubexpressions, &kBackticks, &kSeparators, &kControls,
    &kComments, &kWildcards,      &kNonAscii,  &kWords,      &kPayloads};

template <typename T>
const T& pick(const std::vector<T>& from, Random& random) {
  return from[std::uniform_int_distribution<std::size_t>(0, from.size() - 1)(random)];
}

std::string with_canary(std::string piece, const std::string& canary_dir, std::size_t index,
                        char& letter) {
  const std::string path = canary_dir + "/n" + std::to_string(index) + "-" + letter;
  for (std::size_t at = piece.find("{C}"); at != std::string::npos; at = piece.find("{C}")) {
    piece.replace(at, 3, path);
  }
  letter = letter == 'z' ? 'a' : static_cast<char>(letter + 1);
  return piece;
}

std::string make_name(Random& random, const std::string& canary_dir, std::size_t index) {
  char letter = 'a';
  std::string name;
  const int pieces = std::uniform_int_distribution<int>(1, 5)(random);
  for (int i = 0; i < pieces; ++i) {
    name += with_canary(pick(*pick(kKinds, random), random), canary_dir, index, letter);
  }
  const int roll = std::uniform_int_distribution<int>(0, 99)(random);
  if (roll < 3) {
    // Very long: 1,000 to 4,000 characters of the name repeated.
    const std::size_t target = std::uniform_int_distribution<std::size_t>(1000, 4000)(random);
    const std::string unit = name;
    while (name.size() < target) name += unit;
  } else if (roll < 10) {
    name = " " + name;
  } else if (roll < 17) {
    name += "  ";
  }
  return name;
}

}  // namespace

std::vector<std::string> generate_names(std::uint64_t seed, std::size_t count,
                                        const std::string& canary_dir) {
  Random random(seed);
  std::vector<std::string> names;
  std::unordered_set<std::string> seen;
  // Every payload on its own first, so each shape is tried however small the count.
  for (std::size_t i = 0; i < kPayloads.size() && names.size() < count; ++i) {
    char letter = 'a';
    std::string name = with_canary(kPayloads[i], canary_dir, names.size(), letter);
    if (seen.insert(fold_case(name)).second) names.push_back(std::move(name));
  }
  while (names.size() < count) {
    std::string name = make_name(random, canary_dir, names.size());
    if (name.find_first_not_of(" \t") == std::string::npos) continue;
    if (seen.insert(fold_case(name)).second) names.push_back(std::move(name));
  }
  return names;
}

bool has_pattern_characters(const std::string& name) {
  return name.find_first_of("*?[]`") != std::string::npos;
}

std::string fold_case(const std::string& name) {
  std::string out = name;
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string shown(const std::string& name, std::size_t max_chars) {
  std::string out = "\"";
  for (const char c : name) {
    if (out.size() > max_chars) {
      out += "...(" + std::to_string(name.size()) + " bytes)";
      break;
    }
    const auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (byte >= 0x20 && byte < 0x7F) {
      out += c;
    } else {
      char hex[5];
      std::snprintf(hex, sizeof hex, "\\x%02X", byte);
      out += hex;
    }
  }
  return out + "\"";
}

}  // namespace hostile
