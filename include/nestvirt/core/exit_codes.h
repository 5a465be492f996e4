// Exit codes: each means one thing, so CI pipelines can branch on them. docs/json-output.md
// documents them; change both together.
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
};

}  // namespace nestvirt::core
