// The one way nestvirt waits (a guest shutting down, a VM starting, a new switch's host adapter,
// a guest's heartbeat and PowerShell Direct, a restart): poll, sleep, poll again, until what is
// waited for happens, it is clear it never will, or the deadline passes.
#pragma once

#include <chrono>
#include <functional>

namespace nestvirt::engine {

using Clock = std::chrono::steady_clock;

// How long to sleep between polls: `first`, each next one half as long again, at most `most`.
// Often at first (a VM that starts in a second is seen at once), then less (a guest shutdown
// takes tens of seconds, and each poll is a request to the host, on a fleet to every host).
struct Backoff {
  std::chrono::milliseconds first{1000};
  std::chrono::milliseconds most{1000};
};

enum class Poll {
  Again,        // not yet: poll again
  Done,         // what was waited for happened
  Stop,         // it never will (a dead PowerShell, a switch that went away): stop waiting
  Interrupted,  // poll_until's own answer: an interruption came (process/interrupt.h)
};

// Calls `poll` until it answers Done or Stop, or `deadline` passes, or interruptions
// (process/interrupt.h) number `interrupts` (then at once, without another poll: 1 while a run
// goes forward, 2 while it undoes after the first); never sleeps past the deadline, and polls
// at least once. Returns the last answer: Again means the deadline passed.
Poll poll_until(Clock::time_point deadline, Backoff backoff, const std::function<Poll()>& poll,
                int interrupts = 1);

}  // namespace nestvirt::engine
