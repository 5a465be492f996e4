#include "support/windows_argv_reference.h"

#include <cstddef>

namespace fuzz {
namespace {

bool is_blank(wchar_t c) {
  return c == L' ' || c == L'\t';
}

void skip_blanks(std::wstring_view line, std::size_t& i) {
  while (i < line.size() && is_blank(line[i])) ++i;
}

// The arguments after the program name; `doubled_quote` is the C runtime's rule that "" inside
// a quoted part is a literal quote.
void parse_arguments(std::wstring_view line, std::size_t i, bool doubled_quote,
                     std::vector<std::wstring>& out) {
  for (;;) {
    skip_blanks(line, i);
    if (i >= line.size()) return;
    std::wstring arg;
    bool quoted = false;
    while (i < line.size()) {
      std::size_t backslashes = 0;
      while (i < line.size() && line[i] == L'\\') {
        ++backslashes;
        ++i;
      }
      if (i < line.size() && line[i] == L'"') {
        arg.append(backslashes / 2, L'\\');
        if (backslashes % 2 == 1) {
          arg.push_back(L'"');
          ++i;
        } else if (doubled_quote && quoted && i + 1 < line.size() && line[i + 1] == L'"') {
          arg.push_back(L'"');
          i += 2;
        } else {
          quoted = !quoted;
          ++i;
        }
        continue;
      }
      arg.append(backslashes, L'\\');
      if (i >= line.size()) break;
      if (!quoted && is_blank(line[i])) break;
      arg.push_back(line[i++]);
    }
    out.push_back(std::move(arg));
  }
}

}  // namespace

std::vector<std::wstring> parse_crt(std::wstring_view line) {
  std::vector<std::wstring> out;
  std::wstring program;
  bool quoted = false;
  std::size_t i = 0;
  for (; i < line.size(); ++i) {
    if (line[i] == L'"') {
      quoted = !quoted;
    } else if (!quoted && is_blank(line[i])) {
      break;
    } else {
      program.push_back(line[i]);
    }
  }
  out.push_back(std::move(program));
  parse_arguments(line, i, true, out);
  return out;
}

std::vector<std::wstring> parse_command_line_to_argv(std::wstring_view line) {
  std::vector<std::wstring> out;
  std::size_t i = 0;
  if (!line.empty() && line[0] == L'"') {
    const std::size_t close = line.find(L'"', 1);
    const std::size_t end = close == std::wstring_view::npos ? line.size() : close;
    out.emplace_back(line.substr(1, end - 1));
    i = close == std::wstring_view::npos ? line.size() : close + 1;
  } else {
    while (i < line.size() && !is_blank(line[i])) ++i;
    out.emplace_back(line.substr(0, i));
  }
  parse_arguments(line, i, false, out);
  return out;
}

std::string check_documented_examples() {
  struct Example {
    const wchar_t* line;  // after the program name "prog "
    std::vector<std::wstring> args;
    bool crt_only;  // the doubled-quote rule is the C runtime's
  };
  const Example examples[] = {
      {LR"("a b c" d e)", {L"a b c", L"d", L"e"}, false},
      {LR"("ab\"c" "\\" d)", {LR"(ab"c)", LR"(\)", L"d"}, false},
      {LR"(a\\\b d"e f"g h)", {LR"(a\\\b)", L"de fg", L"h"}, false},
      {LR"(a\\\"b c d)", {LR"(a\"b)", L"c", L"d"}, false},
      {LR"(a\\\\"b c" d e)", {LR"(a\\b c)", L"d", L"e"}, false},
      {LR"(a"b"" c d)", {LR"(ab" c d)"}, true},
  };
  for (const auto& example : examples) {
    std::vector<std::wstring> expected = {L"prog"};
    expected.insert(expected.end(), example.args.begin(), example.args.end());
    const std::wstring line = std::wstring(L"prog ") + example.line;
    if (parse_crt(line) != expected) return "parse_crt disagrees with the documented example";
    if (!example.crt_only && parse_command_line_to_argv(line) != expected) {
      return "parse_command_line_to_argv disagrees with the documented example";
    }
  }
  // The program name: quoted parts, no escapes (C runtime); up to the next quote (Windows).
  if (parse_crt(LR"("C:\Program Files\x"y z)") !=
      std::vector<std::wstring>{LR"(C:\Program Files\xy)", L"z"}) {
    return "parse_crt: program name with a quoted part";
  }
  if (parse_command_line_to_argv(LR"("C:\dir\" a)") !=
      std::vector<std::wstring>{LR"(C:\dir\)", L"a"}) {
    return "parse_command_line_to_argv: program name ending in a backslash";
  }
  return {};
}

}  // namespace fuzz
