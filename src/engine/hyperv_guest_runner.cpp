#include "nestvirt/engine/hyperv_guest_runner.h"

#include <algorithm>
#include <thread>

#include "nestvirt/core/reply_reader.h"

namespace nestvirt::engine {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace {

// One guest_hyperv.ps1 request; the password's copy in the request's data is wiped afterwards.
core::HyperVGuestFacts call_guest(powershell::ScriptHost& host, const core::VmRef& vm,
                                  const core::GuestLogin& login, const std::string& action,
                                  const core::HyperVArgs* args = nullptr) {
  const json result = call_as_guest(host, "guest_hyperv",
                                    {{"action", action},
                                     {"vm_id", vm.id},
                                     {"server", args != nullptr && args->server},
                                     {"source", args != nullptr ? args->source : std::string()}},
                                    login);
  return core::decode_hyperv_guest(result);
}

int seconds_since(Clock::time_point start) {
  return static_cast<int>(
      std::chrono::duration_cast<std::chrono::seconds>(Clock::now() - start).count());
}

std::string missing_words(const core::HyperVGuestInside& in) {
  std::string out;
  auto add = [&](const std::string& s) { out += (out.empty() ? "" : ", ") + s; };
  if (!core::feature_installed(in.feature))
    add("the feature is " + (in.feature.empty() ? std::string("unknown") : in.feature));
  if (in.vmms != "Running")
    add(in.vmms.empty() ? std::string("no vmms service") : "vmms is " + in.vmms);
  if (in.launch_type != "Auto")
    add("hypervisorlaunchtype is " + (in.launch_type.empty() ? "not set" : in.launch_type));
  return out;
}

class Runner {
 public:
  Runner(powershell::ScriptHost& host, const HyperVGuestRequest& request,
         const core::GuestLogin& login, const ExecOptions& options)
      : host_(host), request_(request), login_(login), options_(options) {}

  core::HyperVGuestRun run() {
    core::HyperVGuestRun out;
    const core::VmRef& vm = request_.vm;
    auto facts = wait("booting", "");
    out.before = facts;
    const auto plan = core::plan_hyperv_guest(facts, request_.options, vm);
    if (!plan.refusals.empty()) {
      out.refusals = plan.refusals;
      // A guest that never answered in time says how long nestvirt waited.
      if (plan.refusals.front().id == "guest.not-ready") {
        out.refusals = {*core::reach_refusal(facts, vm, request_.options.vm_selector, waited_)};
      }
      out.run = core::not_run({}, core::Outcome::Refused);
      out.waited_s = waited_;
      return out;
    }
    if (plan.steps.empty()) {
      out.run = core::not_run({}, core::Outcome::Unchanged);
      out.after = facts;
      return out;
    }
    if (request_.dry_run) {
      out.run = core::not_run(plan.steps, core::Outcome::Planned);
      return out;
    }
    out.run = core::not_run(plan.steps, core::Outcome::Changed);
    bool changed = false;  // something in the guest changed: a failure now leaves it so
    for (std::size_t i = 0; i < out.run.steps.size(); ++i) {
      core::StepReport& report = out.run.steps[i];
      const auto start = Clock::now();
      std::string error;
      std::string left;
      run_step(report.step, facts, error, left, report.note);
      report.duration_ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
      if (error.empty()) {
        report.status = core::StepStatus::Done;
        if (report.step.kind != core::StepKind::GuestVerifyHyperV) changed = true;
        continue;
      }
      report.status = core::StepStatus::Failed;
      report.error = error;
      for (std::size_t j = i + 1; j < out.run.steps.size(); ++j)
        out.run.steps[j].status = core::StepStatus::Skipped;
      out.run.outcome = changed ? core::Outcome::Incomplete : core::Outcome::Failed;
      if (changed && !left.empty()) out.run.left_for_admin.push_back(left);
      break;
    }
    out.after = facts;
    out.reboots = reboots_;
    out.waited_s = waited_;
    return out;
  }

 private:
  void progress(const std::string& text, bool final) {
    if (options_.progress) options_.progress(request_.vm.name, text, final);
  }

  // Polls until PowerShell Direct answers (and, after a reboot, with a boot time other than
  // `old_boot`), a refusal that waiting cannot change, or --guest-timeout. Counts the reboots
  // it sees.
  core::HyperVGuestFacts wait(const std::string& doing, const std::string& old_boot) {
    const auto start = Clock::now();
    const auto deadline = start + request_.guest_timeout;
    auto interval = options_.poll_interval;
    core::HyperVGuestFacts facts;
    while (true) {
      facts = read_hyperv_guest(host_, request_.vm, login_);
      const core::GuestReach reach = core::reach_of(facts);
      if (reach == core::GuestReach::Answered) {
        const std::string& boot = facts.inside->boot_time;
        if (old_boot.empty() || (boot != old_boot && !boot.empty())) break;
      }
      if (reach == core::GuestReach::Credentials || reach == core::GuestReach::NotWindows ||
          (reach == core::GuestReach::VmNotRunning && facts.state != "Starting")) {
        break;
      }
      const auto now = Clock::now();
      if (now >= deadline) break;
      progress(doing + " (heartbeat " + (facts.heartbeat.empty() ? "none" : facts.heartbeat) +
                   "), " + std::to_string(seconds_since(start)) + " s of " +
                   std::to_string(request_.guest_timeout.count()) + " s",
               false);
      std::this_thread::sleep_for(std::min<Clock::duration>(interval, deadline - now));
      interval = std::min(interval * 3 / 2, options_.poll_interval * 5);
    }
    waited_ += seconds_since(start);
    progress("", true);
    return facts;
  }

