#include <windows.h>

#include <string>
#include <thread>

#include "nestvirt/process/environment.h"
#include "nestvirt/process/interrupt.h"

namespace nestvirt::process {

namespace {

HANDLE g_handled = nullptr;  // set once the report is out (a closed console waits for it)

BOOL WINAPI on_console_event(DWORD type) {
  switch (type) {
    case CTRL_C_EVENT:
      note_interrupt("Ctrl-C");
      return TRUE;
    case CTRL_BREAK_EVENT:
      note_interrupt("Ctrl-Break");
      return TRUE;
    case CTRL_CLOSE_EVENT:
      note_interrupt("console closed");
      // Windows ends the process once this returns (or after about 5 s): give the executor
      // the time it has to undo and report.
      if (g_handled != nullptr) WaitForSingleObject(g_handled, 4500);
      return TRUE;
    default:
      return FALSE;
  }
}

std::wstring widen(const std::string& s) {
  std::wstring out;
  const int n = MultiByteToWideChar(CP_UTF8, 0, s.data(), static_cast<int>(s.size()), nullptr, 0);
  out.resize(static_cast<std::size_t>(n > 0 ? n : 0));
  MultiByteToWideChar(CP_UTF8, 0, s.data(), static_cast<int>(s.size()), out.data(), n);
  return out;
}

}  // namespace

void watch_interrupts() {
  static bool installed = false;
  if (installed) return;
  installed = true;
  g_handled = CreateEventW(nullptr, TRUE, FALSE, nullptr);
  SetConsoleCtrlHandler(on_console_event, TRUE);
  // A fleet's member runs without a console: its parent signals this event instead.
  if (auto name = read_environment("NESTVIRT_INTERRUPT_EVENT"); name && !name->empty()) {
    HANDLE event = OpenEventW(SYNCHRONIZE, FALSE, widen(*name).c_str());
    if (event != nullptr) {
      std::thread([event] {
        while (WaitForSingleObject(event, INFINITE) == WAIT_OBJECT_0) note_interrupt("the fleet");
      }).detach();
    }
  }
}

void interrupt_handled() {
  if (g_handled != nullptr) SetEvent(g_handled);
}

}  // namespace nestvirt::process
