#include "nestvirt/core/host_run.h"

#include "nestvirt/core/exit_rules.h"

namespace nestvirt::core {

int fleet_exit_code(const std::vector<HostRun>& runs) {
  std::vector<int> codes;
  for (const auto& r : runs) codes.push_back(r.exit_code);
  return combine_exit_codes(codes);
}

}  // namespace nestvirt::core
