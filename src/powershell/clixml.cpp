#include "nestvirt/powershell/clixml.h"

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace nestvirt::powershell {

namespace {

constexpr std::string_view kMarker = "#< CLIXML";
constexpr std::string_view kBom = "\xEF\xBB\xBF";
// Serialized ErrorRecords nest about ten levels; the cap only guards the stack against garbage.
constexpr int kMaxDepth = 256;

// Just enough XML for PowerShell's serializer output: elements, attributes, character data,
// entities, comments/CDATA/processing instructions. No namespaces, no DTDs.
struct Node {
  std::string_view name;
  std::vector<std::pair<std::string_view, std::string>> attrs;
  std::string text;  // direct character data, entities decoded
  std::vector<Node> children;

  std::string_view attr(std::string_view key) const {
    for (const auto& [k, v] : attrs) {
      if (k == key) return v;
    }
    return {};
  }
};

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0U | (cp >> 6U)));
    out.push_back(static_cast<char>(0x80U | (cp & 0x3FU)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0U | (cp >> 12U)));
    out.push_back(static_cast<char>(0x80U | ((cp >> 6U) & 0x3FU)));
    out.push_back(static_cast<char>(0x80U | (cp & 0x3FU)));
  } else {
    out.push_back(static_cast<char>(0xF0U | (cp >> 18U)));
    out.push_back(static_cast<char>(0x80U | ((cp >> 12U) & 0x3FU)));
    out.push_back(static_cast<char>(0x80U | ((cp >> 6U) & 0x3FU)));
    out.push_back(static_cast<char>(0x80U | (cp & 0x3FU)));
  }
}

// Parses all of `digits` as a number in `base` (10 or 16); false if empty, invalid or huge.
bool parse_number(std::string_view digits, unsigned base, std::uint32_t& value) {
  if (digits.empty() || digits.size() > 8) return false;
  value = 0;
  for (const char c : digits) {
    unsigned d = 0;
    if (c >= '0' && c <= '9') {
      d = static_cast<unsigned>(c - '0');
    } else if (base == 16 && c >= 'a' && c <= 'f') {
      d = static_cast<unsigned>(c - 'a') + 10;
    } else if (base == 16 && c >= 'A' && c <= 'F') {
      d = static_cast<unsigned>(c - 'A') + 10;
    } else {
      return false;
    }
    value = value * base + d;
  }
  return true;
}

char named_entity(std::string_view name) {
  constexpr std::pair<std::string_view, char> kNamed[] = {
      {"lt", '<'}, {"gt", '>'}, {"amp", '&'}, {"quot", '"'}, {"apos", '\''}};
  for (const auto& [n, c] : kNamed) {
    if (n == name) return c;
  }
  return '\0';
}

void append_entity_decoded(std::string& out, std::string_view raw) {
  std::size_t i = 0;
  while (i < raw.size()) {
    const std::size_t amp = raw.find('&', i);
    const std::size_t semi = amp == std::string_view::npos ? amp : raw.find(';', amp);
    if (semi == std::string_view::npos || semi - amp > 12) {
      // No entity left (or an unterminated one): keep the rest verbatim.
      const std::size_t end = amp == std::string_view::npos ? raw.size() : amp + 1;
      out.append(raw.substr(i, end - i));
      i = end;
      continue;
    }
    out.append(raw.substr(i, amp - i));
    const std::string_view name = raw.substr(amp + 1, semi - amp - 1);
    std::uint32_t cp = 0;
    if (const char named = named_entity(name); named != '\0') {
      out.push_back(named);
    } else if (name.size() > 2 && (name[1] == 'x' || name[1] == 'X') && name[0] == '#' &&
               parse_number(name.substr(2), 16, cp)) {
      append_utf8(out, cp == 0 ? 0xFFFD : cp);
    } else if (name.size() > 1 && name[0] == '#' && parse_number(name.substr(1), 10, cp)) {
      append_utf8(out, cp == 0 ? 0xFFFD : cp);
    } else {
      out.append(raw.substr(amp, semi - amp + 1));  // unknown entity: leave it readable
    }
    i = semi + 1;
  }
}

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

std::string_view read_name(std::string_view s, std::size_t& pos) {
  const std::size_t start = pos;
  while (pos < s.size() && !is_space(s[pos]) && s[pos] != '/' && s[pos] != '>' && s[pos] != '=') {
    ++pos;
  }
  return s.substr(start, pos - start);
}

void skip_space(std::string_view s, std::size_t& pos) {
  while (pos < s.size() && is_space(s[pos])) ++pos;
}

