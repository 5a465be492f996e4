// poll_until: the one wait of the engine.
#include <chrono>

#include "catch.h"
#include "nestvirt/engine/poll.h"

using namespace nestvirt::engine;
using namespace std::chrono_literals;

TEST_CASE("poll_until stops as soon as the poll says done or stop", "[poll]") {
  int polls = 0;
  CHECK(poll_until(Clock::now() + 10s, {1ms, 1ms},
                   [&] { return ++polls == 3 ? Poll::Done : Poll::Again; }) == Poll::Done);
  CHECK(polls == 3);
  polls = 0;
  CHECK(poll_until(Clock::now() + 10s, {1ms, 1ms}, [&] {
          ++polls;
          return Poll::Stop;
        }) == Poll::Stop);
  CHECK(polls == 1);
}

TEST_CASE("poll_until polls once even past its deadline, and never sleeps past it", "[poll]") {
  int polls = 0;
  CHECK(poll_until(Clock::now() - 1s, {1s, 1s}, [&] {
          ++polls;
          return Poll::Again;
        }) == Poll::Again);
  CHECK(polls == 1);
  const auto start = Clock::now();
  CHECK(poll_until(start + 50ms, {10s, 10s}, [] { return Poll::Again; }) == Poll::Again);
  CHECK(Clock::now() - start < 5s);  // not the 10 s interval
}

TEST_CASE("poll_until waits longer between polls, up to the most", "[poll]") {
  std::vector<Clock::time_point> at;
  poll_until(Clock::now() + 10s, {20ms, 45ms}, [&] {
    at.push_back(Clock::now());
    return at.size() == 5 ? Poll::Done : Poll::Again;
  });
  REQUIRE(at.size() == 5);
  // 20, 30, 45, 45 ms: each gap at least its interval.
  CHECK(at[1] - at[0] >= 20ms);
  CHECK(at[2] - at[1] >= 30ms);
  CHECK(at[3] - at[2] >= 45ms);
  CHECK(at[4] - at[3] >= 45ms);
}
