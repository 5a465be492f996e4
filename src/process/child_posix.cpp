// POSIX process runner (docs/ARCHITECTURE.md, "Process runner").
//
//  - fork + execve, never a shell. PATH is searched here, in the parent, with the child's own
//    environment, so that after fork the child only calls async-signal-safe functions (the
//    parent may have other threads: allocating after fork could deadlock on a malloc lock).
//  - A failing exec is reported back through a close-on-exec pipe: the parent reads the errno,
//    or end of file when exec succeeded (the pipe closed itself).
//  - The child leads its own process group, so one kill(-pgid, SIGKILL) ends its descendants
//    too. The child is not reaped before the Child object goes away: waitid(WNOWAIT) reads the
//    status and leaves a zombie, which keeps the group id reserved, so killing the group can
//    never hit an unrelated process that got the same number.
//  - Our ends of the pipes are non-blocking and every wait goes through poll(), reading stdout
//    and stderr while waiting for room on stdin, for the delimiter, or for the exit.
#include <fcntl.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "nestvirt/process/child.h"
#include "nestvirt/process/interrupt.h"

extern "C" char** environ;

namespace nestvirt::process {
namespace {

constexpr std::size_t kChunk = 64 * 1024;
// Reads per pipe and poll round: a child flooding stdout cannot starve our writes to stdin.
constexpr int kMaxReadsPerRound = 16;
// Without a pidfd (kernels before 5.3, some sandboxes) the exit is noticed by polling waitid.
constexpr int kExitPollMs = 10;

std::string errno_text(int error) {
  return std::generic_category().message(error);
}

class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  Fd(Fd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  Fd& operator=(Fd&& other) noexcept {
    if (this != &other) {
      reset();
      fd_ = std::exchange(other.fd_, -1);
    }
    return *this;
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() { reset(); }

  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  void reset() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_ = -1;
};

// Moves a close-on-exec descriptor to 3 or above. Our pipe ends then never collide with 0, 1, 2
// (which may be closed in the parent), so the child's dup2 onto 0, 1, 2 cannot clobber them.
bool move_above_stdio(int& fd) {
  if (fd >= 3) return true;
  const int moved = ::fcntl(fd, F_DUPFD_CLOEXEC, 3);
  const int error = errno;
  ::close(fd);
  fd = moved;
  errno = error;
  return moved >= 0;
}

bool make_pipe(Fd& read_end, Fd& write_end) {
  int fds[2];
#ifdef __linux__
  if (::pipe2(fds, O_CLOEXEC) != 0) return false;
#else
  // Not atomic: a fork in another thread right now may leak these into its child.
  if (::pipe(fds) != 0) return false;
  ::fcntl(fds[0], F_SETFD, FD_CLOEXEC);
  ::fcntl(fds[1], F_SETFD, FD_CLOEXEC);
#endif
  const bool ok0 = move_above_stdio(fds[0]);
  const bool ok1 = move_above_stdio(fds[1]);
  Fd r(ok0 ? fds[0] : -1);
  Fd w(ok1 ? fds[1] : -1);
  if (!ok0 || !ok1) return false;
  read_end = std::move(r);
  write_end = std::move(w);
  return true;
}

bool set_nonblocking(int fd) {
  const int flags = ::fcntl(fd, F_GETFL);
  return flags >= 0 && ::fcntl(fd, F_SETFL, flags | O_NONBLOCK) == 0;
}

// Milliseconds until `deadline` for poll(), rounded up (so we never wake just before it and
// spin), at most `cap`.
int poll_timeout(Clock::time_point deadline, int cap) {
  const auto now = Clock::now();
  if (deadline <= now) return 0;
  const auto ms = std::chrono::ceil<std::chrono::milliseconds>(deadline - now).count();
  return ms > cap ? cap : static_cast<int>(ms);
}

// write() without dying of SIGPIPE when the child has closed its stdin.
//
// Pipes have no per-call MSG_NOSIGNAL (that flag is for send() on sockets), and setting SIGPIPE
// to SIG_IGN would change the whole program: nestvirt's own output piped into `head` should
// still end it quietly the default way, and a library must not take a process-wide signal
// disposition from the program that hosts it. So SIGPIPE is blocked in this thread around the
// write only; the write then fails with EPIPE, and the SIGPIPE it raised (directed at this
// thread, so still pending) is consumed before the old mask comes back. A SIGPIPE that was
// already pending before our write is left alone.
ssize_t write_without_sigpipe(int fd, const char* data, std::size_t size) {
#if defined(F_SETNOSIGPIPE)
  // macOS and the BSDs: a per-descriptor switch (set once; cheap to repeat).
  ::fcntl(fd, F_SETNOSIGPIPE, 1);
  return ::write(fd, data, size);
#else
  sigset_t pipe_only;
  sigemptyset(&pipe_only);
  sigaddset(&pipe_only, SIGPIPE);
  sigset_t pending;
  sigemptyset(&pending);
  sigpending(&pending);
  const bool was_pending = sigismember(&pending, SIGPIPE) == 1;
  sigset_t old_mask;
  pthread_sigmask(SIG_BLOCK, &pipe_only, &old_mask);
  const ssize_t written = ::write(fd, data, size);
  const int error = errno;
  if (written < 0 && error == EPIPE && !was_pending) {
    const timespec no_wait{0, 0};
    while (sigtimedwait(&pipe_only, nullptr, &no_wait) < 0 && errno == EINTR) {
    }
  }
  pthread_sigmask(SIG_SETMASK, &old_mask, nullptr);
  errno = error;
  return written;
#endif
}

int open_pidfd([[maybe_unused]] pid_t pid) {
#if defined(__linux__) && defined(SYS_pidfd_open)
  // Readable once the process has exited; close-on-exec by definition.
  return static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
#else
  return -1;
#endif
}

// Everything the child needs after fork, prepared before it so the child allocates nothing.
struct ExecPlan {
  std::vector<std::string> candidates;  // paths to try with execve, in order
  std::vector<std::string> env;
  std::vector<char*> argv_ptrs;
  std::vector<char*> env_ptrs;
};

bool has_nul(const std::string& s) {
  return s.find('\0') != std::string::npos;
}

std::vector<std::string> merged_environment(
    const std::vector<std::pair<std::string, std::string>>& overrides) {
  std::vector<std::string> env;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    env.emplace_back(*entry);
  }
  for (const auto& [name, value] : overrides) {
    std::erase_if(env, [&name = name](const std::string& entry) {
      return entry.size() > name.size() && entry.compare(0, name.size(), name) == 0 &&
             entry[name.size()] == '=';
    });
    env.push_back(name + "=" + value);
  }
  return env;
}

std::vector<std::string> exec_candidates(const std::string& program,
                                         const std::vector<std::string>& env) {
  if (program.find('/') != std::string::npos) return {program};
  std::string path;
  bool path_set = false;
  for (const std::string& entry : env) {
    if (entry.rfind("PATH=", 0) == 0) {
      path = entry.substr(5);
      path_set = true;
    }
  }
  if (!path_set) {
    // What execvp uses when PATH is unset.
    const std::size_t size = ::confstr(_CS_PATH, nullptr, 0);
    if (size > 0) {
      std::string buffer(size, '\0');
      ::confstr(_CS_PATH, buffer.data(), size);
      path = buffer.c_str();
    } else {
      path = "/bin:/usr/bin";
    }
  }
  std::vector<std::string> candidates;
  std::size_t start = 0;
  for (;;) {
    const std::size_t colon = path.find(':', start);
    const std::string dir =
        path.substr(start, colon == std::string::npos ? std::string::npos : colon - start);
    // An empty PATH element means the current directory, as for execvp.
    candidates.push_back((dir.empty() ? std::string(".") : dir) + "/" + program);
    if (colon == std::string::npos) break;
    start = colon + 1;
  }
  return candidates;
}

struct ChildFds {
  int stdin_read;
  int stdout_write;
  int stderr_write;
  int exec_error_write;
};

// Runs in the child between fork and exec: async-signal-safe calls only.
[[noreturn]] void exec_child(const ExecPlan& plan, const ChildFds& fds) {
  int error = 0;
  // The parent's signal mask and ignored SIGPIPE must not leak into the program.
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);
  struct sigaction default_action {};
  default_action.sa_handler = SIG_DFL;
  sigemptyset(&default_action.sa_mask);
  sigaction(SIGPIPE, &default_action, nullptr);

