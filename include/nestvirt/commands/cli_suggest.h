// "Did you mean": the closest known word to a mistyped command or option. Pure, so it can be
// tested without a command line.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace nestvirt::commands {

// Edits (insert, delete, replace, swap two neighbours) from `a` to `b`, ignoring ASCII case:
// a swap counts once, because "enabel" is one slip of the fingers, not two.
std::size_t edit_distance(std::string_view a, std::string_view b);

// The candidate closest to `typed`, if it is close enough to be what was meant: at most a third
// of the candidate's letters (leading dashes aside) differ, and at least one may. Ties go to the
// earlier candidate. Never the word itself.
std::optional<std::string> closest(std::string_view typed, const std::vector<std::string>& known);

}  // namespace nestvirt::commands
