// decode_clixml (powershell/clixml.h) on any stderr text: it never throws, it is
// deterministic, what it returns is clean (no terminal escape, no CRLF, nothing trailing), and
// text that does not announce CLIXML comes back as written apart from that clean-up.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <typeinfo>

#include "nestvirt/powershell/clixml.h"
#include "support/property.h"

using nestvirt::powershell::decode_clixml;

namespace {

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

// The documented clean-up for plain text without CR or ESC: a leading UTF-8 BOM dropped,
// spaces and tabs before each line break dropped, trailing whitespace dropped.
std::string expected_plain(std::string_view text) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  std::string out;
  for (const char c : text) {
    if (c == '\n') {
      while (!out.empty() && (out.back() == ' ' || out.back() == '\t')) out.pop_back();
    }
    out.push_back(c);
  }
  while (!out.empty() && is_space(out.back())) out.pop_back();
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  std::string decoded;
  try {
    decoded = decode_clixml(input);
  } catch (const std::exception& e) {
    fuzz::property_failed("decode_clixml never throws",
                          std::string(typeid(e).name()) + ": " + e.what());
  }
  fuzz::require(decode_clixml(input) == decoded, "decode_clixml is deterministic");
  fuzz::require(decoded.find('\x1B') == std::string::npos, "no terminal escape sequence is left",
                decoded);
  fuzz::require(decoded.find("\r\n") == std::string::npos, "CRLF is normalised to LF", decoded);
  fuzz::require(decoded.empty() || !is_space(decoded.back()), "nothing trailing is left", decoded);
  fuzz::require(
      decoded.find(" \n") == std::string::npos && decoded.find("\t\n") == std::string::npos,
      "no spaces at line ends", decoded);
  const bool plain = input.find("#< CLIXML") == std::string_view::npos &&
                     input.find_first_of("\r\x1B") == std::string_view::npos;
  if (plain) {
    fuzz::require(decoded == expected_plain(input), "plain text only gets the clean-up", decoded);
  }
  return 0;
}
