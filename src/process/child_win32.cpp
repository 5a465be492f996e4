// Windows process runner (docs/ARCHITECTURE.md, "Process runner").
//
//  - CreateProcessW with an explicit application path (our own PATH search) and a command line
//    quoted for CommandLineToArgvW / the MSVC runtime; UTF-8 in, UTF-16 to Windows.
//  - The child starts suspended, goes into a job object with JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE,
//    and only then runs: everything it starts is in the job from its first instruction on, and
//    TerminateJobObject (timeout, kill_tree, destructor) ends the whole tree.
//  - Standard handles are named pipes: our ends are opened for overlapped I/O, the child's ends
//    are ordinary synchronous handles. Only the child's three ends are inheritable, and the
//    PROC_THREAD_ATTRIBUTE_HANDLE_LIST attribute restricts inheritance to exactly those, so
//    neither this child gets other inheritable handles of the program nor do other children
//    started meanwhile get these.
//  - One thread does all the I/O, like poll() on POSIX: each output pipe has one overlapped
//    read outstanding at all times, stdin writes are overlapped, and every wait is a
//    WaitForMultipleObjects over the read events, the write event and the process handle, with
//    the deadline as timeout. A write that outlives its deadline is cancelled with CancelIoEx.
//    No reader threads: nothing can stay blocked in a synchronous ReadFile when some stray
//    process keeps a pipe open, the destructor needs no thread to join, and once the child has
//    exited the output it left in the pipes is collected right then, with no race against a
//    thread that may not yet have appended it.
//  - Waits are cut into slices of kWaitSlice. Under wine (8.0, where the Windows build is
//    tested), the completion of an overlapped pipe read sometimes does not wake a thread already
//    blocked in WaitForMultipleObjects: it is delivered with the thread's next wait. Seen as a
//    reply that never arrived until the deadline, in about one request out of ten; gone with
//    slices. On Windows a slice only costs a wakeup.
#ifndef _WIN32_WINNT
#define _WIN32_WINNT 0x0A00
#endif
#include <windows.h>

#include <algorithm>
#include <atomic>
#include <string>
#include <utility>
#include <vector>

#include "nestvirt/process/child.h"

namespace nestvirt::process {
namespace {

constexpr DWORD kChunk = 64 * 1024;
constexpr DWORD kPipeBuffer = 64 * 1024;
// Reads per pipe and round: a child flooding stdout cannot starve our writes to stdin.
constexpr int kMaxReadsPerRound = 16;
// The longest single wait (see the top of the file).
constexpr DWORD kWaitSlice = 10;
// Exit code of processes ended by TerminateJobObject.
constexpr UINT kKilledExitCode = 1;
// After the exit, how long to wait for pipes that neither end nor deliver data: they are held
// open by a surviving descendant, whose later output is not waited for.
constexpr auto kSettle = std::chrono::milliseconds(100);

class Handle {
 public:
  Handle() = default;
  explicit Handle(HANDLE handle) : handle_(handle) {}
  Handle(Handle&& other) noexcept : handle_(std::exchange(other.handle_, nullptr)) {}
  Handle& operator=(Handle&& other) noexcept {
    if (this != &other) {
      reset();
      handle_ = std::exchange(other.handle_, nullptr);
    }
    return *this;
  }
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  ~Handle() { reset(); }

  HANDLE get() const { return handle_; }
  bool valid() const { return handle_ != nullptr && handle_ != INVALID_HANDLE_VALUE; }
  void reset() {
    if (valid()) CloseHandle(handle_);
    handle_ = nullptr;
  }

 private:
  HANDLE handle_ = nullptr;
};

bool to_wide(std::string_view utf8, std::wstring& wide) {
  wide.clear();
  if (utf8.empty()) return true;
  const int size = MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, utf8.data(),
                                       static_cast<int>(utf8.size()), nullptr, 0);
  if (size <= 0) return false;
  wide.resize(static_cast<std::size_t>(size));
  MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, utf8.data(), static_cast<int>(utf8.size()),
                      wide.data(), size);
  return true;
}

