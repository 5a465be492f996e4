// net-nat's command line, checked before PowerShell starts: nothing on the host is read or
// changed for input that cannot be right.
#include "nestvirt/core/nat_plan.h"

namespace nestvirt::core {

namespace {

// Hyper-V and WinNAT accept long names, but "vEthernet (<name>)" must stay a usable interface
// alias (Windows limits those to 256 characters); 100 keeps every derived name well inside.
constexpr std::size_t kMaxName = 100;

void check_name(const std::string& option, const std::string& value, bool required,
                std::vector<std::string>& errors) {
  if (value.empty()) {
    if (required) {
      errors.push_back(option + " is required: name the internal switch, for example " + option +
                       " NestedNAT");
    }
    return;
  }
  if (value.size() > kMaxName) {
    errors.push_back(option + " is " + std::to_string(value.size()) +
                     " characters long; use at most " + std::to_string(kMaxName));
  }
  if (value.find_first_not_of(" \t") == std::string::npos) {
    errors.push_back(option + " cannot be only spaces");
  }
}

}  // namespace

NatInputCheck check_nat_input(const NatInput& in) {
  NatInputCheck out;
  auto& errors = out.errors;
  check_name("--switch", in.switch_name, true, errors);
  if (!in.nat_name.empty()) check_name("--nat-name", in.nat_name, false, errors);
  if (in.force && !in.remove) {
    errors.push_back(
        "--force only applies with --remove (it disconnects VMs from the switch "
        "before removing it); drop --force");
  }
  if (in.remove && !in.connect_vms.empty()) {
    errors.push_back("--connect-vm cannot be combined with --remove");
  }
  if (!in.adapter.empty() && in.connect_vms.empty()) {
    errors.push_back(
        "--adapter applies to --connect-vm; name the VMs to connect with "
        "--connect-vm NAME");
  }
  for (const auto& vm : in.connect_vms) {
    if (vm.empty()) errors.push_back("--connect-vm: a VM name cannot be empty");
  }

  NatRequest request;
  request.switch_name = in.switch_name;
  request.nat_name = in.nat_name.empty() ? in.switch_name : in.nat_name;
  request.connect_vms = in.connect_vms;
  request.adapter = in.adapter;
  request.remove = in.remove;
  request.force = in.force;

  if (!in.prefix.empty() || !in.remove) {
    if (in.prefix.empty()) {
      errors.push_back(
          "--prefix is required: the internal network in CIDR form, for example "
          "--prefix 192.168.100.0/24");
    } else {
      PrefixParse parsed = parse_prefix(in.prefix);
      if (!parsed.prefix) {
        errors.push_back(parsed.error);
      } else {
        request.prefix = *parsed.prefix;
        if (!request.prefix.is_private()) {
          out.warnings.push_back(
              "--prefix " + request.prefix.str() +
              " is not a private range (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16): the nested "
              "VMs would shadow public addresses of that range");
        }
        request.gateway = request.prefix.first_host();
        if (!in.gateway.empty()) {
          auto gw = Ipv4::parse(in.gateway);
          if (!gw) {
            errors.push_back("--gateway '" + in.gateway +
                             "' is not an IPv4 address; for example --gateway " +
                             request.prefix.first_host().str());
          } else if (!request.prefix.contains(*gw)) {
            errors.push_back("--gateway " + gw->str() + " is outside --prefix " +
                             request.prefix.str() + "; pick an address from " +
                             request.prefix.first_host().str() + " to " +
                             request.prefix.last_host().str());
          } else if (*gw == request.prefix.network || *gw == request.prefix.broadcast()) {
            errors.push_back("--gateway " + gw->str() + " is the " +
                             (*gw == request.prefix.network ? "network" : "broadcast") +
                             " address of " + request.prefix.str() +
                             "; use a host address, "
                             "for example " +
                             request.prefix.first_host().str());
          } else {
            request.gateway = *gw;
          }
        }
      }
    }
  }
  if (errors.empty()) out.request = request;
  return out;
}

}  // namespace nestvirt::core
