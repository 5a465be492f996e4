#include "nestvirt/core/secret.h"

namespace nestvirt::core {

// Moves copy and wipe rather than move the string: a moved-from short string keeps its bytes
// in its own buffer.
Secret::Secret(std::string&& value) : value_(value) {
  wipe_string(value);
}

Secret::Secret(Secret&& other) : value_(other.value_) {
  other.wipe();
}

Secret& Secret::operator=(Secret&& other) {
  if (this != &other) {
    wipe();
    value_ = other.value_;
    other.wipe();
  }
  return *this;
}

Secret Secret::take(std::string& from) {
  return Secret(std::move(from));
}

void Secret::wipe_string(std::string& s) noexcept {
  // Up to the capacity: a string that shrank (or a short one, inside the object) still holds
  // bytes past its size. resize() within the capacity never reallocates.
  s.resize(s.capacity());
  volatile char* p = s.data();  // volatile: the stores must happen although the string goes
  for (std::size_t i = 0; i < s.size(); ++i) p[i] = '\0';
  s.clear();
}

}  // namespace nestvirt::core
