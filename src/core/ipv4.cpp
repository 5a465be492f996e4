#include "nestvirt/core/ipv4.h"

#include <charconv>

namespace nestvirt::core {

namespace {

std::optional<int> parse_number(std::string_view text, int max) {
  if (text.empty() || text.size() > 3) return std::nullopt;
  if (text.size() > 1 && text[0] == '0') return std::nullopt;
  // from_chars reads a minus sign: "-0" would pass every other check.
  if (text[0] < '0' || text[0] > '9') return std::nullopt;
  int value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < 0 || value > max) {
    return std::nullopt;
  }
  return value;
}

}  // namespace

std::optional<Ipv4> Ipv4::parse(std::string_view text) {
  std::uint32_t value = 0;
  for (int part = 0; part < 4; ++part) {
    const auto dot = text.find('.');
    const bool last = part == 3;
    if (last != (dot == std::string_view::npos)) return std::nullopt;
    auto n = parse_number(text.substr(0, dot), 255);
    if (!n) return std::nullopt;
    value = (value << 8) | static_cast<std::uint32_t>(*n);
    if (!last) text.remove_prefix(dot + 1);
  }
  return Ipv4{value};
}

std::string Ipv4::str() const {
  return std::to_string(value >> 24) + "." + std::to_string((value >> 16) & 0xFF) + "." +
         std::to_string((value >> 8) & 0xFF) + "." + std::to_string(value & 0xFF);
}

std::uint32_t Prefix::mask() const {
  return length == 0 ? 0u : ~std::uint32_t{0} << (32 - length);
}
Ipv4 Prefix::broadcast() const {
  return Ipv4{network.value | ~mask()};
}
Ipv4 Prefix::first_host() const {
  return Ipv4{network.value + 1};
}
Ipv4 Prefix::last_host() const {
  return Ipv4{broadcast().value - 1};
}
bool Prefix::contains(Ipv4 address) const {
  return (address.value & mask()) == network.value;
}
bool Prefix::overlaps(const Prefix& other) const {
  return contains(other.network) || other.contains(network);
}
bool Prefix::is_private() const {
  static const Prefix ranges[] = {
      {Ipv4{0x0A000000}, 8}, {Ipv4{0xAC100000}, 12}, {Ipv4{0xC0A80000}, 16}};
  for (const auto& r : ranges) {
    if (r.contains(network) && length >= r.length) return true;
  }
  return false;
}
std::string Prefix::str() const {
  return network.str() + "/" + std::to_string(length);
}

Prefix prefix_of(Ipv4 address, int length) {
  Prefix p;
  p.length = length;
  p.network = Ipv4{address.value & p.mask()};
  return p;
}

PrefixParse parse_prefix(std::string_view text) {
  const std::string shown = "'" + std::string(text) + "'";
  const auto slash = text.find('/');
  if (slash == std::string_view::npos) {
    return {std::nullopt, "--prefix " + shown +
                              " is not a CIDR prefix: write the network and its length, for "
                              "example 192.168.100.0/24"};
  }
  auto address = Ipv4::parse(text.substr(0, slash));
  auto length = parse_number(text.substr(slash + 1), 32);
  if (!address || !length) {
    return {std::nullopt, "--prefix " + shown +
                              " is not a CIDR prefix: write four numbers 0-255 and a length, "
                              "for example 192.168.100.0/24"};
  }
  if (*length < 8 || *length > 30) {
    return {std::nullopt, "--prefix " + shown + " has length /" + std::to_string(*length) +
                              "; use a length from /8 to /30 (a /31 or /32 leaves no room for "
                              "a gateway and nested VMs), for example /24"};
  }
  Prefix p = prefix_of(*address, *length);
  if (p.network != *address) {
    return {std::nullopt, "--prefix " + shown + " has host bits set: the network of " +
                              address->str() + "/" + std::to_string(*length) + " is " + p.str() +
                              ". Did you mean --prefix " + p.str() + "?"};
  }
  return {p, ""};
}

}  // namespace nestvirt::core
