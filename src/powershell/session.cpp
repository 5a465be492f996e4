#include "nestvirt/powershell/session.h"

#include <spdlog/spdlog.h>

#include <cctype>
#include <cstdint>

#include "nestvirt/core/reply_reader.h"
#include "nestvirt/powershell/clixml.h"
#include "nestvirt/powershell/encoding.h"
#include "nestvirt/powershell/scripts.h"
#include "nestvirt/process/interrupt.h"

namespace nestvirt::powershell {

using nlohmann::json;

std::string resolve_executable(const std::optional<std::string>& option,
                               const std::optional<std::string>& env_value) {
  if (option && !option->empty()) return *option;
  if (env_value && !env_value->empty()) return *env_value;
#ifdef _WIN32
  return "powershell.exe";
#else
  return "pwsh";
#endif
}

std::string bootstrap_script() {
  return std::string(script("processor")) + "\n" + std::string(script("bootstrap"));
}

std::vector<std::string> launch_arguments(const std::string& executable) {
  return {executable,         "-NoLogo", "-NoProfile",      "-NonInteractive",
          "-ExecutionPolicy", "Bypass",  "-EncodedCommand", encode_command(bootstrap_script())};
}

SessionError::SessionError(Kind kind, std::string request, std::string message, std::string detail,
                           core::ConnectionProblem problem)
    : std::runtime_error(std::move(message)),
      kind_(kind),
      problem_(problem),
      request_(std::move(request)),
      detail_(std::move(detail)) {}

std::string frame_request(int id, std::string_view name, std::string_view script_text,
                          const json& args) {
  const json request = {{"id", id}, {"name", name}, {"script", script_text}, {"args", args}};
  // Command-line bytes that are not UTF-8 become U+FFFD rather than aborting the command.
  return base64_encode(request.dump(-1, ' ', false, json::error_handler_t::replace));
}

Reply parse_reply(std::string_view base64_payload, int expected_id) {
  auto bytes = base64_decode(base64_payload);
  if (!bytes) throw std::runtime_error("reply is not base64");
  json doc = json::parse(*bytes, nullptr, false);
  if (doc.is_discarded()) throw std::runtime_error("reply is not JSON");
  core::Reader frame(doc, "reply");
  frame.require_object();
  // The bootstrap writes the id as a JSON integer: no leniency here, a reply must answer
  // exactly the request it is read for.
  const json& raw_id = doc.contains("id") ? doc["id"] : json();
  const std::optional<std::int64_t> id =
      raw_id.is_number_integer() ? frame.opt_int("id") : std::nullopt;
  if (!id || *id != expected_id) {
    throw std::runtime_error(
        "reply answers another request (id " +
        (raw_id.is_null() ? std::string("missing") : core::excerpt(raw_id, 40)) + ", expected " +
        std::to_string(expected_id) + ")");
  }
  // The bootstrap writes a JSON boolean; anything else is not one of its replies.
  if (doc.contains("ok") && !doc["ok"].is_boolean()) {
    throw std::runtime_error("reply 'ok' is not a boolean");
  }
  Reply reply;
  reply.ok = frame.boolean("ok", false);
  reply.result = doc.contains("result") ? doc["result"] : json();
  reply.warnings = frame.strings("warnings");  // 5.1: an array of one may come as its element
  if (!reply.ok) {
    const auto e = frame.object("error");
    if (e) {
      reply.error.command = e->text("command");
      reply.error.message = e->text("message");
      reply.error.fully_qualified_error_id = e->text("fqid");
      reply.error.category = e->text("category");
      reply.error.target = e->text("target");
      reply.error.line = e->integer("line", 0);
    }
  }
  return reply;
}

Session::Session(SessionOptions options) : options_(std::move(options)) {}

Session::~Session() {
  if (!child_) return;
  // Closing stdin ends the bootstrap's read loop; give it a moment, then end the tree.
  child_->close_stdin();
  child_->wait(process::Clock::now() + std::chrono::seconds(5));
}

void Session::fail(SessionError::Kind kind, std::string_view request, std::string message) {
  std::string detail;
  process::ExitStatus status;
  if (child_) {
    if (kind != SessionError::Kind::TimedOut && kind != SessionError::Kind::Interrupted) {
      // Let a dying process finish writing stderr before we read it.
      child_->close_stdin();
      status = child_->wait(process::Clock::now() + std::chrono::seconds(2));
    } else {
      child_->kill_tree();
    }
    detail = decode_clixml(child_->take_stderr());
    child_.reset();
  }
  const bool timed_out_later = kind == SessionError::Kind::TimedOut && connected_;
  if (options_.remote && kind != SessionError::Kind::Protocol &&
      kind != SessionError::Kind::Interrupted && !timed_out_later) {
    // A remote host: say what happened to the connection, not only that a process ended.
    core::ConnectionProblem problem = core::ConnectionProblem::Lost;
    if (!connected_) {
      if (kind == SessionError::Kind::TimedOut) {
        problem = core::ConnectionProblem::ConnectTimeout;
      } else if (options_.remote->target.transport == core::Transport::Ssh) {
        const int code = status.kind == process::ExitKind::Exited ? status.code : 255;
        problem = core::classify_ssh_failure(code, detail);
      } else {
        problem = core::classify_remoting_failure(detail, "");
      }
    }
    const auto advice =
        core::advise(problem, options_.remote->target, remote_program(*options_.remote),
                     options_.remote->connect_timeout_seconds);
    message = advice.what + " " + advice.fix +
              (connected_ ? " (during request '" + std::string(request) + "')" : "");
    throw SessionError(kind, std::string(request), std::move(message), std::move(detail), problem);
  }
  throw SessionError(kind, std::string(request), std::move(message), std::move(detail));
}

process::Child::Io Session::read_line(std::string& line, process::Clock::time_point deadline,
                                      std::string_view request) {
  // Interruptions that came before this request belong to earlier ones (an undo must run to its
  // end after the first); one that comes now gives the request a little time, a second none.
  const int seen = process::interrupt_count();
  bool grace = false;
  for (;;) {
    const auto slice = std::min(deadline, process::Clock::now() + std::chrono::milliseconds(50));
    const auto io = child_->read_until("\n", line, slice);
    if (io != process::Child::Io::TimedOut) return io;
    const int now = process::interrupt_count();
    if (now > seen && (now >= 2 || (grace && process::Clock::now() >= deadline))) {
      fail(SessionError::Kind::Interrupted, request,
           "interrupted (" + process::interrupt_name() + ") while PowerShell ran request '" +
               std::string(request) + "'; PowerShell was ended");
    }
    if (now > seen && !grace) {
      grace = true;
      deadline = std::min(deadline, process::Clock::now() + options_.interrupt_grace);
      continue;
    }
    if (process::Clock::now() >= deadline) return process::Child::Io::TimedOut;
  }
}

void Session::start(std::string_view request_name) {
  connected_ = false;
  std::optional<Launch> launch;
  if (options_.remote) launch = remote_launch(options_.executable, *options_.remote);
  process::SpawnOptions spawn_options{launch ? launch->argv : launch_arguments(options_.executable),
                                      options_.env};
  process::ExitStatus status;
  spdlog::debug("starting {}",
                launch ? spawn_options.argv.front() + " for " + options_.remote->target.text
                       : "PowerShell: " + options_.executable);
  child_ = process::spawn(spawn_options, status);
  ++launches_;
  if (!child_) {
    std::string why = status.start_error;
    while (!why.empty() &&
           (why.back() == '.' || std::isspace(static_cast<unsigned char>(why.back())))) {
      why.pop_back();  // FormatMessage text ends in ".\r\n"; the sentence goes on after it
    }
    const std::string program = spawn_options.argv.front();
    throw SessionError(SessionError::Kind::StartFailed, std::string(request_name),
                       (launch && options_.remote->target.transport == core::Transport::Ssh
                            ? "The SSH client could not be started (" + program + "): " + why +
                                  ". Install OpenSSH's client, or name it with "
                                  "the NESTVIRT_SSH environment variable"
                            : "PowerShell could not be started (" + program + "): " + why),
                       "");
  }
  if (launch) connect(request_name, *launch);
}

// Hands the far side what it needs before the first request; a remoting session also says
// whether its PSSession opened (request id 0), so a refused connection is told apart from a
// failing request.
void Session::connect(std::string_view request_name, const Launch& launch) {
  const auto& remote = *options_.remote;
  const auto deadline = process::Clock::now() +
                        std::chrono::seconds(remote.connect_timeout_seconds) + options_.timeout;
  if (child_->write(launch.first_line + "\n", deadline) != process::Child::Io::Ok) {
    fail(SessionError::Kind::Exited, request_name, "the connection ended before it started");
  }
  if (!launch.connect_reply) return;
  std::string stray;  // PowerShell's SSH transport copies ssh's stderr to its host's output
  for (;;) {
    std::string line;
    const auto io = read_line(line, deadline, request_name);
    if (io == process::Child::Io::TimedOut) {
      fail(SessionError::Kind::TimedOut, request_name, "no connection");
    }
    if (io != process::Child::Io::Ok) {
      fail(SessionError::Kind::Exited, request_name, "the connection ended before it started");
    }
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.rfind(kReplyMarker, 0) != 0) {
      if (!line.empty()) stray += line + "\n";
      continue;
    }
    Reply reply;
    try {
      reply = parse_reply(std::string_view(line).substr(kReplyMarker.size()), 0);
    } catch (const std::exception& e) {
      fail(SessionError::Kind::Protocol, request_name,
           std::string("PowerShell answered the connection with something nestvirt cannot "
                       "read: ") +
               e.what());
    }
    if (reply.ok) {
      connected_ = true;
      return;
    }
    child_->close_stdin();
    child_->wait(process::Clock::now() + std::chrono::seconds(2));
    // PowerShell's SSH transport says only that ssh ended; ssh's own words went to stderr.
    std::string said = stray + decode_clixml(child_->take_stderr());
    child_.reset();
    while (!said.empty() && std::isspace(static_cast<unsigned char>(said.back()))) said.pop_back();
    const std::string detail = reply.error.message + (said.empty() ? "" : "\n" + said);
    const auto problem =
        core::classify_remoting_failure(detail, reply.error.fully_qualified_error_id);
    const auto advice = core::advise(problem, remote.target, remote_program(remote),
                                     remote.connect_timeout_seconds);
    throw SessionError(SessionError::Kind::Exited, std::string(request_name),
                       advice.what + " " + advice.fix, detail, problem);
  }
}