std::string to_utf8(std::wstring_view wide) {
  if (wide.empty()) return {};
  const int size = WideCharToMultiByte(CP_UTF8, 0, wide.data(), static_cast<int>(wide.size()),
                                       nullptr, 0, nullptr, nullptr);
  if (size <= 0) return {};
  std::string utf8(static_cast<std::size_t>(size), '\0');
  WideCharToMultiByte(CP_UTF8, 0, wide.data(), static_cast<int>(wide.size()), utf8.data(), size,
                      nullptr, nullptr);
  return utf8;
}

// The system's text for an error code, with "%1" (as in "%1 is not a valid Win32
// application.") replaced by the program.
std::string system_message(DWORD error, const std::string& program) {
  wchar_t buffer[1024];
  const DWORD length =
      FormatMessageW(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, nullptr, error, 0,
                     buffer, static_cast<DWORD>(sizeof buffer / sizeof buffer[0]), nullptr);
  std::string text = to_utf8(std::wstring_view(buffer, length));
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) {
    text.pop_back();
  }
  for (std::size_t at = text.find("%1"); at != std::string::npos; at = text.find("%1", at)) {
    text.replace(at, 2, program);
    at += program.size();
  }
  if (text.empty()) text = "error " + std::to_string(error);
  return text;
}

ExitStatus start_failure(const std::string& program, const std::string& why) {
  ExitStatus status;
  status.kind = ExitKind::StartFailed;
  status.start_error = "cannot start '" + program + "': " + why;
  return status;
}

// Waits for an overlapped operation to finish (after CancelIoEx: it will, promptly), in slices.
// The buffer it uses must not be freed before. Returns GetOverlappedResult's result.
bool finish_overlapped(HANDLE file, OVERLAPPED& overlapped, DWORD& transferred) {
  for (;;) {
    if (GetOverlappedResult(file, &overlapped, &transferred, FALSE)) return true;
    if (GetLastError() != ERROR_IO_INCOMPLETE) return false;
    WaitForSingleObject(overlapped.hEvent, kWaitSlice);
  }
}

DWORD wait_timeout(Clock::time_point deadline) {
  const auto now = Clock::now();
  if (deadline <= now) return 0;
  const auto ms = std::chrono::ceil<std::chrono::milliseconds>(deadline - now).count();
  constexpr long long kMax = INFINITE - 1;
  return ms > kMax ? static_cast<DWORD>(kMax) : static_cast<DWORD>(ms);
}

bool same_name(std::wstring_view a, std::wstring_view b) {
  return CompareStringOrdinal(a.data(), static_cast<int>(a.size()), b.data(),
                              static_cast<int>(b.size()), TRUE) == CSTR_EQUAL;
}

// The name of an environment entry: up to the first '=' after the first character (entries
// such as "=C:=C:\dir" have names starting with '=').
std::wstring_view entry_name(std::wstring_view entry) {
  const std::size_t equals = entry.find(L'=', 1);
  return entry.substr(0, equals == std::wstring_view::npos ? entry.size() : equals);
}

std::vector<std::wstring> current_environment() {
  std::vector<std::wstring> entries;
  wchar_t* block = GetEnvironmentStringsW();
  if (block == nullptr) return entries;
  for (const wchar_t* entry = block; *entry != L'\0';) {
    const std::wstring_view text(entry);
    entries.emplace_back(text);
    entry += text.size() + 1;
  }
  FreeEnvironmentStringsW(block);
  return entries;
}

// Our environment with the overrides, as the block CreateProcessW wants: sorted by name,
// case-insensitively in ordinal (not locale) order, each entry NUL-terminated, plus a final NUL.
std::wstring environment_block(
    const std::vector<std::pair<std::wstring, std::wstring>>& overrides) {
  std::vector<std::wstring> entries = current_environment();
  for (const auto& [name, value] : overrides) {
    std::erase_if(entries, [&name = name](const std::wstring& entry) {
      return same_name(entry_name(entry), name);
    });
    entries.push_back(name + L"=" + value);
  }
  std::stable_sort(
      entries.begin(), entries.end(), [](const std::wstring& a, const std::wstring& b) {
        const std::wstring_view na = entry_name(a);
        const std::wstring_view nb = entry_name(b);
        return CompareStringOrdinal(na.data(), static_cast<int>(na.size()), nb.data(),
                                    static_cast<int>(nb.size()), TRUE) == CSTR_LESS_THAN;
      });
  std::wstring block;
  for (const std::wstring& entry : entries) {
    block += entry;
    block.push_back(L'\0');
  }
  if (entries.empty()) block.push_back(L'\0');
  block.push_back(L'\0');
  return block;
}

