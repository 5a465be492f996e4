// Guest credentials: variables first, a prompt only on a terminal, a clear error otherwise.
#include <map>

#include "catch.h"
#include "nestvirt/core/guest_credentials.h"

using namespace nestvirt::core;

namespace {

struct Fake {
  std::map<std::string, std::string> env;
  std::vector<std::pair<std::string, bool>> asked;  // prompt, echo
  std::vector<std::optional<std::string>> answers;

  EnvReader reader() {
    return [this](const char* name) -> std::optional<std::string> {
      auto it = env.find(name);
      if (it == env.end()) return std::nullopt;
      return it->second;
    };
  }
  Asker asker() {
    return [this](const std::string& prompt, bool echo) -> std::optional<std::string> {
      asked.emplace_back(prompt, echo);
      if (answers.empty()) return std::nullopt;
      auto a = answers.front();
      answers.erase(answers.begin());
      return a;
    };
  }
};

}  // namespace

TEST_CASE("guest credentials from the environment; nothing is asked", "[guest]") {
  Fake f;
  f.env = {{"NESTVIRT_GUEST_USER", "Administrator"}, {"NESTVIRT_GUEST_PASSWORD", "p@ss 'w\""}};
  auto r = resolve_credentials(f.reader(), true, f.asker());
  REQUIRE(r.credentials);
  CHECK(r.credentials->user == "Administrator");
  CHECK(r.credentials->password.reveal() == "p@ss 'w\"");
  CHECK(r.credentials->source == "environment");
  CHECK(f.asked.empty());
  // An empty password is a password (PowerShell Direct accepts accounts without one).
  f.env["NESTVIRT_GUEST_PASSWORD"] = "";
  REQUIRE(resolve_credentials(f.reader(), false, f.asker()).credentials);
}

TEST_CASE("guest credentials without a terminal: an error naming both variables", "[guest]") {
  Fake f;
  auto none = resolve_credentials(f.reader(), false, f.asker());
  CHECK_FALSE(none.credentials);
  CHECK(none.error ==
        "PowerShell Direct needs the credentials of an administrator inside the guest, and no "
        "terminal is there to ask for them: set NESTVIRT_GUEST_USER and NESTVIRT_GUEST_PASSWORD. "
        "They are never read from the command line.");
  CHECK(f.asked.empty());
  f.env = {{"NESTVIRT_GUEST_USER", "Administrator"}};
  CHECK(resolve_credentials(f.reader(), false, f.asker())
            .error.find("(NESTVIRT_GUEST_PASSWORD is not set)") != std::string::npos);
  f.env = {{"NESTVIRT_GUEST_USER", ""}, {"NESTVIRT_GUEST_PASSWORD", "x"}};
  CHECK(resolve_credentials(f.reader(), false, f.asker())
            .error.find("(NESTVIRT_GUEST_USER is not set or empty)") != std::string::npos);
}

TEST_CASE("guest credentials on a terminal: what is missing is asked, the password unechoed",
          "[guest]") {
  Fake f;
  f.answers = {std::string("admin"), std::string("secret")};
  auto r = resolve_credentials(f.reader(), true, f.asker());
  REQUIRE(r.credentials);
  CHECK(r.credentials->user == "admin");
  CHECK(r.credentials->password.reveal() == "secret");
  CHECK(r.credentials->source == "prompt");
  REQUIRE(f.asked.size() == 2);
  CHECK(f.asked[0].second == true);   // user: echoed
  CHECK(f.asked[1].second == false);  // password: not echoed
  CHECK(f.asked[1].first.find("secret") == std::string::npos);

  Fake only_password;
  only_password.env = {{"NESTVIRT_GUEST_USER", "Administrator"}};
  only_password.answers = {std::string("pw")};
  auto p = resolve_credentials(only_password.reader(), true, only_password.asker());
  REQUIRE(p.credentials);
  CHECK(only_password.asked.size() == 1);
  CHECK(only_password.asked[0].first == "Password for Administrator (not shown): ");

  Fake eof;  // Ctrl+D at the prompt
  CHECK_FALSE(resolve_credentials(eof.reader(), true, eof.asker()).credentials);
}

namespace {

// Every byte of `n` from `p` is zero: read through a pointer taken before the wipe, while the
// string that owns the buffer is still alive (clear() keeps the buffer).
bool zeroed(const char* p, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    if (p[i] != '\0') return false;
  }
  return true;
}

}  // namespace

TEST_CASE("a secret overwrites its bytes, short and long, and empties itself", "[guest]") {
  for (const std::string& value : {std::string("hunter2"), std::string(100, 'x') + "hunter2"}) {
    INFO(value.size() << " bytes");
    Secret secret{std::string(value)};
    REQUIRE(secret.reveal() == value);
    const char* bytes = secret.reveal().data();
    secret.wipe();
    CHECK(secret.empty());
    CHECK(secret.reveal().data() == bytes);  // the same buffer, not a new one
    CHECK(zeroed(bytes, value.size()));
  }
}

TEST_CASE("a secret wipes what it was made from, what it takes and where it moved from",
          "[guest]") {
  std::string typed = std::string(40, 'p') + "assword";
  const char* typed_bytes = typed.data();
  const std::size_t n = typed.size();
  Secret taken = Secret::take(typed);
  CHECK(taken.reveal() == std::string(40, 'p') + "assword");
  CHECK(typed.empty());
  CHECK(zeroed(typed_bytes, n));

  const char* taken_bytes = taken.reveal().data();
  Secret moved = std::move(taken);
  CHECK(moved.reveal() == std::string(40, 'p') + "assword");
  CHECK(taken.empty());  // NOLINT(bugprone-use-after-move): the point of the test
  CHECK(zeroed(taken_bytes, n));

  std::string built = "short";
  const char* built_bytes = built.data();
  Secret made{std::move(built)};
  CHECK(made.reveal() == "short");
  CHECK(zeroed(built_bytes, 5));
}
