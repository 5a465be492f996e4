// Test helper: nvt_sleep MILLISECONDS sleeps, prints nothing, exits 0.
#include <chrono>
#include <cstdlib>
#include <thread>

int main(int argc, char** argv) {
  const long ms = argc > 1 ? std::atol(argv[1]) : 30000;
  std::this_thread::sleep_for(std::chrono::milliseconds(ms));
  return 0;
}
