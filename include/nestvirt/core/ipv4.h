// IPv4 addresses and prefixes for net-nat, checked before PowerShell starts. Pure.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace nestvirt::core {

struct Ipv4 {
  std::uint32_t value = 0;
  // Dotted quad only: four decimal parts 0-255, no leading zeros (they mean octal to some
  // tools), no spaces.
  static std::optional<Ipv4> parse(std::string_view text);
  std::string str() const;
  auto operator<=>(const Ipv4&) const = default;
};

struct Prefix {
  Ipv4 network;
  int length = 0;

  std::uint32_t mask() const;
  Ipv4 broadcast() const;
  Ipv4 first_host() const;  // network + 1: the default gateway
  Ipv4 last_host() const;
  bool contains(Ipv4 address) const;
  bool overlaps(const Prefix& other) const;
  bool is_private() const;  // inside 10/8, 172.16/12 or 192.168/16 (RFC 1918)
  std::string str() const;  // "192.168.100.0/24"
  bool operator==(const Prefix&) const = default;
};

struct PrefixParse {
  std::optional<Prefix> prefix;  // set when valid
  std::string error;             // else why, naming the input and the fix
};

// "192.168.100.0/24". Refuses malformed text, lengths outside 8-30 (WinNAT needs room for a
// gateway and guests; /31 and /32 have none), and host bits set ("192.168.100.5/24": says that
// 192.168.100.0/24 was probably meant).
PrefixParse parse_prefix(std::string_view text);

// Prefix of an address with a length, as Get-NetIPAddress reports it (host bits allowed).
Prefix prefix_of(Ipv4 address, int length);

}  // namespace nestvirt::core