  if (::setpgid(0, 0) != 0 || ::dup2(fds.stdin_read, 0) < 0 || ::dup2(fds.stdout_write, 1) < 0 ||
      ::dup2(fds.stderr_write, 2) < 0) {
    error = errno;
  } else {
    // As execvp: go on past missing entries, remember "permission denied" if any was seen.
    bool saw_eacces = false;
    for (const std::string& candidate : plan.candidates) {
      ::execve(candidate.c_str(), plan.argv_ptrs.data(), plan.env_ptrs.data());
      error = errno;
      if (error == EACCES) {
        saw_eacces = true;
        continue;
      }
      if (error == ENOENT || error == ENOTDIR || error == ESTALE || error == ENODEV ||
          error == ETIMEDOUT) {
        continue;
      }
      break;
    }
    if (saw_eacces && (error == ENOENT || error == ENOTDIR)) error = EACCES;
  }
  const char* bytes = reinterpret_cast<const char*>(&error);
  std::size_t left = sizeof error;
  while (left > 0) {
    const ssize_t n = ::write(fds.exec_error_write, bytes, left);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    bytes += n;
    left -= static_cast<std::size_t>(n);
  }
  ::_exit(127);
}

class PosixChild final : public Child {
 public:
  PosixChild(pid_t pid, Fd in, Fd out, Fd err)
      : pid_(pid), in_(std::move(in)), out_(std::move(out)), err_(std::move(err)) {
    pidfd_ = Fd(open_pidfd(pid));
  }
  PosixChild(const PosixChild&) = delete;
  PosixChild& operator=(const PosixChild&) = delete;

