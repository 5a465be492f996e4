// Two independent readings of a Windows command line, written from Microsoft's documentation
// rather than from build_windows_command_line, so the quoting can be checked by a round trip:
//
// - parse_crt: "Parsing C++ command-line arguments" (the Microsoft C runtime, Visual Studio
//   2008 and later, what main's argv gets). The program name (argv[0]) may contain quoted
//   parts; the quotes are dropped and backslashes are literal there. After it, arguments are
//   separated by spaces and tabs outside quotes; 2n backslashes before a quote give n
//   backslashes and the quote opens or closes a quoted part; 2n+1 backslashes before a quote
//   give n backslashes and a literal quote; other backslashes are literal; inside a quoted
//   part, a doubled quote is one literal quote.
// - parse_command_line_to_argv: CommandLineToArgvW. The same backslash and quote rules, but
//   the program name runs to the next quote when it starts with one, else to the first space
//   or tab, with no escapes at all, and no doubled-quote rule.
//
// Characters are wchar_t as on Windows; only space, tab, quote and backslash are special.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace fuzz {

std::vector<std::wstring> parse_crt(std::wstring_view line);
std::vector<std::wstring> parse_command_line_to_argv(std::wstring_view line);

// Checks both readers against the examples of Microsoft's page (its table "Results of parsing
// command lines"); returns a description of the first disagreement, empty when all agree. A
// fuzz target runs this once at start, so a wrong reference cannot pass quietly.
std::string check_documented_examples();

}  // namespace fuzz
