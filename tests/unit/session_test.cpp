// The session's pure parts: executable resolution, the command line, request/reply frames.
#include "nestvirt/powershell/session.h"
#include "catch.h"
#include "nestvirt/powershell/encoding.h"

using namespace nestvirt::powershell;
using nlohmann::json;

TEST_CASE("the PowerShell executable: option, then environment, then the platform default",
          "[session]") {
  CHECK(resolve_executable(std::string("/opt/pwsh"), std::string("/env/pwsh")) == "/opt/pwsh");
  CHECK(resolve_executable(std::nullopt, std::string("/env/pwsh")) == "/env/pwsh");
  CHECK(resolve_executable(std::string(""), std::string("/env/pwsh")) == "/env/pwsh");
#ifdef _WIN32
  CHECK(resolve_executable(std::nullopt, std::nullopt) == "powershell.exe");
#else
  CHECK(resolve_executable(std::nullopt, std::nullopt) == "pwsh");
#endif
}

TEST_CASE("launch arguments are fixed flags and the encoded bootstrap", "[session]") {
  auto argv = launch_arguments("pwsh");
  REQUIRE(argv.size() == 8);
  CHECK(argv[0] == "pwsh");
  CHECK(argv[1] == "-NoLogo");
  CHECK(argv[2] == "-NoProfile");
  CHECK(argv[3] == "-NonInteractive");
  CHECK(argv[4] == "-ExecutionPolicy");
  CHECK(argv[5] == "Bypass");
  CHECK(argv[6] == "-EncodedCommand");
  // Windows allows 32,767 characters for the whole command line; the bootstrap must stay far
  // below whatever the requests carry (they go over stdin).
  std::size_t total = 0;
  for (const auto& a : argv) total += a.size() + 3;
  CHECK(total < 12000);
  auto decoded = base64_decode(argv[7]);
  REQUIRE(decoded);
  CHECK(decoded->size() % 2 == 0);
}

TEST_CASE("a request frame is one line of base64 JSON carrying args as data", "[session]") {
  const json args = {{"vms", {"a'b", "$(Remove-Item x)", "line\nbreak", "Läb"}}};
  const std::string frame = frame_request(7, "facts", "param($In) $In", args);
  CHECK(frame.find('\n') == std::string::npos);
  auto bytes = base64_decode(frame);
  REQUIRE(bytes);
  auto doc = json::parse(*bytes);
  CHECK(doc["id"] == 7);
  CHECK(doc["name"] == "facts");
  CHECK(doc["script"] == "param($In) $In");
  CHECK(doc["args"] == args);
}

TEST_CASE("request frames survive bytes that are not UTF-8", "[session]") {
  const std::string frame = frame_request(1, "facts", "x", {{"vms", {std::string("bad\xff")}}});
  auto doc = json::parse(*base64_decode(frame));
  CHECK(doc["args"]["vms"][0] == "bad\xEF\xBF\xBD");
}

TEST_CASE("replies: success with warnings, failure with a structured error", "[session]") {
  auto encode = [](const std::string& text) { return base64_encode(text); };
  Reply ok =
      parse_reply(encode(R"({"id":3,"ok":true,"result":{"a":1},"warnings":["w1","w2"]})"), 3);
  CHECK(ok.ok);
  CHECK(ok.result["a"] == 1);
  CHECK(ok.warnings == std::vector<std::string>{"w1", "w2"});

  // Windows PowerShell 5.1 escapes ' < > & as \u00XX and may write a lone warning as a string.
  Reply failed = parse_reply(
      encode("{\"id\":4,\"ok\":false,\"result\":null,\"warnings\":\"only one\",\"error\":{"
             "\"command\":\"Get-VM\",\"message\":\"Hyper-V was unable to find a virtual machine "
             "with name \\u0027a\\u0026b\\u0027.\",\"fqid\":\"InvalidParameter,Microsoft.HyperV."
             "PowerShell.Commands.GetVM\",\"category\":\"InvalidArgument\",\"target\":\"a&b\","
             "\"line\":12}}"),
      4);
  CHECK_FALSE(failed.ok);
  CHECK(failed.warnings == std::vector<std::string>{"only one"});
  CHECK(failed.error.command == "Get-VM");
  CHECK(failed.error.message == "Hyper-V was unable to find a virtual machine with name 'a&b'.");
  CHECK(failed.error.fully_qualified_error_id ==
        "InvalidParameter,Microsoft.HyperV.PowerShell.Commands.GetVM");
  CHECK(failed.error.category == "InvalidArgument");
  CHECK(failed.error.target == "a&b");
  CHECK(failed.error.line == 12);
}

TEST_CASE("replies that are not ours are rejected", "[session]") {
  CHECK_THROWS_WITH(parse_reply("not base64!", 1), "reply is not base64");
  CHECK_THROWS_WITH(parse_reply(base64_encode("[1,2]"), 1),
                    "reply: expected an object, received [1,2]");
  CHECK_THROWS_WITH(parse_reply(base64_encode(R"({"id":2,"ok":true})"), 1),
                    "reply answers another request (id 2, expected 1)");
}

// Found by tests/fuzz/reply_fuzz: "ok": "1" threw nlohmann's type_error out of parse_reply,
// which documents std::runtime_error for a malformed reply.
TEST_CASE("a reply whose ok is not a boolean is malformed", "[session]") {
  for (const char* text : {R"({"id":1,"matches":false,"ok":"1","prefix_length":1})",
                           R"({"id":1,"ok":null})", R"({"id":1,"ok":1})"}) {
    INFO(text);
    CHECK_THROWS_AS(parse_reply(base64_encode(text), 1), std::runtime_error);
  }
  CHECK_FALSE(parse_reply(base64_encode(R"({"id":1})"), 1).ok);  // absent: not ok
}

// Found by tests/fuzz/reply_fuzz: id 4294967297 (2^32 + 1) was taken as the answer to request 1,
// the id having been read through an int.
TEST_CASE("a reply's id must equal the request's, not just its low bits", "[session]") {
  for (const char* text :
       {R"({"id":4294967297,"ok":true,"result":{"present":true}})",
        R"({"id":-4294967295,"ok":true})", R"({"id":18446744069414584321,"ok":true})"}) {
    INFO(text);
    // Refused either as another request's answer or as an id no integer can hold.
    CHECK_THROWS_AS(parse_reply(base64_encode(text), 1), std::runtime_error);
  }
}
