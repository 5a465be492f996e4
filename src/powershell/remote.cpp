#include "nestvirt/powershell/remote.h"

#include <nlohmann/json.hpp>

#include "nestvirt/powershell/encoding.h"
#include "nestvirt/powershell/scripts.h"
#include "nestvirt/powershell/session.h"

namespace nestvirt::powershell {

namespace {

// ssh reads -o values like config lines, split at white space unless quoted.
std::string ssh_option(const std::string& key, const std::string& value) {
  if (value.find_first_of(" \t\"") == std::string::npos) return key + "=" + value;
  std::string quoted = "\"";
  for (const char c : value) {
    if (c != '"') quoted += c;  // a path cannot hold '"' on Windows, nor usefully elsewhere
  }
  return key + "=" + quoted + "\"";
}

int port_of(const core::Target& t) {
  return t.port != 0 ? t.port : core::default_port(t.transport);
}

}  // namespace

std::string remote_program(const RemoteOptions& options) {
  return options.remote_powershell == "pwsh" ? "pwsh" : "powershell.exe";
}

std::string ssh_remote_command(const RemoteOptions& options) {
  // Only base64 and fixed words: the same under cmd.exe, PowerShell or a POSIX shell.
  return remote_program(options) +
         " -NoLogo -NoProfile -NonInteractive -ExecutionPolicy Bypass -EncodedCommand " +
         encode_command(script("loader"));
}

Launch ssh_launch(const RemoteOptions& o) {
  Launch launch;
  auto& a = launch.argv;
  a = {o.ssh_executable,
       "-T",  // no terminal: the conversation is framed lines, not keystrokes
       "-o",
       "BatchMode=yes",  // never a password or passphrase prompt
       "-o",
       "StrictHostKeyChecking=yes",  // an unknown or changed host key ends it
       "-o",
       "ConnectTimeout=" + std::to_string(o.connect_timeout_seconds),
       "-o",
       "ServerAliveInterval=15",  // a connection that silently died ends within a minute
       "-o",
       "ServerAliveCountMax=3",
       "-o",
       "LogLevel=ERROR",  // no banners or warnings mixed into what nestvirt reads
       "-p",
       std::to_string(port_of(o.target))};
  if (!o.identity_file.empty()) {
    a.insert(a.end(), {"-i", o.identity_file, "-o", "IdentitiesOnly=yes"});
  }
  if (!o.known_hosts_file.empty()) {
    a.insert(a.end(), {"-o", ssh_option("UserKnownHostsFile", o.known_hosts_file)});
  }
  if (!o.target.user.empty()) a.insert(a.end(), {"-l", o.target.user});
  a.insert(a.end(), {"--", o.target.host, ssh_remote_command(o)});
  launch.first_line = base64_encode(bootstrap_script());
  return launch;
}

Launch remoting_launch(const std::string& local_powershell, const RemoteOptions& o) {
  Launch launch;
  launch.argv = {
      local_powershell,
      "-NoLogo",
      "-NoProfile",
      "-NonInteractive",
      "-ExecutionPolicy",
      "Bypass",
      "-EncodedCommand",
      encode_command(std::string(script("processor")) + "\n" + std::string(script("remoting")))};
  nlohmann::json spec = {
      {"transport", core::transport_name(o.target.transport)},
      {"host", o.target.host},
      {"port", port_of(o.target)},
      {"user", o.target.transport == core::Transport::PwshSsh ? o.target.user : o.user},
      {"password", o.password ? o.password->reveal() : std::string()},
      {"identity", o.identity_file},
      {"known_hosts", o.known_hosts_file},
      {"authentication", o.authentication},
      {"skip_certificate_check", o.skip_certificate_check},
      {"connect_timeout", o.connect_timeout_seconds},
      {"processor", script("processor")},
  };
  std::string text = spec.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  launch.first_line = base64_encode(text);
  // The copies in between go; the first line itself is the session's to write.
  core::Secret::take(spec["password"].get_ref<std::string&>());
  core::Secret::take(text);
  launch.connect_reply = true;
  return launch;
}

Launch remote_launch(const std::string& local_powershell, const RemoteOptions& options) {
  return options.target.transport == core::Transport::Ssh
             ? ssh_launch(options)
             : remoting_launch(local_powershell, options);
}

}  // namespace nestvirt::powershell
