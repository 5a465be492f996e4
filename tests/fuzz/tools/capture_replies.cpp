// Captures real replies for the fuzz corpus (tests/fuzz/capture-seeds runs it under
// scripts/with-sim): starts PowerShell exactly as powershell::Session does, sends each request
// read from stdin, and writes what came back byte for byte, so the seeds are PowerShell's own
// output rather than what nestvirt made of it.
//
//   stdin: one JSON object per line, {"label": "...", "script": "facts", "args": {...}}
//   OUT/reply_fuzz/<prefix>-<label>.json   the reply document (base64-decoded payload)
//   OUT/reply_fuzz/<prefix>-<label>.b64    the payload itself, as the session reads it
//   OUT/facts_fuzz/<prefix>-<label>.json   the reply's result, when the script succeeded
//   OUT/clixml_fuzz/<prefix>-stderr        what PowerShell wrote to stderr, if anything
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>

#include <nlohmann/json.hpp>

#include "nestvirt/powershell/encoding.h"
#include "nestvirt/powershell/scripts.h"
#include "nestvirt/powershell/session.h"
#include "nestvirt/process/child.h"

namespace fs = std::filesystem;
namespace ps = nestvirt::powershell;
using nlohmann::json;

namespace {

void write_file(const fs::path& path, const std::string& bytes) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << bytes;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: nestvirt_capture_replies OUT PREFIX < requests\n";
    return 2;
  }
  const fs::path out = argv[1];
  const std::string prefix = argv[2];
  const char* env_executable = std::getenv("NESTVIRT_POWERSHELL");
  const std::string executable = ps::resolve_executable(
      std::nullopt, env_executable ? std::optional<std::string>(env_executable) : std::nullopt);
  nestvirt::process::ExitStatus status;
  auto child = nestvirt::process::spawn({ps::launch_arguments(executable), {}}, status);
  if (!child) {
    std::cerr << "capture: cannot start " << executable << ": " << status.start_error << "\n";
    return 1;
  }
  const auto deadline = [] { return nestvirt::process::Clock::now() + std::chrono::minutes(5); };
  std::string line;
  while (std::getline(std::cin, line)) {
    if (line.empty()) continue;
    const json request = json::parse(line);
    const std::string label = request.at("label");
    const std::string name = request.at("script");
    // Request 1 every time: the reply target decodes its seeds as answers to request 1.
    const std::string frame = ps::frame_request(1, name, ps::script(name), request.at("args"));
    if (child->write(frame + "\n", deadline()) != nestvirt::process::Child::Io::Ok) {
      std::cerr << "capture: PowerShell stopped before request " << label << "\n";
      return 1;
    }
    std::string reply;
    while (reply.rfind(ps::kReplyMarker, 0) != 0) {
      if (child->read_until("\n", reply, deadline()) != nestvirt::process::Child::Io::Ok) {
        std::cerr << "capture: no reply to " << label << "\n" << child->take_stderr();
        return 1;
      }
      if (!reply.empty() && reply.back() == '\r') reply.pop_back();
    }
    const std::string payload = reply.substr(ps::kReplyMarker.size());
    const auto document = ps::base64_decode(payload);
    if (!document) {
      std::cerr << "capture: reply to " << label << " is not base64\n";
      return 1;
    }
    write_file(out / "reply_fuzz" / (prefix + "-" + label + ".json"), *document);
    write_file(out / "reply_fuzz" / (prefix + "-" + label + ".b64"), payload);
    const json doc = json::parse(*document);
    if (doc.value("ok", false)) {
      write_file(out / "facts_fuzz" / (prefix + "-" + label + ".json"), doc["result"].dump());
    }
    std::cerr << "capture: " << prefix << "-" << label << " (" << document->size() << " bytes)\n";
  }
  child->close_stdin();
  child->wait(deadline());
  const std::string err = child->take_stderr();
  if (!err.empty()) write_file(out / "clixml_fuzz" / (prefix + "-stderr"), err);
  return 0;
}