bool is_file(const std::wstring& path) {
  const DWORD attributes = GetFileAttributesW(path.c_str());
  return attributes != INVALID_FILE_ATTRIBUTES && (attributes & FILE_ATTRIBUTE_DIRECTORY) == 0;
}

bool has_extension(const std::wstring& path) {
  const std::size_t slash = path.find_last_of(L"\\/:");
  const std::size_t dot = path.rfind(L'.');
  return dot != std::wstring::npos && (slash == std::wstring::npos || dot > slash);
}

std::wstring lower_extension(const std::wstring& path) {
  if (!has_extension(path)) return {};
  std::wstring extension = path.substr(path.rfind(L'.'));
  for (wchar_t& c : extension) {
    if (c >= L'A' && c <= L'Z') c = static_cast<wchar_t>(c - L'A' + L'a');
  }
  return extension;
}

// The file to run: argv[0] itself when it names a directory, else the first match on PATH;
// ".exe" is tried too when no extension is given. Empty if nothing was found.
std::wstring resolve_program(const std::wstring& program, const std::wstring& path) {
  auto try_file = [](const std::wstring& candidate) -> std::wstring {
    if (is_file(candidate)) return candidate;
    if (!has_extension(candidate) && is_file(candidate + L".exe")) return candidate + L".exe";
    return {};
  };
  if (program.find_first_of(L"\\/:") != std::wstring::npos) return try_file(program);
  std::size_t start = 0;
  while (start <= path.size()) {
    std::size_t end = path.find(L';', start);
    if (end == std::wstring::npos) end = path.size();
    std::wstring dir = path.substr(start, end - start);
    start = end + 1;
    if (dir.size() >= 2 && dir.front() == L'"' && dir.back() == L'"') {
      dir = dir.substr(1, dir.size() - 2);
    }
    if (dir.empty()) continue;
    if (dir.back() != L'\\' && dir.back() != L'/') dir.push_back(L'\\');
    std::wstring found = try_file(dir + program);
    if (!found.empty()) return found;
  }
  return {};
}

std::atomic<unsigned long> g_pipe_serial{0};

// A named pipe: our end overlapped and not inheritable, the child's end synchronous and
// inheritable. `child_reads`: the child's end is the read end (its stdin).
bool make_pipe(bool child_reads, Handle& ours, Handle& theirs, DWORD& error) {
  const std::wstring name = L"\\\\.\\pipe\\nestvirt-" + std::to_wstring(GetCurrentProcessId()) +
                            L"-" + std::to_wstring(g_pipe_serial.fetch_add(1)) + L"-" +
                            std::to_wstring(GetTickCount64());
  const DWORD open_mode = (child_reads ? PIPE_ACCESS_OUTBOUND : PIPE_ACCESS_INBOUND) |
                          FILE_FLAG_OVERLAPPED | FILE_FLAG_FIRST_PIPE_INSTANCE;
  ours = Handle(
      CreateNamedPipeW(name.c_str(), open_mode,
                       PIPE_TYPE_BYTE | PIPE_READMODE_BYTE | PIPE_WAIT | PIPE_REJECT_REMOTE_CLIENTS,
                       1, kPipeBuffer, kPipeBuffer, 0, nullptr));
  if (!ours.valid()) {
    error = GetLastError();
    return false;
  }
  SECURITY_ATTRIBUTES inheritable{};
  inheritable.nLength = sizeof inheritable;
  inheritable.bInheritHandle = TRUE;
  const DWORD access =
      child_reads ? (GENERIC_READ | FILE_WRITE_ATTRIBUTES) : (GENERIC_WRITE | FILE_READ_ATTRIBUTES);
  theirs = Handle(CreateFileW(name.c_str(), access, 0, &inheritable, OPEN_EXISTING, 0, nullptr));
  if (!theirs.valid()) {
    error = GetLastError();
    ours.reset();
    return false;
  }
  return true;
}

