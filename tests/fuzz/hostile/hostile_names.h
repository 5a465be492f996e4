// A deterministic generator of VM and switch names that would break any tool splicing them
// into PowerShell source: quotes of every kind PowerShell accepts (' " and the typographic
// U+2018-U+201E it treats alike), $() ${} @() subexpressions, backticks, ; | & separators,
// line breaks, comments, wildcards, non-ASCII text (accents composed and decomposed, CJK,
// emoji, right-to-left), names of 1,000+ characters, leading and trailing spaces, and payloads
// that create a file in a canary folder if they are ever run as code.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace hostile {

// `count` names, all different even ignoring ASCII case (Hyper-V and PowerShell compare names
// case-insensitively), none empty or only spaces (nestvirt refuses those before PowerShell
// starts). The same seed gives the same names. A payload of name i creates
// "<canary_dir>/n<i>-<letter>": the file name says which name ran.
std::vector<std::string> generate_names(std::uint64_t seed, std::size_t count,
                                        const std::string& canary_dir);

// Whether PowerShell's WildcardPattern would treat the name as a pattern rather than a
// literal: it holds * ? [ or ] or a backtick (its escape character).
bool has_pattern_characters(const std::string& name);

// ASCII letters lowered, everything else as is: the case-insensitive comparison of names made
// only of the generator's pieces (its non-ASCII pieces have no other-case twin).
std::string fold_case(const std::string& name);

// The name with control characters and non-ASCII bytes escaped, for a report line.
std::string shown(const std::string& name, std::size_t max_chars = 120);

}  // namespace hostile