  void run_step(const core::Step& step, core::HyperVGuestFacts& facts, std::string& error,
                std::string& left, std::string& note) {
    const auto& args = std::get<core::HyperVArgs>(step.args);
    const std::string& name = request_.vm.name;
    switch (step.kind) {
      case core::StepKind::GuestInstallHyperV: {
        progress("installing Hyper-V in the guest", false);
        auto r = call_guest(host_, request_.vm, login_, "install", &args);
        progress("", true);
        if (!r.action_error.empty() || !r.inside) {
          error = r.action_error.empty() ? "the guest did not answer the install"
                                         : r.action_error.message;
          if (!r.action_error.fqid.empty()) error += " [" + r.action_error.fqid + "]";
          return;
        }
        facts = r;
        note = "restart needed: " + (r.restart_needed.empty() ? "unknown" : r.restart_needed);
        left = "Hyper-V is installed in " + name +
               "'s guest but not running yet: restart the guest, then check with nestvirt "
               "check --vm " +
               request_.options.vm_selector + " --guest.";
        return;
      }
      case core::StepKind::GuestSetLaunchType: {
        auto r = call_guest(host_, request_.vm, login_, "set-launch-type", &args);
        if (!r.action_error.empty() || !r.inside) {
          error = "bcdedit.exe failed: " + r.action_error.message;
          return;
        }
        facts = r;
        left = "Hyper-V in " + name + "'s guest starts at its next boot: restart the guest.";
        return;
      }
      case core::StepKind::GuestReboot: {
        const std::string old_boot = facts.inside ? facts.inside->boot_time : std::string();
        auto r = call_guest(host_, request_.vm, login_, "reboot", &args);
        if (!r.action_error.empty()) {
          error = "shutdown.exe failed: " + r.action_error.message;
          return;
        }
        ++reboots_;
        facts = wait("rebooting (" + std::to_string(reboots_) + ")", old_boot);
        // Role installs can restart more than once: wait until the install has settled
        // (nothing pending, vmms up) or the guest stays as it is for a few polls.
        settle(facts);
        if (core::reach_of(facts) != core::GuestReach::Answered ||
            facts.inside->boot_time == old_boot) {
          error = "the guest did not come back within " +
                  std::to_string(request_.guest_timeout.count()) + " s after restart " +
                  std::to_string(reboots_) + " (heartbeat " +
                  (facts.heartbeat.empty() ? std::string("none") : facts.heartbeat) +
                  "); the VM is left running";
          left = "The guest of " + name +
                 " did not come back after its restart: look at its console (vmconnect), then "
                 "run nestvirt check --vm " +
                 request_.options.vm_selector + " --guest.";
          return;
        }
        note = std::to_string(reboots_) + (reboots_ == 1 ? " restart" : " restarts") +
               " seen; booted at " + facts.inside->boot_time;
        return;
      }
      case core::StepKind::GuestVerifyHyperV: {
        facts = read_hyperv_guest(host_, request_.vm, login_);
        if (core::reach_of(facts) != core::GuestReach::Answered) {
          error = "the guest did not answer the final check";
        } else if (!core::hyperv_running(*facts.inside)) {
          error = "Hyper-V does not run in the guest: " + missing_words(*facts.inside);
        } else {
          note = "feature " + facts.inside->feature + ", vmms Running, hypervisorlaunchtype Auto";
          return;
        }
        left = "Hyper-V does not run in " + name + "'s guest (" +
               (facts.inside ? missing_words(*facts.inside) : std::string("no answer")) +
               "): see nestvirt check --vm " + request_.options.vm_selector + " --guest.";
        return;
      }
      default:
        error = "not a guest Hyper-V step";
        return;
    }
  }

  void settle(core::HyperVGuestFacts& facts) {
    const auto deadline = Clock::now() + request_.guest_timeout;
    int same = 0;
    std::string boot;
    while (core::reach_of(facts) == core::GuestReach::Answered) {
      const auto& in = *facts.inside;
      if (!core::feature_pending(in.feature) && !in.pending_cbs &&
          (core::hyperv_running(in) || !core::feature_installed(in.feature)))
        return;
      if (in.boot_time == boot) {
        if (++same >= 5) return;  // stays as it is: the final check says what is missing
      } else {
        same = 0;
        boot = in.boot_time;
      }
      if (Clock::now() >= deadline) return;
      std::this_thread::sleep_for(options_.poll_interval);
      const std::string before = in.boot_time;
      facts = read_hyperv_guest(host_, request_.vm, login_);
      if (core::reach_of(facts) != core::GuestReach::Answered) {
        ++reboots_;  // it restarts by itself, as role installs can
        facts = wait("rebooting (" + std::to_string(reboots_) + ")", before);
      } else if (facts.inside->boot_time != before) {
        ++reboots_;  // restarted between two polls
      }
    }
  }

  powershell::ScriptHost& host_;
  const HyperVGuestRequest& request_;
  const core::GuestLogin& login_;
  const ExecOptions& options_;
  int reboots_ = 0;
  int waited_ = 0;
};

}  // namespace

core::HyperVGuestFacts read_hyperv_guest(powershell::ScriptHost& host, const core::VmRef& vm,
                                         const core::GuestLogin& login) {
  return call_guest(host, vm, login, "read");
}

core::HyperVGuestRun run_hyperv_guest(powershell::ScriptHost& host,
                                      const HyperVGuestRequest& request,
                                      const core::GuestLogin& login, const ExecOptions& options) {
  return Runner(host, request, login, options).run();
}

}  // namespace nestvirt::engine
