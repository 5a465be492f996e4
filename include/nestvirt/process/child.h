// Process runner: starts a program from an argument vector (never through a shell), talks to it
// over pipes without deadlock, and ends it together with its children on a deadline.
// POSIX implementation in src/process/child_posix.cpp, Windows in src/process/child_win32.cpp.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace nestvirt::process {

using Clock = std::chrono::steady_clock;

struct SpawnOptions {
  // argv[0] is the program. Without a directory separator it is searched on PATH: the child's
  // PATH, that is with `env` applied. On Windows only PATH is searched (not the current or the
  // application's directory, as CreateProcess would), ".exe" is added to a name without
  // extension, and batch files are refused (cmd.exe would re-parse their arguments).
  std::vector<std::string> argv;
  // Variables set (or overridden) on top of the current environment, as NAME, VALUE.
  std::vector<std::pair<std::string, std::string>> env;
  // Child::interrupt() can reach it. POSIX: always (a signal); Windows: through an event named
  // in its NESTVIRT_INTERRUPT_EVENT (a child without a console gets no Ctrl-C).
  bool forward_interrupts = false;
};

enum class ExitKind {
  Exited,       // ran and exited; `code` holds the exit code
  Signaled,     // ended by a signal it did not catch (POSIX); `signal` holds it
  TimedOut,     // still running at the deadline: it and its children were killed
  StartFailed,  // could not be started (missing, not executable, ...); `start_error` says why
};

struct ExitStatus {
  ExitKind kind = ExitKind::Exited;
  int code = 0;
  int signal = 0;
  std::string start_error;
};

// Human words for an exit status, e.g. "exited with code 3", "killed by signal 9 (Killed)".
std::string describe(const ExitStatus& status);

struct RunResult {
  ExitStatus status;
  std::string out;
  std::string err;
};

// Runs argv to completion: feeds `input` to stdin then closes it, collects stdout and stderr
// whatever their size, and kills the process tree if it outlives `timeout`.
RunResult run(const SpawnOptions& options, std::string_view input,
              std::chrono::milliseconds timeout);

// A running child for request/response conversations (the PowerShell session).
// Every call keeps draining stdout and stderr, so a child that writes a lot while we write to
// it never blocks us both. One thread at a time may use a Child.
class Child {
 public:
  enum class Io { Ok, Eof, TimedOut, Error };

  // Ends the child and whatever is left of its tree (POSIX: its process group; Windows: its job
  // object), even descendants still running after the child itself exited, and reaps it.
  virtual ~Child() = default;

  // Writes all of `data` to the child's stdin. Eof: the child closed its stdin (or exited);
  // TimedOut: the deadline passed with part of `data` unwritten; Error: stdin already closed.
  virtual Io write(std::string_view data, Clock::time_point deadline) = 0;
  // Reads stdout until `delimiter` has arrived. On Ok, `out` receives everything before the
  // delimiter and the delimiter is consumed; bytes after it stay buffered for the next read.
  // On Eof, `out` receives (and consumes) whatever stdout was buffered. On TimedOut, `out`
  // receives a copy of it, and it stays buffered: a later read_until sees it again.
  virtual Io read_until(std::string_view delimiter, std::string& out,
                        Clock::time_point deadline) = 0;
  // Everything the child wrote to stdout so far and no read_until consumed (and not yet taken).
  virtual std::string take_stdout() = 0;
  // Everything the child wrote to stderr so far (and not yet taken).
  virtual std::string take_stderr() = 0;
  virtual void close_stdin() = 0;
  // Waits for exit until `deadline`; past it kills the tree and reports TimedOut.
  // Output arriving meanwhile is kept (read_until / take_stdout / take_stderr still return it).
  // Once the child has exited, output still held by surviving descendants is not waited for.
  virtual ExitStatus wait(Clock::time_point deadline) = 0;
  // Ends the child and all its descendants now. A later wait() reports how it ended: POSIX
  // Signaled with SIGKILL, Windows Exited with code 1.
  virtual void kill_tree() = 0;
  // Passes one interruption on to the child alone (not its descendants), as this process got
  // it (process/interrupt.h): POSIX the same signal, Windows its interrupt event.
  virtual void interrupt() = 0;
  // Its process id (for tests that signal what it started, and for diagnostics).
  virtual long pid() const = 0;
};

// Starts a child. On failure returns nullptr and sets `status` (kind StartFailed).
std::unique_ptr<Child> spawn(const SpawnOptions& options, ExitStatus& status);

// The path of the running program (a fleet starts one nestvirt per host from it).
std::string current_executable();

// Windows command-line quoting of one argument, following the rules CommandLineToArgvW and the
// MSVC runtime use to split it again. Pure; tested on every platform.
std::wstring quote_windows_argument(std::wstring_view arg);
std::wstring build_windows_command_line(const std::vector<std::wstring>& argv);

}  // namespace nestvirt::process
