// Interruptions: Ctrl-C and SIGTERM (what a CI runner sends on cancel), SIGHUP (a closed
// terminal); on Windows Ctrl-C, Ctrl-Break and a closed console window. None of them ends
// nestvirt: each is counted, and the executor stops at its next safe point, undoes what this run
// did and reports (the first one), or stops undoing too (the second). Everything that waits
// (a PowerShell request, a poll) looks at the count.
#pragma once

#include <string>

namespace nestvirt::process {

// Installs the handlers (once; later calls do nothing). A fleet's member also listens for its
// parent's interruption (NESTVIRT_INTERRUPT_EVENT on Windows; a signal elsewhere).
void watch_interrupts();

// How many interruptions arrived so far, and the first one's name ("SIGINT", "SIGTERM",
// "SIGHUP", "Ctrl-C", "Ctrl-Break", "console closed", "the fleet"; "" before any).
int interrupt_count();
std::string interrupt_name();

// As if one more interruption named `name` arrived (tests, and the Windows fleet listener).
void note_interrupt(const char* name);
// Back to no interruption (tests only: a real one is never taken back).
void reset_interrupts();

// Windows: a closed console ends the process a few seconds after its handler returns, so the
// handler waits for this (the report printed) before it returns. Elsewhere it does nothing.
void interrupt_handled();

}  // namespace nestvirt::process