  ~PosixChild() override {
    // The group id is still reserved by our unreaped child (running or zombie), so this only
    // reaches its own tree: leftovers are ended even after the child itself exited normally.
    ::kill(-pid_, SIGKILL);
    int raw = 0;
    while (::waitpid(pid_, &raw, 0) < 0 && errno == EINTR) {
    }
  }

  Io write(std::string_view data, Clock::time_point deadline) override {
    if (!in_.valid()) return Io::Error;
    std::size_t done = 0;
    while (done < data.size()) {
      const std::size_t size = std::min(kChunk, data.size() - done);
      const ssize_t n = write_without_sigpipe(in_.get(), data.data() + done, size);
      if (n > 0) {
        done += static_cast<std::size_t>(n);
        continue;
      }
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 && errno == EPIPE) return Io::Eof;
      if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) return Io::Error;
      // The pipe is full: wait for room, reading stdout and stderr meanwhile (the child may be
      // blocked writing to them and not reading its stdin until we do).
      if (Clock::now() >= deadline) return Io::TimedOut;
      pump(deadline, true, false);
    }
    return Io::Ok;
  }

  Io read_until(std::string_view delimiter, std::string& out, Clock::time_point deadline) override {
    if (delimiter.empty()) {
      out.clear();
      return Io::Ok;
    }
    std::size_t search_from = 0;
    bool pumped = false;
    for (;;) {
      const std::size_t found = out_buffer_.find(delimiter, search_from);
      if (found != std::string::npos) {
        out.assign(out_buffer_, 0, found);
        out_buffer_.erase(0, found + delimiter.size());
        return Io::Ok;
      }
      // Only the tail can still begin a delimiter completed by later bytes.
      search_from =
          out_buffer_.size() >= delimiter.size() ? out_buffer_.size() - delimiter.size() + 1 : 0;
      if (!out_.valid()) {
        out = std::move(out_buffer_);
        out_buffer_.clear();
        return Io::Eof;
      }
      // At least one look at the pipes, even when called with a deadline already past.
      if (pumped && Clock::now() >= deadline) {
        out = out_buffer_;
        return Io::TimedOut;
      }
      pump(deadline, false, false);
      pumped = true;
    }
  }

  std::string take_stdout() override {
    read_available(out_, out_buffer_, kMaxReadsPerRound);
    return std::exchange(out_buffer_, std::string());
  }

  std::string take_stderr() override {
    read_available(err_, err_buffer_, kMaxReadsPerRound);
    return std::exchange(err_buffer_, std::string());
  }

  void close_stdin() override { in_.reset(); }

  ExitStatus wait(Clock::time_point deadline) override {
    if (exited_) return status_;
    bool pumped = false;
    for (;;) {
      if (check_exit(false)) {
        drain();
        return status_;
      }
      if (pumped && Clock::now() >= deadline) {
        kill_tree();
        check_exit(true);
        drain();
        status_ = ExitStatus{};
        status_.kind = ExitKind::TimedOut;
        return status_;
      }
      pump(deadline, false, true);
      pumped = true;
    }
  }

  void kill_tree() override { ::kill(-pid_, SIGKILL); }

  long pid() const override { return static_cast<long>(pid_); }

  void interrupt() override {
    const std::string name = interrupt_name();
    ::kill(pid_, name == "SIGINT" ? SIGINT : name == "SIGHUP" ? SIGHUP : SIGTERM);
  }

 private:
  // Waits until one of our pipes (stdin only if `want_stdin`) or the exit (if `want_exit`) is
  // ready, or `deadline`, and reads whatever stdout and stderr hold.
  void pump(Clock::time_point deadline, bool want_stdin, bool want_exit) {
    pollfd fds[4];
    nfds_t count = 0;
    int out_index = -1;
    int err_index = -1;
    if (out_.valid()) {
      out_index = static_cast<int>(count);
      fds[count++] = pollfd{out_.get(), POLLIN, 0};
    }
    if (err_.valid()) {
      err_index = static_cast<int>(count);
      fds[count++] = pollfd{err_.get(), POLLIN, 0};
    }
    if (want_stdin && in_.valid()) fds[count++] = pollfd{in_.get(), POLLOUT, 0};
    if (want_exit && pidfd_.valid()) fds[count++] = pollfd{pidfd_.get(), POLLIN, 0};
    const int cap = want_exit && !pidfd_.valid() ? kExitPollMs : INT_MAX;
    const int ready = ::poll(fds, count, poll_timeout(deadline, cap));
    if (ready <= 0) return;  // timeout or EINTR: the callers look at the clock again
    if (out_index >= 0 && fds[out_index].revents != 0) {
      read_available(out_, out_buffer_, kMaxReadsPerRound);
    }
    if (err_index >= 0 && fds[err_index].revents != 0) {
      read_available(err_, err_buffer_, kMaxReadsPerRound);
    }
  }

  // Non-blocking reads until the pipe is empty (or `max_reads` chunks); closes it at EOF.
  static void read_available(Fd& fd, std::string& buffer, int max_reads) {
    char chunk[kChunk];
    for (int i = 0; i < max_reads && fd.valid(); ++i) {
      const ssize_t n = ::read(fd.get(), chunk, sizeof chunk);
      if (n > 0) {
        buffer.append(chunk, static_cast<std::size_t>(n));
        continue;
      }
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
      fd.reset();  // end of file, or an error that will not go away
    }
  }

  // After the exit: everything the child wrote is in the pipes now. Read what they hold at this
  // moment, without waiting for an end of file that a surviving descendant may hold back.
  void drain() {
    for (auto [fd, buffer] : {std::pair<Fd*, std::string*>{&out_, &out_buffer_},
                              std::pair<Fd*, std::string*>{&err_, &err_buffer_}}) {
      int available = 0;
      if (!fd->valid() || ::ioctl(fd->get(), FIONREAD, &available) != 0) continue;
      const std::size_t target = buffer->size() + static_cast<std::size_t>(available);
      while (fd->valid() && buffer->size() < target) {
        const std::size_t before = buffer->size();
        read_available(*fd, *buffer, 1);
        if (buffer->size() == before) break;
      }
      read_available(*fd, *buffer, 1);  // notices an end of file already there
    }
  }

  // Looks at the exit status without reaping the child (see the top of the file).
  bool check_exit(bool block) {
    if (exited_) return true;
    siginfo_t info;
    std::memset(&info, 0, sizeof info);
    const int options = WEXITED | WNOWAIT | (block ? 0 : WNOHANG);
    int result;
    while ((result = ::waitid(P_PID, static_cast<id_t>(pid_), &info, options)) < 0 &&
           errno == EINTR) {
    }
    if (result < 0) {
      // ECHILD: someone else reaped it (SIGCHLD set to SIG_IGN, or a stray waitpid(-1)).
      exited_ = true;
      status_ = ExitStatus{};
      status_.code = -1;
      return true;
    }
    if (info.si_pid == 0) return false;
    exited_ = true;
    status_ = ExitStatus{};
    if (info.si_code == CLD_EXITED) {
      status_.code = info.si_status;
    } else {
      status_.kind = ExitKind::Signaled;
      status_.signal = info.si_status;
    }
    return true;
  }

  pid_t pid_;
  Fd in_;
  Fd out_;
  Fd err_;
  Fd pidfd_;
  std::string out_buffer_;
  std::string err_buffer_;
  bool exited_ = false;
  ExitStatus status_;
};