Reply Session::call(std::string_view script_name, const json& args) {
  if (!child_) start(script_name);
  const int id = next_id_++;
  // A remote host's first request also covers connecting and starting PowerShell there.
  const auto connecting = options_.remote && !connected_
                              ? std::chrono::seconds(options_.remote->connect_timeout_seconds)
                              : std::chrono::seconds(0);
  const auto deadline = process::Clock::now() + options_.timeout + connecting;
  const std::string frame = frame_request(id, script_name, script(script_name), args) + "\n";
  spdlog::debug("request {} '{}' ({} bytes)", id, script_name, frame.size());

  auto timeout_text = [&] {
    return "PowerShell did not answer request '" + std::string(script_name) + "' within " +
           std::to_string(
               std::chrono::duration_cast<std::chrono::seconds>(options_.timeout).count()) +
           " s; it was ended (raise --timeout if the host is slow)";
  };

  // Anything but Ok ends the session: a hung PowerShell is killed, a dead one reported.
  auto require_ok = [&](process::Child::Io io, const char* what) {
    if (io == process::Child::Io::Ok) return;
    if (io == process::Child::Io::TimedOut) {
      fail(SessionError::Kind::TimedOut, script_name, timeout_text());
    }
    fail(SessionError::Kind::Exited, script_name,
         "PowerShell " + std::string(what) + " request '" + std::string(script_name) + "'");
  };

  require_ok(child_->write(frame, deadline), "stopped before it took");

  for (;;) {
    std::string line;
    require_ok(read_line(line, deadline, script_name), "exited while answering");
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line == kReadyMarker) {
      connected_ = true;  // ssh://: the loader runs on the host; what fails now is not the login
      continue;
    }
    if (line.rfind(kReplyMarker, 0) != 0) {
      // Stray output (Write-Host, a module's banner): not ours to interpret.
      if (!line.empty()) spdlog::debug("PowerShell output outside a reply: {}", line);
      continue;
    }
    try {
      Reply reply = parse_reply(std::string_view(line).substr(kReplyMarker.size()), id);
      connected_ = true;
      for (const auto& w : reply.warnings) spdlog::debug("PowerShell warning: {}", w);
      return reply;
    } catch (const std::exception& e) {
      fail(SessionError::Kind::Protocol, script_name,
           "PowerShell answered request '" + std::string(script_name) +
               "' with something nestvirt cannot read: " + e.what());
    }
  }
}

}  // namespace nestvirt::powershell
