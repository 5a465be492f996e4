#include <signal.h>

#include "nestvirt/process/interrupt.h"

namespace nestvirt::process {

namespace {

extern "C" void on_signal(int signal) {
  // Only note_interrupt's lock-free atomics: async-signal-safe.
  note_interrupt(signal == SIGINT ? "SIGINT" : signal == SIGTERM ? "SIGTERM" : "SIGHUP");
}

}  // namespace

void watch_interrupts() {
  static bool installed = false;
  if (installed) return;
  installed = true;
  struct sigaction action = {};
  action.sa_handler = on_signal;
  sigemptyset(&action.sa_mask);
  // Not SA_RESTART: a blocking read (a prompt) returns, and every wait looks at the count. The
  // process runner retries what EINTR cut short.
  action.sa_flags = 0;
  for (const int signal : {SIGINT, SIGTERM, SIGHUP}) sigaction(signal, &action, nullptr);
}

void interrupt_handled() {}

}  // namespace nestvirt::process
