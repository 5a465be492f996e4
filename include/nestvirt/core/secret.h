// A password that overwrites its own bytes when it goes away, however that happens (a return,
// an exception, a moved-from copy). The one place nestvirt wipes secrets: every password it
// holds (guest and remote credentials, the copy inside a request's data) lives in one of these.
#pragma once

#include <string>

namespace nestvirt::core {

class Secret {
 public:
  Secret() = default;
  // Copies `value` and wipes it: whatever held the secret before no longer does.
  explicit Secret(std::string&& value);
  ~Secret() { wipe(); }
  // No copies: each one would be another place to wipe.
  Secret(const Secret&) = delete;
  Secret& operator=(const Secret&) = delete;
  // Moving copies the bytes (a short string lives inside the object) and wipes the source.
  Secret(Secret&& other);
  Secret& operator=(Secret&& other);

  // Takes over `from`'s bytes and wipes `from`: for a copy that had to be made elsewhere (an
  // environment variable read, a request's JSON data), so that it is wiped too.
  static Secret take(std::string& from);

  // Only to hand the secret on (into a request's data); never into a message or log.
  const std::string& reveal() const { return value_; }
  bool empty() const { return value_.empty(); }

  // Overwrites every byte the string holds, its unused capacity included, then empties it.
  void wipe() noexcept { wipe_string(value_); }

 private:
  static void wipe_string(std::string& s) noexcept;
  std::string value_;
};

}  // namespace nestvirt::core
