#include "nestvirt/core/reply_reader.h"

#include <charconv>

namespace nestvirt::core {

using nlohmann::json;

std::string excerpt(const json& value, std::size_t limit) {
  // Invalid UTF-8 in a reply must not make the error message itself throw.
  std::string text = value.dump(-1, ' ', false, json::error_handler_t::replace);
  if (text.size() <= limit) return text;
  const std::size_t total = text.size();
  text.resize(limit);
  // Do not cut a UTF-8 sequence in half.
  while (!text.empty() && (static_cast<unsigned char>(text.back()) & 0xC0) == 0x80) text.pop_back();
  if (!text.empty() && static_cast<unsigned char>(text.back()) >= 0xC0) text.pop_back();
  return text + "... (" + std::to_string(total) + " characters)";
}

ReplyError::ReplyError(const std::string& where, const std::string& expected, const json& got)
    : std::runtime_error(where + ": expected " + expected + ", received " + excerpt(got)),
      where_(where),
      received_(excerpt(got)) {}

Reader::Reader(const json& value, std::string where) : value_(&value), where_(std::move(where)) {}

void Reader::fail(const char* key, const std::string& expected) const {
  if (key == nullptr) throw ReplyError(where_, expected, *value_);
  const json& got = value_->is_object() && value_->contains(key) ? value_->at(key) : json();
  throw ReplyError(where_ + "." + key, expected, got);
}

const Reader& Reader::require_object() const {
  if (!value_->is_object()) fail(nullptr, "an object");
  return *this;
}

bool Reader::has(const char* key) const {
  return value_->is_object() && value_->contains(key) && !value_->at(key).is_null();
}

std::string Reader::text(const char* key) const {
  if (!has(key)) return {};
  const json& v = value_->at(key);
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return v.get<bool>() ? "True" : "False";
  if (v.is_number()) return v.dump();
  fail(key, "a string");
}

std::optional<bool> Reader::opt_bool(const char* key) const {
  if (!has(key)) return std::nullopt;
  const json& v = value_->at(key);
  if (v.is_boolean()) return v.get<bool>();
  if (v.is_string()) {
    std::string s = v.get<std::string>();
    for (char& c : s) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    if (s == "true") return true;
    if (s == "false") return false;
  }
  fail(key, "a boolean");
}

bool Reader::boolean(const char* key, bool fallback) const {
  return opt_bool(key).value_or(fallback);
}

std::optional<std::int64_t> Reader::opt_int(const char* key) const {
  if (!has(key)) return std::nullopt;
  const json& v = value_->at(key);
  if (v.is_number_unsigned()) {
    // Above INT64_MAX no conversion is faithful: refuse rather than wrap.
    if (v.get<std::uint64_t>() <= static_cast<std::uint64_t>(INT64_MAX))
      return static_cast<std::int64_t>(v.get<std::uint64_t>());
    fail(key, "an integer in range");
  }
  if (v.is_number_integer()) return v.get<std::int64_t>();
  if (v.is_number_float()) {
    const double d = v.get<double>();
    // 5.1 writes some counters as 4096.0; only whole numbers in range are integers.
    if (d >= -9.0e15 && d <= 9.0e15 && d == static_cast<double>(static_cast<std::int64_t>(d)))
      return static_cast<std::int64_t>(d);
  }
  if (v.is_string()) {
    const std::string& s = v.get_ref<const std::string&>();
    std::int64_t n = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
    if (ec == std::errc() && end == s.data() + s.size() && !s.empty()) return n;
  }
  fail(key, "an integer");
}

int Reader::integer(const char* key, int fallback) const {
  auto v = opt_int(key);
  if (!v) return fallback;
  if (*v < INT32_MIN || *v > INT32_MAX) fail(key, "an integer in range");
  return static_cast<int>(*v);
}

std::vector<Reader> Reader::list(const char* key) const {
  std::vector<Reader> out;
  if (!has(key)) return out;
  const json& v = value_->at(key);
  const std::string where = where_ + "." + key;
  if (!v.is_array()) {
    out.emplace_back(v, where);  // 5.1: an array of one written as the element
    return out;
  }
  for (std::size_t i = 0; i < v.size(); ++i) {
    out.emplace_back(v[i], where + "[" + std::to_string(i) + "]");
  }
  return out;
}

std::vector<std::string> Reader::strings(const char* key) const {
  std::vector<std::string> out;
  if (!has(key)) return out;
  const json& v = value_->at(key);
  auto one = [&](const json& item) {
    if (item.is_null()) return;
    if (item.is_string()) {
      out.push_back(item.get<std::string>());
    } else if (item.is_number()) {
      out.push_back(item.dump());
    } else {
      fail(key, "a list of strings");
    }
  };
  if (v.is_array()) {
    for (const auto& item : v) one(item);
  } else {
    one(v);
  }
  return out;
}

std::optional<Reader> Reader::object(const char* key) const {
  if (!has(key)) return std::nullopt;
  const json& v = value_->at(key);
  if (!v.is_object()) fail(key, "an object");
  return Reader(v, where_ + "." + key);
}

}  // namespace nestvirt::core
