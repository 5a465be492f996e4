// Host targets: every form a user may write, and every mistake said with its fix.
#include "nestvirt/core/target.h"
#include "catch.h"

using namespace nestvirt::core;

namespace {
bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}
}  // namespace

TEST_CASE("targets name their transport, user, host and port") {
  auto t = parse_target("ssh://admin@hv1.corp.example:2222");
  REQUIRE(t.target);
  CHECK(t.target->transport == Transport::Ssh);
  CHECK(t.target->user == "admin");
  CHECK(t.target->host == "hv1.corp.example");
  CHECK(t.target->port == 2222);
  CHECK(target_label(*t.target) == "admin@hv1.corp.example:2222");

  t = parse_target("winrms://HV2");
  REQUIRE(t.target);
  CHECK(t.target->transport == Transport::Winrms);
  CHECK(t.target->port == 0);
  CHECK(default_port(Transport::Winrms) == 5986);
  CHECK(default_port(Transport::Winrm) == 5985);

  t = parse_target("pwsh-ssh://[fe80::1%eth0]:22");
  REQUIRE(t.target);
  CHECK(t.target->transport == Transport::PwshSsh);
  CHECK(t.target->host == "fe80::1%eth0");
  CHECK(t.target->port == 22);

  t = parse_target("SSH://CORP\\admin@hv3/");  // scheme in capitals, a domain user, a URL's '/'
  REQUIRE(t.target);
  CHECK(t.target->user == "CORP\\admin");
  CHECK(t.target->host == "hv3");
  CHECK(transport_name(t.target->transport) == "ssh");
}

TEST_CASE("a target that cannot be used is refused with what is wrong and the forms") {
  struct Case {
    const char* text;
    const char* says;
  };
  const Case cases[] = {
      {"hv1", "no scheme; say how to reach it, e.g. ssh://hv1"},
      {"http://hv1", "unknown scheme 'http'"},
      {"", "empty"},
      {"ssh://", "no host name"},
      {"ssh://hv1:", "without a port number"},
      {"ssh://hv1:0", "port '0' is not from 1 to 65535"},
      {"ssh://hv1:99999", "port '99999'"},
      {"ssh://hv1:22x", "port '22x'"},
      {"ssh://fe80::1", "needs brackets"},
      {"ssh://[fe80::1", "without ']'"},
      {"ssh://@hv1", "empty user name"},
      {"ssh://a b@hv1", "characters a login name cannot have"},
      {"ssh://-oProxyCommand=x", "not a host name"},
      {"ssh://hv1/path", "no path"},
      {"winrm://admin@hv1", "NESTVIRT_REMOTE_USER"},
  };
  for (const auto& c : cases) {
    INFO(c.text);
    const auto t = parse_target(c.text);
    CHECK_FALSE(t.target);
    CHECK(contains(t.error, c.says));
    CHECK(contains(t.error, "ssh://[user@]host[:port]"));
  }
}

TEST_CASE("a hosts file has one target a line, comments and blank lines, errors by line") {
  const auto parsed = parse_hosts_file(
      "\xEF\xBB\xBF# lab hosts\n"
      "ssh://admin@hv1\n"
      "\n"
      "  winrms://hv2   # the HTTPS one\r\n"
      "hv3\n",
      "hosts.txt");
  REQUIRE(parsed.targets.size() == 2);
  CHECK(parsed.targets[0].host == "hv1");
  CHECK(parsed.targets[1].host == "hv2");
  CHECK(parsed.targets[1].transport == Transport::Winrms);
  REQUIRE(parsed.errors.size() == 1);
  CHECK(parsed.errors[0].rfind("hosts.txt:5: host target 'hv3'", 0) == 0);
}
