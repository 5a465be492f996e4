// "Did you mean ...?" for names the user typed: the closest known name by edit distance. Pure,
// shared by every command that looks a name up (switches and NATs here; CLI options may reuse
// it).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace nestvirt::core {

// Levenshtein distance (insert, delete, substitute one byte), compared case-insensitively for
// ASCII letters: Windows compares switch and NAT names without regard to case.
std::size_t edit_distance(std::string_view a, std::string_view b);

// The candidate closest to `typed`, if it is close enough to be a likely typo: at most 2 edits,
// and fewer edits than half the typed length (so "a" does not suggest "b"). Never `typed`
// itself. Ties go to the earlier candidate, so the answer does not depend on anything but the
// order given.
std::optional<std::string> closest_name(std::string_view typed,
                                        const std::vector<std::string>& candidates);

}  // namespace nestvirt::core
