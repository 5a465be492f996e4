// How `check` reports: one JSON document (docs/json-output.md) or text for an admin.
#include <algorithm>
#include <cstddef>
#include <string>

#include "nestvirt/report/check.h"
#include "nestvirt/report/facts_json.h"
#include "nestvirt/report/findings_json.h"
#include "nestvirt/report/text.h"

namespace nestvirt::report {

using nlohmann::json;

namespace {

json text_or_null(const std::string& text) {
  return text.empty() ? json(nullptr) : json(text);
}

json overview_to_json(const core::VmListing& listing, const std::vector<core::VmOverview>& lines) {
  json vms = json::array();
  for (const auto& line : lines) {
    const core::VmFacts& vm = line.vm;
    vms.push_back({{"name", vm.name},
                   {"id", vm.id},
                   {"state", vm.state},
                   {"configuration_version", vm.version_text},
                   {"expose_virtualization_extensions",
                    vm.expose_virtualization_extensions ? json(*vm.expose_virtualization_extensions)
                                                        : json(nullptr)},
                   {"enable", core::to_string(line.verdict)},
                   {"enable_options", line.options},
                   {"enable_command", text_or_null(line.enable_command)},
                   {"refusals", findings_to_json(line.refusals)}});
  }
  return {{"listed", listing.listed}, {"error", text_or_null(listing.error)}, {"vms", vms}};
}

}  // namespace

json check_to_json(const core::CheckResult& result) {
  json vms = json::array();
  for (const auto& vm : result.facts.vms) vms.push_back(vm_to_json(vm));
  json summary = {{"pass", 0}, {"warn", 0}, {"fail", 0}, {"unknown", 0}};
  for (const auto& f : result.findings)
    summary[core::to_string(f.status)] = summary[core::to_string(f.status)].get<int>() + 1;
  json doc = {{"host", host_to_json(result.facts.host)},
              {"probe_errors", probe_errors_to_json(result.facts.probe_errors)},
              {"vms", vms},
              {"findings", findings_to_json(result.findings)},
              {"summary", summary}};
  // Only without --vm: with --vm the document is what it always was.
  if (result.facts.all_vms)
    doc["overview"] = overview_to_json(*result.facts.all_vms, result.overview);
  return doc;
}

namespace {

std::string host_text(const core::HostFacts& h) {
  Rows rows;
  std::string os = h.os_caption.empty() ? "unknown" : h.os_caption;
  if (h.os_build) os += " (build " + std::to_string(*h.os_build);
  if (h.os_build) {
    switch (h.product_kind()) {
      case core::ProductKind::Client:
        os += ", client)";
        break;
      case core::ProductKind::Server:
        os += ", server)";
        break;
      case core::ProductKind::Unknown:
        os += ")";
        break;
    }
  }
  rows.add("Operating system", os);
  std::string cpu = h.cpu_name.empty() ? "unknown" : h.cpu_name;
  if (!h.cpu_manufacturer.empty()) cpu += " (" + h.cpu_manufacturer + ")";
  rows.add("CPU", cpu);
  if (h.hypervisor_present.value_or(false)) {
    // The hypervisor owns VT-x/AMD-V, so Windows reports the CPU flags as false.
    rows.add("Virtualization flags", "unknown (hypervisor running)");
  } else {
    rows.add("Virtualization flags", "VM monitor extensions " +
                                         yes_no_unknown(h.vm_monitor_mode_extensions) + ", SLAT " +
                                         yes_no_unknown(h.slat) + ", enabled in firmware " +
                                         yes_no_unknown(h.virtualization_firmware_enabled));
  }
  rows.add("Hypervisor running", yes_no_unknown(h.hypervisor_present));
  rows.add("Hyper-V module", h.hyperv_module_present ? "present" : "missing");
  std::string access = !h.hyperv_access   ? "not checked"
                       : *h.hyperv_access ? "Hyper-V answers"
                                          : "Hyper-V refused: " + h.hyperv_access_error;
  rows.add("Permissions", access + "; administrator " + yes_no_unknown(h.is_admin) +
                              ", Hyper-V Administrators " + yes_no_unknown(h.is_hyperv_admin));
  std::string versions;
  for (const auto& v : h.supported_versions) versions += (versions.empty() ? "" : ", ") + v.str();
  if (versions.empty()) versions = "unknown";
  if (h.default_version) versions += " (default " + h.default_version->str() + ")";
  rows.add("VM versions", versions);
  return "Host\n" + rows.str();
}

std::string vm_text(const core::VmFacts& vm) {
  if (!vm.exists) {
    std::string why = !vm.looked_up              ? "not checked (Hyper-V could not be asked)"
                      : !vm.lookup_error.empty() ? "lookup failed: " + vm.lookup_error
                                                 : "no VM matches this name";
    return "VM " + vm.requested_name + "\n  " + why + "\n";
  }
  Rows rows;
  rows.add("Id", vm.id);
  rows.add("State", vm.state);
  std::string config = "version " + (vm.version_text.empty() ? "unknown" : vm.version_text);
  if (vm.generation) config += ", generation " + std::to_string(*vm.generation);
  rows.add("Configuration", config);
  rows.add("vCPUs", vm.processor_count ? std::to_string(*vm.processor_count) : "unknown");
  std::string memory =
      vm.memory_startup_bytes ? format_bytes(*vm.memory_startup_bytes) + " at startup" : "unknown";
  memory += ", dynamic memory " +
            (vm.dynamic_memory ? (*vm.dynamic_memory ? std::string("on") : "off") : "unknown");
  rows.add("Memory", memory);
  rows.add("Nested virtualization", !vm.expose_virtualization_extensions ? "unknown"
                                    : *vm.expose_virtualization_extensions
                                        ? "enabled (ExposeVirtualizationExtensions on)"
                                        : "not enabled (ExposeVirtualizationExtensions off)");
  if (vm.adapters.empty()) rows.add("Network adapters", "none");
  for (const auto& a : vm.adapters) {
    rows.add("Network adapter",
             "\"" + a.name + "\" " +
                 (a.switch_name.empty() ? "not connected" : "on switch \"" + a.switch_name + "\"") +
                 ", MAC spoofing " + a.mac_address_spoofing);
  }
  std::string title = "VM " + vm.name;
  if (vm.requested_name != vm.name) title += " (matched '" + vm.requested_name + "')";
  return title + "\n" + rows.str();
}

// A name or reason on one line of the table: control characters (a VM name may hold a newline)
// become '?'. The JSON carries the exact text.
std::string one_line(std::string text) {
  for (char& c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f) c = '?';
  }
  return text;
}

// Columns are padded by characters, not bytes: names may be outside ASCII.
std::size_t width_of(const std::string& text) {
  std::size_t n = 0;
  for (char c : text) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  }
  return n;
}

