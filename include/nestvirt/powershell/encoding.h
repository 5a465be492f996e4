// Text encodings PowerShell's command line and protocol need. Pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace nestvirt::powershell {

// UTF-8 to UTF-16LE bytes (what -EncodedCommand expects before base64). Invalid UTF-8 becomes
// U+FFFD rather than an exception: the text is ours, not the user's, but never crash on it.
std::string utf8_to_utf16le(std::string_view utf8);
std::string base64_encode(std::string_view bytes);
std::optional<std::string> base64_decode(std::string_view text);  // nullopt on bad input
// The value for -EncodedCommand: base64(UTF-16LE(script)).
std::string encode_command(std::string_view script_utf8);

}  // namespace nestvirt::powershell
