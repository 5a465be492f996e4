#include "nestvirt/core/target.h"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace nestvirt::core {

namespace {

struct Scheme {
  std::string_view prefix;
  Transport transport;
};
constexpr Scheme kSchemes[] = {
    {"ssh://", Transport::Ssh},
    {"winrm://", Transport::Winrm},
    {"winrms://", Transport::Winrms},
    {"pwsh-ssh://", Transport::PwshSsh},
};

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

bool lower_equal(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

// Letters, digits, '-', '.', '_' (NetBIOS and DNS names), or an IPv6 address's hex and ':'.
bool valid_host(std::string_view host, bool bracketed) {
  if (host.empty() || host.size() > 253) return false;
  for (const char c : host) {
    const bool ok = std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' ||
                    c == '_' || (bracketed && (c == ':' || c == '%'));
    if (!ok) return false;
  }
  return host.front() != '-' && host.front() != '.';
}

// Letters, digits and . _ - $ \ (DOMAIN\user) and @ only inside the part before the last '@'.
bool valid_user(std::string_view user) {
  if (user.empty()) return false;
  return std::all_of(user.begin(), user.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-' ||
           c == '$' || c == '\\' || c == '@';
  });
}

std::string refusal(std::string_view text, const std::string& why) {
  return "host target '" + std::string(text) + "': " + why +
         ". Write it as ssh://[user@]host[:port], winrm://host[:port], winrms://host[:port] or "
         "pwsh-ssh://[user@]host[:port]";
}

}  // namespace

std::string transport_name(Transport transport) {
  switch (transport) {
    case Transport::Ssh:
      return "ssh";
    case Transport::Winrm:
      return "winrm";
    case Transport::Winrms:
      return "winrms";
    case Transport::PwshSsh:
      return "pwsh-ssh";
  }
  return "ssh";
}

int default_port(Transport transport) {
  switch (transport) {
    case Transport::Winrm:
      return 5985;
    case Transport::Winrms:
      return 5986;
    case Transport::Ssh:
    case Transport::PwshSsh:
      break;
  }
  return 22;
}

TargetParse parse_target(std::string_view raw) {
  const std::string_view text = trim(raw);
  TargetParse out;
  if (text.empty()) {
    out.error = refusal(raw, "empty (an unset shell variable?)");
    return out;
  }
  const Scheme* scheme = nullptr;
  for (const auto& s : kSchemes) {
    if (text.size() >= s.prefix.size() && lower_equal(text.substr(0, s.prefix.size()), s.prefix)) {
      scheme = &s;
    }
  }
  if (scheme == nullptr) {
    const auto sep = text.find("://");
    out.error =
        refusal(text, sep == std::string_view::npos
                          ? "no scheme; say how to reach it, e.g. ssh://" + std::string(text)
                          : "unknown scheme '" + std::string(text.substr(0, sep)) + "'");
    return out;
  }
  Target t;
  t.transport = scheme->transport;
  t.text = std::string(text);
  std::string_view rest = text.substr(scheme->prefix.size());
  if (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);  // ssh://hv1/ from a URL habit
  if (rest.find('/') != std::string_view::npos || rest.find('?') != std::string_view::npos) {
    out.error = refusal(text, "a target has no path or query");
    return out;
  }
  const auto at = rest.rfind('@');
  if (at != std::string_view::npos) {
    const std::string_view user = rest.substr(0, at);
    if (!valid_user(user)) {
      out.error = refusal(text, user.empty() ? "empty user name before '@'"
                                             : "user name '" + std::string(user) +
                                                   "' has characters a login name cannot have");
      return out;
    }
    if (t.transport == Transport::Winrm || t.transport == Transport::Winrms) {
      out.error = refusal(text,
                          "WinRM takes its user from NESTVIRT_REMOTE_USER (with "
                          "NESTVIRT_REMOTE_PASSWORD), not from the target");
      return out;
    }
    t.user = std::string(user);
    rest = rest.substr(at + 1);
  }
  std::string_view host = rest;
  std::string_view port_text;
  bool bracketed = false;
  if (!rest.empty() && rest.front() == '[') {
    const auto close = rest.find(']');
    if (close == std::string_view::npos) {
      out.error = refusal(text, "'[' without ']' around an IPv6 address");
      return out;
    }
    host = rest.substr(1, close - 1);
    bracketed = true;
    const std::string_view after = rest.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') {
        out.error = refusal(text, "unexpected text after ']'");
        return out;
      }
      port_text = after.substr(1);
      if (port_text.empty()) {
        out.error = refusal(text, "':' without a port number");
        return out;
      }
    }
  } else {
    const auto colon = rest.find(':');
    if (colon != std::string_view::npos) {
      if (rest.find(':', colon + 1) != std::string_view::npos) {
        out.error = refusal(text, "an IPv6 address needs brackets, e.g. ssh://[fe80::1]:22");
        return out;
      }
      host = rest.substr(0, colon);
      port_text = rest.substr(colon + 1);
      if (port_text.empty()) {
        out.error = refusal(text, "':' without a port number");
        return out;
      }
    }
  }
  if (host.empty()) {
    out.error = refusal(text, "no host name");
    return out;
  }
  if (!valid_host(host, bracketed)) {
    out.error = refusal(text, "'" + std::string(host) + "' is not a host name or address");
    return out;
  }
  t.host = std::string(host);
  if (!port_text.empty()) {
    int port = 0;
    const auto [end, ec] =
        std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (ec != std::errc() || end != port_text.data() + port_text.size() || port < 1 ||
        port > 65535) {
      out.error = refusal(text, "port '" + std::string(port_text) + "' is not from 1 to 65535");
      return out;
    }
    t.port = port;
  }
  out.target = std::move(t);
  return out;
}

HostsFileParse parse_hosts_file(std::string_view content, const std::string& file_name) {
  HostsFileParse out;
  int line_number = 0;
  while (!content.empty()) {
    const auto end = content.find('\n');
    std::string_view line = content.substr(0, end);
    content = end == std::string_view::npos ? std::string_view() : content.substr(end + 1);
    ++line_number;
    if (line_number == 1 && line.substr(0, 3) == "\xEF\xBB\xBF") line.remove_prefix(3);  // BOM
    if (const auto hash = line.find('#'); hash != std::string_view::npos) {
      line = line.substr(0, hash);
    }
    line = trim(line);
    if (line.empty()) continue;
    TargetParse parsed = parse_target(line);
    if (parsed.target) {
      out.targets.push_back(std::move(*parsed.target));
    } else {
      out.errors.push_back(file_name + ":" + std::to_string(line_number) + ": " + parsed.error);
    }
  }
  return out;
}

std::string target_label(const Target& target) {
  const auto sep = target.text.find("://");
  return sep == std::string::npos ? target.text : target.text.substr(sep + 3);
}

}  // namespace nestvirt::core
