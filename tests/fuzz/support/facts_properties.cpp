#include "support/facts_properties.h"

#include <functional>
#include <stdexcept>
#include <string>
#include <typeinfo>

#include "nestvirt/core/findings.h"
#include "nestvirt/core/nat_plan.h"
#include "nestvirt/core/overview.h"
#include "nestvirt/core/plan.h"
#include "nestvirt/core/recovery.h"
#include "nestvirt/core/replies.h"
#include "nestvirt/report/facts_json.h"
#include "support/property.h"

namespace fuzz {
namespace {

using nlohmann::json;
using namespace nestvirt::core;
using nestvirt::report::host_to_json;
using nestvirt::report::vm_to_json;

// Calls `parse`; returns its result's fingerprint, or "rejected: <message>" when it threw the
// documented std::runtime_error. Any other exception is a failed property.
template <typename Parsed>
std::string outcome(const char* name, const std::function<Parsed()>& parse,
                    const std::function<std::string(const Parsed&)>& fingerprint,
                    std::optional<Parsed>& parsed) {
  try {
    parsed = parse();
  } catch (const std::runtime_error& e) {
    parsed.reset();
    return std::string("rejected: ") + e.what();
  } catch (const std::exception& e) {
    property_failed(std::string(name) + " throws only std::runtime_error",
                    std::string("it threw ") + typeid(e).name() + ": " + e.what());
  }
  try {
    return fingerprint(*parsed);
  } catch (const std::exception& e) {
    property_failed(std::string("what ") + name + " returns can be written as JSON",
                    std::string(typeid(e).name()) + ": " + e.what());
  }
}

// The --json forms, with the strict UTF-8 check of dump(): what a report would print.
std::string facts_fingerprint(const Facts& facts) {
  json doc = {{"host", host_to_json(facts.host)}, {"vms", json::array()}};
  for (const auto& vm : facts.vms) doc["vms"].push_back(vm_to_json(vm));
  for (const auto& e : facts.probe_errors) {
    doc["errors"].push_back({e.probe, e.message, e.fully_qualified_error_id});
  }
  if (facts.all_vms) {
    json all = {{"listed", facts.all_vms->listed}, {"error", facts.all_vms->error}};
    for (const auto& vm : facts.all_vms->vms) all["vms"].push_back(vm_to_json(vm));
    doc["all_vms"] = all;
  }
  return doc.dump();
}

std::string net_fingerprint(const NetFacts& net) {
  json doc = json::object();
  for (const auto& s : net.switches) doc["switches"].push_back({s.name, s.id, s.switch_type});
  for (const auto& n : net.nats) doc["nats"].push_back({n.name, n.internal_prefix});
  for (const auto& a : net.addresses) {
    doc["addresses"].push_back({a.ip, a.prefix_length, a.interface_alias});
  }
  doc["host_adapter"] = net.host_adapter;
  doc["host_adapter_present"] = net.host_adapter_present;
  for (const auto& c : net.connected) {
    doc["connected"].push_back({c.vm_name, c.vm_id, c.adapter, c.adapter_id});
  }
  for (const auto& e : net.errors) {
    doc["errors"].push_back({e.probe, e.message, e.fully_qualified_error_id});
  }
  return doc.dump();
}

// The decisions check, enable/disable, net-spoof and net-nat take on parsed facts. They are
// pure and documented to refuse with findings, never to throw.
void decide(const Facts& facts, const NetFacts* net) {
  const std::vector<Finding> host_findings = evaluate_host(facts.host);
  (void)worst(host_findings);
  for (const auto& vm : facts.vms) {
    (void)evaluate_vm(facts.host, vm);
    for (const Action action : {Action::Enable, Action::Disable}) {
      ChangeOptions options;
      options.action = action;
      options.restart = true;
      options.upgrade_version = true;
      options.mac_spoofing = true;
      options.disable_dynamic_memory = true;
      const VmPlan plan = plan_change(options, facts.host, host_findings, vm);
      // Every step of a plan has its undo and read-back check, whatever the facts were.
      for (const auto& step : plan.steps) {
        (void)undo_step(step, {}, false);
        (void)verify(step, {});
      }
    }
    (void)plan_spoof(SpoofOptions{}, facts.host, host_findings, vm);
  }
  // check without --vm: every listed VM's line, over plan_change with enable's options tried.
  if (facts.all_vms) (void)overview_vms(facts.host, host_findings, facts.all_vms->vms);
  if (net == nullptr) return;
  for (const bool remove : {false, true}) {
    NatInput input;
    input.switch_name = "NestedNAT";
    input.remove = remove;
    if (!remove) input.prefix = "192.168.100.0/24";
    const NatInputCheck check = check_nat_input(input);
    require(check.request.has_value(), "the fixed net-nat request is valid");
    const NatPlan plan = plan_nat(*check.request, *net, host_findings, facts.vms);
    // Every step of a plan has its undo and read-back check, whatever the facts were.
    for (const auto& step : plan.steps) {
      (void)undo_step(step, {}, false);
      (void)verify(step, {});
    }
  }
}

// A decoder whose result has no fingerprint of its own: it throws only the documented
// std::runtime_error, and decides the same way twice.
template <typename Decoded>
void check_decoder(const char* name, const json& doc, Decoded (*decode)(const json&)) {
  auto once = [&]() -> std::string {
    try {
      (void)decode(doc);
      return "accepted";
    } catch (const std::runtime_error& e) {
      return std::string("rejected: ") + e.what();
    } catch (const std::exception& e) {
      property_failed(std::string(name) + " throws only std::runtime_error",
                      std::string("it threw ") + typeid(e).name() + ": " + e.what());
    }
    return "";
  };
  const std::string first = once();
  require(once() == first, std::string(name) + " is deterministic", first);
}

}  // namespace

void check_facts_document(const json& doc) {
  std::optional<Facts> facts;
  const std::function<Facts()> read_facts = [&] { return decode_facts(doc); };
  const std::function<std::string(const Facts&)> print_facts = facts_fingerprint;
  const std::string first = outcome("decode_facts", read_facts, print_facts, facts);
  std::optional<Facts> again;
  require(outcome("decode_facts", read_facts, print_facts, again) == first,
          "decode_facts is deterministic", first);

  std::optional<NetFacts> net;
  const std::function<NetFacts()> read_net = [&] { return decode_net_facts(doc); };
  const std::function<std::string(const NetFacts&)> print_net = net_fingerprint;
  const std::string net_first = outcome("decode_net_facts", read_net, print_net, net);
  std::optional<NetFacts> net_again;
  require(outcome("decode_net_facts", read_net, print_net, net_again) == net_first,
          "decode_net_facts is deterministic", net_first);

  // The step and guest decoders: the same document read as each of their replies.
  check_decoder<GuestFacts>("decode_guest_facts", doc, decode_guest_facts);
  check_decoder<VmReadback>("decode_vm_readback", doc, decode_vm_readback);
  check_decoder<NetReadback>("decode_net_readback", doc, decode_net_readback);
  check_decoder<GuestReadback>("decode_guest_readback", doc, decode_guest_readback);

  try {
    decide(facts.value_or(Facts{}), net ? &*net : nullptr);
  } catch (const std::exception& e) {
    property_failed("findings and plans on parsed facts do not throw",
                    std::string(typeid(e).name()) + ": " + e.what());
  }
}

}  // namespace fuzz