Handle make_event() {
  return Handle(CreateEventW(nullptr, TRUE, FALSE, nullptr));
}

// Our end of an output pipe, with its outstanding overlapped read.
struct Reader {
  Handle pipe;
  Handle event;  // manual-reset; set when the outstanding read completes
  OVERLAPPED overlapped{};
  bool pending = false;
  std::vector<char> chunk = std::vector<char>(kChunk);
  std::string data;

  bool open() const { return pipe.valid(); }

  // Collects a completed read, then issues reads while data is there at once; leaves one read
  // outstanding. Returns true if it stopped early with more data probably waiting.
  bool service() {
    if (!open()) return false;
    if (pending) {
      DWORD got = 0;
      if (GetOverlappedResult(pipe.get(), &overlapped, &got, FALSE)) {
        data.append(chunk.data(), got);
      } else {
        const DWORD error = GetLastError();
        if (error == ERROR_IO_INCOMPLETE) return false;
        if (error != ERROR_OPERATION_ABORTED) {
          pending = false;
          pipe.reset();  // ERROR_BROKEN_PIPE: every writer is gone
          return false;
        }
      }
      pending = false;
    }
    for (int i = 0; i < kMaxReadsPerRound; ++i) {
      overlapped = OVERLAPPED{};
      overlapped.hEvent = event.get();
      if (ReadFile(pipe.get(), chunk.data(), kChunk, nullptr, &overlapped)) {
        DWORD got = 0;
        GetOverlappedResult(pipe.get(), &overlapped, &got, FALSE);
        data.append(chunk.data(), got);
        continue;
      }
      if (GetLastError() == ERROR_IO_PENDING) {
        pending = true;
        return false;
      }
      pipe.reset();
      return false;
    }
    return true;
  }

  // Whether the outstanding read has completed (and service() has something to collect).
  bool ready() const { return pending && WaitForSingleObject(event.get(), 0) == WAIT_OBJECT_0; }

  void shut() {
    if (pending) {
      CancelIoEx(pipe.get(), &overlapped);
      DWORD got = 0;
      if (finish_overlapped(pipe.get(), overlapped, got)) data.append(chunk.data(), got);
      pending = false;
    }
    pipe.reset();
  }
};

class WinChild final : public Child {
 public:
  WinChild(Handle process, Handle job, Handle in, Handle out, Handle err)
      : process_(std::move(process)), job_(std::move(job)), in_(std::move(in)) {
    in_event_ = make_event();
    out_.pipe = std::move(out);
    out_.event = make_event();
    err_.pipe = std::move(err);
    err_.event = make_event();
    out_.service();
    err_.service();
  }
  WinChild(const WinChild&) = delete;
  WinChild& operator=(const WinChild&) = delete;

  ~WinChild() override {
    // Also ends descendants left after the child itself exited (closing the job would too).
    TerminateJobObject(job_.get(), kKilledExitCode);
    WaitForSingleObject(process_.get(), 5000);
    out_.shut();
    err_.shut();
  }

  Io write(std::string_view data, Clock::time_point deadline) override {
    if (!in_.valid()) return Io::Error;
    std::size_t done = 0;
    while (done < data.size()) {
      const DWORD size = static_cast<DWORD>(std::min<std::size_t>(kChunk, data.size() - done));
      OVERLAPPED overlapped{};
      overlapped.hEvent = in_event_.get();
      DWORD written = 0;
      if (!WriteFile(in_.get(), data.data() + done, size, nullptr, &overlapped)) {
        DWORD error = GetLastError();
        if (error != ERROR_IO_PENDING) return broken(error) ? Io::Eof : Io::Error;
        // The pipe is full: wait for the child to read, reading its output meanwhile (it may
        // be blocked writing it and not read its stdin until we do).
        for (;;) {
          if (GetOverlappedResult(in_.get(), &overlapped, &written, FALSE)) break;
          error = GetLastError();
          if (error != ERROR_IO_INCOMPLETE) return broken(error) ? Io::Eof : Io::Error;
          if (Clock::now() >= deadline) {
            CancelIoEx(in_.get(), &overlapped);
            finish_overlapped(in_.get(), overlapped, written);
            return Io::TimedOut;
          }
          pump(deadline, in_event_.get(), false);
        }
      } else {
        GetOverlappedResult(in_.get(), &overlapped, &written, FALSE);
      }
      done += written;
    }
    return Io::Ok;
  }

