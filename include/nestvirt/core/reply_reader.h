// The one place where PowerShell's JSON is read leniently and checked strictly. Windows
// PowerShell 5.1 and PowerShell 7 serialize the same objects differently: 5.1 writes a
// one-element array as the element itself in some shapes, WMI numbers arrive as strings
// ("19045"), booleans sometimes as "True"/"False", and absent values as null. A Reader accepts
// exactly those variants and rejects anything else with a ReplyError that says where, what
// was expected and what was received (cut to a readable length). Pure.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace nestvirt::core {

// PowerShell answered in a shape nestvirt cannot read. Never a bug in the caller's input: a
// reply that breaks its contract, reported with exit 6 (or as a failed step mid-plan).
class ReplyError : public std::runtime_error {
 public:
  ReplyError(const std::string& where, const std::string& expected, const nlohmann::json& got);
  const std::string& where() const { return where_; }
  const std::string& received() const { return received_; }

 private:
  std::string where_;
  std::string received_;
};

// At most `limit` characters of a JSON value's text, with "... (N characters)" when cut.
std::string excerpt(const nlohmann::json& value, std::size_t limit = 160);

class Reader {
 public:
  // `where` names the value in messages: "facts.host", "vm_step reply".
  Reader(const nlohmann::json& value, std::string where);

  // The value must be an object (throws ReplyError otherwise).
  const Reader& require_object() const;

  bool has(const char* key) const;  // present and not null
  // A string; numbers and booleans are taken as their text (5.1 writes some as such);
  // absent or null is "". Objects and arrays are errors.
  std::string text(const char* key) const;
  // true/false, or "True"/"False" in any case; absent or null is nullopt.
  std::optional<bool> opt_bool(const char* key) const;
  bool boolean(const char* key, bool fallback) const;
  // An integer, or a string holding one ("19045"); absent or null is nullopt.
  std::optional<std::int64_t> opt_int(const char* key) const;
  int integer(const char* key, int fallback) const;
  // An array; a single value is an array of one (5.1); absent or null is empty.
  std::vector<Reader> list(const char* key) const;
  std::vector<std::string> strings(const char* key) const;
  // A nested object; absent or null gives nullopt; anything else but an object is an error.
  std::optional<Reader> object(const char* key) const;

  const nlohmann::json& value() const { return *value_; }
  const std::string& where() const { return where_; }
  [[noreturn]] void fail(const char* key, const std::string& expected) const;

 private:
  const nlohmann::json* value_;
  std::string where_;
};

}  // namespace nestvirt::core
