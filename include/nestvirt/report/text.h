// Small helpers for the human report: aligned "label  value" rows and finding blocks.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "nestvirt/core/findings.h"

namespace nestvirt::report {

// "  label............value\n" with labels padded to one width.
class Rows {
 public:
  explicit Rows(std::size_t indent = 2) : indent_(indent) {}
  void add(std::string label, std::string value);
  std::string str() const;

 private:
  std::size_t indent_;
  std::vector<std::pair<std::string, std::string>> rows_;
};

std::string yes_no_unknown(const std::optional<bool>& value);
std::string status_word(core::Status status);  // "PASS", "WARN", "FAIL", "UNKNOWN"
// A finding as the admin reads it: status, title and what was seen; then, when it is not a
// pass, what is needed and the fix.
std::string finding_block(const core::Finding& finding);
// "2 failed, 1 warning, 8 passed"
std::string finding_counts(const std::vector<core::Finding>& findings);
std::string format_bytes(int64_t bytes);  // "4 GiB", "1536 MiB", as the findings say it

}  // namespace nestvirt::report
