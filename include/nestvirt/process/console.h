// The terminal nestvirt runs in, if any: whether a stream is one, and reading a line from it
// with echo off (a password). Everything else goes through commands::Io, whose real form
// (commands::real_io) is built from these.
#pragma once

#include <cstdio>
#include <optional>
#include <string>

namespace nestvirt::process {

bool is_terminal(std::FILE* stream);

// One line from stdin, without its line end (\n or \r\n); echo off while it is typed when
// `echo` is false (and stdin is a terminal). nullopt at end of input.
std::optional<std::string> read_terminal_line(bool echo);

}  // namespace nestvirt::process
