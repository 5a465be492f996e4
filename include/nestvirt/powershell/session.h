// One PowerShell process per host per nestvirt invocation. A small bootstrap, passed with
// -EncodedCommand, reads framed requests from stdin and answers each with one JSON document,
// so the launch cost is paid once however many VMs and steps a command has, and the command
// line stays a few kilobytes whatever the request size.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "nestvirt/core/connection.h"
#include "nestvirt/powershell/remote.h"
#include "nestvirt/process/child.h"

namespace nestvirt::powershell {

// Where PowerShell is: --powershell, else NESTVIRT_POWERSHELL, else powershell.exe (Windows) or
// pwsh (elsewhere). Pure: the caller passes the option and the environment variable.
std::string resolve_executable(const std::optional<std::string>& option,
                               const std::optional<std::string>& env_value);

// The bootstrap every session runs: processor.ps1 then bootstrap.ps1.
std::string bootstrap_script();
// The argument vector nestvirt launches: executable, fixed flags, -EncodedCommand <bootstrap>.
std::vector<std::string> launch_arguments(const std::string& executable);

// A request that failed inside PowerShell (the script caught the error and reported it).
struct ScriptError {
  std::string command;                   // the cmdlet that failed, e.g. "Set-VMProcessor"
  std::string message;                   // the exception message, as PowerShell gave it
  std::string fully_qualified_error_id;  // e.g. "InvalidParameter,Microsoft.HyperV...GetVM"
  std::string category;                  // e.g. "InvalidArgument"
  std::string target;                    // CategoryInfo.TargetName
  int line = 0;                          // line in the request's script
};

struct Reply {
  bool ok = false;
  nlohmann::json result;              // the script's output (one object, or array)
  std::vector<std::string> warnings;  // Write-Warning text, in order
  ScriptError error;                  // when !ok
};

// PowerShell itself could not be used: not started, died, hung, or spoke garbage.
class SessionError : public std::runtime_error {
 public:
  // Interrupted: an interruption (process/interrupt.h) came while the request ran, and it did not
  // finish within SessionOptions::interrupt_grace (or a second one came): PowerShell was ended.
  enum class Kind { StartFailed, TimedOut, Exited, Protocol, Interrupted };
  SessionError(Kind kind, std::string request, std::string message, std::string detail,
               core::ConnectionProblem problem = core::ConnectionProblem::None);
  Kind kind() const { return kind_; }
  // A remote host's connection failing, classified; None for a local PowerShell.
  core::ConnectionProblem problem() const { return problem_; }
  const std::string& request() const { return request_; }  // the request that was running
  const std::string& detail() const { return detail_; }    // stderr, decoded from CLIXML
 private:
  Kind kind_;
  core::ConnectionProblem problem_;
  std::string request_;
  std::string detail_;
};

// What a command needs from PowerShell. Abstract so command logic can be tested without it.
class ScriptHost {
 public:
  virtual ~ScriptHost() = default;
  // Runs the embedded script `script_name` with `args` as data ($Request.args in the script).
  // Throws SessionError when PowerShell itself fails; a script's own error is in Reply.
  virtual Reply call(std::string_view script_name, const nlohmann::json& args) = 0;
  // How many PowerShell processes it has started so far (for the diagnostics).
  virtual int launches() const = 0;
};

struct SessionOptions {
  std::string executable;  // the local PowerShell (remoting transports start it too)
  std::chrono::milliseconds timeout{std::chrono::seconds(120)};  // per request
  // How long a request that an interruption comes upon may still take to finish (most take far
  // less than a second, and a finished one needs no guessing); then PowerShell is ended.
  std::chrono::milliseconds interrupt_grace{std::chrono::seconds(3)};
  std::vector<std::pair<std::string, std::string>> env;
  std::optional<RemoteOptions> remote;  // set: a remote host (docs/remote.md)
};

class Session final : public ScriptHost {
 public:
  explicit Session(SessionOptions options);
  ~Session() override;
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  Reply call(std::string_view script_name, const nlohmann::json& args) override;
  int launches() const override { return launches_; }

 private:
  void start(std::string_view request_name);
  // read_until in slices, watching for interruptions (see SessionOptions::interrupt_grace).
  process::Child::Io read_line(std::string& line, process::Clock::time_point deadline,
                               std::string_view request);
  void connect(std::string_view request_name, const Launch& launch);
  [[noreturn]] void fail(SessionError::Kind kind, std::string_view request, std::string message);
  [[noreturn]] void fail_connection(std::string_view request, std::string detail, int exit_code);

  SessionOptions options_;
  std::unique_ptr<process::Child> child_;
  int next_id_ = 1;
  int launches_ = 0;
  bool connected_ = false;  // the far side runs PowerShell: a later failure is Lost
};

// Frames: a request is one line, base64(UTF-8 JSON {id, name, script, args}); a reply is one line
// "#NESTVIRT-REPLY <base64(UTF-8 JSON)>". Base64 both ways keeps the bytes clear of console code
// pages (powershell.exe reads and writes the OEM code page by default) and of stray output.
std::string frame_request(int id, std::string_view name, std::string_view script,
                          const nlohmann::json& args);
inline constexpr std::string_view kReplyMarker = "#NESTVIRT-REPLY ";
// ssh://'s loader prints this line once PowerShell runs on the host (login and start done).
inline constexpr std::string_view kReadyMarker = "#NESTVIRT-READY";
// Parses one reply line's payload (after the marker). Throws std::runtime_error if malformed.
Reply parse_reply(std::string_view base64_payload, int expected_id);

}  // namespace nestvirt::powershell
