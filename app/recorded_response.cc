#include "app/recorded_response.h"

#include <array>
#include <vector>

#include "model/ascii.h"
#include "parsers/html_text.h"

namespace jobtrawl::app {
namespace {

std::vector<std::string_view> Lines(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    size_t eol = text.find('\n');
    std::string_view line = text.substr(0, eol);
    if (line.ends_with('\r')) line.remove_suffix(1);
    lines.push_back(line);
    if (eol == std::string_view::npos) break;
    text.remove_prefix(eol + 1);
  }
  return lines;
}

size_t Indent(std::string_view line) {
  size_t n = 0;
  while (n < line.size() && line[n] == ' ') ++n;
  return n;
}

std::string Base64Decode(std::string_view text) {
  static const std::array<int, 256> kTable = [] {
    std::array<int, 256> t{};
    t.fill(-1);
    constexpr std::string_view kAlphabet =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (size_t i = 0; i < kAlphabet.size(); ++i) t[static_cast<unsigned char>(kAlphabet[i])] = static_cast<int>(i);
    return t;
  }();
  std::string out;
  unsigned buffer = 0;
  int bits = 0;
  for (char c : text) {
    int v = kTable[static_cast<unsigned char>(c)];
    if (v < 0) continue;  // whitespace, line breaks, padding
    buffer = (buffer << 6) | static_cast<unsigned>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((buffer >> bits) & 0xFF));
    }
  }
  return out;
}

// A YAML scalar starting at lines[i] after `key:` (the text after the
// colon is `rest`): plain, '...' or "..." (folded over lines), or a
// block (| or >) of the lines indented deeper than `indent`.
std::string Scalar(const std::vector<std::string_view>& lines, size_t i, std::string_view rest,
                   size_t indent, bool& binary) {
  rest = ascii::TrimLeft(rest, ascii::IsBlank);
  binary = false;
  while (rest.starts_with('!')) {  // tags: "!binary", "!"
    size_t end = rest.find(' ');
    binary = binary || rest.starts_with("!binary");
    rest = end == std::string_view::npos ? std::string_view() : ascii::TrimLeft(rest.substr(end), ascii::IsBlank);
  }
  if (rest.empty() || rest.front() == '|' || rest.front() == '>') {
    const bool literal = rest.empty() || rest.front() == '|';
    std::string out;
    for (size_t k = i + 1; k < lines.size(); ++k) {
      if (!lines[k].empty() && Indent(lines[k]) <= indent) break;
      std::string_view l = lines[k].size() > indent ? ascii::TrimLeft(lines[k], ascii::IsBlank) : std::string_view();
      if (!out.empty()) out += literal ? '\n' : ' ';
      out += l;
    }
    return out;
  }
  const char quote = rest.front();
  if (quote != '\'' && quote != '"') return std::string(rest);
  // Quoted: the text runs on over following lines; a line break folds to a
  // space, an empty line to a newline.
  std::string text(rest.substr(1));
  for (size_t k = i + 1; k < lines.size(); ++k) {
    text += '\n';
    text += lines[k];
  }
  std::string out;
  for (size_t p = 0; p < text.size(); ++p) {
    char c = text[p];
    if (c == quote) {
      if (quote == '\'' && p + 1 < text.size() && text[p + 1] == '\'') {
        out.push_back('\'');
        ++p;
        continue;
      }
      break;
    }
    if (c == '\n') {
      while (!out.empty() && out.back() == ' ') out.pop_back();
      size_t q = p + 1;
      int breaks = 0;
      while (q < text.size() && (text[q] == ' ' || text[q] == '\t' || text[q] == '\n')) {
        if (text[q] == '\n') ++breaks;
        ++q;
      }
      out += breaks > 0 ? std::string(static_cast<size_t>(breaks), '\n') : " ";
      p = q - 1;
      continue;
    }
    if (quote == '"' && c == '\\' && p + 1 < text.size()) {
      char e = text[++p];
      static constexpr std::pair<char, char> kEscapes[] = {
          {'n', '\n'}, {'t', '\t'}, {'r', '\r'}, {'0', '\0'}, {'"', '"'}, {'\\', '\\'}, {'/', '/'}, {' ', ' '}};
      bool done = false;
      for (auto [k, v] : kEscapes) {
        if (e == k) {
          out.push_back(v);
          done = true;
        }
      }
      if (done) continue;
      if (e == '\n') {  // an escaped line break joins the lines
        while (p + 1 < text.size() && (text[p + 1] == ' ' || text[p + 1] == '\t')) ++p;
        continue;
      }
      size_t digits = e == 'x' ? 2 : e == 'u' ? 4 : e == 'U' ? 8 : 0;
      if (digits > 0 && p + digits < text.size()) {
        unsigned cp = 0;
        try {
          cp = static_cast<unsigned>(std::stoul(text.substr(p + 1, digits), nullptr, 16));
        } catch (const std::exception&) {
        }
        parsers::AppendUtf8(out, static_cast<char32_t>(cp));
        p += digits;
        continue;
      }
      out.push_back(e);
      continue;
    }
    out.push_back(c);
  }
  return out;
}

