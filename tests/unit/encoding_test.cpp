#include "nestvirt/powershell/encoding.h"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "catch.h"

using nestvirt::powershell::base64_decode;
using nestvirt::powershell::base64_encode;
using nestvirt::powershell::encode_command;
using nestvirt::powershell::utf8_to_utf16le;

namespace {

// std::string from bytes that may contain NULs (a plain literal would stop at the first one).
template <std::size_t N>
std::string bytes(const char (&literal)[N]) {
  return std::string(literal, N - 1);
}

}  // namespace

TEST_CASE("utf8_to_utf16le: 1 to 4 byte sequences", "[encoding]") {
  CHECK(utf8_to_utf16le("") == "");
  CHECK(utf8_to_utf16le("A") == bytes("\x41\x00"));
  CHECK(utf8_to_utf16le("\xC3\xA9") == bytes("\xE9\x00"));                  // é
  CHECK(utf8_to_utf16le("\xE2\x82\xAC") == bytes("\xAC\x20"));              // €
  CHECK(utf8_to_utf16le("\xF0\x9F\x98\x80") == bytes("\x3D\xD8\x00\xDE"));  // U+1F600
  CHECK(utf8_to_utf16le("\xF4\x8F\xBF\xBF") == bytes("\xFF\xDB\xFF\xDF"));  // U+10FFFF
  CHECK(utf8_to_utf16le("\xEF\xBF\xBF") == bytes("\xFF\xFF"));              // U+FFFF
  CHECK(utf8_to_utf16le(std::string_view("\0", 1)) == bytes("\x00\x00"));
  CHECK(utf8_to_utf16le("a\xC3\xA9z") == bytes("a\x00\xE9\x00z\x00"));
}

TEST_CASE("utf8_to_utf16le: invalid input becomes U+FFFD", "[encoding]") {
  const std::string fffd = bytes("\xFD\xFF");
  CHECK(utf8_to_utf16le("\xFF") == fffd);
  CHECK(utf8_to_utf16le("\x80") == fffd);                        // lone continuation byte
  CHECK(utf8_to_utf16le("\xC0\xAF") == fffd + fffd);             // overlong '/'
  CHECK(utf8_to_utf16le("\xE0\x80\xAF") == fffd + fffd + fffd);  // overlong, 3 bytes
  CHECK(utf8_to_utf16le("\xF0\x80\x80\xAF") == fffd + fffd + fffd + fffd);
  CHECK(utf8_to_utf16le("\xED\xA0\x80") == fffd + fffd + fffd);  // encoded surrogate D800
  CHECK(utf8_to_utf16le("\xF4\x90\x80\x80") == fffd + fffd + fffd + fffd);  // > U+10FFFF
  CHECK(utf8_to_utf16le("\xE2\x82") == fffd);                               // truncated at the end
  CHECK(utf8_to_utf16le("\xF0\x9F\x98") == fffd);
  // A truncated sequence swallows only its valid prefix; the next character survives.
  CHECK(utf8_to_utf16le("\xE2\x82"
                        "A") == fffd + bytes("A\x00"));
  CHECK(utf8_to_utf16le("\xC3\xC3\xA9") == fffd + bytes("\xE9\x00"));
}

TEST_CASE("base64 RFC 4648 test vectors", "[encoding]") {
  const std::pair<std::string_view, std::string_view> vectors[] = {
      {"", ""},
      {"f", "Zg=="},
      {"fo", "Zm8="},
      {"foo", "Zm9v"},
      {"foob", "Zm9vYg=="},
      {"fooba", "Zm9vYmE="},
      {"foobar", "Zm9vYmFy"},
  };
  for (const auto& [plain, encoded] : vectors) {
    CHECK(base64_encode(plain) == encoded);
    CHECK(base64_decode(encoded) == std::optional<std::string>(plain));
  }
  CHECK(base64_encode(bytes("\x00\xFF\xFE")) == "AP/+");
}

TEST_CASE("base64 round trips every byte value and length", "[encoding]") {
  std::string all;
  for (int i = 0; i < 256; ++i) all.push_back(static_cast<char>(i));
  for (std::size_t n = 0; n <= all.size(); ++n) {
    const std::string chunk = all.substr(all.size() - n);
    const std::optional<std::string> back = base64_decode(base64_encode(chunk));
    REQUIRE(back.has_value());
    CHECK(*back == chunk);
  }
}

TEST_CASE("base64_decode tolerates trailing line breaks and rejects garbage", "[encoding]") {
  CHECK(base64_decode("Zm9v\r\n") == std::optional<std::string>("foo"));
  CHECK(base64_decode("Zm8=\n \t") == std::optional<std::string>("fo"));
  CHECK(base64_decode("\r\n") == std::optional<std::string>(""));

  CHECK_FALSE(base64_decode("Zg="));  // length not a multiple of 4
  CHECK_FALSE(base64_decode("Zm9vY"));
  CHECK_FALSE(base64_decode("Zm9v!A=="));  // not in the alphabet
  CHECK_FALSE(base64_decode("Zm-_"));      // URL-safe alphabet is not accepted
  CHECK_FALSE(base64_decode("Zg==Zg=="));  // padding in the middle
  CHECK_FALSE(base64_decode("Zg=A"));
  CHECK_FALSE(base64_decode("Z==="));
  CHECK_FALSE(base64_decode("===="));
  CHECK_FALSE(base64_decode(" Zm9v"));  // only trailing whitespace is tolerated
  CHECK_FALSE(base64_decode("Zm\n9v"));
  CHECK_FALSE(base64_decode(std::string_view("Zm9\0", 4)));
  CHECK_FALSE(base64_decode("#< CLIXML"));
}

TEST_CASE("encode_command matches PowerShell's own encoding", "[encoding]") {
  // [Convert]::ToBase64String([Text.Encoding]::Unicode.GetBytes("Write-Output 'hi'")) in pwsh.
  CHECK(encode_command("Write-Output 'hi'") == "VwByAGkAdABlAC0ATwB1AHQAcAB1AHQAIAAnAGgAaQAnAA==");
  // Same for "Get-VM -Name 'é€😀'" (BMP and astral characters).
  CHECK(encode_command("Get-VM -Name '\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80'") ==
        "RwBlAHQALQBWAE0AIAAtAE4AYQBtAGUAIAAnAOkArCA92ADeJwA=");
  CHECK(encode_command("") == "");
  CHECK(base64_decode(encode_command("A\xE2\x82\xAC")) ==
        std::optional<std::string>(bytes("A\x00\xAC\x20")));
}