  Io read_until(std::string_view delimiter, std::string& out, Clock::time_point deadline) override {
    if (delimiter.empty()) {
      out.clear();
      return Io::Ok;
    }
    std::string& buffer = out_.data;
    std::size_t search_from = 0;
    bool pumped = false;
    for (;;) {
      const std::size_t found = buffer.find(delimiter, search_from);
      if (found != std::string::npos) {
        out.assign(buffer, 0, found);
        buffer.erase(0, found + delimiter.size());
        return Io::Ok;
      }
      search_from = buffer.size() >= delimiter.size() ? buffer.size() - delimiter.size() + 1 : 0;
      if (!out_.open()) {
        out = std::move(buffer);
        buffer.clear();
        return Io::Eof;
      }
      if (pumped && Clock::now() >= deadline) {
        out = buffer;
        return Io::TimedOut;
      }
      pump(deadline, nullptr, false);
      pumped = true;
    }
  }

  std::string take_stdout() override {
    out_.service();
    return std::exchange(out_.data, std::string());
  }

  std::string take_stderr() override {
    err_.service();
    return std::exchange(err_.data, std::string());
  }

  void close_stdin() override { in_.reset(); }

  ExitStatus wait(Clock::time_point deadline) override {
    if (exited_) return status_;
    bool pumped = false;
    for (;;) {
      if (WaitForSingleObject(process_.get(), 0) == WAIT_OBJECT_0) {
        DWORD code = 0;
        GetExitCodeProcess(process_.get(), &code);
        exited_ = true;
        status_ = ExitStatus{};
        status_.code = static_cast<int>(code);
        drain();
        return status_;
      }
      if (pumped && Clock::now() >= deadline) {
        kill_tree();
        WaitForSingleObject(process_.get(), 5000);
        exited_ = true;
        status_ = ExitStatus{};
        status_.kind = ExitKind::TimedOut;
        drain();
        return status_;
      }
      pump(deadline, nullptr, true);
      pumped = true;
    }
  }

  void kill_tree() override { TerminateJobObject(job_.get(), kKilledExitCode); }

  long pid() const override { return static_cast<long>(GetProcessId(process_.get())); }

  void interrupt() override {
    if (interrupt_event_.get() != nullptr) SetEvent(interrupt_event_.get());
  }

  void set_interrupt_event(Handle event) { interrupt_event_ = std::move(event); }

 private:
  static bool broken(DWORD error) {
    return error == ERROR_NO_DATA || error == ERROR_BROKEN_PIPE ||
           error == ERROR_PIPE_NOT_CONNECTED;
  }

  // Waits until an outstanding read completes, `extra` (the write event) is set, the process
  // exits (if `want_exit`), or `deadline`; collects whatever output arrived.
  void pump(Clock::time_point deadline, HANDLE extra, bool want_exit) {
    const bool more = out_.service() | err_.service();
    HANDLE handles[4];
    DWORD count = 0;
    if (out_.pending) handles[count++] = out_.event.get();
    if (err_.pending) handles[count++] = err_.event.get();
    if (extra != nullptr) handles[count++] = extra;
    if (want_exit) handles[count++] = process_.get();
    const DWORD timeout = more ? 0 : std::min(wait_timeout(deadline), kWaitSlice);
    if (count == 0) {
      Sleep(timeout);
    } else {
      WaitForMultipleObjects(count, handles, FALSE, timeout);
    }
    out_.service();
    err_.service();
  }

