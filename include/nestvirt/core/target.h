// Where a command runs: this machine, or a remote Hyper-V host named by a target such as
// ssh://admin@hv1:22 (docs/remote.md). Pure parsing, so every form and every mistake is tested
// without a network.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace nestvirt::core {

enum class Transport {
  Ssh,      // ssh://[user@]host[:port]: the OpenSSH client, PowerShell on the far side
  Winrm,    // winrm://host[:port]: PowerShell remoting over WS-Management, HTTP (5985)
  Winrms,   // winrms://host[:port]: the same over HTTPS (5986)
  PwshSsh,  // pwsh-ssh://[user@]host[:port]: PowerShell remoting over SSH (PowerShell 7)
};

struct Target {
  Transport transport = Transport::Ssh;
  std::string user;  // empty: ssh's own default (config or login name), or the logged-on user
  std::string host;  // a name, an IPv4 address or an IPv6 address without brackets
  int port = 0;      // 0: the transport's default
  std::string text;  // as the user wrote it, for reports
};

// The scheme's word ("ssh", "winrm", "winrms", "pwsh-ssh"), as in JSON `transport`.
std::string transport_name(Transport transport);
// The port used when the target names none: 22, 5985, 5986, 22.
int default_port(Transport transport);

struct TargetParse {
  std::optional<Target> target;
  std::string error;  // why not, naming the text and the fix
};

// ssh://user@hv1, ssh://hv1:2222, winrms://hv1.corp.example, pwsh-ssh://[fe80::1]:22 ...
// A target without a scheme is refused: guessing a transport would send credentials somewhere
// the user did not choose.
TargetParse parse_target(std::string_view text);

struct HostsFileParse {
  std::vector<Target> targets;
  std::vector<std::string> errors;  // "FILE:LINE: ...", one per bad line
};

// One target a line; blank lines and everything after '#' ignored; surrounding spaces trimmed.
HostsFileParse parse_hosts_file(std::string_view content, const std::string& file_name);

// The name a host goes by in reports and progress: its text without the scheme.
std::string target_label(const Target& target);

}  // namespace nestvirt::core
