#include "nestvirt/core/connection.h"

#include <algorithm>
#include <cctype>

#include "nestvirt/core/exit_codes.h"

namespace nestvirt::core {

namespace {

bool contains(std::string_view text, std::string_view needle) {
  const auto it =
      std::search(text.begin(), text.end(), needle.begin(), needle.end(), [](char a, char b) {
        return std::tolower(static_cast<unsigned char>(a)) ==
               std::tolower(static_cast<unsigned char>(b));
      });
  return it != text.end();
}

template <std::size_t N>
bool any_of(std::string_view text, const std::string_view (&needles)[N]) {
  return std::any_of(std::begin(needles), std::end(needles),
                     [&](std::string_view n) { return contains(text, n); });
}

std::string where(const Target& t) {
  return t.host + ":" + std::to_string(t.port != 0 ? t.port : default_port(t.transport));
}

bool is_ssh(const Target& t) {
  return t.transport == Transport::Ssh || t.transport == Transport::PwshSsh;
}

}  // namespace

std::string problem_name(ConnectionProblem problem) {
  switch (problem) {
    case ConnectionProblem::None:
      return "none";
    case ConnectionProblem::NameNotResolved:
      return "name-not-resolved";
    case ConnectionProblem::Refused:
      return "connection-refused";
    case ConnectionProblem::ConnectTimeout:
      return "connect-timeout";
    case ConnectionProblem::LoginRefused:
      return "login-refused";
    case ConnectionProblem::HostKeyUnknown:
      return "host-key-unknown";
    case ConnectionProblem::HostKeyChanged:
      return "host-key-changed";
    case ConnectionProblem::NotTrusted:
      return "host-not-trusted";
    case ConnectionProblem::CertificateRejected:
      return "certificate-rejected";
    case ConnectionProblem::PowerShellMissing:
      return "remote-powershell-missing";
    case ConnectionProblem::RemotingUnavailable:
      return "remoting-unavailable";
    case ConnectionProblem::Lost:
      return "connection-lost";
    case ConnectionProblem::Other:
      return "connection-failed";
  }
  return "connection-failed";
}

int exit_code_of(ConnectionProblem problem) {
  switch (problem) {
    case ConnectionProblem::NameNotResolved:
    case ConnectionProblem::Refused:
    case ConnectionProblem::ConnectTimeout:
      return kExitHostUnreachable;
    case ConnectionProblem::LoginRefused:
      return kExitLoginRefused;
    case ConnectionProblem::HostKeyUnknown:
    case ConnectionProblem::HostKeyChanged:
    case ConnectionProblem::NotTrusted:
    case ConnectionProblem::CertificateRejected:
      return kExitHostNotTrusted;
    case ConnectionProblem::PowerShellMissing:
    case ConnectionProblem::RemotingUnavailable:
      return kExitPowerShellMissing;
    case ConnectionProblem::None:
      return kExitOk;
    case ConnectionProblem::Lost:
    case ConnectionProblem::Other:
      break;
  }
  return kExitConnectionLost;
}

ConnectionProblem classify_ssh_failure(int exit_code, std::string_view err) {
  static constexpr std::string_view kChanged[] = {"REMOTE HOST IDENTIFICATION HAS CHANGED",
                                                  "Host key for", "has changed and you have"};
  static constexpr std::string_view kUnknown[] = {"host key is known for",
                                                  "Host key verification failed"};
  static constexpr std::string_view kResolve[] = {
      "Could not resolve hostname", "Name or service not known", "No such host is known",
      "nodename nor servname provided", "Temporary failure in name resolution"};
  static constexpr std::string_view kTimeout[] = {"Connection timed out", "Operation timed out",
                                                  "timed out during banner exchange",
                                                  "Connection timed out during banner exchange"};
  static constexpr std::string_view kMissing[] = {
      "is not recognized as an internal or external command", ": not found", "command not found",
      "No such file or directory", "is not recognized as the name of a cmdlet"};
  // Order matters: a changed key also prints "Host key verification failed".
  if (any_of(err, kChanged)) return ConnectionProblem::HostKeyChanged;
  if (any_of(err, kUnknown)) return ConnectionProblem::HostKeyUnknown;
  if (any_of(err, kResolve)) return ConnectionProblem::NameNotResolved;
  if (contains(err, "Connection refused")) return ConnectionProblem::Refused;
  if (any_of(err, kTimeout)) return ConnectionProblem::ConnectTimeout;
  if (contains(err, "Permission denied") || contains(err, "Too many authentication failures")) {
    return ConnectionProblem::LoginRefused;
  }
  if (exit_code != 255 && (exit_code == 127 || exit_code == 9009 || any_of(err, kMissing))) {
    return ConnectionProblem::PowerShellMissing;
  }
  if (contains(err, "closed by remote host") || contains(err, "Broken pipe") ||
      contains(err, "Connection reset")) {
    return ConnectionProblem::Lost;
  }
  return ConnectionProblem::Other;
}

ConnectionProblem classify_remoting_failure(std::string_view message, std::string_view fqid) {
  // pwsh-ssh://: the ssh client's own words, when it said any, are the most precise.
  if (contains(message, "ssh: ") || contains(message, "Permission denied (") ||
      contains(message, "Host key verification failed") ||
      contains(message, "host key is known for")) {
    const ConnectionProblem by_ssh = classify_ssh_failure(255, message);
    if (by_ssh != ConnectionProblem::Other && by_ssh != ConnectionProblem::Lost) return by_ssh;
  }
  static constexpr std::string_view kCertificate[] = {
      "certificate", "SSL connection", "CA is not trusted", "SkipCNCheck", "revocation"};
  static constexpr std::string_view kUnavailable[] = {
      "needs PowerShell 7", "no supported WSMan client library", "not supported on this platform",
      "A parameter cannot be found that matches parameter name"};
  if (contains(fqid, "NotSupportedException") || any_of(message, kUnavailable)) {
    // WinRM's client library is missing (Linux, macOS), or this PowerShell is too old for
    // SSH remoting (5.1, or 7 before -Options).
    return ConnectionProblem::RemotingUnavailable;
  }
  if (contains(message, "TrustedHosts")) return ConnectionProblem::NotTrusted;
  if (contains(message, "Host key verification failed") ||
      contains(message, "host key is known for")) {
    return contains(message, "HAS CHANGED") ? ConnectionProblem::HostKeyChanged
                                            : ConnectionProblem::HostKeyUnknown;
  }
  if (contains(message, "Could not resolve hostname") || contains(message, "cannot be resolved") ||
      contains(message, "No such host is known") ||
      contains(message, "Name or service not known") || contains(message, "name resolution")) {
    return ConnectionProblem::NameNotResolved;
  }
  if (contains(message, "Access is denied") || contains(message, "Permission denied") ||
      contains(message, "logon failure") || contains(message, "user name or password") ||
      contains(message, "authentication") || contains(message, "Authentication")) {
    return ConnectionProblem::LoginRefused;
  }
  if (contains(message, "Connection refused") ||
      contains(message, "WinRM cannot complete the operation") ||
      contains(message, "not listening") || contains(message, "actively refused")) {
    return ConnectionProblem::Refused;
  }
  if (contains(message, "timed out") || contains(message, "after time out") ||
      contains(message, "did not respond")) {
    return ConnectionProblem::ConnectTimeout;
  }
  if (any_of(message, kCertificate)) return ConnectionProblem::CertificateRejected;
  if (contains(message, "subsystem request failed") || contains(message, "powershell")) {
    return ConnectionProblem::PowerShellMissing;
  }
  return ConnectionProblem::Other;
}

ConnectionAdvice advise(ConnectionProblem problem, const Target& t,
                        const std::string& remote_powershell, int connect_timeout_seconds) {
  const std::string at = where(t);
  switch (problem) {
    case ConnectionProblem::NameNotResolved:
      return {"The host name '" + t.host + "' does not resolve.",
              "Check its spelling and this machine's DNS (or hosts file), or give its IP "
              "address."};
    case ConnectionProblem::Refused:
      return {"Nothing accepts connections on " + at + ".",
              is_ssh(t) ? "Start the OpenSSH server on the host (Start-Service sshd; "
                          "Set-Service sshd -StartupType Automatic) and check the port and the "
                          "firewall rule 'OpenSSH-Server-In-TCP'."
                        : "Enable remoting on the host (Enable-PSRemoting; for HTTPS add a "
                          "listener: docs/remote.md) and check the port and the firewall."};
    case ConnectionProblem::ConnectTimeout:
      return {"No answer from " + at + " within " + std::to_string(connect_timeout_seconds) + " s.",
              "Check that the host is up and that a firewall lets the port through; on a slow "
              "link raise --connect-timeout."};
    case ConnectionProblem::LoginRefused:
      return {at + " refused the login" + (t.user.empty() ? "" : " of '" + t.user + "'") + ".",
              is_ssh(t) ? "nestvirt logs in with keys or an agent only, never a password "
                          "prompt: put your public key in the account's authorized_keys "
                          "(C:\\ProgramData\\ssh\\administrators_authorized_keys for "
                          "administrators), or name the key with --ssh-identity."
                        : "Check NESTVIRT_REMOTE_USER and NESTVIRT_REMOTE_PASSWORD (or the "
                          "logged-on account) and --authentication; the account must be an "
                          "administrator, or in Hyper-V Administrators and Remote Management "
                          "Users."};
    case ConnectionProblem::HostKeyUnknown:
      return {t.host + "'s SSH host key is not in known_hosts, so nestvirt did not log in.",
              "Verify the key's fingerprint on the host (ssh-keygen -lf "
              "C:\\ProgramData\\ssh\\ssh_host_ed25519_key.pub), then add it to known_hosts "
              "(ssh -p " +
                  std::to_string(t.port != 0 ? t.port : 22) + " " + t.host +
                  " once, answering yes), or name a file with --ssh-known-hosts."};
    case ConnectionProblem::HostKeyChanged:
      return {t.host +
                  "'s SSH host key differs from the one in known_hosts: the host was "
                  "reinstalled, or someone is in between. Nothing was sent.",
              "Verify the new key's fingerprint on the host, then remove the old entry (ssh-keygen "
              "-R " +
                  (t.port != 0 && t.port != 22 ? "'[" + t.host + "]:" + std::to_string(t.port) + "'"
                                               : t.host) +
                  ") and connect again."};
    case ConnectionProblem::NotTrusted:
      return {"WinRM will not send credentials to " + t.host +
                  " over HTTP: it is not in this machine's TrustedHosts.",
              "Use winrms://" + t.host +
                  " (HTTPS), or add the host: Set-Item WSMan:\\localhost\\Client\\TrustedHosts "
                  "-Value '" +
                  t.host + "' -Concatenate."};
    case ConnectionProblem::CertificateRejected:
      return {t.host + "'s HTTPS certificate is not trusted here or does not name it.",
              "Trust the certificate's CA on this machine and use the name the certificate "
              "carries; for a lab host only, --skip-certificate-check."};
    case ConnectionProblem::PowerShellMissing:
      return {t.transport == Transport::Ssh
                  ? t.host + " has no '" + remote_powershell + "' for SSH sessions."
                  : t.host + " does not offer the 'powershell' SSH subsystem.",
              t.transport == Transport::Ssh
                  ? "Install it on the host or put it on the PATH of SSH sessions; "
                    "--remote-powershell pwsh uses PowerShell 7 instead of powershell.exe."
                  : "Install PowerShell 7 on the host and add 'Subsystem powershell "
                    "c:/progra~1/powershell/7/pwsh.exe -sshs' to its sshd_config "
                    "(docs/remote.md)."};
    case ConnectionProblem::RemotingUnavailable:
      return {
          "This machine's PowerShell cannot open a " + transport_name(t.transport) + " session.",
          t.transport == Transport::PwshSsh
              ? "pwsh-ssh:// needs PowerShell 7 here: install it and pass --powershell pwsh."
              : "winrm:// needs the WinRM client, which only Windows has: from Linux or "
                "macOS use ssh:// or pwsh-ssh://."};
    case ConnectionProblem::Lost:
      return {"The connection to " + at + " dropped.",
              "Check the network and the host, then run the command again: it starts from what "
              "the host is now."};
    case ConnectionProblem::Other:
    case ConnectionProblem::None:
      break;
  }
  return {"The connection to " + at + " failed.",
          "Run again with -vv to see what the client said."};
}

}  // namespace nestvirt::core
