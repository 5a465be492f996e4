#include <windows.h>

#include "nestvirt/process/environment.h"

namespace nestvirt::process {

std::optional<std::string> read_environment(const char* name) {
  // getenv gives the ANSI code page's text, which cannot carry every password or path: a guest
  // password with letters outside ASCII never matched. The environment itself is UTF-16: read
  // that and hand on UTF-8, as on other systems. Names are ASCII.
  const std::wstring wide_name(name, name + std::char_traits<char>::length(name));
  const DWORD size = GetEnvironmentVariableW(wide_name.c_str(), nullptr, 0);
  if (size == 0) return std::nullopt;
  std::wstring wide(size, L'\0');
  wide.resize(GetEnvironmentVariableW(wide_name.c_str(), wide.data(), size));
  if (wide.empty()) return std::string();
  const int length = WideCharToMultiByte(CP_UTF8, 0, wide.data(), static_cast<int>(wide.size()),
                                         nullptr, 0, nullptr, nullptr);
  std::string value(static_cast<std::size_t>(length > 0 ? length : 0), '\0');
  WideCharToMultiByte(CP_UTF8, 0, wide.data(), static_cast<int>(wide.size()), value.data(), length,
                      nullptr, nullptr);
  // The UTF-16 copy may be a password: the caller wipes the UTF-8 one (core::Secret::take),
  // this one is wiped here, with the system's own wipe for a buffer of wide characters.
  SecureZeroMemory(wide.data(), wide.size() * sizeof(wchar_t));
  return value;
}

void forget_environment(const char* name) {
  // Children get the Win32 environment block (GetEnvironmentStringsW), not the CRT's copy.
  SetEnvironmentVariableA(name, nullptr);
}

}  // namespace nestvirt::process
