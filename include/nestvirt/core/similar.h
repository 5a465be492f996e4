// "Did you mean ...?" for what the user typed: the closest known name (switches, NATs, VMs) or
// word (commands and options of the command line) by edit distance. Pure.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace nestvirt::core {

// Edits (insert, delete, replace one byte, swap two neighbours) from `a` to `b`, ignoring ASCII
// case (Windows compares switch and NAT names without regard to case): a swap counts once,
// because "enabel" is one slip of the fingers, not two.
std::size_t edit_distance(std::string_view a, std::string_view b);

// The candidate closest to `typed`, if it is close enough to be a likely typo: at most 2 edits,
// and fewer edits than half the typed length (so "a" does not suggest "b"). Never `typed`
// itself. Ties go to the earlier candidate, so the answer does not depend on anything but the
// order given.
std::optional<std::string> closest_name(std::string_view typed,
                                        const std::vector<std::string>& candidates);

// The command or option closest to `typed`, if it is close enough to be what was meant: at most
// a third of the candidate's letters (leading dashes aside) differ, and at least one may. Ties
// go to the earlier candidate. Never the word itself.
std::optional<std::string> closest_word(std::string_view typed,
                                        const std::vector<std::string>& known);

}  // namespace nestvirt::core
