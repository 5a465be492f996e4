#include "nestvirt/cli/help.h"

#include "nestvirt/cli/commands.h"

#include "nestvirt/core/exit_codes.h"
#include "nestvirt/core/similar.h"

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

// `nestvirt help [COMMAND]`: the help of nestvirt, or of that command ("net-nat guest": two
// words). A name that is no command is a usage error, with the closest command.
int print_help(CLI::App& app, const std::vector<std::string>& words,
               const commands::GlobalOptions& global) {
  CLI::App* target = &app;
  std::string path;
  for (const auto& word : words) {
    std::vector<std::string> known;
    CLI::App* found = nullptr;
    for (CLI::App* sub : target->get_subcommands([](CLI::App*) { return true; })) {
      if (sub->get_name() == "help") continue;
      known.push_back(sub->get_name());
      if (sub->get_name() == word) found = sub;
    }
    if (found == nullptr) {
      const auto close = core::closest_word(word, known);
      return commands::usage_error("", global,
                                   "'" + word + "' is not a command" +
                                       (path.empty() ? "" : " of '" + path + "'") +
                                       (close ? "; did you mean '" + *close + "'?" : ""));
    }
    target = found;
    path += (path.empty() ? "" : " ") + word;
  }
  *global.io->out << target->help();
  return core::kExitOk;
}

Runner add_help(CLI::App* cmd, commands::GlobalOptions& global) {
  auto words = std::make_shared<std::vector<std::string>>();
  cmd->add_option("COMMAND", *words,
                  "The command whose help to print (two words for net-nat guest)")
      ->expected(0, 2);
  // `nestvirt help ...` is answered before parsing (cli.cpp); this is `nestvirt --json help`.
  return [cmd, words, &global]() -> int {
    if (!cmd->parsed()) return -1;
    return print_help(*cmd->get_parent(), *words, global);
  };
}

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
