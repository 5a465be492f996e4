// The host-side checks of net-nat guest (guest_nat_checks.cpp); internal to core.
#pragma once

#include <optional>

#include "nestvirt/core/guest_plan.h"

namespace nestvirt::core::detail {

// Why `r` cannot work on this host, or nullopt: the NAT that contains --ip, its prefix being
// --prefix, its gateway being the host's address and --gateway, and `vm` on its switch.
std::optional<GuestProblem> host_nat_problem(const GuestRequest& r, const GuestVm& vm,
                                             const HostNat& nat);

}  // namespace nestvirt::core::detail
