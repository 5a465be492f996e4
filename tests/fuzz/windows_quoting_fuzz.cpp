// build_windows_command_line round trip: for any argument vector, both documented readers of a
// Windows command line (the C runtime's and CommandLineToArgvW's, support/
// windows_argv_reference.h) give back exactly the vector that was quoted.
//
// Input: arguments separated by NUL bytes (a command line cannot carry NUL); bytes below 0x80
// are those characters, bytes from 0x80 stand for a table of wide characters that look like
// separators or quotes to a careless reader. The program name loses its quotes: Windows file
// names cannot contain them, and build_windows_command_line documents that it cannot express one.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "nestvirt/process/child.h"
#include "support/property.h"
#include "support/windows_argv_reference.h"

namespace {

std::vector<std::wstring> decode_argv(const std::uint8_t* data, std::size_t size) {
  static const wchar_t kWide[] = {
      0x00A0,                         // no-break space
      0x3000,                         // ideographic space
      0x2028,                         // line separator
      0xFEFF,                         // byte order mark
      0x201C,                         // left double quotation mark
      0x201D,                         // right double quotation mark
      0xFF02,                         // fullwidth quotation mark
      0xFF3C,                         // fullwidth reverse solidus
      0x00E9,                         // é
      0x6D4B,                         // 测
      0x05D0,                         // Hebrew alef (right to left)
      static_cast<wchar_t>(0x1F600),  // an emoji (one wchar_t here, two on Windows)
  };
  std::vector<std::wstring> argv(1);
  for (std::size_t i = 0; i < size; ++i) {
    const std::uint8_t byte = data[i];
    if (byte == 0) {
      argv.emplace_back();
    } else if (byte < 0x80) {
      argv.back().push_back(static_cast<wchar_t>(byte));
    } else {
      argv.back().push_back(kWide[byte % std::size(kWide)]);
    }
  }
  std::erase(argv.front(), L'"');
  return argv;
}

std::string narrow(const std::vector<std::wstring>& argv) {
  std::string out;
  for (const auto& arg : argv) {
    out += "[";
    for (const wchar_t c : arg) {
      out += c >= 0x20 && c < 0x7F ? std::string(1, static_cast<char>(c))
                                   : "\\u" + std::to_string(static_cast<unsigned>(c));
    }
    out += "] ";
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  const std::string wrong = fuzz::check_documented_examples();
  fuzz::require(wrong.empty(), "the reference parsers follow Microsoft's examples", wrong);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::vector<std::wstring> argv = decode_argv(data, size);
  const std::wstring line = nestvirt::process::build_windows_command_line(argv);
  const std::string shown = "argv " + narrow(argv) + "\nline " + narrow({line});
  fuzz::require(fuzz::parse_crt(line) == argv, "the C runtime reads back the quoted argv", shown);
  fuzz::require(fuzz::parse_command_line_to_argv(line) == argv,
                "CommandLineToArgvW reads back the quoted argv", shown);
  return 0;
}
