// The waiting progress: off a terminal one line per change of state, not one per poll; on a
// terminal one line redrawn in place and cleared when the wait ends.
#include <sstream>
#include <string>

#include "catch.h"
#include "nestvirt/report/progress.h"

TEST_CASE("progress in a log: one line per state change") {
  std::ostringstream log;
  nestvirt::report::Progress progress(log, false);
  progress.update("Lab1", "waiting for the guest to shut down: state Running, 0 s of 300 s", false);
  progress.update("Lab1", "waiting for the guest to shut down: state Running, 1 s of 300 s", false);
  progress.update("Lab1", "waiting for the guest to shut down: state Running, 12 s of 300 s",
                  false);
  progress.update("Lab1", "waiting for the guest to shut down: state Stopping, 13 s of 300 s",
                  false);
  progress.update("Lab1", "", true);
  CHECK(log.str() ==
        "Lab1: waiting for the guest to shut down: state Running, 0 s of 300 s\n"
        "Lab1: waiting for the guest to shut down: state Stopping, 13 s of 300 s\n");
}

TEST_CASE("progress on a terminal: one line redrawn, then cleared") {
  std::ostringstream screen;
  nestvirt::report::Progress progress(screen, true);
  progress.update("Lab1", "booting, 1 s of 900 s", false);
  progress.update("Lab1", "booting, 2 s of 900 s", false);
  progress.update("Lab1", "", true);
  CHECK(screen.str() ==
        "\r\033[KLab1: booting, 1 s of 900 s\r\033[KLab1: booting, 2 s of 900 s\r\033[K");
}