// `pos` is at '<' of a start tag. On success `pos` is just past the element's end.
bool parse_element(std::string_view s, std::size_t& pos, Node& node, int depth) {
  if (depth > kMaxDepth || pos >= s.size() || s[pos] != '<') return false;
  ++pos;
  node.name = read_name(s, pos);
  if (node.name.empty()) return false;
  for (;;) {  // attributes
    skip_space(s, pos);
    if (pos >= s.size()) return false;
    if (s[pos] == '>') {
      ++pos;
      break;
    }
    if (s[pos] == '/') {
      if (pos + 1 >= s.size() || s[pos + 1] != '>') return false;
      pos += 2;
      return true;
    }
    const std::string_view key = read_name(s, pos);
    skip_space(s, pos);
    if (key.empty() || pos >= s.size() || s[pos] != '=') return false;
    ++pos;
    skip_space(s, pos);
    if (pos >= s.size() || (s[pos] != '"' && s[pos] != '\'')) return false;
    const std::size_t close = s.find(s[pos], pos + 1);
    if (close == std::string_view::npos) return false;
    std::string value;
    append_entity_decoded(value, s.substr(pos + 1, close - pos - 1));
    node.attrs.emplace_back(key, std::move(value));
    pos = close + 1;
  }
  for (;;) {  // content
    const std::size_t lt = s.find('<', pos);
    if (lt == std::string_view::npos) return false;  // truncated
    append_entity_decoded(node.text, s.substr(pos, lt - pos));
    pos = lt;
    const std::string_view rest = s.substr(pos);
    if (rest.starts_with("</")) {
      pos += 2;
      if (read_name(s, pos) != node.name) return false;
      skip_space(s, pos);
      if (pos >= s.size() || s[pos] != '>') return false;
      ++pos;
      return true;
    }
    const bool cdata = rest.starts_with("<![CDATA[");
    if (cdata || rest.starts_with("<!--") || rest.starts_with("<?")) {
      // Comments and processing instructions are skipped; CDATA is literal text.
      const std::size_t open = cdata ? 9 : rest[1] == '?' ? 2 : 4;
      const std::string_view close = cdata ? "]]>" : rest[1] == '?' ? "?>" : "-->";
      const std::size_t end = s.find(close, pos + open);
      if (end == std::string_view::npos) return false;
      if (cdata) node.text.append(s.substr(pos + open, end - pos - open));
      pos = end + close.size();
    } else {
      node.children.emplace_back();
      if (!parse_element(s, pos, node.children.back(), depth + 1)) return false;
    }
  }
}

// PowerShell's serializer writes characters XML cannot carry (CR, LF, ESC...) and a literal
// "_x" as _xHHHH_ (UTF-16 code unit), like XmlConvert.EncodeName: "_x000D__x000A_" is CRLF,
// "_x005F_" is '_'.
std::string unescape_ps(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  std::size_t i = 0;
  std::uint32_t unit = 0;
  const auto escape_at = [&](std::size_t at, std::uint32_t& u) {
    return at + 7 <= s.size() && s[at] == '_' && s[at + 1] == 'x' && s[at + 6] == '_' &&
           parse_number(s.substr(at + 2, 4), 16, u);
  };
  while (i < s.size()) {
    if (!escape_at(i, unit)) {
      out.push_back(s[i++]);
      continue;
    }
    i += 7;
    std::uint32_t low = 0;
    if (unit >= 0xD800 && unit <= 0xDBFF && escape_at(i, low) && low >= 0xDC00 && low <= 0xDFFF) {
      unit = 0x10000 + ((unit - 0xD800) << 10U) + (low - 0xDC00);
      i += 7;
    }
    append_utf8(out, unit);  // a lone surrogate becomes U+FFFD there
  }
  return out;
}

// The first <S N="Message"> (exception) or <S N="MessageData"> (information) in document order.
const std::string* find_message(const Node& node) {
  for (const Node& c : node.children) {
    if (c.name == "S" && (c.attr("N") == "Message" || c.attr("N") == "MessageData")) return &c.text;
    if (const std::string* found = find_message(c)) return found;
  }
  return nullptr;
}

