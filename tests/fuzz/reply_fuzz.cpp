// The reply decoder: one "#NESTVIRT-REPLY <base64>" payload in, a Reply out, and the facts
// readers on its result (support/facts_properties.h). It throws nothing but the
// std::runtime_error it documents, is deterministic, and accepts a reply only when it answers
// the request asked.
//
// Input: the reply's JSON text (what the bootstrap encodes), mutated structurally
// (support/json_mutator.h); it is tried base64-encoded, as the session receives it, and raw,
// so the base64 reader sees garbage too.
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <typeinfo>

#include <nlohmann/json.hpp>

#include "nestvirt/powershell/encoding.h"
#include "nestvirt/powershell/session.h"
#include "support/facts_properties.h"
#include "support/json_mutator.h"
#include "support/property.h"

namespace {

using nlohmann::json;

constexpr int kRequestId = 1;  // the seeds were captured as request 1

// The decoder under test. When the reply decoder module replaces powershell::parse_reply,
// this is the line to change.
nestvirt::powershell::Reply decode_reply(std::string_view payload) {
  return nestvirt::powershell::parse_reply(payload, kRequestId);
}

// A decoded reply as text, or "rejected: <why>", to compare two decodings of the same input.
std::string decode_outcome(std::string_view payload,
                           std::optional<nestvirt::powershell::Reply>& out) {
  try {
    out = decode_reply(payload);
  } catch (const std::runtime_error& e) {
    out.reset();
    return std::string("rejected: ") + e.what();
  } catch (const std::exception& e) {
    fuzz::property_failed("the reply decoder throws only std::runtime_error",
                          std::string("it threw ") + typeid(e).name() + ": " + e.what());
  }
  const auto& r = *out;
  const json shown = {{"ok", r.ok},
                      {"result", r.result},
                      {"warnings", r.warnings},
                      {"error",
                       {r.error.command, r.error.message, r.error.fully_qualified_error_id,
                        r.error.category, r.error.target, r.error.line}}};
  return shown.dump(-1, ' ', false, json::error_handler_t::replace);
}

void check_payload(std::string_view payload, std::string_view reply_json) {
  std::optional<nestvirt::powershell::Reply> reply;
  const std::string first = decode_outcome(payload, reply);
  std::optional<nestvirt::powershell::Reply> again;
  fuzz::require(decode_outcome(payload, again) == first, "the reply decoder is deterministic",
                first);
  if (!reply) return;
  // Accepted: it must be a JSON object answering request kRequestId, exactly (an id of
  // 2^32 + 1 is not 1, whatever an int conversion makes of it).
  const json doc = json::parse(reply_json, nullptr, false);
  fuzz::require(!doc.is_discarded() && doc.is_object() && doc.contains("id") &&
                    doc["id"].is_number_integer() && doc["id"] == kRequestId,
                "an accepted reply answers the request asked", first);
  if (reply->ok) fuzz::check_facts_document(reply->result);
}

const std::vector<std::string_view> kKeys = {"id",
                                             "ok",
                                             "result",
                                             "warnings",
                                             "error",
                                             "command",
                                             "message",
                                             "fqid",
                                             "category",
                                             "target",
                                             "line",
                                             "host",
                                             "vms",
                                             "errors",
                                             "hyperv_checked",
                                             "requested",
                                             "matches",
                                             "switches",
                                             "nats",
                                             "addresses",
                                             "prefix_length",
                                             "host_adapter_present",
                                             "connected"};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  check_payload(nestvirt::powershell::base64_encode(text), text);
  // The raw bytes as the payload: mostly not base64, which must be refused cleanly.
  const auto bytes = nestvirt::powershell::base64_decode(text);
  check_payload(text, bytes ? std::string_view(*bytes) : std::string_view());
  return 0;
}

extern "C" std::size_t LLVMFuzzerCustomMutator(std::uint8_t* data, std::size_t size,
                                               std::size_t max_size, unsigned int seed) {
  return fuzz::mutate_json(data, size, max_size, seed, kKeys);
}
