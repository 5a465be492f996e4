// A script host for unit tests that answers nestvirt's requests (facts, net_facts, guest_read,
// vm_step, nat_step, guest_step, guest_hyperv) from a small in-memory model of a Hyper-V host,
// in the reply shapes of the real scripts, and can fail one change request in every way PowerShell
// can: an error, a dead process, a hang, or an answer nestvirt cannot read. The end-to-end tests
// run the real scripts against the simulator; this fake lets every step of every plan be failed in
// every way in milliseconds.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "nestvirt/core/readback.h"
#include "nestvirt/powershell/session.h"

namespace nestvirt::testing {

enum class Fault {
  None,
  Error,      // the script reports an error: the cmdlet failed, nothing changed
  Die,        // PowerShell exits while answering
  Hang,       // PowerShell does not answer within --timeout (the session ends it)
  Null,       // the reply is well formed, but its result is null
  WrongType,  // the result is a string where an object belongs
};
std::string to_string(Fault fault);

// Hyper-V inside a running VM's guest (guest_hyperv.ps1), as the guest reports it.
struct FakeHyperVGuest {
  bool server = true;                 // Install-WindowsFeature, else Enable-WindowsOptionalFeature
  std::string feature = "Available";  // InstallState (Server) or State (client: "Disabled")
  std::string vmms;                   // "" no such service; "Running" once installed and booted
  std::string launch_type;            // hypervisorlaunchtype: "" unset, "Auto", "Off"
  int boots = 1;                      // each restart makes a new LastBootUpTime
  bool operator==(const FakeHyperVGuest&) const = default;
};

struct FakeVm {
  std::string id;
  std::string name;
  std::string state = "Off";
  std::string version = "10.0";
  bool dynamic_memory = false;
  bool expose = false;
  std::vector<core::VmAdapterState> adapters;
  // Inside the guest: one adapter "Ethernet", interface index 4.
  core::GuestReadback guest;
  FakeHyperVGuest hyperv;
  bool operator==(const FakeVm&) const = default;
};

struct FakeSwitch {
  std::string name;
  std::string id;
  std::string type = "Internal";
  bool operator==(const FakeSwitch&) const = default;
};

struct FakeAddress {
  std::string ip;
  int prefix_length = 0;
  std::string alias;
  bool operator==(const FakeAddress&) const = default;
};

struct FakeNat {
  std::string name;
  std::string prefix;
  bool operator==(const FakeNat&) const = default;
};

// Everything a change can touch; compared before and after to prove an undo.
struct FakeState {
  std::vector<FakeVm> vms;
  std::vector<FakeSwitch> switches;
  std::vector<FakeAddress> addresses;
  std::vector<FakeNat> nats;
  bool operator==(const FakeState&) const = default;
};

class FakeHyperV : public powershell::ScriptHost {
 public:
  FakeState state;
  nlohmann::json host;               // the facts reply's "host" object
  std::string upgrade_to = "11.0";   // what Update-VMVersion sets
  std::vector<std::string> changes;  // "vm_step set-processor", ... in order
  std::vector<std::string> kinds;    // the step kind of each change request ("set-processor")

  // Fails the `nth` change request (1-based, undo requests included) with `fault`. With
  // `after_effect` the change is made first (Die, Hang, Null, WrongType): the worst case, where
  // Hyper-V did it and nestvirt never heard.
  void inject(Fault fault, int nth, bool after_effect);
  // An interruption (`count` of them, as process::note_interrupt) arrives while the `nth` change
  // request runs; the request itself still finishes, as a short one does within the grace.
  void interrupt_at(int nth, int count);

  powershell::Reply call(std::string_view script, const nlohmann::json& args) override;
  int launches() const override { return launches_; }

 private:
  nlohmann::json vm_step(const nlohmann::json& args, bool apply);
  nlohmann::json nat_step(const nlohmann::json& args, bool apply);
  nlohmann::json guest_step(const nlohmann::json& args, bool apply);
  nlohmann::json guest_hyperv(const nlohmann::json& args, bool apply);
  nlohmann::json facts(const nlohmann::json& args) const;
  nlohmann::json net_facts(const nlohmann::json& args) const;
  nlohmann::json guest_read(const nlohmann::json& args) const;
  FakeVm& vm(const std::string& id);

  Fault fault_ = Fault::None;
  int fault_at_ = 0;
  bool after_effect_ = false;
  int change_requests_ = 0;
  int interrupt_at_ = 0;
  int interrupts_ = 0;
  int launches_ = 0;
  bool running_ = false;
  int next_id_ = 1;
};

// A good Intel Windows Server 2022 host (Hyper-V answering, versions up to 10.0).
nlohmann::json intel_server_2022();
// AMD on Windows 11 23H2: nesting needs version 9.3; the host supports up to 11.0.
nlohmann::json amd_windows11();

}  // namespace nestvirt::testing
