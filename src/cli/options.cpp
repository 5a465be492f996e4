#include "nestvirt/cli/options.h"

#include <charconv>

namespace nestvirt::cli {

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

namespace {

void add_remote_options(CLI::App* cmd, commands::RemoteCliOptions& remote) {
  // Appends, so `--host a check --host b` keeps both (the app and the command each own one).
  cmd->add_option_function<std::vector<std::string>>(
         "--host",
         [&remote](const std::vector<std::string>& v) {
           remote.hosts.insert(remote.hosts.end(), v.begin(), v.end());
         },
         "Run on a remote Hyper-V host: ssh://[user@]host[:port], winrm://host[:port], "
         "winrms://host[:port] or pwsh-ssh://[user@]host[:port]; repeat for several")
      ->type_name("TARGET")
      ->allow_extra_args(false)
      ->group(kRemoteGroup);
  cmd->add_option("--hosts-file", remote.hosts_file,
                  "Run on every target in FILE (one a line, # comments)")
      ->type_name("FILE")
      ->group(kRemoteGroup);
  cmd->add_option("--parallel", remote.parallel, "Hosts at most at once")
      ->type_name("N")
      ->check(whole_number(1, 256))
      ->capture_default_str()
      ->group(kRemoteGroup);
  cmd->add_option("--connect-timeout", remote.connect_timeout_seconds,
                  "Seconds to reach a host and log in")
      ->type_name("SECONDS")
      ->check(whole_number(1, 3600))
      ->capture_default_str()
      ->group(kRemoteGroup);
  cmd->add_option("--remote-powershell", remote.remote_powershell,
                  "ssh://: the host's PowerShell, powershell (5.1) or pwsh (7)")
      ->type_name("NAME")
      // No description: the help would show "NAME:{powershell,pwsh}"; the text lists them.
      ->check(CLI::IsMember({"powershell", "pwsh"}).description(""))
      ->capture_default_str()
      ->group(kRemoteGroup);
  cmd->add_option("--ssh-identity", remote.ssh_identity,
                  "ssh:// and pwsh-ssh://: the private key to log in with (default: ssh's own)")
      ->type_name("FILE")
      ->group(kRemoteGroup);
  cmd->add_option("--ssh-known-hosts", remote.ssh_known_hosts,
                  "ssh:// and pwsh-ssh://: the known_hosts file to check host keys against")
      ->type_name("FILE")
      ->group(kRemoteGroup);
  cmd->add_option("--authentication", remote.authentication,
                  "winrm:// and winrms://: Default, Negotiate, Kerberos, CredSSP or Basic")
      ->type_name("METHOD")
      ->check(
          CLI::IsMember({"Default", "Negotiate", "Kerberos", "CredSSP", "Basic"}, CLI::ignore_case)
              .description(""))
      ->group(kRemoteGroup);
  cmd->add_flag("--skip-certificate-check", remote.skip_certificate_check,
                "winrms://: accept a certificate this machine does not trust (lab hosts only)")
      ->group(kRemoteGroup);
  // One host of a fleet, run by the fleet's own nestvirt (commands/fleet.cpp): not for users.
  cmd->add_option("--target", remote.target)->group("");
}

}  // namespace

void add_global_options(CLI::App* cmd, commands::GlobalOptions& global) {
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
         "Show each PowerShell command on stderr as it runs (-vv: and every request, for "
         "debugging); never a password")
      ->group(kGlobalGroup);
  cmd->add_flag("-q,--quiet", global.quiet,
                "Print only errors and the report's final line (no progress); --json is "
                "unchanged")
      ->group(kGlobalGroup);
  add_remote_options(cmd, global.remote);
}

bool is_global_option(const CLI::Option* option) {
  const std::string& group = option->get_group();
  return group == kGlobalGroup || group == kRemoteGroup || group.empty();
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

}  // namespace nestvirt::cli