  // After the exit: what the child wrote is in the pipes. Collect it; once a pipe neither
  // ends nor delivers for kSettle, a surviving descendant holds it, and we stop there.
  void drain() {
    const auto settle_until = Clock::now() + kSettle;
    for (;;) {
      const bool more = out_.service() | err_.service();
      if (!out_.pending && !err_.pending && !more) return;  // both at end of file
      if (Clock::now() >= settle_until) return;
      if (more) continue;
      HANDLE handles[2];
      DWORD count = 0;
      if (out_.pending) handles[count++] = out_.event.get();
      if (err_.pending) handles[count++] = err_.event.get();
      WaitForMultipleObjects(count, handles, FALSE,
                             std::min(wait_timeout(settle_until), kWaitSlice));
    }
  }

  Handle process_;
  Handle job_;
  Handle interrupt_event_;  // spawned with forward_interrupts: its NESTVIRT_INTERRUPT_EVENT
  Handle in_;
  Handle in_event_;
  Reader out_;
  Reader err_;
  bool exited_ = false;
  ExitStatus status_;
};

}  // namespace

std::unique_ptr<Child> spawn(const SpawnOptions& options, ExitStatus& status) {
  if (options.argv.empty()) {
    status = ExitStatus{};
    status.kind = ExitKind::StartFailed;
    status.start_error = "cannot start a program: no program given";
    return nullptr;
  }
  const std::string& program = options.argv[0];

  std::vector<std::wstring> wide_argv;
  for (const std::string& arg : options.argv) {
    std::wstring wide;
    if (arg.find('\0') != std::string::npos || !to_wide(arg, wide)) {
      status = start_failure(program, "an argument is not valid UTF-8 text");
      return nullptr;
    }
    wide_argv.push_back(std::move(wide));
  }
  std::vector<std::pair<std::wstring, std::wstring>> wide_env;
  std::wstring path_override;
  bool path_overridden = false;
  for (const auto& [name, value] : options.env) {
    std::wstring wide_name;
    std::wstring wide_value;
    if (name.empty() || name.find('=') != std::string::npos ||
        name.find('\0') != std::string::npos || value.find('\0') != std::string::npos ||
        !to_wide(name, wide_name) || !to_wide(value, wide_value)) {
      status = start_failure(program, "invalid environment variable '" + name + "'");
      return nullptr;
    }
    if (same_name(wide_name, L"PATH")) {
      path_override = wide_value;
      path_overridden = true;
    }
    wide_env.emplace_back(std::move(wide_name), std::move(wide_value));
  }

  std::wstring path = path_override;
  if (!path_overridden) {
    const DWORD size = GetEnvironmentVariableW(L"PATH", nullptr, 0);
    if (size > 0) {
      path.resize(size);
      path.resize(GetEnvironmentVariableW(L"PATH", path.data(), size));
    }
  }
  const std::wstring application =
      wide_argv[0].empty() ? std::wstring() : resolve_program(wide_argv[0], path);
  if (application.empty()) {
    status = start_failure(program, system_message(ERROR_FILE_NOT_FOUND, program));
    return nullptr;
  }
  const std::wstring extension = lower_extension(application);
  if (extension == L".bat" || extension == L".cmd") {
    status = start_failure(program,
                           "batch files are not started (cmd.exe would re-parse the arguments)");
    return nullptr;
  }

  // A child without a console gets no Ctrl-C: an event of its own carries interruptions to it
  // (process/interrupt_win32.cpp opens it from NESTVIRT_INTERRUPT_EVENT).
  Handle interrupt_event;
  if (options.forward_interrupts) {
    static long sequence = 0;
    const std::wstring name = L"Local\\nestvirt-interrupt-" +
                              std::to_wstring(GetCurrentProcessId()) + L"-" +
                              std::to_wstring(InterlockedIncrement(&sequence));
    interrupt_event = Handle(CreateEventW(nullptr, FALSE, FALSE, name.c_str()));
    if (interrupt_event.get() != nullptr) {
      wide_env.emplace_back(L"NESTVIRT_INTERRUPT_EVENT", name);
    }
  }

  std::wstring command_line = build_windows_command_line(wide_argv);
  std::wstring environment;
  if (!wide_env.empty()) environment = environment_block(wide_env);

  Handle in_ours, in_theirs, out_ours, out_theirs, err_ours, err_theirs;
  DWORD error = 0;
  if (!make_pipe(true, in_ours, in_theirs, error) ||
      !make_pipe(false, out_ours, out_theirs, error) ||
      !make_pipe(false, err_ours, err_theirs, error)) {
    status = start_failure(program, "cannot create pipes: " + system_message(error, program));
    return nullptr;
  }

  Handle job(CreateJobObjectW(nullptr, nullptr));
  JOBOBJECT_EXTENDED_LIMIT_INFORMATION limits{};
  limits.BasicLimitInformation.LimitFlags = JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE;
  if (!job.valid() || !SetInformationJobObject(job.get(), JobObjectExtendedLimitInformation,
                                               &limits, sizeof limits)) {
    status = start_failure(
        program, "cannot create a job object: " + system_message(GetLastError(), program));
    return nullptr;
  }

  SIZE_T attribute_size = 0;
  InitializeProcThreadAttributeList(nullptr, 1, 0, &attribute_size);
  std::vector<unsigned char> attribute_storage(attribute_size);
  auto* attributes = reinterpret_cast<LPPROC_THREAD_ATTRIBUTE_LIST>(attribute_storage.data());
  HANDLE inherited[3] = {in_theirs.get(), out_theirs.get(), err_theirs.get()};
  if (!InitializeProcThreadAttributeList(attributes, 1, 0, &attribute_size)) {
    status = start_failure(program, system_message(GetLastError(), program));
    return nullptr;
  }
  const bool listed = UpdateProcThreadAttribute(attributes, 0, PROC_THREAD_ATTRIBUTE_HANDLE_LIST,
                                                inherited, sizeof inherited, nullptr, nullptr);

  STARTUPINFOEXW startup{};
  startup.StartupInfo.cb = sizeof startup;
  startup.StartupInfo.dwFlags = STARTF_USESTDHANDLES;
  startup.StartupInfo.hStdInput = in_theirs.get();
  startup.StartupInfo.hStdOutput = out_theirs.get();
  startup.StartupInfo.hStdError = err_theirs.get();
  startup.lpAttributeList = listed ? attributes : nullptr;
  const DWORD flags = CREATE_NO_WINDOW | CREATE_UNICODE_ENVIRONMENT | CREATE_SUSPENDED |
                      (listed ? EXTENDED_STARTUPINFO_PRESENT : 0);
  PROCESS_INFORMATION info{};
  const BOOL created = CreateProcessW(
      application.c_str(), command_line.data(), nullptr, nullptr, TRUE, flags,
      environment.empty() ? nullptr : environment.data(), nullptr, &startup.StartupInfo, &info);
  const DWORD create_error = GetLastError();
  DeleteProcThreadAttributeList(attributes);
  if (!created) {
    status = start_failure(program, system_message(create_error, program));
    return nullptr;
  }
  Handle process(info.hProcess);
  Handle thread(info.hThread);
  if (!AssignProcessToJobObject(job.get(), process.get())) {
    const DWORD job_error = GetLastError();
    TerminateProcess(process.get(), kKilledExitCode);
    WaitForSingleObject(process.get(), 5000);
    status = start_failure(program,
                           "cannot put it in a job object: " + system_message(job_error, program));
    return nullptr;
  }
  ResumeThread(thread.get());

  status = ExitStatus{};
  auto child = std::make_unique<WinChild>(std::move(process), std::move(job), std::move(in_ours),
                                          std::move(out_ours), std::move(err_ours));
  child->set_interrupt_event(std::move(interrupt_event));
  return child;
}

std::string current_executable() {
  std::wstring path(32768, L'\0');
  const DWORD length = GetModuleFileNameW(nullptr, path.data(), static_cast<DWORD>(path.size()));
  path.resize(length);
  return to_utf8(path);
}

}  // namespace nestvirt::process
