#include "nestvirt/commands/credentials.h"

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>

#ifdef _WIN32
#ifndef _WIN32_WINNT
#define _WIN32_WINNT 0x0A00
#endif
#include <io.h>
#include <windows.h>
#else
#include <termios.h>
#include <unistd.h>
#endif

namespace nestvirt::commands {

CredentialLookup resolve_credentials(const EnvReader& env, bool interactive, const Asker& ask) {
  std::optional<std::string> user = env(kGuestUserVariable);
  std::optional<std::string> password = env(kGuestPasswordVariable);
  if (user && user->empty()) user.reset();
  if (user && password) return {GuestCredentials{*user, *password, "environment"}, ""};
  if (!interactive) {
    std::string message =
        "PowerShell Direct needs the credentials of an administrator inside the guest, and no "
        "terminal is there to ask for them: set " +
        std::string(kGuestUserVariable) + " and " + kGuestPasswordVariable;
    if (user || password) {
      message += " (" + std::string(user ? kGuestPasswordVariable : kGuestUserVariable) +
                 " is not set" + (user ? "" : " or empty") + ")";
    }
    return {std::nullopt, message + ". They are never read from the command line."};
  }
  if (!user) {
    user = ask("Guest user (an administrator inside the VM): ", true);
    if (!user || user->empty()) return {std::nullopt, "no guest user name was entered"};
  }
  if (!password) {
    password = ask("Password for " + *user + " (not shown): ", false);
    if (!password) return {std::nullopt, "no guest password was entered"};
  }
  return {GuestCredentials{*user, *password, "prompt"}, ""};
}

std::optional<std::string> read_environment(const char* name) {
#ifdef _WIN32
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
  SecureZeroMemory(wide.data(), wide.size() * sizeof(wchar_t));  // it may be a password
  return value;
#else
  const char* value = std::getenv(name);
  if (value == nullptr) return std::nullopt;
  return std::string(value);
#endif
}

bool stdin_is_terminal() {
#ifdef _WIN32
  return _isatty(_fileno(stdin)) != 0;
#else
  return isatty(STDIN_FILENO) == 1;
#endif
}

namespace {

// Turns terminal echo off for its lifetime (only when asked to), and back on however the read
// ends.
class EchoOff {
 public:
  explicit EchoOff(bool active) {
    if (!active) return;
#ifdef _WIN32
    handle_ = GetStdHandle(STD_INPUT_HANDLE);
    if (handle_ != INVALID_HANDLE_VALUE && GetConsoleMode(handle_, &mode_)) {
      changed_ = SetConsoleMode(handle_, mode_ & ~static_cast<DWORD>(ENABLE_ECHO_INPUT)) != 0;
    }
#else
    if (tcgetattr(STDIN_FILENO, &saved_) == 0) {
      termios quiet = saved_;
      quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
      changed_ = tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet) == 0;
    }
#endif
  }
  ~EchoOff() {
    if (!changed_) return;
#ifdef _WIN32
    SetConsoleMode(handle_, mode_);
#else
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_);
#endif
    std::cerr << "\n";  // the Enter the user typed was not echoed
  }
  EchoOff(const EchoOff&) = delete;
  EchoOff& operator=(const EchoOff&) = delete;

 private:
  bool changed_ = false;
#ifdef _WIN32
  HANDLE handle_ = INVALID_HANDLE_VALUE;
  DWORD mode_ = 0;
#else
  termios saved_{};
#endif
};

}  // namespace

std::optional<std::string> ask_on_terminal(const std::string& prompt, bool echo) {
  std::cerr << prompt << std::flush;
  std::string line;
  bool got = false;
  {
    EchoOff guard(!echo);
    got = static_cast<bool>(std::getline(std::cin, line));
  }
  if (!got) return std::nullopt;
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

void forget_environment(const char* name) {
#ifdef _WIN32
  // Children get the Win32 environment block (GetEnvironmentStringsW), not the CRT's copy.
  SetEnvironmentVariableA(name, nullptr);
#else
  unsetenv(name);
#endif
}

void wipe(std::string& secret) {
  // volatile: the stores must happen although the string is about to be released.
  volatile char* p = secret.data();
  for (std::size_t i = 0; i < secret.size(); ++i) p[i] = '\0';
  secret.clear();
}

}  // namespace nestvirt::commands
