#include "nestvirt/cli/usage_error.h"

#include <optional>
#include <vector>

#include "nestvirt/cli/options.h"
#include "nestvirt/core/similar.h"

namespace nestvirt::cli {

namespace {

// The app and the subcommands parsed under it, outermost first.
std::vector<CLI::App*> parsed_chain(CLI::App& app) {
  std::vector<CLI::App*> chain{&app};
  for (;;) {
    const auto subs = chain.back()->get_subcommands();
    if (subs.empty()) break;
    chain.push_back(subs.front());
  }
  return chain;
}

std::string path_of(const CLI::App* app) {
  std::string path;
  for (; app != nullptr && app->get_parent() != nullptr; app = app->get_parent()) {
    path = app->get_name() + (path.empty() ? "" : " " + path);
  }
  return path;
}

std::string quoted_list(const std::vector<std::string>& words) {
  std::string out;
  for (std::size_t i = 0; i < words.size(); ++i) {
    out += (i == 0 ? "" : i + 1 == words.size() ? " or " : ", ") + ("'" + words[i] + "'");
  }
  return out;
}

std::string did_you_mean(const std::string& typed, const std::vector<std::string>& known) {
  const std::optional<std::string> best = core::closest_word(typed, known);
  return best ? "; did you mean '" + *best + "'?" : "";
}

std::vector<std::string> subcommand_names(CLI::App* app) {
  std::vector<std::string> names;
  for (CLI::App* sub : app->get_subcommands([](CLI::App*) { return true; })) {
    names.push_back(sub->get_name());
  }
  return names;
}

std::vector<std::string> option_names(CLI::App* app) {
  std::vector<std::string> names;
  for (const CLI::Option* opt : app->get_options([](CLI::Option*) { return true; })) {
    for (const auto& l : opt->get_lnames()) names.push_back("--" + l);
    for (const auto& s : opt->get_snames()) names.push_back("-" + s);
  }
  return names;
}

// Commands (full paths) that have `name` as an option of their own, not a global one.
std::vector<std::string> owners_of(CLI::App& root, const std::string& name) {
  std::vector<std::string> owners;
  for (CLI::App* sub : all_subcommands(&root)) {
    const CLI::Option* opt = sub->get_option_no_throw(name);
    if (opt != nullptr && !is_global_option(opt)) owners.push_back(path_of(sub));
  }
  return owners;
}

std::string option_problem(CLI::App& root, const std::vector<CLI::App*>& chain, CLI::App* where,
                           const std::string& typed) {
  const std::string name = typed.substr(0, typed.find('='));
  const std::string here = path_of(where);
  const std::vector<std::string> owners = owners_of(root, name);
  if (where == &root && chain.size() > 1) {
    const std::string command = path_of(chain.back());
    for (const auto& o : owners) {
      if (o == command) {
        return "'" + name + "' is an option of '" + command +
               "', not a global option: put it after '" + command + "'";
      }
    }
  }
  if (where != &root && root.get_option_no_throw(name) != nullptr) {
    // --version (and --help's top-level form) belong to nestvirt itself, before any command.
    return "'" + name + "' is an option of nestvirt itself: 'nestvirt " + name + "'";
  }
  if (!owners.empty()) {
    return "'" + name + "' is not an option of " +
           (here.empty() ? std::string("nestvirt itself") : "'" + here + "'") + "; it belongs to " +
           quoted_list(owners);
  }
  return "unknown option '" + name + "'" + (here.empty() ? "" : " for '" + here + "'") +
         did_you_mean(name, option_names(where));
}

std::string argument_problem(CLI::App* where, const std::string& typed) {
  const std::string here = path_of(where);
  if (where->get_subcommands().empty()) {
    // Where a command name is expected: at the top always, in net-nat only if close to one
    // (`net-nat gust`), since a stray value there is likelier than a command.
    const std::vector<std::string> commands = subcommand_names(where);
    const std::string suggestion = did_you_mean(typed, commands);
    if (here.empty() || (!commands.empty() && !suggestion.empty())) {
      return "unknown command '" + (here.empty() ? "" : here + " ") + typed + "'" + suggestion;
    }
  }
  return "unexpected argument '" + typed +
         "': " + (here.empty() ? std::string("nestvirt") : "'" + here + "'") +
         " takes values only after their option (e.g. --vm NAME)";
}

}  // namespace

std::string command_path(const CLI::App& app) {
  std::string path;
  const CLI::App* at = &app;
  for (;;) {
    const auto subs = at->get_subcommands();
    if (subs.empty()) break;
    at = subs.front();
    path += (path.empty() ? "" : " ") + at->get_name();
  }
  return path;
}

std::string usage_error_message(CLI::App& app, const CLI::ParseError& error) {
  const std::vector<CLI::App*> chain = parsed_chain(app);
  // What CLI11 could not place says more than the error it then raised ("A subcommand is
  // required" for `nestvirt enabel`), so it comes first, outermost first as typed.
  for (CLI::App* where : chain) {
    const std::vector<std::string> left = where->remaining(false);
    if (left.empty()) continue;
    const std::string& first = left.front();
    if (first.size() > 1 && first[0] == '-') return option_problem(app, chain, where, first);
    return argument_problem(where, first);
  }
  const std::string what = error.what();
  if (dynamic_cast<const CLI::RequiredError*>(&error) != nullptr && chain.size() == 1) {
    return "a command is required: " + quoted_list(subcommand_names(&app));
  }
  return what;
}

}  // namespace nestvirt::cli
