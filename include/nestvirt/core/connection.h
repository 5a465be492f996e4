// Why a remote host could not be used, read from what the OpenSSH client or PowerShell
// remoting said, with words and a fix for each case and the exit code it gives
// (docs/remote.md lists them). Pure: the texts are the clients' own, matched here.
#pragma once

#include <string>
#include <string_view>

#include "nestvirt/core/target.h"

namespace nestvirt::core {

enum class ConnectionProblem {
  None,
  NameNotResolved,      // 13: DNS has no such name
  Refused,              // 13: nothing listens on the port
  ConnectTimeout,       // 13: no answer within --connect-timeout
  LoginRefused,         // 14: key, password or account refused
  HostKeyUnknown,       // 15: the host's SSH key is not in known_hosts
  HostKeyChanged,       // 15: it differs from the one in known_hosts
  NotTrusted,           // 15: WinRM over HTTP to a host outside TrustedHosts
  CertificateRejected,  // 15: WinRM over HTTPS with a certificate this machine does not trust
  PowerShellMissing,    // 5: the host has no such PowerShell for SSH sessions
  RemotingUnavailable,  // 5: this machine's PowerShell cannot open that kind of session
  Lost,                 // 16: the connection dropped after it had worked
  Other,                // 16: the client failed in a way not listed above
};

// The JSON word for it: "name-not-resolved", "refused", ...
std::string problem_name(ConnectionProblem problem);
int exit_code_of(ConnectionProblem problem);

// From ssh's exit code and stderr, before the far side ever answered. ssh exits 255 for its own
// failures; the remote shell 127 (sh) or 9009/1 (cmd.exe) when it has no such program.
ConnectionProblem classify_ssh_failure(int exit_code, std::string_view stderr_text);

// From New-PSSession's error (its message and FullyQualifiedErrorId).
ConnectionProblem classify_remoting_failure(std::string_view message, std::string_view fqid);

struct ConnectionAdvice {
  std::string what;  // one sentence: what happened, naming the host
  std::string fix;   // what to do about it
};
// `remote_powershell` is the program ssh:// starts on the host (powershell.exe or pwsh).
ConnectionAdvice advise(ConnectionProblem problem, const Target& target,
                        const std::string& remote_powershell, int connect_timeout_seconds);

}  // namespace nestvirt::core
