// net-nat guest: the checks made before PowerShell starts, and the host NAT the prefix and
// gateway come from when --prefix is omitted.
#include <algorithm>
#include <charconv>

#include "nestvirt/core/findings.h"
#include "nestvirt/core/guest_plan.h"

namespace nestvirt::core {

namespace {

// A NAT prefix as WinNAT reports it. Lenient where --prefix is strict: the host's NAT exists
// already, whatever its length; only its network part matters here.
std::optional<Prefix> parse_nat_prefix(const std::string& text) {
  const auto slash = text.find('/');
  if (slash == std::string::npos) return std::nullopt;
  auto address = Ipv4::parse(std::string_view(text).substr(0, slash));
  int length = -1;
  const char* first = text.data() + slash + 1;
  const char* last = text.data() + text.size();
  auto [end, ec] = std::from_chars(first, last, length);
  if (!address || ec != std::errc() || end != last || length < 1 || length > 30)
    return std::nullopt;
  return prefix_of(*address, length);
}

// An address to suggest: the first host that is not the gateway.
std::string example_address(const Prefix& prefix, Ipv4 gateway) {
  Ipv4 candidate = prefix.first_host();
  if (candidate == gateway) candidate = Ipv4{candidate.value + 1};
  return candidate.str();
}

// A NAT with its prefix, the host's address inside it (the gateway the nested VMs use, which
// net-nat --gateway may have moved away from the first host) and the switch that carries it.
HostNat described(const NetFacts& net, const NatFacts& nat) {
  HostNat out;
  out.name = nat.name;
  out.prefix = parse_nat_prefix(nat.internal_prefix);
  if (!out.prefix) {
    out.error = "the host's NAT " + ps_quote(nat.name) + " has the prefix '" + nat.internal_prefix +
                "', which is no IPv4 prefix nestvirt can use: give --prefix";
    return out;
  }
  const NatHostSide side = nat_host_side(net, *out.prefix);
  out.gateway = side.gateway;
  out.gateway_alias = side.alias;
  if (side.switch_type == "Internal") out.switch_name = side.switch_name;
  return out;
}

}  // namespace

HostNat host_nat(const NetFacts& net) {
  HostNat out;
  for (const auto& e : net.errors) {
    if (e.probe == "Get-NetNat") {
      out.error = "the host's NAT could not be read (" + e.message +
                  "); give the nested VMs' network with --prefix, for example --prefix "
                  "192.168.100.0/24";
      return out;
    }
  }
  if (net.nats.empty()) {
    out.error =
        "this host has no NAT to take the prefix from: create one first (nestvirt net-nat "
        "--switch VmNAT --prefix 192.168.100.0/24) or give --prefix";
    return out;
  }
  if (net.nats.size() > 1) {
    std::string names;
    for (const auto& n : net.nats) {
      names += (names.empty() ? "" : ", ") + ps_quote(n.name) + " (" + n.internal_prefix + ")";
    }
    out.error = "this host has " + std::to_string(net.nats.size()) + " NATs (" + names +
                "): choose the nested VMs' network with --prefix";
    return out;
  }
  return described(net, net.nats.front());
}

HostNat host_nat_for(const NetFacts& net, Ipv4 ip) {
  HostNat out;
  for (const auto& e : net.errors) {
    if (e.probe == "Get-NetNat" || e.probe == "Get-NetIPAddress" || e.probe == "Get-VMSwitch") {
      out.error = "the host's network could not be read (" + e.probe + ": " + e.message + ")";
      out.unreadable = true;
      return out;
    }
  }
  for (const auto& n : net.nats) {
    auto prefix = parse_nat_prefix(n.internal_prefix);
    if (prefix && prefix->contains(ip)) {
      HostNat found = described(net, n);
      for (const auto& other : net.nats) {
        if (&other != &n)
          found.others.push_back(ps_quote(other.name) + " (" + other.internal_prefix + ")");
      }
      return found;
    }
  }
  for (const auto& n : net.nats)
    out.others.push_back(ps_quote(n.name) + " (" + n.internal_prefix + ")");
  out.error = "no NAT on this host has " + ip.str() + " in its prefix";
  return out;
}

GuestInputCheck check_guest_input(const GuestInput& input, const std::optional<HostNat>& nat) {
  GuestInputCheck check;
  auto& errors = check.errors;
  GuestRequest r;
  r.vm = input.vm;
  r.adapter = input.adapter;

  const auto ip = Ipv4::parse(input.ip);
  if (!ip) {
    errors.push_back("--ip '" + input.ip +
                     "' is not an IPv4 address: write four numbers 0-255, for example "
                     "192.168.100.2");
  }
  std::optional<Ipv4> gateway;
  if (!input.gateway.empty()) {
    gateway = Ipv4::parse(input.gateway);
    if (!gateway) {
      errors.push_back("--gateway '" + input.gateway +
                       "' is not an IPv4 address: write four numbers 0-255, for example "
                       "192.168.100.1");
    }
  }
  for (const auto& text : input.dns) {
    auto server = Ipv4::parse(text);
    if (!server) {
      errors.push_back("--dns '" + text +
                       "' is not an IPv4 address: write four numbers 0-255, for example 1.1.1.1");
    } else if (std::find(r.dns.begin(), r.dns.end(), *server) != r.dns.end()) {
      errors.push_back("--dns " + server->str() + " is given twice");
    } else {
      r.dns.push_back(*server);
    }
  }

  std::optional<Prefix> prefix;
  if (!input.prefix.empty()) {
    auto parsed = parse_prefix(input.prefix);
    if (parsed.prefix)
      prefix = parsed.prefix;
    else
      errors.push_back(parsed.error);
    r.prefix_source = "option";
  } else if (input.print) {
    errors.push_back(
        "--print runs nothing, so it cannot read the prefix from the host's NAT: give --prefix "
        "as well, for example --prefix 192.168.100.0/24");
  } else if (!nat) {
    check.needs_host_nat = errors.empty();
    return check;
  } else if (!nat->prefix) {
    errors.push_back(nat->error);
  } else {
    prefix = nat->prefix;
    r.prefix_source = "host-nat";
  }
  if (!prefix || !ip) return check;  // the other errors are reported as they are
  r.prefix = *prefix;
  r.ip = *ip;

  const std::string range = prefix->first_host().str() + " to " + prefix->last_host().str();
  if (gateway) {
    r.gateway = *gateway;
    r.gateway_source = "option";
    if (!prefix->contains(*gateway)) {
      errors.push_back("--gateway " + gateway->str() + " is outside " + prefix->str() +
                       ": the gateway is the NAT host's address in that network (" + range + ")");
    } else if (*gateway == prefix->network || *gateway == prefix->broadcast()) {
      errors.push_back("--gateway " + gateway->str() + " is the " +
                       (*gateway == prefix->network ? "network" : "broadcast") + " address of " +
                       prefix->str() + ", not a host: use the NAT host's address, usually " +
                       prefix->first_host().str());
    }
  } else if (nat && nat->gateway && nat->prefix && *nat->prefix == *prefix) {
    // The host's own address in its NAT, also when --prefix names that NAT's prefix.
    r.gateway = *nat->gateway;
    r.gateway_source = "host-nat";
  } else {
    r.gateway = prefix->first_host();
    r.gateway_source = "default";
  }

  const std::string example = example_address(*prefix, r.gateway);
  if (!prefix->contains(*ip)) {
    errors.push_back("--ip " + ip->str() + " is outside " + prefix->str() +
                     ": a nested VM needs an address in the NAT's network (" + range +
                     "), for example " + example);
  } else if (*ip == prefix->network || *ip == prefix->broadcast()) {
    errors.push_back("--ip " + ip->str() + " is the " +
                     (*ip == prefix->network ? "network" : "broadcast") + " address of " +
                     prefix->str() + ", which no VM can use: take one from " + range +
                     ", for example " + example);
  } else if (*ip == r.gateway) {
    errors.push_back("--ip " + ip->str() +
                     " is the gateway (the NAT host's own address): the nested VM needs an "
                     "address of its own, for example " +
                     example);
  }
  if (errors.empty()) check.request = r;
  return check;
}

}  // namespace nestvirt::core