ExitStatus start_failure(const std::string& program, const std::string& why) {
  ExitStatus status;
  status.kind = ExitKind::StartFailed;
  status.start_error = "cannot start '" + program + "': " + why;
  return status;
}

}  // namespace

std::unique_ptr<Child> spawn(const SpawnOptions& options, ExitStatus& status) {
  if (options.argv.empty()) {
    status = ExitStatus{};
    status.kind = ExitKind::StartFailed;
    status.start_error = "cannot start a program: no program given";
    return nullptr;
  }
  const std::string& program = options.argv[0];
  for (const std::string& arg : options.argv) {
    if (has_nul(arg)) {
      status = start_failure(program, "an argument contains a NUL byte");
      return nullptr;
    }
  }
  for (const auto& [name, value] : options.env) {
    if (name.empty() || name.find('=') != std::string::npos || has_nul(name) || has_nul(value)) {
      status = start_failure(program, "invalid environment variable '" + name + "'");
      return nullptr;
    }
  }
  if (program.empty()) {
    status = start_failure(program, errno_text(ENOENT));
    return nullptr;
  }

  ExecPlan plan;
  plan.env = merged_environment(options.env);
  plan.candidates = exec_candidates(program, plan.env);
  for (const std::string& arg : options.argv)
    plan.argv_ptrs.push_back(const_cast<char*>(arg.c_str()));
  plan.argv_ptrs.push_back(nullptr);
  for (std::string& entry : plan.env) plan.env_ptrs.push_back(entry.data());
  plan.env_ptrs.push_back(nullptr);

  Fd in_read, in_write, out_read, out_write, err_read, err_write, exec_read, exec_write;
  if (!make_pipe(in_read, in_write) || !make_pipe(out_read, out_write) ||
      !make_pipe(err_read, err_write) || !make_pipe(exec_read, exec_write)) {
    status = start_failure(program, "cannot create pipes: " + errno_text(errno));
    return nullptr;
  }
  const ChildFds child_fds{in_read.get(), out_write.get(), err_write.get(), exec_write.get()};

  const pid_t pid = ::fork();
  if (pid < 0) {
    status = start_failure(program, "fork failed: " + errno_text(errno));
    return nullptr;
  }
  if (pid == 0) exec_child(plan, child_fds);

  // Also done by the child itself; whichever runs first wins, so the group exists before we
  // could ever signal it. EACCES (the child already exec'd) is fine.
  ::setpgid(pid, pid);
  in_read.reset();
  out_write.reset();
  err_write.reset();
  exec_write.reset();

  int exec_error = 0;
  std::size_t got = 0;
  while (got < sizeof exec_error) {
    const ssize_t n = ::read(exec_read.get(), reinterpret_cast<char*>(&exec_error) + got,
                             sizeof exec_error - got);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    got += static_cast<std::size_t>(n);
  }
  if (got > 0) {
    int raw = 0;
    while (::waitpid(pid, &raw, 0) < 0 && errno == EINTR) {
    }
    status = start_failure(
        program, got == sizeof exec_error ? errno_text(exec_error) : std::string("exec failed"));
    return nullptr;
  }

  if (!set_nonblocking(in_write.get()) || !set_nonblocking(out_read.get()) ||
      !set_nonblocking(err_read.get())) {
    const int error = errno;
    ::kill(-pid, SIGKILL);
    int raw = 0;
    while (::waitpid(pid, &raw, 0) < 0 && errno == EINTR) {
    }
    status = start_failure(program, errno_text(error));
    return nullptr;
  }
  status = ExitStatus{};
  return std::make_unique<PosixChild>(pid, std::move(in_write), std::move(out_read),
                                      std::move(err_read));
}

std::string current_executable() {
  std::error_code error;
  const auto path = std::filesystem::read_symlink("/proc/self/exe", error);
  return error ? std::string("nestvirt") : path.string();
}

}  // namespace nestvirt::process