std::optional<RecordedResponse> ReadCassette(std::string_view bytes) {
  const std::vector<std::string_view> lines = Lines(bytes);
  RecordedResponse r;
  bool in_response = false, in_body = false, want_type = false;
  size_t body_indent = 0;
  for (size_t i = 0; i < lines.size(); ++i) {
    std::string_view l = ascii::TrimLeft(lines[i], ascii::IsBlank);
    const size_t indent = Indent(lines[i]);
    if (!in_response && l.starts_with("uri:") && r.url.empty()) {
      bool binary = false;
      r.url = Scalar(lines, i, l.substr(4), indent, binary);
    } else if (l.starts_with("response:")) {
      in_response = true;
    } else if (in_response && want_type && l.starts_with("- ")) {
      bool binary = false;
      r.content_type = Scalar(lines, i, l.substr(2), indent, binary);
      want_type = false;
    } else if (in_response && l.starts_with("Content-Type:")) {
      want_type = true;
    } else if (in_response && l.starts_with("body:")) {
      in_body = true;
      body_indent = indent;
    } else if (in_body && indent > body_indent && l.starts_with("string:")) {
      bool binary = false;
      std::string value = Scalar(lines, i, l.substr(7), indent, binary);
      r.body = binary ? Base64Decode(value) : std::move(value);
      return r;
    }
  }
  return std::nullopt;
}

std::optional<RecordedResponse> ReadJsModule(std::string_view bytes) {
  // "exports.input = <value>" or "module.exports = <value>": the first one.
  size_t at = bytes.find("exports.");
  size_t module = bytes.find("module.exports");
  if (module != std::string_view::npos && (at == std::string_view::npos || module < at)) at = module;
  if (at == std::string_view::npos) return std::nullopt;
  size_t eq = bytes.find('=', at);
  if (eq == std::string_view::npos) return std::nullopt;
  std::string_view value = bytes.substr(eq + 1);
  // It ends where the module's next export starts.
  if (size_t next = value.find("\nexports."); next != std::string_view::npos) value = value.substr(0, next);
  if (size_t next = value.find("\nmodule.exports"); next != std::string_view::npos) value = value.substr(0, next);
  return RecordedResponse{.body = std::string(value)};
}

}  // namespace

std::optional<RecordedResponse> ReadRecording(std::string_view bytes) {
  std::string_view head = bytes.substr(0, 512);
  if (head.find("http_interactions:") != std::string_view::npos) return ReadCassette(bytes);
  std::string_view start = ascii::TrimLeft(head, ascii::IsBlank);
  if (start.starts_with("/*") || start.starts_with("//") || start.starts_with("exports.") ||
      start.starts_with("module.exports") || start.starts_with("\"use strict\"")) {
    if (head.find("exports") != std::string_view::npos) return ReadJsModule(bytes);
  }
  return std::nullopt;
}

}  // namespace jobtrawl::app
