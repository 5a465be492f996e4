// Exit codes: each means one thing, so CI pipelines can branch on them. kExitCodes below is the
// one list of them with their words: `nestvirt --help` prints it, and a unit test holds
// docs/json-output.md's table to it. Add a code in both places here.
#pragma once

namespace nestvirt::core {

enum ExitCode : int {
  kExitOk = 0,                    // everything asked for holds (warnings allowed)
  kExitInternal = 1,              // a bug in nestvirt: please report it
  kExitUsage = 2,                 // bad command line or input; nothing was started or changed
  kExitPrerequisitesNotMet = 3,   // one of Microsoft's prerequisites for nesting is not met
  kExitPrerequisitesUnknown = 4,  // nothing failed, but some prerequisite could not be read
  kExitPowerShellMissing = 5,     // PowerShell could not be started
  kExitPowerShellFailed = 6,      // PowerShell died, or answered with an unexpected error
  kExitPowerShellTimedOut = 7,    // a request exceeded --timeout; PowerShell was ended
  kExitChangeFailed = 8,          // a change failed; what was done was undone
  kExitChangeIncomplete = 9,      // a change failed and could not be fully undone: see report
  kExitNotFound = 10,             // a named VM, adapter, switch or NAT does not exist
  kExitRefused = 11,              // refused in this state or because of a conflict; nothing changed
  kExitCredentialsRejected = 12,  // the guest rejected the credentials (net-nat guest)
  kExitHostUnreachable = 13,      // a remote host: name not resolved, refused, or no answer
  kExitLoginRefused = 14,         // a remote host refused the login
  kExitHostNotTrusted = 15,       // a remote host's identity could not be verified
  kExitConnectionLost = 16,       // the connection to a remote host failed after it had worked
  kExitGuestNotReady = 17,        // a guest did not boot or answer within --guest-timeout
  kExitInterrupted = 18,          // interrupted (Ctrl-C, SIGTERM); what it had done was put back
};

struct ExitCodeInfo {
  ExitCode code;
  const char* outcome;  // the JSON `outcome` word
  const char* meaning;  // one line, for `nestvirt --help`
};

inline constexpr ExitCodeInfo kExitCodes[] = {
    {kExitOk, "ok", "everything asked for holds (warnings allowed)"},
    {kExitInternal, "internal-error", "a bug in nestvirt; please report it"},
    {kExitUsage, "usage-error", "bad command line or input; nothing was started or changed"},
    {kExitPrerequisitesNotMet, "prerequisites-not-met",
     "one of Microsoft's prerequisites for nesting is not met"},
    {kExitPrerequisitesUnknown, "prerequisites-unknown",
     "nothing failed, but some prerequisite could not be read"},
    {kExitPowerShellMissing, "powershell-missing", "PowerShell could not be started"},
    {kExitPowerShellFailed, "powershell-failed",
     "PowerShell died, or answered in a way nestvirt cannot read"},
    {kExitPowerShellTimedOut, "powershell-timed-out",
     "a request took longer than --timeout; PowerShell was ended"},
    {kExitChangeFailed, "change-failed", "a change failed; what this run had done was undone"},
    {kExitChangeIncomplete, "change-incomplete",
     "a change failed and could not be fully undone (the report says what is left)"},
    {kExitNotFound, "not-found",
     "a VM, adapter, switch or NAT named on the command line does not exist"},
    {kExitRefused, "refused",
     "refused in this state or because of a conflict (e.g. a running VM without --restart)"},
    {kExitCredentialsRejected, "credentials-rejected", "the guest rejected the credentials"},
    {kExitHostUnreachable, "host-unreachable",
     "a remote host could not be reached (name not resolved, connection refused or timed out)"},
    {kExitLoginRefused, "login-refused",
     "a remote host refused the login (key, password, account)"},
    {kExitHostNotTrusted, "host-not-trusted",
     "a remote host's identity could not be verified (SSH host key, WinRM certificate or "
     "TrustedHosts); nothing was sent"},
    {kExitConnectionLost, "connection-lost",
     "the connection to a remote host dropped, or its client failed; nothing was being changed"},
    {kExitGuestNotReady, "guest-not-ready",
     "a VM's guest did not boot or answer PowerShell Direct within --guest-timeout"},
    {kExitInterrupted, "interrupted",
     "interrupted (Ctrl-C, SIGTERM, a closed console) before it finished; everything it had "
     "changed was put back (when something could not be: 9)"},
};

}  // namespace nestvirt::core
