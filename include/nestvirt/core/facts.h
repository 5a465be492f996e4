// What nestvirt knows about a host and its VMs, as read through PowerShell.
// Plain data: filled from the facts script's JSON (facts_json.cpp), read by requirements.cpp.
// An unknown value is std::nullopt, never a guessed default.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "nestvirt/core/version.h"

namespace nestvirt::core {

enum class CpuVendor { Intel, Amd, Other, Unknown };

// Win32_OperatingSystem.ProductType: 1 workstation, 2 domain controller, 3 server.
enum class ProductKind { Client, Server, Unknown };

struct HostFacts {
  std::optional<int> os_build;                          // Win32_OperatingSystem.BuildNumber
  std::string os_caption;                               // "Microsoft Windows 11 Pro"
  std::optional<int> product_type;                      // raw ProductType
  std::string cpu_manufacturer;                         // "GenuineIntel", "AuthenticAMD"
  std::string cpu_name;                                 // "Intel(R) Xeon(R) ..."
  std::optional<bool> vm_monitor_mode_extensions;       // Win32_Processor flags; read false
  std::optional<bool> virtualization_firmware_enabled;  // while a hypervisor runs
  std::optional<bool> slat;                             // SecondLevelAddressTranslationExtensions
  std::optional<bool> hypervisor_present;               // Win32_ComputerSystem.HypervisorPresent
  bool hyperv_module_present = false;                   // Get-Module -ListAvailable Hyper-V
  std::optional<bool> is_admin;             // token check; unknown where Windows tokens are absent
  std::optional<bool> is_hyperv_admin;      // member of Hyper-V Administrators (S-1-5-32-578)
  std::optional<bool> hyperv_access;        // a Hyper-V cmdlet answered (the check that counts)
  std::string hyperv_access_error;          // its message when it did not
  std::vector<Version> supported_versions;  // Get-VMHostSupportedVersion
  std::optional<Version> default_version;

  CpuVendor vendor() const;
  ProductKind product_kind() const;
  std::optional<Version> highest_supported_version() const;
};

struct AdapterFacts {
  std::string name;
  std::string switch_name;           // empty: not connected
  std::string mac_address_spoofing;  // "On" / "Off"
  // VMNetworkAdapter.Id: Hyper-V names every added adapter "Network Adapter", so steps find
  // an adapter by this, never by its name.
  std::string id;
};

struct VmFacts {
  std::string requested_name;  // the --vm argument this VM answered
  bool exists = false;
  bool looked_up = false;    // false when Hyper-V could not be asked (module, permission)
  std::string lookup_error;  // why the lookup failed, when it failed for another reason
  std::string name;
  std::string id;     // GUID
  std::string state;  // VMState name: "Running", "Off", "Saved", ...
  std::optional<Version> version;
  std::string version_text;  // as Hyper-V reported it
  std::optional<int> generation;
  std::optional<int64_t> processor_count;
  std::optional<int64_t> memory_startup_bytes;
  std::optional<bool> dynamic_memory;
  std::optional<bool> expose_virtualization_extensions;
  std::vector<AdapterFacts> adapters;
  // No other VM on the host has this name (so a fix may name it without matching another).
  bool name_unique = true;
};

// A probe of the facts script that failed (e.g. a CIM class that could not be read).
struct ProbeError {
  std::string probe;  // "Win32_OperatingSystem", "Get-VMHost", ...
  std::string message;
  std::string fully_qualified_error_id;
};

// Every VM on the host, read when asked for (check without --vm): the overview's input.
struct VmListing {
  // Hyper-V listed its VMs. False when it could not be asked (the host findings say why:
  // module missing, no permission) or when Get-VM failed (`error`).
  bool listed = false;
  std::string error;         // Get-VM's message when it failed although Hyper-V answered
  std::vector<VmFacts> vms;  // in Hyper-V's order; requested_name is each VM's own name
};

struct Facts {
  HostFacts host;
  std::vector<ProbeError> probe_errors;
  std::vector<VmFacts> vms;  // in the order asked; a name that matched nothing has exists=false
  std::optional<VmListing> all_vms;  // only when every VM was asked for
};

}  // namespace nestvirt::core
