// nvt_console PROGRAM [ARG...]: runs PROGRAM in a console of its own and exits with its code.
//
// PowerShell started by wine from a shell without a terminal has no console, prints nothing
// and exits 0. nestvirt.exe gives the engine a console (CREATE_NO_WINDOW); this launcher does
// the same for ad-hoc runs of the engine under wine (scripts/with-sim-win --console). The
// standard handles are passed through, so output still reaches the caller's pipes.
#include <windows.h>

#include <string>

namespace {

// The rest of our command line after argv[0], exactly as typed: the program's own arguments
// keep their quoting. argv[0] is parsed as Windows parses it: quoted up to the next quote
// (no escapes), otherwise up to the first space or tab.
const wchar_t* skip_program_name(const wchar_t* line) {
  if (*line == L'"') {
    ++line;
    while (*line != L'\0' && *line != L'"') ++line;
    if (*line == L'"') ++line;
  } else {
    while (*line != L'\0' && *line != L' ' && *line != L'\t') ++line;
  }
  while (*line == L' ' || *line == L'\t') ++line;
  return line;
}

}  // namespace

int main() {
  const wchar_t* rest = skip_program_name(GetCommandLineW());
  if (*rest == L'\0') {
    const char usage[] = "usage: nvt_console PROGRAM [ARG...]\n";
    DWORD written = 0;
    WriteFile(GetStdHandle(STD_ERROR_HANDLE), usage, sizeof usage - 1, &written, nullptr);
    return 2;
  }
  std::wstring command_line(rest);  // CreateProcessW may write to it

  // The engine and everything it starts end with us: nothing outlives an interrupted run.
  HANDLE job = CreateJobObjectW(nullptr, nullptr);
  JOBOBJECT_EXTENDED_LIMIT_INFORMATION limits{};
  limits.BasicLimitInformation.LimitFlags = JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE;
  SetInformationJobObject(job, JobObjectExtendedLimitInformation, &limits, sizeof limits);

  STARTUPINFOW startup{};
  startup.cb = sizeof startup;
  startup.dwFlags = STARTF_USESTDHANDLES;
  startup.hStdInput = GetStdHandle(STD_INPUT_HANDLE);
  startup.hStdOutput = GetStdHandle(STD_OUTPUT_HANDLE);
  startup.hStdError = GetStdHandle(STD_ERROR_HANDLE);
  PROCESS_INFORMATION info{};
  if (!CreateProcessW(nullptr, command_line.data(), nullptr, nullptr, TRUE,
                      CREATE_NO_WINDOW | CREATE_SUSPENDED, nullptr, nullptr, &startup, &info)) {
    const char failed[] = "nvt_console: cannot start the program\n";
    DWORD written = 0;
    WriteFile(GetStdHandle(STD_ERROR_HANDLE), failed, sizeof failed - 1, &written, nullptr);
    return 127;
  }
  AssignProcessToJobObject(job, info.hProcess);
  ResumeThread(info.hThread);
  WaitForSingleObject(info.hProcess, INFINITE);
  DWORD code = 1;
  GetExitCodeProcess(info.hProcess, &code);
  return static_cast<int>(code);
}
