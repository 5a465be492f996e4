// What the OpenSSH client and PowerShell remoting say when a host cannot be used, read into one
// problem each, with its exit code and advice. The texts are the clients' own (docs/remote.md).
#include "nestvirt/core/connection.h"
#include "catch.h"
#include "nestvirt/core/exit_codes.h"

using namespace nestvirt::core;

namespace {
bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}
}  // namespace

TEST_CASE("ssh's failures are told apart by what it printed") {
  struct Case {
    int code;
    const char* err;
    ConnectionProblem problem;
  };
  const Case cases[] = {
      {255, "ssh: Could not resolve hostname nosuch.invalid: Name or service not known\r\n",
       ConnectionProblem::NameNotResolved},
      {255, "ssh: connect to host 127.0.0.1 port 1: Connection refused\r\n",
       ConnectionProblem::Refused},
      {255, "ssh: connect to host 10.1.1.1 port 22: Connection timed out\r\n",
       ConnectionProblem::ConnectTimeout},
      {255,
       "Connection timed out during banner exchange\r\nConnection to 127.0.0.1 port 40000 "
       "timed out\r\n",
       ConnectionProblem::ConnectTimeout},
      {255, "admin@127.0.0.1: Permission denied (publickey).\r\n", ConnectionProblem::LoginRefused},
      {255,
       "No ED25519 host key is known for [127.0.0.1]:40001 and you have requested strict "
       "checking.\r\nHost key verification failed.\r\n",
       ConnectionProblem::HostKeyUnknown},
      {255,
       "@@@@@@@@@@\r\n@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @\r\n...\r\nHost "
       "key verification failed.\r\n",
       ConnectionProblem::HostKeyChanged},
      {127, "sh: 1: powershell.exe: not found\n", ConnectionProblem::PowerShellMissing},
      {1,
       "'powershell.exe' is not recognized as an internal or external command,\r\noperable "
       "program or batch file.\r\n",
       ConnectionProblem::PowerShellMissing},
      {255, "Connection to 127.0.0.1 closed by remote host.\r\n", ConnectionProblem::Lost},
      {255, "kex_exchange_identification: something new\r\n", ConnectionProblem::Other},
  };
  for (const auto& c : cases) {
    INFO(c.err);
    CHECK(classify_ssh_failure(c.code, c.err) == c.problem);
  }
}

TEST_CASE("PowerShell remoting's failures are told apart by message and error id") {
  CHECK(classify_remoting_failure(
            "Connecting to remote server hv1 failed with the following error message : The "
            "WinRM client cannot process the request. ... add the destination computer to the "
            "TrustedHosts configuration setting",
            "ServerNotTrusted,PSSessionOpenFailed") == ConnectionProblem::NotTrusted);
  CHECK(classify_remoting_failure(
            "Connecting to remote server hv1 failed with the following error message : Access "
            "is denied.",
            "AccessDenied,PSSessionOpenFailed") == ConnectionProblem::LoginRefused);
  CHECK(classify_remoting_failure(
            "The server certificate on the destination computer (hv1:5986) has the following "
            "errors: The SSL certificate is signed by an unknown certificate authority.",
            "12175,PSSessionOpenFailed") == ConnectionProblem::CertificateRejected);
  // PowerShell's own -ConnectingTimeout, when it ends the attempt before ssh does.
  CHECK(classify_remoting_failure("The SSH client session has ended with error message: The SSH "
                                  "transport process has abruptly terminated causing this remote "
                                  "session to break.\nSSH connection attempt failed after time "
                                  "out: 3 seconds.",
                                  "PSSessionOpenFailed") == ConnectionProblem::ConnectTimeout);
  CHECK(classify_remoting_failure("The SSH client session has ended with error message: The SSH "
                                  "transport process has abruptly terminated causing this remote "
                                  "session to break.\nsubsystem request failed on channel 0",
                                  "PSSessionOpenFailed") == ConnectionProblem::PowerShellMissing);
  CHECK(classify_remoting_failure("The SSH client session has ended with error message: The SSH "
                                  "transport process has abruptly terminated causing this remote "
                                  "session to break.\nssh: connect to host 127.0.0.1 port 1: "
                                  "Connection refused",
                                  "PSSessionOpenFailed") == ConnectionProblem::Refused);
  CHECK(classify_remoting_failure("This parameter set requires WSMan, and no supported WSMan "
                                  "client library was found.",
                                  "") == ConnectionProblem::RemotingUnavailable);
  CHECK(classify_remoting_failure("PowerShell remoting over SSH needs PowerShell 7 on this "
                                  "machine; this is 5.1.19041.1",
                                  "NotSupportedException") ==
        ConnectionProblem::RemotingUnavailable);
}

TEST_CASE("each problem has its exit code and advice naming the host") {
  Target t;
  t.transport = Transport::Ssh;
  t.host = "hv1";
  t.port = 2222;
  t.user = "admin";
  CHECK(exit_code_of(ConnectionProblem::NameNotResolved) == kExitHostUnreachable);
  CHECK(exit_code_of(ConnectionProblem::Refused) == kExitHostUnreachable);
  CHECK(exit_code_of(ConnectionProblem::ConnectTimeout) == kExitHostUnreachable);
  CHECK(exit_code_of(ConnectionProblem::LoginRefused) == kExitLoginRefused);
  CHECK(exit_code_of(ConnectionProblem::HostKeyUnknown) == kExitHostNotTrusted);
  CHECK(exit_code_of(ConnectionProblem::HostKeyChanged) == kExitHostNotTrusted);
  CHECK(exit_code_of(ConnectionProblem::PowerShellMissing) == kExitPowerShellMissing);
  CHECK(exit_code_of(ConnectionProblem::Lost) == kExitConnectionLost);

  const auto changed = advise(ConnectionProblem::HostKeyChanged, t, "powershell.exe", 15);
  CHECK(contains(changed.fix, "ssh-keygen -R '[hv1]:2222'"));
  const auto login = advise(ConnectionProblem::LoginRefused, t, "powershell.exe", 15);
  CHECK(contains(login.what, "hv1:2222 refused the login of 'admin'"));
  CHECK(contains(login.fix, "--ssh-identity"));
  const auto missing = advise(ConnectionProblem::PowerShellMissing, t, "powershell.exe", 15);
  CHECK(contains(missing.fix, "--remote-powershell pwsh"));
  const auto slow = advise(ConnectionProblem::ConnectTimeout, t, "powershell.exe", 7);
  CHECK(contains(slow.what, "within 7 s"));
  for (auto p : {ConnectionProblem::NameNotResolved, ConnectionProblem::Refused,
                 ConnectionProblem::NotTrusted, ConnectionProblem::CertificateRejected,
                 ConnectionProblem::RemotingUnavailable, ConnectionProblem::Lost,
                 ConnectionProblem::Other}) {
    const auto a = advise(p, t, "powershell.exe", 15);
    CHECK_FALSE(a.what.empty());
    CHECK_FALSE(a.fix.empty());
    CHECK(problem_name(p) != "none");
  }
}