std::string verdict_text(const core::VmOverview& line) {
  switch (line.verdict) {
    case core::EnableVerdict::AlreadyOn:
      return "already on";
    case core::EnableVerdict::Yes:
      return "yes";
    case core::EnableVerdict::WithOptions: {
      std::string out = "yes, with";
      for (const auto& option : line.options) out += " " + option;
      return out;
    }
    case core::EnableVerdict::No:
      break;
  }
  if (line.refusals.empty()) return "no";
  const core::Finding& first = line.refusals.front();
  return "no: " + first.title + (first.seen.empty() ? "" : ": " + first.seen);
}

std::string overview_text(const core::VmListing& listing,
                          const std::vector<core::VmOverview>& lines) {
  if (!listing.listed) {
    return "VMs\n  not listed: " +
           (listing.error.empty()
                ? std::string("Hyper-V could not be asked (see the host findings)")
                : "Get-VM failed: " + one_line(listing.error)) +
           "\n";
  }
  if (lines.empty()) return "VMs (0)\n  no VMs on this host\n";
  auto count = [&](core::EnableVerdict verdict) {
    return std::to_string(std::count_if(lines.begin(), lines.end(),
                                        [&](const auto& l) { return l.verdict == verdict; }));
  };
  std::string out = "VMs (" + std::to_string(lines.size()) + ": " +
                    count(core::EnableVerdict::AlreadyOn) + " already on, " +
                    count(core::EnableVerdict::Yes) + " yes, " +
                    count(core::EnableVerdict::WithOptions) + " with options, " +
                    count(core::EnableVerdict::No) + " no)\n";

  // NAME STATE VERSION NESTING ENABLE: whether `nestvirt enable --vm NAME` turns nesting on.
  std::vector<std::vector<std::string>> rows = {{"NAME", "STATE", "VERSION", "NESTING", "ENABLE"}};
  for (const auto& line : lines) {
    const core::VmFacts& vm = line.vm;
    const auto& expose = vm.expose_virtualization_extensions;
    rows.push_back({one_line(vm.name), vm.state.empty() ? "unknown" : one_line(vm.state),
                    vm.version_text.empty() ? "unknown" : one_line(vm.version_text),
                    !expose   ? "unknown"
                    : *expose ? "on"
                              : "off",
                    one_line(verdict_text(line))});
  }
  constexpr std::size_t kMaxName = 40;  // a longer name pushes its own line only
  std::size_t widths[4] = {0, 0, 0, 0};
  for (const auto& row : rows) {
    for (std::size_t i = 0; i < 4; ++i) widths[i] = std::max(widths[i], width_of(row[i]));
  }
  widths[0] = std::min(widths[0], kMaxName);
  for (const auto& row : rows) {
    std::string text = "  ";
    for (std::size_t i = 0; i < 4; ++i) {
      const std::size_t w = width_of(row[i]);
      text += row[i] + std::string(w < widths[i] ? widths[i] - w : 0, ' ') + "  ";
    }
    out += text + row[4] + "\n";
  }
  out += "  One VM's findings and fixes: nestvirt check --vm NAME\n";
  return out;
}

}  // namespace

std::string check_to_text(const core::CheckResult& result) {
  std::string out = host_text(result.facts.host);
  for (const auto& vm : result.facts.vms) out += "\n" + vm_text(vm);
  if (!result.facts.probe_errors.empty()) {
    out += "\nCould not read\n";
    for (const auto& e : result.facts.probe_errors) out += "  " + e.probe + ": " + e.message + "\n";
  }
  out += "\nFindings\n";
  for (const auto& f : result.findings) out += finding_block(f);
  if (result.facts.all_vms) out += "\n" + overview_text(*result.facts.all_vms, result.overview);
  out += "\n";
  switch (core::worst(result.findings)) {
    case core::Status::Fail:
      out += "Result: prerequisites NOT met (" + finding_counts(result.findings) +
             "). Apply the fixes above, then run nestvirt check again.\n";
      break;
    case core::Status::Unknown:
      out += "Result: some prerequisites could not be read (" + finding_counts(result.findings) +
             ").\n";
      break;
    case core::Status::Pass:
    case core::Status::Warn:
      out += "Result: prerequisites met (" + finding_counts(result.findings) + ").\n";
      break;
  }
  return out;
}

}  // namespace nestvirt::report
