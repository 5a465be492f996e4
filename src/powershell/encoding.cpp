#include "nestvirt/powershell/encoding.h"

#include <cstddef>
#include <cstdint>

namespace nestvirt::powershell {

namespace {

constexpr char32_t kReplacement = 0xFFFD;
constexpr std::string_view kAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

void append_unit(std::string& out, std::uint32_t unit) {
  out.push_back(static_cast<char>(unit & 0xFFU));
  out.push_back(static_cast<char>((unit >> 8U) & 0xFFU));
}

void append_utf16le(std::string& out, char32_t cp) {
  if (cp >= 0x10000) {
    // Outside the BMP: UTF-16 needs a surrogate pair (high first, each unit little-endian).
    const std::uint32_t v = static_cast<std::uint32_t>(cp) - 0x10000U;
    append_unit(out, 0xD800U + (v >> 10U));
    append_unit(out, 0xDC00U + (v & 0x3FFU));
  } else {
    append_unit(out, static_cast<std::uint32_t>(cp));
  }
}

// Bounds for the second byte of a multi-byte sequence. Restricting it per lead byte is what
// rejects overlong forms (E0 80.., F0 80..), UTF-16 surrogates (ED A0..) and code points above
// U+10FFFF (F4 90..), so the remaining continuation bytes only need the generic 80..BF check.
struct Lead {
  int length = 0;  // 0: not a valid lead byte
  unsigned char lo = 0x80;
  unsigned char hi = 0xBF;
};

Lead classify(unsigned char b) {
  if (b >= 0xC2 && b <= 0xDF) return {2, 0x80, 0xBF};
  if (b == 0xE0) return {3, 0xA0, 0xBF};
  if (b == 0xED) return {3, 0x80, 0x9F};
  if (b >= 0xE1 && b <= 0xEF) return {3, 0x80, 0xBF};
  if (b == 0xF0) return {4, 0x90, 0xBF};
  if (b >= 0xF1 && b <= 0xF3) return {4, 0x80, 0xBF};
  if (b == 0xF4) return {4, 0x80, 0x8F};
  return {};
}

int base64_value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

}  // namespace

std::string utf8_to_utf16le(std::string_view utf8) {
  std::string out;
  out.reserve(utf8.size() * 2);
  std::size_t i = 0;
  while (i < utf8.size()) {
    const auto b = static_cast<unsigned char>(utf8[i]);
    if (b < 0x80) {
      append_utf16le(out, b);
      ++i;
      continue;
    }
    const Lead lead = classify(b);
    if (lead.length == 0) {
      append_utf16le(out, kReplacement);
      ++i;
      continue;
    }
    const unsigned int mask = lead.length == 2 ? 0x1FU : lead.length == 3 ? 0x0FU : 0x07U;
    auto cp = static_cast<char32_t>(b & mask);
    std::size_t j = i + 1;
    bool ok = true;
    for (int k = 1; k < lead.length; ++k, ++j) {
      const unsigned char lo = k == 1 ? lead.lo : 0x80;
      const unsigned char hi = k == 1 ? lead.hi : 0xBF;
      if (j >= utf8.size()) {
        ok = false;
        break;
      }
      const auto c = static_cast<unsigned char>(utf8[j]);
      if (c < lo || c > hi) {
        ok = false;
        break;
      }
      cp = (cp << 6U) | static_cast<char32_t>(c & 0x3FU);
    }
    // On failure one U+FFFD replaces the valid prefix ("maximal subpart", as Unicode and the
    // WHATWG decoder recommend); the offending byte is examined again as a possible lead.
    append_utf16le(out, ok ? cp : kReplacement);
    i = j;
  }
  return out;
}

std::string base64_encode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const std::uint32_t v =
        (static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i])) << 16U) |
        (static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i + 1])) << 8U) |
        static_cast<unsigned char>(bytes[i + 2]);
    out.push_back(kAlphabet[(v >> 18U) & 0x3FU]);
    out.push_back(kAlphabet[(v >> 12U) & 0x3FU]);
    out.push_back(kAlphabet[(v >> 6U) & 0x3FU]);
    out.push_back(kAlphabet[v & 0x3FU]);
  }
  const std::size_t rest = bytes.size() - i;
  if (rest > 0) {
    std::uint32_t v = static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i])) << 16U;
    if (rest == 2) v |= static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i + 1])) << 8U;
    out.push_back(kAlphabet[(v >> 18U) & 0x3FU]);
    out.push_back(kAlphabet[(v >> 12U) & 0x3FU]);
    out.push_back(rest == 2 ? kAlphabet[(v >> 6U) & 0x3FU] : '=');
    out.push_back('=');
  }
  return out;
}

std::optional<std::string> base64_decode(std::string_view text) {
  // Text read from a file or a process usually ends in a line break; anything else that is not
  // in the alphabet means the input is not what we think it is.
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ' ||
                           text.back() == '\t')) {
    text.remove_suffix(1);
  }
  if (text.size() % 4 != 0) return std::nullopt;
  std::size_t padding = 0;
  if (!text.empty() && text.back() == '=') {
    ++padding;
    if (text.size() >= 2 && text[text.size() - 2] == '=') ++padding;
  }

  std::string out;
  out.reserve(text.size() / 4 * 3);
  for (std::size_t i = 0; i < text.size(); i += 4) {
    const bool last = i + 4 == text.size();
    std::uint32_t v = 0;
    for (std::size_t k = 0; k < 4; ++k) {
      const std::size_t pad_from = last ? 4 - padding : 4;
      if (k >= pad_from) {
        v <<= 6U;  // '=' (checked above to be at the very end only)
        continue;
      }
      const int d = base64_value(text[i + k]);
      if (d < 0) return std::nullopt;  // also rejects '=' anywhere but the padding
      v = (v << 6U) | static_cast<std::uint32_t>(d);
    }
    out.push_back(static_cast<char>((v >> 16U) & 0xFFU));
    if (!last || padding < 2) out.push_back(static_cast<char>((v >> 8U) & 0xFFU));
    if (!last || padding < 1) out.push_back(static_cast<char>(v & 0xFFU));
  }
  return out;
}

std::string encode_command(std::string_view script_utf8) {
  return base64_encode(utf8_to_utf16le(script_utf8));
}

}  // namespace nestvirt::powershell
