#include "nestvirt/engine/guest_wait.h"

#include "nestvirt/engine/poll.h"
#include "nestvirt/engine/requests.h"

namespace nestvirt::engine {

namespace {

int seconds_since(Clock::time_point start) {
  return static_cast<int>(
      std::chrono::duration_cast<std::chrono::seconds>(Clock::now() - start).count());
}

}  // namespace

GuestWait wait_for_guest(powershell::ScriptHost& host, const core::VmRef& vm,
                         const core::GuestLogin& login, const ExecOptions& options,
                         const std::string& doing, const std::string& old_boot) {
  const auto start = Clock::now();
  GuestWait out;
  const Poll last = poll_until(
      start + options.guest_timeout, {options.poll_interval, options.poll_interval * 5},
      [&] {
        out.facts = read_hyperv_guest(host, vm, login);
        const core::GuestReach reach = core::reach_of(out.facts);
        if (reach == core::GuestReach::Answered) {
          const std::string& boot = out.facts.inside->boot_time;
          if (old_boot.empty() || (boot != old_boot && !boot.empty())) return Poll::Done;
        }
        if (reach == core::GuestReach::Credentials || reach == core::GuestReach::NotWindows ||
            (reach == core::GuestReach::VmNotRunning && out.facts.state != "Starting")) {
          return Poll::Stop;
        }
        if (options.progress) {
          options.progress(vm.name,
                           doing + " (heartbeat " +
                               (out.facts.heartbeat.empty() ? "none" : out.facts.heartbeat) +
                               "), " + std::to_string(seconds_since(start)) + " s of " +
                               std::to_string(options.guest_timeout.count()) + " s",
                           false);
        }
        return Poll::Again;
      },
      options.interrupts_to_stop);
  out.seconds = seconds_since(start);
  out.interrupted = last == Poll::Interrupted;
  if (options.progress) options.progress(vm.name, "", true);
  return out;
}

}  // namespace nestvirt::engine
