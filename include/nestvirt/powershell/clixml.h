// PowerShell writes errors and progress to a redirected stderr as "#< CLIXML" followed by
// <Objs> XML. This turns that into the readable text a user should see. Pure.
#pragma once

#include <string>
#include <string_view>

namespace nestvirt::powershell {

// Returns `stderr_text` with every CLIXML block replaced by its error/warning/information
// strings (decoding _xHHHH_ escapes and XML entities), progress records dropped. Text without
// CLIXML is returned unchanged (CRLF normalised to LF).
std::string decode_clixml(std::string_view stderr_text);

}  // namespace nestvirt::powershell