// Text of an <Obj> record: its ToString, else the exception / information message.
const std::string* object_message(const Node& obj) {
  for (const Node& c : obj.children) {
    if (c.name == "ToString") return &c.text;
  }
  return find_message(obj);
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// Appends the readable text of one <Objs> block. Each <S S="Error"> is a fragment of what the
// host would have printed (5.1 even splits at the console width), so consecutive fragments of a
// stream are concatenated; a new record starts on a new line. Warning/verbose/debug get the
// prefix the console host shows, so they cannot be mistaken for errors.
void render_objs(const Node& objs, std::string& out) {
  std::string last_stream;
  for (const Node& c : objs.children) {
    const bool fragment = c.name == "S";
    if (!fragment && c.name != "Obj") continue;
    const std::string stream = lower(c.attr("S"));
    if (stream == "progress") continue;
    const std::string* raw = fragment ? &c.text : object_message(c);
    if (raw == nullptr) continue;
    const bool continues = fragment && stream == last_stream && !out.empty() && out.back() != '\n';
    if (!continues) {
      if (!out.empty() && out.back() != '\n') out.push_back('\n');
      if (stream == "warning") out.append("WARNING: ");
      if (stream == "verbose") out.append("VERBOSE: ");
      if (stream == "debug") out.append("DEBUG: ");
    }
    out.append(unescape_ps(*raw));
    last_stream = fragment ? stream : std::string();
  }
  if (!out.empty() && out.back() != '\n') out.push_back('\n');
}

// Plain text with every "#< CLIXML" marker removed (with its line break when it is a line).
void append_plain(std::string& out, std::string_view text) {
  for (;;) {
    const std::size_t m = text.find(kMarker);
    if (m == std::string_view::npos) break;
    out.append(text.substr(0, m));
    text.remove_prefix(m + kMarker.size());
    if (out.empty() || out.back() == '\n') {
      if (text.starts_with("\r\n")) {
        text.remove_prefix(2);
      } else if (text.starts_with("\n")) {
        text.remove_prefix(1);
      }
    }
  }
  out.append(text);
}

std::size_t find_objs(std::string_view s, std::size_t from) {
  for (std::size_t p = s.find("<Objs", from); p != std::string_view::npos;
       p = s.find("<Objs", p + 1)) {
    if (p + 5 < s.size() && (is_space(s[p + 5]) || s[p + 5] == '>')) return p;
  }
  return std::string_view::npos;
}

// CRLF to LF, terminal escape sequences removed (pwsh 7 colours its error view even when
// stderr is redirected), whitespace at line ends and trailing blank lines dropped.
std::string finish(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\r' && i + 1 < s.size() && s[i + 1] == '\n') continue;
    if (s[i] == '\n') {
      // 5.1 pads wrapped lines and ends every error with a " " line; spaces at a line end only
      // make the text harder to compare and read. A CR there is not part of this line break
      // (CR CR LF from a text-mode writer, a CR before padding): kept, it would make a CRLF.
      while (!out.empty() && (out.back() == ' ' || out.back() == '\t' || out.back() == '\r')) {
        out.pop_back();
      }
    }
    if (s[i] != '\x1B') {
      out.push_back(s[i]);
      continue;
    }
    if (i + 1 < s.size() && s[i + 1] == '[') {  // CSI: parameters, then a final byte @..~
      i += 2;
      while (i < s.size() && (s[i] < '@' || s[i] > '~')) ++i;
    } else if (i + 1 < s.size() && s[i + 1] == ']') {  // OSC: up to BEL or ESC '\'
      i += 2;
      while (i < s.size() && s[i] != '\a' && s[i] != '\x1B') ++i;
      if (i < s.size() && s[i] == '\x1B') ++i;
    } else {
      ++i;  // two-character escape
    }
  }
  while (!out.empty() && is_space(out.back())) out.pop_back();
  return out;
}

}  // namespace

std::string decode_clixml(std::string_view stderr_text) {
  if (stderr_text.starts_with(kBom)) stderr_text.remove_prefix(kBom.size());
  // Only text that announced CLIXML is parsed: a plain message mentioning "<Objs" stays as is.
  if (stderr_text.find(kMarker) == std::string_view::npos) return finish(stderr_text);
  std::string out;
  std::size_t pos = 0;
  while (pos < stderr_text.size()) {
    const std::size_t start = find_objs(stderr_text, pos);
    append_plain(out,
                 stderr_text.substr(pos, start == std::string_view::npos ? start : start - pos));
    if (start == std::string_view::npos) break;
    Node root;
    std::size_t end = start;
    if (!parse_element(stderr_text, end, root, 0)) {
      // Truncated or not XML after all: show it raw rather than lose the message.
      append_plain(out, stderr_text.substr(start));
      break;
    }
    std::string block;
    render_objs(root, block);
    if (!block.empty() && !out.empty() && out.back() != '\n') out.push_back('\n');
    out.append(block);
    // The block's text already ends its line; the break after </Objs> would add a blank one.
    if (stderr_text.substr(end).starts_with("\r\n")) {
      end += 2;
    } else if (stderr_text.substr(end).starts_with("\n")) {
      end += 1;
    }
    pos = end;
  }
  return finish(out);
}

}  // namespace nestvirt::powershell
