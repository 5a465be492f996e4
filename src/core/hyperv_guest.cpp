#include "nestvirt/core/hyperv_guest.h"

#include <algorithm>

#include "nestvirt/core/reply_reader.h"
#include "step_builders.h"

namespace nestvirt::core {

using nlohmann::json;

namespace {

PsError error_of(const std::optional<Reader>& e) {
  if (!e) return {};
  return {e->text("message"), e->text("fqid"), e->text("exception")};
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// The commands run inside the guest through PowerShell Direct (guest_hyperv.ps1).
std::string server_install(const std::string& source) {
  return "ServerManager\\Install-WindowsFeature -Name Hyper-V -IncludeManagementTools" +
         (source.empty() ? std::string() : " -Source " + ps_quote(source));
}
std::string client_install(const std::string& source) {
  return "Dism\\Enable-WindowsOptionalFeature -Online -FeatureName Microsoft-Hyper-V -All "
         "-NoRestart" +
         (source.empty() ? std::string() : " -Source " + ps_quote(source) + " -LimitAccess");
}
const char* const kLaunchCommand = "bcdedit.exe /set '{current}' hypervisorlaunchtype auto";
const char* const kRebootCommand =
    "shutdown.exe /r /t 0 /d p:4:2 /c 'nestvirt: restarting to finish installing Hyper-V'";
const char* const kNotUndone =
    " Not undone if a later step fails: a role install is not rolled back (the report says what "
    "is left).";

std::string in_guest(const VmRef& vm) {
  return "# inside the guest: Invoke-Command -VMId " + ps_quote(vm.id) +
         " -Credential $credential -ScriptBlock { ... }";
}

Step install_step(const VmRef& vm, bool server, const std::string& source) {
  HyperVArgs a{vm, server, source};
  return detail::make_step(
      StepKind::GuestInstallHyperV,
      server ? "Install the Hyper-V role with its management tools in the guest"
             : "Enable the Hyper-V feature in the guest",
      std::string("Hyper-V is not installed in the guest (Microsoft's page, step 4).") + kNotUndone,
      a, {in_guest(vm), server ? server_install(source) : client_install(source)}, false);
}

Step launch_step(const VmRef& vm, const std::string& now) {
  return detail::make_step(
      StepKind::GuestSetLaunchType, "Let the guest's boot loader start the hypervisor",
      "the boot entry's hypervisorlaunchtype is " + (now.empty() ? "not set" : now) +
          ", so Hyper-V's hypervisor does not start." + kNotUndone,
      HyperVArgs{vm, false, ""}, {in_guest(vm), kLaunchCommand}, false);
}

Step reboot_step(const VmRef& vm, const std::string& why) {
  return detail::make_step(
      StepKind::GuestReboot, "Restart the guest and wait until it answers again", why,
      HyperVArgs{vm, false, ""},
      {in_guest(vm), kRebootCommand,
       "# then Hyper-V\\Get-VMIntegrationService -VM (Hyper-V\\Get-VM -Id " + ps_quote(vm.id) +
           ") -Name Heartbeat until OK, and PowerShell Direct until it answers"},
      false);
}

Step verify_step(const VmRef& vm, bool server) {
  return detail::make_step(
      StepKind::GuestVerifyHyperV, "Prove that Hyper-V runs in the guest",
      "the role installed, the vmms service Running and hypervisorlaunchtype Auto "
      "(HypervisorPresent proves nothing in an L1: the L0's hypervisor makes it true)",
      HyperVArgs{vm, server, ""},
      {in_guest(vm),
       server ? "ServerManager\\Get-WindowsFeature -Name Hyper-V"
              : "Dism\\Get-WindowsOptionalFeature -Online -FeatureName Microsoft-Hyper-V",
       "Get-Service -Name vmms", "bcdedit.exe /enum '{current}'"},
      true);
}

Finding finding(const std::string& id, Status status, const VmRef& vm, std::string title,
                std::string seen, std::string needed, std::string fix = "",
                std::string fix_command = "") {
  Finding f;
  f.id = id;
  f.status = status;
  f.vm = vm.name;
  f.vm_id = vm.id;
  f.title = std::move(title);
  f.seen = std::move(seen);
  f.needed = std::move(needed);
  f.fix = std::move(fix);
  f.fix_command = std::move(fix_command);
  if (!f.fix_command.empty()) f.fix = f.fix.empty() ? f.fix_command : f.fix + " " + f.fix_command;
  return f;
}

std::string with_error(const std::string& words, const PsError& e) {
  if (e.message.empty()) return words;
  return words + " (" + e.message + ")";
}

bool server_of(const HyperVGuestInside& in) {
  return in.product_type != 1;
}

std::string edition_words(const HyperVGuestInside& in) {
  return in.caption.empty() ? "product type " + std::to_string(in.product_type) : in.caption;
}

}  // namespace

HyperVGuestFacts decode_hyperv_guest(const json& result) {
  Reader reply(result, "guest_hyperv reply");
  reply.require_object();
  HyperVGuestFacts f;
  f.state = reply.text("state");
  if (f.state.empty()) reply.fail("state", "the VM's state");
  f.heartbeat = reply.text("heartbeat");
  f.os_name = reply.text("os_name");
  f.os_platform = reply.text("os_platform");
  f.direct_error = error_of(reply.object("direct_error"));
  if (!reply.has("guest")) return f;
  const std::string text = reply.text("guest");
  const json doc = json::parse(text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) reply.fail("guest", "the guest's answer as JSON");
  Reader answer(doc, "guest_hyperv reply.guest");
  f.action_error = error_of(answer.object("error"));
  if (auto install = answer.object("install")) f.restart_needed = install->text("restart_needed");
  if (auto g = answer.object("guest")) {
    HyperVGuestInside in;
    in.caption = g->text("caption");
    in.product_type = g->integer("product_type", 0);
    in.sku = g->integer("sku", 0);
    in.build = g->text("build");
    in.boot_time = g->text("boot_time");
    in.feature = g->text("feature");
    in.tools = g->opt_bool("tools");
    in.feature_error = error_of(g->object("feature_error"));
    in.vmms = g->text("vmms");
    in.launch_type = g->text("launch_type");
    in.bcd_error = g->text("bcd_error");
    in.pending_cbs = g->boolean("pending_cbs", false);
    in.pending_update = g->boolean("pending_update", false);
    f.inside = std::move(in);
  }
  return f;
}

GuestReach reach_of(const HyperVGuestFacts& f) {
  if (f.state != "Running") return GuestReach::VmNotRunning;
  if (!f.os_platform.empty() && f.os_platform != "2") return GuestReach::NotWindows;
  if (f.heartbeat != "OK") return GuestReach::Booting;
  const PsError& e = f.direct_error;
  if (e.fqid.rfind("InvalidCredential", 0) == 0 || e.message == "The credential is invalid.")
    return GuestReach::Credentials;
  if (f.inside) return GuestReach::Answered;
  return GuestReach::Booting;  // "A remote session might have ended": not up yet, retry
}

GuestEdition edition_of(const HyperVGuestInside& in) {
  // OperatingSystemSKU 98 CoreN, 99 CoreCountrySpecific, 100 CoreSingleLanguage, 101 Core:
  // the Home editions, which have no Hyper-V.
  if ((in.sku >= 98 && in.sku <= 101) || contains(in.caption, " Home")) return GuestEdition::Home;
  if (in.product_type == 1) return GuestEdition::Client;
  if (in.product_type == 2 || in.product_type == 3) return GuestEdition::Server;
  return GuestEdition::Unknown;
}

bool feature_installed(const std::string& s) {
  return s == "Installed" || s == "Enabled";
}
bool feature_pending(const std::string& s) {
  return s == "InstallPending" || s == "EnablePending";
}

bool hyperv_running(const HyperVGuestInside& in) {
  return feature_installed(in.feature) && in.vmms == "Running" && in.launch_type == "Auto";
}

std::string missing_words(const HyperVGuestInside& in) {
  std::string out;
  auto add = [&](const std::string& s) { out += (out.empty() ? "" : ", ") + s; };
  if (!feature_installed(in.feature))
    add("the feature is " + (in.feature.empty() ? std::string("unknown") : in.feature));
  if (in.vmms != "Running")
    add(in.vmms.empty() ? std::string("no vmms service") : "vmms is " + in.vmms);
  if (in.launch_type != "Auto")
    add("hypervisorlaunchtype is " + (in.launch_type.empty() ? "not set" : in.launch_type));
  return out;
}

VmAndGuest combine_vm_and_guest(Outcome vm, Outcome guest, const VmRef& ref) {
  VmAndGuest out;
  out.outcome = vm;
  switch (guest) {
    case Outcome::Unchanged:  // Hyper-V already runs: the VM's outcome says it all
      break;
    case Outcome::Changed:
    case Outcome::Planned:
      out.outcome = guest;
      break;
    case Outcome::Failed:  // nothing in the guest changed
      if (vm == Outcome::Changed) {
        out.outcome = Outcome::Incomplete;
        out.left_for_admin.push_back(
            "Hyper-V was not installed in " + ref.name +
            "'s guest; nested virtualization stays on (nestvirt does not undo it: the guest's "
            "Hyper-V needs it). Fix the cause above and run the same command again.");
      } else {
        out.outcome = Outcome::Failed;
      }
      break;
    case Outcome::Interrupted:  // the guest's steps were put back, or never started
      if (vm == Outcome::Changed) {
        out.outcome = Outcome::Incomplete;
        out.left_for_admin.push_back(
            "Interrupted before Hyper-V was installed in " + ref.name +
            "'s guest; nested virtualization stays on and the VM runs (nestvirt does not undo "
            "what Microsoft's page asks before the install). Run the same command again to "
            "finish.");
      } else {
        out.outcome = Outcome::Interrupted;
      }
      break;
    case Outcome::Refused:  // the guest's refusal decides the result (and its exit code)...
      out.outcome = guest;
      if (vm == Outcome::Changed) {  // ...and what the run did before it stays, named
        out.left_for_admin.push_back(
            "Nested virtualization stays on and " + ref.name +
            " runs: this run did that before the guest refused (it is what Microsoft's page asks "
            "before the install, so nestvirt does not undo it). Fix the cause above and run the "
            "same command again.");
      }
      break;
    case Outcome::NotFound:
    case Outcome::Incomplete:
      out.outcome = guest;
      break;
  }
  return out;
}

std::optional<Finding> reach_refusal(const HyperVGuestFacts& f, const VmRef& vm,
                                     const std::string& selector, int waited) {
  switch (reach_of(f)) {
    case GuestReach::VmNotRunning:
      return finding(
          "vm.not-running", Status::Fail, vm, "VM is running",
          "the VM is " + f.state + ": the guest cannot be asked anything",
          "the VM Running, with Windows booted inside",
          // enable --install-hyperv starts a VM that is off, nothing else.
          f.state == "Off" ? "Start it, or let nestvirt start it:"
                           : "Resume or start it (Hyper-V\\Start-VM), then run this again.",
          f.state == "Off" ? "nestvirt enable --vm " + selector + " --install-hyperv" : "");
    case GuestReach::NotWindows:
      return finding(
          "guest.os", Status::Fail, vm, "Guest runs Windows",
          "the guest reports " + (f.os_name.empty() ? "a non-Windows OS" : f.os_name) +
              " (OSPlatformId " + f.os_platform + ")",
          "Windows 10/11 Pro, Enterprise or Education, or Windows Server 2016 or later",
          "Hyper-V runs only in a Windows guest. In a Linux L1 use KVM instead: with nesting on "
          "(nestvirt enable) /dev/kvm is there; install qemu-kvm or libvirt inside the guest.");
    case GuestReach::Credentials:
      return finding("guest.credentials", Status::Fail, vm, "Guest accepts the credentials",
                     with_error("the guest rejected the credentials", f.direct_error),
                     "an administrator's user name and password in the guest",
                     "Set NESTVIRT_GUEST_USER and NESTVIRT_GUEST_PASSWORD to an administrator "
                     "account of the guest (or type them when asked), then run this again.");
    case GuestReach::Booting:
      return finding(
          "guest.not-ready", Status::Fail, vm, "Guest answers",
          (f.heartbeat == "OK"
               ? with_error("heartbeat OK, but PowerShell Direct does not answer", f.direct_error)
               : "heartbeat " + (f.heartbeat.empty() ? std::string("not reported") : f.heartbeat)) +
              (waited > 0 ? " after " + std::to_string(waited) + " s" : std::string()),
          "Windows booted, its Heartbeat service OK and PowerShell Direct answering",
          waited > 0 ? "Look at the VM's console (vmconnect); give it more time with "
                       "--guest-timeout SECONDS."
                     : "Wait until Windows inside the VM has booted (or let nestvirt enable "
                       "--install-hyperv wait with --guest-timeout).");
    case GuestReach::Answered:
      break;
  }
  return std::nullopt;
}

HyperVGuestPlan plan_hyperv_guest(const HyperVGuestFacts& f, const HyperVGuestOptions& o,
                                  const VmRef& vm) {
  HyperVGuestPlan plan;
  if (auto r = reach_refusal(f, vm, o.vm_selector, 0)) {
    plan.refusals.push_back(*r);
    return plan;
  }
  const HyperVGuestInside& in = *f.inside;
  const std::string retry = "nestvirt enable --vm " + o.vm_selector + " --install-hyperv";
  if (edition_of(in) == GuestEdition::Home) {
    plan.refusals.push_back(
        finding("guest.edition", Status::Fail, vm, "Guest edition has Hyper-V", edition_words(in),
                "Windows 10/11 Pro, Enterprise or Education, or Windows Server",
                "Home editions have no Hyper-V: upgrade the guest to Pro (Settings > System > "
                "Activation) or use a Pro, Enterprise or Server image."));
    return plan;
  }
  if (!in.bcd_error.empty()) {
    plan.refusals.push_back(
        finding("guest.administrator", Status::Fail, vm, "Guest account is an administrator",
                "bcdedit.exe failed: " + in.bcd_error, "an administrator account of the guest",
                "Set NESTVIRT_GUEST_USER to an account of the guest's Administrators group."));
    return plan;
  }
  if (!in.feature_error.empty()) {
    plan.refusals.push_back(finding("guest.hyperv-unreadable", Status::Fail, vm,
                                    "Guest's Hyper-V feature could be read",
                                    with_error("the feature could not be read", in.feature_error),
                                    "Get-WindowsFeature or Get-WindowsOptionalFeature answering",
                                    "Run nestvirt check --vm " + o.vm_selector + " --guest."));
    return plan;
  }
  if (!o.nesting_exposed) {
    plan.refusals.push_back(
        finding("guest.virtualization", Status::Fail, vm, "Guest sees virtualization extensions",
                "the VM's processor does not expose them: installing Hyper-V would fail with \"The "
                "processor does not have required virtualization capabilities\"",
                "ExposeVirtualizationExtensions on for the VM",
                "Turn nesting on first:", "nestvirt enable --vm " + o.vm_selector + " --restart"));
    return plan;
  }
  const bool installed = feature_installed(in.feature);
  const bool pending = feature_pending(in.feature);
  const bool payload_gone = in.feature == "Removed" || in.feature == "DisabledWithPayloadRemoved";
  if (payload_gone && o.source.empty()) {
    plan.refusals.push_back(
        finding("guest.payload", Status::Fail, vm, "Hyper-V's files are in the guest",
                "the feature is " + in.feature + ": its files were removed from the image",
                "the payload, from installation media or a Windows Update source",
                "Mount the matching Windows media in the VM and pass its sources folder: " + retry +
                    " --install-source 'D:\\sources\\sxs'"));
    return plan;
  }
  // A reboot pending from something else (updates) would be taken by our reboot, or block the
  // install: only with the admin's say-so.
  const bool foreign_pending = in.pending_update || (in.pending_cbs && !pending);
  if (foreign_pending && !o.reboot_first && !hyperv_running(in)) {
    plan.refusals.push_back(finding(
        "guest.reboot-pending", Status::Fail, vm, "No other reboot pending in the guest",
        std::string("a reboot is already pending") +
            (in.pending_update ? " (Windows Update)" : " (component servicing)"),
        "no pending reboot, or leave to nestvirt to restart the guest first",
        "Restart the guest first, or let nestvirt do it:", retry + " --reboot-guest-first"));
    return plan;
  }
  const bool server = server_of(in);
  bool reboot = false;
  if (foreign_pending && o.reboot_first && !hyperv_running(in)) {
    plan.steps.push_back(reboot_step(vm, "--reboot-guest-first: a reboot was already pending"));
  }
  if (!installed && !pending) {
    plan.steps.push_back(install_step(vm, server, o.source));
    reboot = true;  // the role is active only after a restart
  } else if (in.launch_type != "Auto") {
    plan.steps.push_back(launch_step(vm, in.launch_type));
    reboot = true;
  }
  if (pending || (installed && in.vmms != "Running")) reboot = true;
  if (!reboot && plan.steps.empty()) return plan;  // Hyper-V runs: nothing to do
  if (reboot) {
    plan.steps.push_back(reboot_step(vm, pending && plan.steps.empty()
                                             ? "the Hyper-V install waits for a restart to finish"
                                             : "Hyper-V starts only when the guest boots with it"));
  }
  plan.steps.push_back(verify_step(vm, server));
  return plan;
}

std::vector<Step> unread_guest_steps(const VmRef& vm, const std::string& source) {
  Step install = install_step(vm, true, source);
  install.title = "Install Hyper-V in the guest (as its edition needs)";
  install.why =
      "the guest cannot be read before the VM runs: Server editions get the first "
      "command, client editions the second; nothing if Hyper-V is there already." +
      std::string(kNotUndone);
  install.commands.push_back(client_install(source));
  Step verify = verify_step(vm, true);
  return {install, reboot_step(vm, "Hyper-V starts only when the guest boots with it"), verify};
}

std::vector<Finding> hyperv_guest_findings(const HyperVGuestFacts& f, const HyperVGuestOptions& o,
                                           const VmRef& vm) {
  std::vector<Finding> out;
  if (auto r = reach_refusal(f, vm, o.vm_selector, 0)) {
    out.push_back(*r);
    return out;
  }
  const HyperVGuestInside& in = *f.inside;
  const std::string fix = "nestvirt enable --vm " + o.vm_selector + " --install-hyperv";
  const GuestEdition edition = edition_of(in);
  out.push_back(finding("guest.edition",
                        edition == GuestEdition::Home ? Status::Fail : Status::Pass, vm,
                        "Guest edition has Hyper-V", edition_words(in),
                        "Windows 10/11 Pro, Enterprise or Education, or Windows Server",
                        edition == GuestEdition::Home
                            ? "Home editions have no Hyper-V: use Pro, Enterprise or Server."
                            : ""));
  if (edition == GuestEdition::Home) return out;
  out.push_back(
      finding("guest.virtualization", o.nesting_exposed ? Status::Pass : Status::Fail, vm,
              "Guest sees virtualization extensions",
              o.nesting_exposed ? "exposed by the host" : "not exposed by the host",
              "ExposeVirtualizationExtensions on for the VM",
              o.nesting_exposed ? "" : "Turn nesting on first:",
              o.nesting_exposed ? "" : "nestvirt enable --vm " + o.vm_selector + " --restart"));
  const bool installed = feature_installed(in.feature);
  const bool pending = feature_pending(in.feature);
  // The one command that gets Hyper-V running from here: with nesting off on a running VM,
  // enable must restart it to turn nesting on before it installs.
  const std::string fix_now = o.nesting_exposed      ? fix
                              : f.state == "Running" ? "nestvirt enable --vm " + o.vm_selector +
                                                           " --restart --install-hyperv"
                                                     : fix;
  if (!in.feature_error.empty()) {
    out.push_back(finding("guest.hyperv-unreadable", Status::Unknown, vm,
                          "Guest's Hyper-V feature could be read",
                          with_error("the feature could not be read", in.feature_error),
                          "Get-WindowsFeature or Get-WindowsOptionalFeature answering"));
  } else {
    out.push_back(finding(
        "guest.hyperv-role", installed ? Status::Pass : Status::Fail, vm,
        "Hyper-V role installed in the guest",
        in.feature.empty() ? "unknown" : in.feature + (pending ? " (waiting for a restart)" : ""),
        "Installed (Server) or Enabled (client)",
        installed ? ""
        : pending ? "Restart the guest to finish the install, or let nestvirt do it:"
                  : "Install it:",
        installed ? "" : fix_now));
  }
  // One cause, one piece of advice: without the role, vmms and the launch type follow from
  // it, so only the role's finding carries the fix.
  const bool role_fix = !installed && in.feature_error.empty();
  const bool vmms_ok = in.vmms == "Running";
  out.push_back(finding(
      "guest.vmms", vmms_ok ? Status::Pass : Status::Fail, vm, "Hyper-V's vmms service runs",
      (in.vmms.empty() ? "no vmms service" : "vmms " + in.vmms) +
          std::string(role_fix ? " (comes with the role)" : ""),
      "Running",
      vmms_ok || role_fix ? "" : "Finish the install:", vmms_ok || role_fix ? "" : fix_now));
  const bool launch_ok = in.launch_type == "Auto";
  out.push_back(finding(
      "guest.launch-type", launch_ok ? Status::Pass : Status::Fail, vm,
      "Guest boot loader starts the hypervisor",
      (in.bcd_error.empty()
           ? "hypervisorlaunchtype " + (in.launch_type.empty() ? "not set" : in.launch_type)
           : "bcdedit.exe failed: " + in.bcd_error) +
          std::string(role_fix ? " (the role's install sets it)" : ""),
      "hypervisorlaunchtype Auto",
      launch_ok || role_fix ? "" : "Set it and restart:", launch_ok || role_fix ? "" : fix_now));
  const bool foreign = in.pending_update || (in.pending_cbs && !pending);
  out.push_back(finding("guest.reboot-pending", foreign ? Status::Warn : Status::Pass, vm,
                        "No other reboot pending in the guest",
                        foreign ? "a reboot is pending" : "none pending", "none pending",
                        foreign ? "nestvirt restarts the guest first when asked:" : "",
                        foreign ? fix_now + " --reboot-guest-first" : ""));
  return out;
}

}  // namespace nestvirt::core
