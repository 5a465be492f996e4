#include <atomic>

#include "nestvirt/process/interrupt.h"

namespace nestvirt::process {

namespace {

// Lock-free, so a signal handler may touch them.
std::atomic<int> g_count{0};
std::atomic<const char*> g_first{nullptr};
static_assert(std::atomic<int>::is_always_lock_free &&
              std::atomic<const char*>::is_always_lock_free);

}  // namespace

void note_interrupt(const char* name) {
  const char* none = nullptr;
  g_first.compare_exchange_strong(none, name);
  g_count.fetch_add(1);
}

int interrupt_count() {
  return g_count.load();
}

std::string interrupt_name() {
  const char* name = g_first.load();
  return name == nullptr ? std::string() : std::string(name);
}

void reset_interrupts() {
  g_count.store(0);
  g_first.store(nullptr);
}

}  // namespace nestvirt::process
