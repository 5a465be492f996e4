// PowerShell writes errors and progress to a redirected stderr as "#< CLIXML" followed by
// <Objs> XML. This turns that into the readable text a user should see. Pure.
#pragma once

#include <string>
#include <string_view>

namespace nestvirt::powershell {

// Returns `stderr_text` with every CLIXML block replaced by its error/warning/information
// strings (decoding _xHHHH_ escapes and XML entities), progress records dropped; warning, verbose
// and debug lines get the console host's "WARNING: "/"VERBOSE: "/"DEBUG: " prefix. Text without
// CLIXML is returned unchanged apart from the common clean-up: CRLF normalised to LF, terminal
// escape sequences removed (pwsh 7 colours errors even when redirected), spaces at line ends,
// trailing blank lines and the final line break trimmed. Malformed or truncated XML is kept as
// raw text minus the "#< CLIXML" marker; never throws on any input.
std::string decode_clixml(std::string_view stderr_text);

}  // namespace nestvirt::powershell
