// Off a terminal the waiting progress is one line per change of state, not one per poll.
#include <cstdio>
#include <string>

#include "catch.h"
#include "nestvirt/report/progress.h"

TEST_CASE("progress in a log: one line per state change") {
  std::FILE* file = std::tmpfile();
  REQUIRE(file != nullptr);
  {
    nestvirt::report::Progress progress(file);
    progress.update("Lab1", "waiting for the guest to shut down: state Running, 0 s of 300 s",
                    false);
    progress.update("Lab1", "waiting for the guest to shut down: state Running, 1 s of 300 s",
                    false);
    progress.update("Lab1", "waiting for the guest to shut down: state Running, 12 s of 300 s",
                    false);
    progress.update("Lab1", "waiting for the guest to shut down: state Stopping, 13 s of 300 s",
                    false);
    progress.update("Lab1", "", true);
  }
  std::rewind(file);
  std::string text;
  char buffer[256];
  while (std::fgets(buffer, sizeof buffer, file) != nullptr) text += buffer;
  std::fclose(file);
  CHECK(text ==
        "Lab1: waiting for the guest to shut down: state Running, 0 s of 300 s\n"
        "Lab1: waiting for the guest to shut down: state Stopping, 13 s of 300 s\n");
}
