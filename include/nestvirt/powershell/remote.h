// How a session reaches a remote Hyper-V host (docs/remote.md): the program nestvirt starts on
// this machine and the first line it writes to it. ssh:// starts the OpenSSH client, whose
// remote command is a small loader that reads the bootstrap from stdin (the remote command line
// stays far below cmd.exe's 8,191 characters); winrm://, winrms:// and pwsh-ssh:// start the
// local PowerShell with remoting.ps1, which opens one PSSession and forwards every request into
// it. Pure: the tests check every argument without starting anything.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "nestvirt/core/secret.h"
#include "nestvirt/core/target.h"

namespace nestvirt::powershell {

struct RemoteOptions {
  core::Target target;
  std::string ssh_executable = "ssh";            // NESTVIRT_SSH overrides
  std::string remote_powershell = "powershell";  // ssh://: "powershell" or "pwsh"
  int connect_timeout_seconds = 15;
  std::string identity_file;            // --ssh-identity: ssh -i / New-PSSession -KeyFilePath
  std::string known_hosts_file;         // --ssh-known-hosts: UserKnownHostsFile
  std::string authentication;           // winrm: Default, Negotiate, Kerberos, CredSSP, Basic
  bool skip_certificate_check = false;  // winrms: lab certificates
  std::string user;  // winrm: NESTVIRT_REMOTE_USER (ssh users come from the target)
  // winrm: NESTVIRT_REMOTE_PASSWORD; travels only on stdin. Shared: the options are copied.
  std::shared_ptr<const core::Secret> password;
};

// The program ssh:// runs on the host: "powershell.exe" or "pwsh".
std::string remote_program(const RemoteOptions& options);

struct Launch {
  std::vector<std::string> argv;  // what nestvirt starts here
  std::string first_line;         // written to its stdin before any request (no newline)
  bool connect_reply = false;     // it answers request id 0 once connected (remoting)
};

// ssh -T -o BatchMode=yes -o StrictHostKeyChecking=yes ... -- HOST powershell.exe ...
// -EncodedCommand <loader>; first line: the bootstrap.
Launch ssh_launch(const RemoteOptions& options);
// The local PowerShell with processor.ps1 + remoting.ps1; first line: the connection, password
// included.
Launch remoting_launch(const std::string& local_powershell, const RemoteOptions& options);
Launch remote_launch(const std::string& local_powershell, const RemoteOptions& options);

// The remote command ssh:// sends, as the far side's shell receives it (for tests: its length).
std::string ssh_remote_command(const RemoteOptions& options);

}  // namespace nestvirt::powershell
