#include "nestvirt/commands/cli_options.h"

#include <charconv>

namespace nestvirt::commands {

std::string empty_value_error(const std::string& value) {
  return value.empty() ? "empty value (an unset shell variable?)" : "";
}

CLI::Validator whole_number(long long min, long long max) {
  const std::string range = "from " + std::to_string(min) + " to " + std::to_string(max);
  return CLI::Validator(
      [min, max, range](std::string& value) -> std::string {
        if (value.empty()) return empty_value_error(value);
        long long n = 0;
        const char* const end = value.data() + value.size();
        const auto [at, error] = std::from_chars(value.data(), end, n);
        const bool digits = error != std::errc::invalid_argument && at == end;
        if (!digits) return "'" + value + "' is not a whole number";
        if (error == std::errc::result_out_of_range || n < min || n > max) {
          return "'" + value + "' is out of range: it must be " + range;
        }
        return "";
      },
      "");  // no description: the help shows the type name and the default, not the check
}

void add_global_options(CLI::App* cmd, GlobalOptions& global) {
  cmd->add_option("--powershell", global.powershell,
                  "PowerShell to run (default: powershell.exe on Windows, pwsh elsewhere; or "
                  "NESTVIRT_POWERSHELL)")
      ->type_name("PATH")
      ->group(kGlobalGroup);
  cmd->add_option("--timeout", global.timeout_seconds,
                  "Seconds each PowerShell request may take before it is ended")
      ->type_name("SECONDS")
      ->check(whole_number(1, 86400))
      ->capture_default_str()
      ->group(kGlobalGroup);
  cmd->add_flag("--json", global.json, "Print one JSON document on stdout instead of text")
      ->group(kGlobalGroup);
  // Counted across the app and the subcommand: `-v enable -v` is -vv.
  cmd->add_flag_function(
         "-v,--verbose", [&global](std::int64_t n) { global.verbosity += static_cast<int>(n); },
         "More detail on stderr (-vv for debug)")
      ->group(kGlobalGroup);
}

std::vector<CLI::App*> all_subcommands(CLI::App* app) {
  std::vector<CLI::App*> out;
  for (CLI::App* sub : app->get_subcommands([](CLI::App*) { return true; })) {
    out.push_back(sub);
    for (CLI::App* deeper : all_subcommands(sub)) out.push_back(deeper);
  }
  return out;
}

void require_non_empty_values(CLI::App* app) {
  std::vector<CLI::App*> apps = all_subcommands(app);
  apps.insert(apps.begin(), app);
  for (CLI::App* a : apps) {
    for (CLI::Option* opt :
         a->get_options([](CLI::Option* o) { return o->get_type_size() != 0; })) {
      opt->check(CLI::Validator([](std::string& v) { return empty_value_error(v); }, ""));
    }
  }
}

}  // namespace nestvirt::commands
