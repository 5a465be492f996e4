// Structure-aware mutation of JSON inputs for libFuzzer's LLVMFuzzerCustomMutator. Byte flips
// turn a facts reply into invalid JSON almost every time, so the parsers behind json::parse
// would rarely be reached; this changes one node of the parsed document instead (a value of
// another type or an edge value, a key renamed, deleted or added, an array of one unwrapped as
// Windows PowerShell 5.1 writes it...) and writes the document back.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace fuzz {

// Mutates data[0, size) in place (room for max_size bytes); returns the new size. One call in
// four, or when the text is not JSON, it leaves the job to libFuzzer's byte mutator, so
// malformed documents are still tried. `keys` are object keys worth adding or renaming to.
std::size_t mutate_json(std::uint8_t* data, std::size_t size, std::size_t max_size,
                        unsigned int seed, const std::vector<std::string_view>& keys);

}  // namespace fuzz
