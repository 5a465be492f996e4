// The platform-independent part of the process runner: describe(), run() on top of spawn() and
// Child, and the Windows command-line quoting (pure, so it is compiled and tested everywhere).
#include <csignal>
#include <cstdio>
#include <string>

#include "nestvirt/process/child.h"

namespace nestvirt::process {
namespace {

// The names glibc's strsignal() gives, from a fixed table: strsignal() is not thread-safe and
// its text varies between C libraries, while describe() should say the same thing everywhere.
const char* signal_name(int signal) {
  switch (signal) {
#ifdef SIGHUP
    case SIGHUP:
      return "Hangup";
#endif
    case SIGINT:
      return "Interrupt";
#ifdef SIGQUIT
    case SIGQUIT:
      return "Quit";
#endif
    case SIGILL:
      return "Illegal instruction";
    case SIGABRT:
      return "Aborted";
#ifdef SIGBUS
    case SIGBUS:
      return "Bus error";
#endif
    case SIGFPE:
      return "Floating point exception";
#ifdef SIGKILL
    case SIGKILL:
      return "Killed";
#endif
#ifdef SIGUSR1
    case SIGUSR1:
      return "User defined signal 1";
#endif
    case SIGSEGV:
      return "Segmentation fault";
#ifdef SIGUSR2
    case SIGUSR2:
      return "User defined signal 2";
#endif
#ifdef SIGPIPE
    case SIGPIPE:
      return "Broken pipe";
#endif
#ifdef SIGALRM
    case SIGALRM:
      return "Alarm clock";
#endif
    case SIGTERM:
      return "Terminated";
    default:
      return nullptr;
  }
}

// now + timeout without overflowing when the caller passes a huge timeout.
Clock::time_point deadline_after(std::chrono::milliseconds timeout) {
  const auto now = Clock::now();
  if (timeout <= std::chrono::milliseconds::zero()) return now;
  const auto room =
      std::chrono::duration_cast<std::chrono::milliseconds>(Clock::time_point::max() - now);
  if (timeout >= room) return Clock::time_point::max();
  return now + timeout;
}

bool needs_quotes(std::wstring_view arg) {
  return arg.empty() || arg.find_first_of(L" \t\n\v\"") != std::wstring_view::npos;
}

}  // namespace

std::string describe(const ExitStatus& status) {
  switch (status.kind) {
    case ExitKind::Exited: {
      std::string text = "exited with code " + std::to_string(status.code);
      if (status.code < 0) {
        // Windows NTSTATUS codes (0xC0000005 and the like) arrive as negative ints.
        char hex[16];
        std::snprintf(hex, sizeof hex, "0x%08X", static_cast<unsigned>(status.code));
        text += " (";
        text += hex;
        text += ")";
      }
      return text;
    }
    case ExitKind::Signaled: {
      std::string text = "killed by signal " + std::to_string(status.signal);
      if (const char* name = signal_name(status.signal)) {
        text += " (";
        text += name;
        text += ")";
      }
      return text;
    }
    case ExitKind::TimedOut:
      return "timed out: it and its child processes were killed";
    case ExitKind::StartFailed:
      return status.start_error.empty() ? std::string("could not be started") : status.start_error;
  }
  return "unknown exit status";
}

RunResult run(const SpawnOptions& options, std::string_view input,
              std::chrono::milliseconds timeout) {
  RunResult result;
  const Clock::time_point deadline = deadline_after(timeout);
  std::unique_ptr<Child> child = spawn(options, result.status);
  if (!child) return result;

  // Eof here means the child closed its stdin (or exited) before taking all of the input: that
  // is its business, not an error of ours. TimedOut means the deadline has passed, and wait()
  // below then ends the tree and reports it. Output is drained all along, so neither side can
  // block the other.
  (void)child->write(input, deadline);
  child->close_stdin();
  result.status = child->wait(deadline);
  result.out = child->take_stdout();
  result.err = child->take_stderr();
  return result;
}

// The rules CommandLineToArgvW and the MSVC runtime apply when splitting a command line:
//  - whitespace (space, tab) separates arguments unless inside double quotes;
//  - 2n backslashes followed by a quote become n backslashes, and the quote is a delimiter;
//  - 2n+1 backslashes followed by a quote become n backslashes and a literal quote;
//  - backslashes not followed by a quote are literal.
// So inside the quotes we add, every run of backslashes that precedes a quote (the closing
// one included) is doubled, and every literal quote is preceded by one more backslash.
std::wstring quote_windows_argument(std::wstring_view arg) {
  if (!needs_quotes(arg)) return std::wstring(arg);
  std::wstring quoted;
  quoted.reserve(arg.size() + 2);
  quoted.push_back(L'"');
  std::size_t backslashes = 0;
  for (wchar_t c : arg) {
    if (c == L'\\') {
      ++backslashes;
      continue;
    }
    if (c == L'"') {
      quoted.append(backslashes * 2 + 1, L'\\');
    } else {
      quoted.append(backslashes, L'\\');
    }
    backslashes = 0;
    quoted.push_back(c);
  }
  // The closing quote follows: double the trailing backslashes so it stays a delimiter.
  quoted.append(backslashes * 2, L'\\');
  quoted.push_back(L'"');
  return quoted;
}

// The program name (first argument) is split differently by both parsers: it runs to the next
// quote if it starts with one, else to the first whitespace, and backslashes are never escape
// characters there. So it is only wrapped in quotes, never escaped. A quote inside it cannot be
// expressed at all (nor can it occur in a Windows file name); it falls back to the normal rules.
std::wstring build_windows_command_line(const std::vector<std::wstring>& argv) {
  std::wstring line;
  for (std::size_t i = 0; i < argv.size(); ++i) {
    const std::wstring& arg = argv[i];
    if (i == 0) {
      if (arg.find(L'"') != std::wstring::npos) {
        line += quote_windows_argument(arg);
      } else if (needs_quotes(arg)) {
        line += L'"';
        line += arg;
        line += L'"';
      } else {
        line += arg;
      }
      continue;
    }
    line += L' ';
    line += quote_windows_argument(arg);
  }
  return line;
}

}  // namespace nestvirt::process
