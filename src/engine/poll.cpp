#include "nestvirt/engine/poll.h"

#include <algorithm>
#include <thread>

#include "nestvirt/process/interrupt.h"

namespace nestvirt::engine {

Poll poll_until(Clock::time_point deadline, Backoff backoff, const std::function<Poll()>& poll,
                int interrupts) {
  auto stop = [interrupts] { return process::interrupt_count() >= interrupts; };
  auto interval = backoff.first;
  for (;;) {
    const Poll answer = poll();
    if (answer != Poll::Again) return answer;
    if (stop()) return Poll::Interrupted;
    const auto now = Clock::now();
    if (now >= deadline) return Poll::Again;
    // Asleep in slices, so that an interruption ends the wait at once.
    const auto wake = std::min<Clock::time_point>(now + interval, deadline);
    while (Clock::now() < wake) {
      if (stop()) return Poll::Interrupted;
      std::this_thread::sleep_for(
          std::min<Clock::duration>(std::chrono::milliseconds(50), wake - Clock::now()));
    }
    interval = std::min(interval * 3 / 2, backoff.most);
  }
}

}  // namespace nestvirt::engine
