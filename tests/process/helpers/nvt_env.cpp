// Test helper: nvt_env NAME... prints "NAME=value\n" for each variable that is set (value in
// UTF-8) and "NAME unset\n" for each that is not.
#include <cstdio>
#include <cstdlib>
#include <string>

#ifdef _WIN32
#include <fcntl.h>
#include <io.h>
#include <windows.h>
#endif

namespace {

bool lookup(const char* name, std::string& value) {
#ifdef _WIN32
  std::wstring wide_name;
  for (const char* p = name; *p != '\0'; ++p) wide_name.push_back(static_cast<wchar_t>(*p));
  const DWORD size = GetEnvironmentVariableW(wide_name.c_str(), nullptr, 0);
  if (size == 0) return false;
  std::wstring wide(size, L'\0');
  const DWORD length = GetEnvironmentVariableW(wide_name.c_str(), wide.data(), size);
  wide.resize(length);
  const int bytes = WideCharToMultiByte(CP_UTF8, 0, wide.data(), static_cast<int>(wide.size()),
                                        nullptr, 0, nullptr, nullptr);
  value.assign(bytes > 0 ? static_cast<std::size_t>(bytes) : 0U, '\0');
  WideCharToMultiByte(CP_UTF8, 0, wide.data(), static_cast<int>(wide.size()), value.data(), bytes,
                      nullptr, nullptr);
  return true;
#else
  const char* found = std::getenv(name);
  if (found == nullptr) return false;
  value = found;
  return true;
#endif
}

}  // namespace

int main(int argc, char** argv) {
#ifdef _WIN32
  _setmode(_fileno(stdout), _O_BINARY);
#endif
  std::string out;
  for (int i = 1; i < argc; ++i) {
    std::string value;
    if (lookup(argv[i], value)) {
      out += std::string(argv[i]) + "=" + value + "\n";
    } else {
      out += std::string(argv[i]) + " unset\n";
    }
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  std::fflush(stdout);
  return 0;
}
