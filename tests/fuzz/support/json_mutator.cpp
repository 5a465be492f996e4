#include "support/json_mutator.h"

#include <cstring>
#include <random>
#include <string>

#include <nlohmann/json.hpp>

// libFuzzer's own mutator, for the byte-level share of the work.
extern "C" std::size_t LLVMFuzzerMutate(std::uint8_t* data, std::size_t size, std::size_t max_size);

namespace fuzz {
namespace {

using nlohmann::json;
using Random = std::minstd_rand;

// Values at the edges of what the readers convert: int and int64 limits, unsigned beyond
// int64, floats where integers belong (and beyond int), booleans as 5.1's strings, numbers as
// strings, versions, prefixes, control characters and text that is not a number at all.
json edge_value(Random& random) {
  static const json values[] = {
      nullptr,
      true,
      false,
      0,
      1,
      -1,
      2147483647,
      -2147483648LL,
      2147483648LL,
      4294967297LL,
      9223372036854775807LL,
      json(18446744073709551615ULL),
      0.5,
      -0.0,
      1e300,
      -1e300,
      33,
      -8,
      "",
      "True",
      "false",
      "1",
      " 7",
      "7 ",
      "0x10",
      "99999999999999999999",
      "-9223372036854775809",
      "9.3",
      "10.0",
      "9",
      "1.2.3.4.5",
      "192.168.100.0/24",
      "10.0.0.20",
      "256.1.1.1",
      "On",
      "Off",
      "Running",
      "GenuineIntel",
      "AuthenticAMD",
      std::string("nul\0byte", 8),
      "line\r\nbreak",
      "\u001b[31mred\u001b[0m",
      "O'Brien [test] $(x) `\"quoted\"",
      json::array(),
      json::object(),
  };
  std::uniform_int_distribution<std::size_t> pick(0, std::size(values) - 1);
  return values[pick(random)];
}

void collect(json& node, std::vector<json*>& out) {
  out.push_back(&node);
  if (node.is_structured()) {
    for (auto& child : node) collect(child, out);
  }
}

std::string random_key(Random& random, const std::vector<std::string_view>& keys) {
  if (keys.empty()) return "x";
  std::uniform_int_distribution<std::size_t> pick(0, keys.size() - 1);
  return std::string(keys[pick(random)]);
}

// One structural change to `target`; `donor` is another node of the same document.
void mutate_node(json& target, const json& donor, Random& random,
                 const std::vector<std::string_view>& keys) {
  std::uniform_int_distribution<int> choice(0, 9);
  switch (choice(random)) {
    case 0:
    case 1:
      target = edge_value(random);
      return;
    case 2:  // an array of one written as the element, or the element as an array of one
      if (target.is_array() && target.size() == 1) {
        json only = target[0];
        target = std::move(only);
      } else {
        target = json::array({target});
      }
      return;
    case 3:
      target = donor;
      return;
    case 4:  // add a known key
      if (target.is_object()) {
        target[random_key(random, keys)] =
            std::uniform_int_distribution<int>(0, 1)(random) == 0 ? edge_value(random) : donor;
      } else if (target.is_array()) {
        target.push_back(donor);
      }
      return;
    case 5:  // remove a key or an element
      if (target.is_object() && !target.empty()) {
        auto it = target.begin();
        std::advance(it, std::uniform_int_distribution<std::size_t>(0, target.size() - 1)(random));
        target.erase(it);
      } else if (target.is_array() && !target.empty()) {
        target.erase(std::uniform_int_distribution<std::size_t>(0, target.size() - 1)(random));
      }
      return;
    case 6:  // rename a key
      if (target.is_object() && !target.empty()) {
        auto it = target.begin();
        std::advance(it, std::uniform_int_distribution<std::size_t>(0, target.size() - 1)(random));
        json value = it.value();
        target.erase(it);
        target[random_key(random, keys)] = std::move(value);
      }
      return;
    case 7:  // duplicate array elements (many VMs, many matches)
      if (target.is_array() && !target.empty()) {
        const json first = target[0];
        const int copies = std::uniform_int_distribution<int>(1, 8)(random);
        for (int i = 0; i < copies; ++i) target.push_back(first);
      }
      return;
    case 8:  // an object's values as an array, an array as an object
      if (target.is_object()) {
        json values = json::array();
        for (auto& v : target) values.push_back(v);
        target = std::move(values);
      } else if (target.is_array()) {
        json object = json::object();
        for (auto& v : target) object[random_key(random, keys)] = v;
        target = std::move(object);
      }
      return;
    default:  // change the bytes of a string, keeping it a string
      if (target.is_string()) {
        std::string text = target.get<std::string>();
        const std::size_t room = text.size() + 16;
        text.resize(room);
        const std::size_t used =
            LLVMFuzzerMutate(reinterpret_cast<std::uint8_t*>(text.data()), room - 16, room);
        text.resize(used);
        target = std::move(text);
      } else {
        target = edge_value(random);
      }
      return;
  }
}

}  // namespace

std::size_t mutate_json(std::uint8_t* data, std::size_t size, std::size_t max_size,
                        unsigned int seed, const std::vector<std::string_view>& keys) {
  Random random(seed);
  if (std::uniform_int_distribution<int>(0, 3)(random) == 0) {
    return LLVMFuzzerMutate(data, size, max_size);
  }
  json doc = json::parse(data, data + size, nullptr, false);
  if (doc.is_discarded()) return LLVMFuzzerMutate(data, size, max_size);
  const int rounds = std::uniform_int_distribution<int>(1, 3)(random);
  for (int r = 0; r < rounds; ++r) {
    std::vector<json*> nodes;
    collect(doc, nodes);
    std::uniform_int_distribution<std::size_t> pick(0, nodes.size() - 1);
    const json donor = *nodes[pick(random)];
    mutate_node(*nodes[pick(random)], donor, random, keys);
  }
  // Strings changed byte-wise may no longer be UTF-8: replace, as a JSON writer would have to.
  const std::string text = doc.dump(-1, ' ', false, json::error_handler_t::replace);
  if (text.size() > max_size) return LLVMFuzzerMutate(data, size, max_size);
  std::memcpy(data, text.data(), text.size());
  return text.size();
}

}  // namespace fuzz
