// What a step script reads back after its change: Hyper-V accepting a change is no proof that
// it holds, so every step answers with the state it finds afterwards, and core::verify compares
// it with what the step asked for. Decoded from replies by core/replies.h. Pure data.
#pragma once

#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace nestvirt::core {

struct VmAdapterState {
  std::string id;
  std::string name;
  std::string switch_name;  // empty: not connected
  std::string mac_address_spoofing;
  bool operator==(const VmAdapterState&) const = default;
};

// vm_step.ps1: the VM as Hyper-V reports it after the step.
struct VmReadback {
  std::string state;    // "Running", "Off", ...
  std::string version;  // configuration version text
  std::optional<bool> dynamic_memory;
  std::optional<bool> expose_virtualization_extensions;
  std::vector<VmAdapterState> adapters;
  std::vector<std::string> changed;  // ids of the adapters this step changed
  bool operator==(const VmReadback&) const = default;
};

// nat_step.ps1: the one object the step is about, as the host reports it afterwards.
struct NetReadback {
  int count = 0;                // objects matching the step's key (switch id/name, address, NAT)
  std::string id;               // switches: the id (a new switch's, for its undo)
  std::string switch_type;      // switches
  int prefix_length = 0;        // addresses
  std::string prefix;           // NATs: the internal prefix
  std::string adapter_switch;   // Connect/Disconnect: the VM adapter's switch now ("": none)
  bool adapter_present = true;  // Connect/Disconnect: the VM adapter still exists
  bool switch_present = true;   // adapter-present: the switch whose host adapter it is exists
  bool operator==(const NetReadback&) const = default;
};

// An IPv4 address inside a guest, as Get-NetIPAddress reports it.
struct GuestAddress {
  std::string ip;
  int prefix_length = 0;
  std::string origin;  // PrefixOrigin: "Manual", "Dhcp", "WellKnown" (APIPA), ...
  bool operator==(const GuestAddress&) const = default;
};

// guest_step.ps1: the adapter's IPv4 configuration after the step.
struct GuestReadback {
  std::vector<GuestAddress> addresses;
  std::vector<std::string> gateways;  // next hops of the default routes
  std::vector<std::string> dns;       // IPv4 DNS servers, in order
  bool operator==(const GuestReadback&) const = default;
};

// An error PowerShell reported, as data: C++ decides what it means.
struct PsError {
  std::string message;
  std::string fqid;       // FullyQualifiedErrorId
  std::string exception;  // the exception's type name, e.g. "CommandNotFoundException"
  bool empty() const { return message.empty() && fqid.empty() && exception.empty(); }
  bool operator==(const PsError&) const = default;
};

// What a guest itself said through PowerShell Direct about its Hyper-V.
struct HyperVGuestInside {
  std::string caption;   // "Microsoft Windows Server 2022 Datacenter"
  int product_type = 0;  // Win32_OperatingSystem.ProductType: 1 client, 2/3 server
  int sku = 0;           // OperatingSystemSKU
  std::string build;
  std::string boot_time;        // LastBootUpTime: a new value means the guest rebooted
  std::string feature;          // Server: Hyper-V's InstallState; client: Microsoft-Hyper-V's State
  std::optional<bool> tools;    // Server: Hyper-V-PowerShell and RSAT-Hyper-V-Tools installed
  PsError feature_error;        // the feature could not be read (Home: "Feature name ... unknown")
  std::string vmms;             // the vmms service: "Running", "Stopped", "" (no such service)
  std::string launch_type;      // bcdedit {current} hypervisorlaunchtype: "Auto", "Off", "" unset
  std::string bcd_error;        // bcdedit failed (not an administrator)
  bool pending_cbs = false;     // Component Based Servicing\RebootPending
  bool pending_update = false;  // WindowsUpdate\Auto Update\RebootRequired
  bool operator==(const HyperVGuestInside&) const = default;
};

// guest_hyperv.ps1 (enable --install-hyperv, check --guest): what the host and the guest say
// about Hyper-V inside the guest, in every read and after each of its steps.
struct HyperVGuestFacts {
  std::string state;        // the VM's state on the host
  std::string heartbeat;    // Heartbeat's PrimaryStatusDescription: "OK", "No Contact", ""
  std::string os_name;      // Key-Value Pair Exchange OSName ("" before the guest reports it)
  std::string os_platform;  // OSPlatformId: "2" Windows; anything else is not Windows
  PsError direct_error;     // PowerShell Direct failed
  std::optional<HyperVGuestInside> inside;  // PowerShell Direct answered
  // A guest step's own result (install, set-launch-type, reboot).
  PsError action_error;
  std::string restart_needed;  // install: "Yes"/"No"/"Maybe" (Server), "True"/"False" (client)
  bool operator==(const HyperVGuestFacts&) const = default;
};

// Nothing was read (the step failed before, or never ran).
using Readback =
    std::variant<std::monostate, VmReadback, NetReadback, GuestReadback, HyperVGuestFacts>;

}  // namespace nestvirt::core
