#include "nestvirt/cli/help.h"

#include "nestvirt/core/exit_codes.h"

namespace nestvirt::cli {

namespace {

class HelpFormatter : public CLI::Formatter {
 public:
  HelpFormatter() {
    column_width(34);
    // Users type commands; "subcommand" is CLI11's word.
    label("Subcommands", "Commands");
    label("SUBCOMMAND", "COMMAND");
  }

  std::string make_option_opts(const CLI::Option* opt) const override {
    if (opt->get_type_size() == 0) return "";
    if (!opt->get_option_text().empty()) return " " + opt->get_option_text();
    std::string out = " " + opt->get_type_name();
    if (opt->get_expected_max() > 1) out += " ...";
    if (opt->get_required()) out += " REQUIRED";
    return out;
  }

  std::string make_option_desc(const CLI::Option* opt) const override {
    std::string desc = opt->get_description();
    if (!opt->get_default_str().empty()) desc += " (default: " + opt->get_default_str() + ")";
    return desc;
  }
};

}  // namespace

std::shared_ptr<CLI::Formatter> help_formatter() {
  return std::make_shared<HelpFormatter>();
}

void set_examples(CLI::App* cmd, const std::vector<std::string>& examples) {
  std::string footer = "Examples:";
  for (const auto& e : examples) footer += "\n  " + e;
  cmd->footer(footer);
}

std::string exit_codes_help() {
  std::string out = "Exit codes (with --json, the document's `outcome` gives the word):";
  for (const auto& c : core::kExitCodes) {
    std::string code = std::to_string(static_cast<int>(c.code));
    if (code.size() < 2) code = " " + code;
    out += "\n  " + code + "  " + c.outcome + ": " + c.meaning;
  }
  return out;
}

}  // namespace nestvirt::cli
