// What must be equal between the Linux and the Windows run of a case, and what may not be:
//
//  - the calls log: every entry of this run (launches and cmdlet calls, in order) with module,
//    name, parameter set, parameters, outcome, errors, warnings and fault; without pid, time and
//    seq (process ids and clocks differ; seq repeats the order the array already has), and with
//    a block of reads repeated right after itself counted once (collapse_repeated_reads);
//  - the end state: the state file without its log;
//  - the --json report: without durations and CPU times (keys ending in "_ms"), and with the
//    one fact the platforms legitimately see differently, the Windows token (under wine it reads
//    as an administrator; PowerShell on Linux cannot read it: docs/simulator.md);
//  - in all three, ids and times minted during the run (a new switch's GUID, a VM's start time)
//    become placeholders numbered by first appearance, "<id-1>", "<time>": two runs that mint
//    different GUIDs compare equal, but a run that uses one id where the other uses two does not.
//    Values already in the scenario stay as they are.
#include <cctype>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "parity/parity.h"

namespace parity {

namespace {

const std::regex kGuid(
    "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
// Whole values a run mints: a new adapter's MAC address and its link-local addresses (IPv6, and
// the APIPA IPv4 address the simulator picks at random, as Windows does).
const std::regex kMac("([0-9A-Fa-f]{2}-){5}[0-9A-Fa-f]{2}|[0-9A-Fa-f]{12}");
const std::regex kLinkLocal("fe80::[0-9a-fA-F:]+");
const std::regex kApipa("169\\.254\\.\\d{1,3}\\.\\d{1,3}");
const std::regex kTime("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?(Z|[+-]\\d\\d:\\d\\d)?");

std::string lower(std::string text) {
  for (char& ch : text) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return text;
}

// Ids and times of the scenario are known; new ones become placeholders.
class Placeholders {
 public:
  explicit Placeholders(const json& scenario) { learn(scenario); }

  json apply(const json& doc) {
    if (doc.is_string()) {
      const std::string text = doc.get<std::string>();
      if (known_.count(lower(text)) == 0) {
        if (std::regex_match(text, kMac)) return numbered(macs_, text, "mac");
        if (std::regex_match(text, kLinkLocal)) return numbered(addresses_, text, "fe80");
        if (std::regex_match(text, kApipa)) return numbered(addresses_, text, "apipa");
      }
      return replace(text);
    }
    if (doc.is_object()) {
      json out = json::object();
      for (const auto& [key, value] : doc.items()) out[key] = apply(value);
      return out;
    }
    if (doc.is_array()) {
      json out = json::array();
      for (const auto& value : doc) out.push_back(apply(value));
      return out;
    }
    return doc;
  }

 private:
  static std::string numbered(std::map<std::string, std::string>& seen, const std::string& value,
                              const char* kind) {
    auto [it, added] = seen.try_emplace(lower(value), "");
    if (added) it->second = "<" + std::string(kind) + "-" + std::to_string(seen.size()) + ">";
    return it->second;
  }

  void learn(const json& doc) {
    if (doc.is_string()) {
      const std::string text = doc.get<std::string>();
      known_.insert(lower(text));
      for (const std::regex* re : {&kGuid, &kTime}) {
        for (std::sregex_iterator it(text.begin(), text.end(), *re), end; it != end; ++it) {
          known_.insert(lower(it->str()));
        }
      }
    } else if (doc.is_structured()) {
      for (const auto& value : doc) learn(value);
    }
  }

  std::string replace(const std::string& text) {
    std::string out =
        substitute(text, kGuid, [this](const std::string& id) { return numbered(ids_, id, "id"); });
    return substitute(out, kTime, [](const std::string&) { return std::string("<time>"); });
  }

  template <typename Fn>
  std::string substitute(const std::string& text, const std::regex& re, Fn placeholder) {
    std::string out;
    std::size_t last = 0;
    for (std::sregex_iterator it(text.begin(), text.end(), re), end; it != end; ++it) {
      const std::size_t at = static_cast<std::size_t>(it->position());
      out.append(text, last, at - last);
      const std::string found = it->str();
      out += known_.count(lower(found)) ? found : placeholder(found);
      last = at + found.size();
    }
    out.append(text, last, std::string::npos);
    return out;
  }

  std::set<std::string> known_;
  std::map<std::string, std::string> ids_;
  std::map<std::string, std::string> macs_;
  std::map<std::string, std::string> addresses_;
};

bool is_read(const json& call) {
  if (!call.is_object()) return false;
  const auto type = call.find("type");
  const auto name = call.find("name");
  return type != call.end() && *type == "cmdlet" && name != call.end() && name->is_string() &&
         name->get_ref<const std::string&>().rfind("Get-", 0) == 0;
}

// While waiting for a guest to shut down nestvirt reads the VM once a second, so how many
// reads a run makes depends on the clock (and on how fast each read is), not on the platform.
// A block of reads repeated right after itself counts once. Changes are never merged.
json collapse_repeated_reads(std::vector<json> calls) {
  constexpr std::size_t kLongestBlock = 8;
  for (bool merged = true; merged;) {
    merged = false;
    for (std::size_t i = 0; i < calls.size() && !merged; ++i) {
      for (std::size_t k = 1; k <= kLongestBlock && i + 2 * k <= calls.size() && !merged; ++k) {
        bool repeated = true;
        for (std::size_t j = i; j < i + k && repeated; ++j) {
          repeated = is_read(calls[j]) && calls[j] == calls[j + k];
        }
        if (repeated) {
          const auto block = calls.begin() + static_cast<std::ptrdiff_t>(i + k);
          calls.erase(block, block + static_cast<std::ptrdiff_t>(k));
          merged = true;
        }
      }
    }
  }
  return json(calls);
}

json this_runs_calls(const json& state_before, const json& state_after) {
  std::vector<json> calls;
  if (!state_after.is_object() || !state_after.contains("calls")) return json::array();
  std::size_t skip = state_before.contains("calls") ? state_before["calls"].size() : 0;
  for (json entry : state_after["calls"]) {
    if (skip > 0) {
      --skip;
      continue;
    }
    for (const char* key : {"pid", "time", "seq", "child_pid"}) entry.erase(key);
    // A reader's ordinal counts the reads before it (see collapse_repeated_reads). A change's
    // ordinal stays: faults count it.
    if (is_read(entry)) entry.erase("n");
    calls.push_back(std::move(entry));
  }
  return collapse_repeated_reads(std::move(calls));
}

void drop_durations(json& doc) {
  if (doc.is_object()) {
    for (auto it = doc.begin(); it != doc.end();) {
      const std::string& key = it.key();
      if (key.size() > 3 && key.compare(key.size() - 3, 3, "_ms") == 0) {
        it = doc.erase(it);
      } else {
        drop_durations(it.value());
        ++it;
      }
    }
  } else if (doc.is_array()) {
    for (auto& value : doc) drop_durations(value);
  }
}

// What a platform's own Windows token says: under wine it reads as an administrator, on Linux
// PowerShell cannot read it. The rest of those sentences is compared.
const std::regex kTokenWords(
    "; running elevated as administrator|; not elevated|; the Windows token could not be read|"
    "administrator (yes|no|unknown), Hyper-V Administrators (yes|no|unknown)");

std::string without_token(const std::string& text) {
  return std::regex_replace(text, kTokenWords, "<token>");
}

void drop_token(json& doc) {
  if (doc.is_string()) {
    doc = without_token(doc.get<std::string>());
  } else if (doc.is_object()) {
    for (const char* key : {"is_admin", "is_hyperv_admin"}) {
      if (doc.contains(key)) doc[key] = "<token>";
    }
    for (auto& [key, value] : doc.items()) drop_token(value);
  } else if (doc.is_array()) {
    for (auto& value : doc) drop_token(value);
  }
}

json report_of(const std::string& out, const std::vector<std::string>& ignore) {
  json doc = json::parse(out, nullptr, false);
  if (doc.is_discarded()) {
    // A text report: compared line by line, Windows' CRLF line ends as LF.
    json lines = json::array();
    std::istringstream in(out);
    for (std::string line; std::getline(in, line);) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      lines.push_back(without_token(line));
    }
    return lines;
  }
  drop_durations(doc);
  drop_token(doc);
  for (const auto& pointer : ignore) {
    const json::json_pointer at(pointer);
    if (doc.contains(at)) doc[at] = "<differs by platform>";
  }
  return doc;
}

}  // namespace

Comparable comparable(const json& state_before, const SideResult& side,
                      const std::vector<std::string>& report_ignore) {
  Placeholders placeholders(state_before);
  Comparable c;
  // In this order, so that placeholders are numbered the same way on both sides.
  c.calls = placeholders.apply(this_runs_calls(state_before, side.state_after));
  json state = side.state_after.is_object() ? side.state_after : json();
  if (state.is_object()) state.erase("calls");
  c.state = placeholders.apply(state);
  c.report = placeholders.apply(report_of(side.out, report_ignore));
  return c;
}

std::vector<std::string> differences(const json& linux_doc, const json& windows_doc,
                                     std::size_t limit) {
  std::vector<std::string> out;
  const json patch = json::diff(linux_doc, windows_doc);
  for (const auto& op : patch) {
    if (out.size() == limit) {
      out.push_back("... and " + std::to_string(patch.size() - limit) + " more");
      break;
    }
    const std::string path = op["path"];
    const std::string kind = op["op"];
    std::string line = kind + " " + path;
    if (kind == "replace") {
      const json::json_pointer at(path);
      line += ": linux " + linux_doc.at(at).dump() + ", windows " + op["value"].dump();
    } else if (op.contains("value")) {
      line += ": windows has " + op["value"].dump();
    }
    if (line.size() > 400) line = line.substr(0, 400) + "...";
    out.push_back(line);
  }
  return out;
}

}  // namespace parity
