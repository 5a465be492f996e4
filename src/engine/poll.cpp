#include "nestvirt/engine/poll.h"

#include <algorithm>
#include <thread>

namespace nestvirt::engine {

Poll poll_until(Clock::time_point deadline, Backoff backoff, const std::function<Poll()>& poll) {
  auto interval = backoff.first;
  for (;;) {
    const Poll answer = poll();
    if (answer != Poll::Again) return answer;
    const auto now = Clock::now();
    if (now >= deadline) return Poll::Again;
    std::this_thread::sleep_for(std::min<Clock::duration>(interval, deadline - now));
    interval = std::min(interval * 3 / 2, backoff.most);
  }
}

}  // namespace nestvirt::engine
