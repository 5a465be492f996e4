// IPv4 addresses and prefixes (core/ipv4.h): whatever text is accepted is already in canonical
// form and reads back to the same value; every value prints as text that reads back to it; a
// prefix that is accepted is a network of length 8-30 without host bits, and a refusal always
// says why.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "nestvirt/core/ipv4.h"
#include "support/property.h"

using nestvirt::core::Ipv4;
using nestvirt::core::parse_prefix;
using nestvirt::core::Prefix;
using nestvirt::core::prefix_of;

namespace {

void check_text(std::string_view text) {
  const std::string shown(text);
  if (const auto address = Ipv4::parse(text)) {
    fuzz::require(address->str() == text, "an accepted address is canonical", shown);
    fuzz::require(Ipv4::parse(address->str()) == address, "parse(str(a)) == a", shown);
  }
  const auto parsed = parse_prefix(text);
  fuzz::require(parsed.prefix.has_value() != !parsed.error.empty(),
                "parse_prefix gives a prefix or an error, never both or neither", shown);
  if (parsed.prefix) {
    const Prefix& p = *parsed.prefix;
    fuzz::require(p.str() == text, "an accepted prefix is canonical", shown);
    fuzz::require(p.length >= 8 && p.length <= 30, "an accepted prefix is /8 to /30", shown);
    fuzz::require((p.network.value & ~p.mask()) == 0, "an accepted prefix has no host bits", shown);
    const auto again = parse_prefix(p.str());
    fuzz::require(again.prefix == parsed.prefix, "parse_prefix(str(p)) == p", shown);
  }
}

// Four bytes of address and one of length: the value side of the round trip.
void check_value(std::uint32_t value, int length) {
  const Ipv4 address{value};
  const std::string shown = address.str() + "/" + std::to_string(length);
  fuzz::require(Ipv4::parse(address.str()) == address, "str(a) reads back to a", shown);
  const Prefix p = prefix_of(address, length);
  fuzz::require(p.contains(address), "a prefix contains the address it was made from", shown);
  fuzz::require(p.contains(p.network) && p.contains(p.broadcast()),
                "a prefix contains its network and broadcast addresses", shown);
  fuzz::require(p.overlaps(p), "a prefix overlaps itself", shown);
  fuzz::require(prefix_of(p.network, length) == p, "prefix_of is idempotent", shown);
  if (length >= 8 && length <= 30) {
    fuzz::require(parse_prefix(p.str()).prefix == p, "a /8-/30 network reads back", shown);
    fuzz::require(p.contains(p.first_host()) && p.contains(p.last_host()),
                  "first and last host are inside", shown);
    fuzz::require(p.first_host() <= p.last_host(), "first host <= last host", shown);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  check_text(std::string_view(reinterpret_cast<const char*>(data), size));
  if (size >= 5) {
    std::uint32_t value = 0;
    std::memcpy(&value, data, sizeof value);
    check_value(value, data[4] % 33);  // lengths 0-32, as Get-NetIPAddress reports them
  }
  return 0;
}
