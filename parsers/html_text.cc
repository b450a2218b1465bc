#include "parsers/html_text.h"

#include "model/ascii.h"
#include "parsers/charset.h"
#include "parsers/named_references.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace jobtrawl::parsers {
namespace {

// HTML's remapping of numeric references 0x80-0x9F (windows-1252).
constexpr std::array<char32_t, 32> kC1 = {
    0x20AC, 0x81,   0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0x8D,   0x017D, 0x8F,   0x90,   0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D,   0x017E, 0x0178};

// Decodes the reference starting at text[i] == '&' into `out` (HTML
// 13.2.5.72-80, character reference states); returns the number of bytes
// consumed, or 0 when it is not a reference and the '&' is text.
size_t DecodeOne(std::string_view text, size_t i, std::string& out, ReferenceContext where) {
  size_t j = i + 1;
  if (j < text.size() && text[j] == '#') {
    ++j;
    bool hex = j < text.size() && (text[j] == 'x' || text[j] == 'X');
    if (hex) ++j;
    std::uint32_t cp = 0;
    size_t digits = 0;
    for (; j < text.size(); ++j, ++digits) {
      char c = text[j];
      int v = (c >= '0' && c <= '9')             ? c - '0'
              : hex && (c >= 'a' && c <= 'f')    ? c - 'a' + 10
              : hex && (c >= 'A' && c <= 'F')    ? c - 'A' + 10
                                                 : -1;
      if (v < 0) break;
      if (cp < 0x110000) cp = cp * (hex ? 16 : 10) + static_cast<std::uint32_t>(v);
    }
    if (digits == 0) return 0;
    if (j < text.size() && text[j] == ';') ++j;
    if (cp >= 0x80 && cp <= 0x9F) cp = kC1[cp - 0x80];
    AppendUtf8(out, cp == 0 ? 0xFFFD : cp);  // AppendUtf8 replaces surrogates and > U+10FFFF
    return j - i;
  }
  const size_t start = j;
  while (j < text.size() && ascii::IsAlnum(text[j]) && j - start < kMaxNamedReferenceLength + 1) ++j;
  const std::string_view run = text.substr(start, j - start);
  if (run.empty()) return 0;
  auto emit = [&out](const NamedReference& r) {
    AppendUtf8(out, r.first);
    if (r.second != 0) AppendUtf8(out, r.second);
  };
  if (j < text.size() && text[j] == ';') {
    if (const NamedReference* r = FindNamedReference(run)) {
      emit(*r);
      return j + 1 - i;
    }
  }
  // No ";" after the name: the longest legacy name the run starts with
  // ("&notin" is "not" then "in"). In an attribute value one followed by '='
  // or an alphanumeric stays as written, for URLs' sake ("?a=1&copy=2").
  for (size_t n = std::min(run.size(), kMaxLegacyNameLength); n >= 2; --n) {
    const NamedReference* r = FindNamedReference(run.substr(0, n));
    if (r == nullptr || !r->legacy) continue;
    const size_t end = start + n;
    if (where == ReferenceContext::kAttribute && end < text.size() &&
        (text[end] == '=' || ascii::IsAlnum(text[end]))) {
      return 0;
    }
    emit(*r);
    return end - i;
  }
  return 0;
}

// What an element does to the text around it.
enum class Flow : char {
  kNone,
  kSpace,      // table cells: a space between them
  kLine,       // a line break
  kParagraph,  // a blank line
  kItem,       // a new line starting with "- "
  kBreak,      // <br>: a line break of its own, however many follow
};

struct BlockTag {
  std::string_view name;
  Flow open;
  Flow close;
};

constexpr std::array kBlockTags = std::to_array<BlockTag>({
    {"address", Flow::kLine, Flow::kLine},           {"article", Flow::kParagraph, Flow::kParagraph},
    {"aside", Flow::kParagraph, Flow::kParagraph},   {"blockquote", Flow::kParagraph, Flow::kParagraph},
    {"br", Flow::kBreak, Flow::kNone},               {"dd", Flow::kLine, Flow::kLine},
    {"div", Flow::kLine, Flow::kLine},               {"dl", Flow::kParagraph, Flow::kParagraph},
    {"dt", Flow::kLine, Flow::kLine},                {"footer", Flow::kParagraph, Flow::kParagraph},
    {"h1", Flow::kParagraph, Flow::kParagraph},      {"h2", Flow::kParagraph, Flow::kParagraph},
    {"h3", Flow::kParagraph, Flow::kParagraph},      {"h4", Flow::kParagraph, Flow::kParagraph},
    {"h5", Flow::kParagraph, Flow::kParagraph},      {"h6", Flow::kParagraph, Flow::kParagraph},
    {"header", Flow::kParagraph, Flow::kParagraph},  {"hr", Flow::kParagraph, Flow::kNone},
    {"li", Flow::kItem, Flow::kLine},                {"ol", Flow::kParagraph, Flow::kParagraph},
    {"p", Flow::kParagraph, Flow::kParagraph},       {"pre", Flow::kParagraph, Flow::kParagraph},
    {"section", Flow::kParagraph, Flow::kParagraph}, {"table", Flow::kParagraph, Flow::kParagraph},
    {"td", Flow::kSpace, Flow::kSpace},              {"th", Flow::kSpace, Flow::kSpace},
    {"tr", Flow::kLine, Flow::kLine},                {"ul", Flow::kParagraph, Flow::kParagraph},
});

// Builds the text: words are appended whole, and what lies between them
// (spaces, line and paragraph breaks, list items) is decided once, when the
// next word arrives. Adjacent block boundaries take the stronger one
// (</p><p> is one blank line), while each <br> counts on its own. For
// Markdown, inline marks open before the next word and close after the
// last one, and list items are indented by nesting and numbered in <ol>.
class TextBuilder {
 public:
  TextBuilder(size_t capacity, bool markdown) : markdown_(markdown) { out_.reserve(capacity); }

  void Apply(Flow f) {
    switch (f) {
      case Flow::kNone: break;
      case Flow::kSpace: space_ = true; break;
      case Flow::kLine: block_ = std::max(block_, 1); break;
      case Flow::kParagraph: block_ = 2; break;
      case Flow::kItem:
        block_ = std::max(block_, 1);
        item_ = true;
        break;
      case Flow::kBreak: ++breaks_; break;
    }
  }
  void Space() { space_ = true; }

  // Markdown: a mark ("**", "[", "## ") written before the next word.
  void Open(std::string_view mark) {
    pending_ += mark;
    words_since_open_ = 0;
  }
  // Markdown: the closing mark, after the last word; dropped with its
  // opening when no word came between them.
  void Close(std::string_view open_mark, std::string_view close_mark) {
    if (words_since_open_ == 0 && pending_.ends_with(open_mark)) {
      pending_.resize(pending_.size() - open_mark.size());
      return;
    }
    if (!out_.empty()) out_.append(close_mark);
  }
  void StartList(bool ordered) { lists_.push_back(ordered ? 1 : 0); }
  void EndList() {
    if (!lists_.empty()) lists_.pop_back();
  }
  size_t list_depth() const { return lists_.size(); }

  // `word` holds no white space.
  void Word(std::string_view word) {
    if (!out_.empty()) {
      int newlines = std::min(2, std::max(block_, breaks_));
      if (markdown_ && newlines == 1 && breaks_ > 0 && block_ == 0) {
        out_.append("\\\n");  // a hard line break
      } else if (newlines > 0) {
        out_.append(static_cast<size_t>(newlines), '\n');
      } else if (space_) {
        out_.push_back(' ');
      }
    }
    if (item_) {
      if (!markdown_ || lists_.empty()) {
        out_.append("- ");
      } else {
        // Indentation stops deepening past kMaxIndent levels: a page of
        // 50,000 nested lists would otherwise write output quadratic in size.
        out_.append(2 * std::min(lists_.size() - 1, kMaxIndent), ' ');
        if (lists_.back() > 0) {
          out_.append(std::to_string(lists_.back()++)).append(". ");
        } else {
          out_.append("- ");
        }
      }
    }
    block_ = breaks_ = 0;
    item_ = space_ = false;
    out_.append(pending_);
    pending_.clear();
    ++words_since_open_;
    if (markdown_) {
      AppendEscaped(word);
    } else {
      out_.append(word);
    }
  }

  std::string Take() { return std::move(out_); }

 private:
  // Characters that would read as Markdown syntax are escaped.
  void AppendEscaped(std::string_view word) {
    for (char c : word) {
      if (c == '\\' || c == '*' || c == '_' || c == '[' || c == ']' || c == '`') out_.push_back('\\');
      out_.push_back(c);
    }
  }

  static constexpr size_t kMaxIndent = 16;
  const bool markdown_;
  std::string out_;
  std::string pending_;        // marks to write before the next word
  int words_since_open_ = 0;
  std::vector<int> lists_;     // open lists, innermost last: 0 unordered, else the next number
  int block_ = 0;   // strongest block boundary since the last word: 1 line, 2 paragraph
  int breaks_ = 0;  // <br> (and, in plain text, newlines) since the last word
  bool item_ = false;
  bool space_ = false;
};

// What one scan writes to: a plain-text builder, a Markdown builder, or
// both. A description needs both, and one scan of its markup gives each
// builder exactly the calls a scan of its own would.
class Outputs {
 public:
  Outputs(TextBuilder* text, TextBuilder* markdown) : text_(text), markdown_(markdown) {}

  void Apply(Flow f) { Each([f](TextBuilder& b) { b.Apply(f); }); }
  void Space() { Each([](TextBuilder& b) { b.Space(); }); }
  void Word(std::string_view word) { Each([word](TextBuilder& b) { b.Word(word); }); }
  void StartList(bool ordered) { Each([ordered](TextBuilder& b) { b.StartList(ordered); }); }
  void EndList() { Each([](TextBuilder& b) { b.EndList(); }); }
  size_t list_depth() const { return (text_ != nullptr ? text_ : markdown_)->list_depth(); }
  TextBuilder* markdown() const { return markdown_; }

 private:
  template <typename F>
  void Each(F f) {
    if (text_ != nullptr) f(*text_);
    if (markdown_ != nullptr) f(*markdown_);
  }
  TextBuilder* const text_;
  TextBuilder* const markdown_;
};

// Byte classes for the text scanner.
enum : unsigned char { kPlain, kWhite, kNewline, kMarkup, kLead };
constexpr std::array<unsigned char, 256> kByteClass = [] {
  std::array<unsigned char, 256> t{};
  for (unsigned char c : {' ', '\t', '\f'}) t[c] = kWhite;
  t['\n'] = t['\r'] = kNewline;
  t['<'] = t['&'] = kMarkup;
  t[0xC2] = kLead;  // may start U+00A0, a no-break space
  return t;
}();

// The '>' that ends a tag whose name ends at `from`: the first one outside
// an attribute's quoted value, before any other '<' outside one ("<a few
// ms" or "<a few ms</p>" has none, so its '<' is text, where HTML's
// tokenizer would take the rest for the tag); npos when there is none. A
// quote opens a value only after '=' (HTML 13.2.5.36), so "it's" in text
// opens none, and a value may hold '<' and '>' (`alt="5 < 6"`). Each scan
// ends at the next '<' outside a value or at its value's closing quote, so
// the scans of a text together read it about once.
size_t TagEnd(std::string_view s, size_t from) {
  char quote = 0;
  char last = 0;  // the last character outside a value that is not a blank
  for (size_t j = from; j < s.size(); ++j) {
    const char d = s[j];
    if (quote) {
      if (d == quote) quote = 0;
      continue;
    }
    if (d == '<') return std::string_view::npos;
    if (d == '>') return j;
    if ((d == '"' || d == '\'') && last == '=') {
      quote = d;
    } else if (!ascii::IsSpace(d)) {
      last = d;
    }
  }
  return std::string_view::npos;
}

// Are `attrs` (what stands between a tag's name and its '>') attributes as
// markup writes them: each `name=value` (quoted, or unquoted without
// blanks) or a boolean attribute of HTML by its name ("<td nowrap>"),
// then perhaps a "/"? Words are not: "<a few ms>" is text that names no
// attributes (HTML 13.1.2.3 allows them, markup does not write them).
bool RealAttributes(std::string_view attrs) {
  static constexpr std::string_view kBoolean[] = {
      "allowfullscreen", "async",  "autofocus", "autoplay", "checked",  "compact", "controls", "default",
      "defer",           "disabled", "hidden",  "itemscope", "loop",    "multiple", "muted",   "noshade",
      "novalidate",      "nowrap", "open",      "readonly", "required", "reversed", "selected"};
  size_t i = 0;
  const auto blank = [&] {
    while (i < attrs.size() && ascii::IsSpace(attrs[i])) ++i;
  };
  blank();
  while (i < attrs.size()) {
    if (attrs[i] == '/') {
      ++i;
      blank();
      return i == attrs.size();
    }
    const size_t name = i;
    while (i < attrs.size() && (ascii::IsAlnum(attrs[i]) || attrs[i] == '-' || attrs[i] == '_' || attrs[i] == ':' ||
                                attrs[i] == '.' || attrs[i] == '@')) {
      ++i;
    }
    if (i == name) return false;
    const std::string_view attr = attrs.substr(name, i - name);
    blank();
    if (i < attrs.size() && attrs[i] == '=') {
      ++i;
      blank();
      if (i >= attrs.size()) return false;
      if (attrs[i] == '"' || attrs[i] == '\'') {
        const size_t end = attrs.find(attrs[i], i + 1);
        if (end == std::string_view::npos) return false;
        i = end + 1;
      } else {
        const size_t value = i;
        while (i < attrs.size() && !ascii::IsSpace(attrs[i]) && attrs[i] != '"' && attrs[i] != '\'' &&
               attrs[i] != '`' && attrs[i] != '=') {
          ++i;
        }
        if (i == value) return false;
      }
      if (i < attrs.size() && !ascii::IsSpace(attrs[i]) && attrs[i] != '/') return false;
    } else if (std::find(std::begin(kBoolean), std::end(kBoolean), ascii::ToLower(attr)) == std::end(kBoolean) &&
               !attr.starts_with("data-")) {
      return false;
    }
    blank();
  }
  return true;
}

// The elements of HTML (WHATWG's index of elements) and the obsolete ones
// descriptions still hold.
bool IsHtmlElement(std::string_view name) {
  static constexpr std::string_view kElements[] = {
      "a",        "abbr",     "acronym",  "address",  "area",     "article",  "aside",    "audio",    "b",
      "base",     "bdi",      "bdo",      "big",      "blockquote", "body",   "br",       "button",   "canvas",
      "caption",  "center",   "cite",     "code",     "col",      "colgroup", "data",     "datalist", "dd",
      "del",      "details",  "dfn",      "dialog",   "dir",      "div",      "dl",       "dt",       "em",
      "embed",    "fieldset", "figcaption", "figure", "font",     "footer",   "form",     "h1",       "h2",
      "h3",       "h4",       "h5",       "h6",       "head",     "header",   "hgroup",   "hr",       "html",
      "i",        "iframe",   "img",      "input",    "ins",      "kbd",      "label",    "legend",   "li",
      "link",     "main",     "map",      "mark",     "math",     "menu",     "meta",     "meter",    "nav",
      "nobr",     "noscript", "object",   "ol",       "optgroup", "option",   "output",   "p",        "param",
      "picture",  "pre",      "progress", "q",        "rp",       "rt",       "ruby",     "s",        "samp",
      "script",   "search",   "section",  "select",   "slot",     "small",    "source",   "span",     "strike",
      "strong",   "style",    "sub",      "summary",  "sup",      "svg",      "table",    "tbody",    "td",
      "template", "textarea", "tfoot",    "th",       "thead",    "time",     "title",    "tr",       "track",
      "tt",       "u",        "ul",       "var",      "video",    "wbr"};
  return std::find(std::begin(kElements), std::end(kElements), name) != std::end(kElements);
}

// Is `word` the start of an attribute markup writes ("cla" of "class")?
bool AttributeStart(std::string_view word) {
  static constexpr std::string_view kAttributes[] = {
      "accept",  "action",   "align",    "alt",      "aria-",       "bgcolor", "border",   "cellpadding",
      "cellspacing", "charset", "class", "colspan",  "content",     "data-",   "datetime", "dir",
      "download", "for",     "frameborder", "headers", "height",     "href",    "hreflang", "id",
      "itemprop", "itemtype", "lang",    "loading",  "media",       "method",  "name",     "onclick",
      "onload",  "rel",      "role",     "rows",     "rowspan",     "scope",   "sizes",    "span",
      "src",     "srcset",   "start",    "style",    "tabindex",    "target",  "title",    "type",
      "valign",  "value",    "width",    "xmlns"};
  return !word.empty() && std::any_of(std::begin(kAttributes), std::end(kAttributes), [word](std::string_view a) {
    return a.starts_with(word) || (a.ends_with('-') && word.starts_with(a));
  });
}

// Is `rest`, all that follows the tag name `name` (lower case) to the end of
// the input, a tag cut off by the input's end? Only what looks like a tag
// is: an element's name ("<p", "</div"), perhaps with attributes as markup
// writes them, the last perhaps cut in its name, after its "=" or in its
// quoted value ("<div cla", "<a href=", "<a href=\"https://x.ex"), or any
// name with an attribute given a value ("<my-card data-id=\"4"). Other text
// is text: "x<y", "Latency of <a few" (words are no attributes). The
// one-letter elements still read as tags: "<b" at the end is as likely cut
// markup as a comparison.
bool TruncatedTag(std::string_view name, std::string_view rest) {
  if (rest.find('<') != std::string_view::npos) return false;
  const auto attributes = [](std::string_view attrs) {
    if (RealAttributes(attrs)) return true;
    for (const char quote : {'"', '\''}) {
      if (std::count(attrs.begin(), attrs.end(), quote) % 2 == 1 && RealAttributes(std::string(attrs) + quote)) {
        return true;
      }
    }
    return false;
  };
  const bool element = IsHtmlElement(name);
  if (attributes(rest)) return element || rest.find('=') != std::string_view::npos;
  if (!element) return false;
  // The last attribute cut in its name or after its "=".
  const size_t blank = rest.find_last_of(" \t\n\r\f");
  if (blank == std::string_view::npos) return false;
  std::string_view last = rest.substr(blank + 1);
  if (last.ends_with('=')) last.remove_suffix(1);
  return AttributeStart(ascii::ToLower(last)) && RealAttributes(rest.substr(0, blank + 1));
}

// Does `s` hold markup: a comment or declaration, or a tag with its end
// (TagEnd)? Text that merely has a '<' before a letter ("<a few ms") is not.
bool LooksLikeMarkup(std::string_view s) {
  for (size_t i = s.find('<'); i != std::string_view::npos; i = s.find('<', i + 1)) {
    const char next = i + 1 < s.size() ? s[i + 1] : '\0';
    if (next == '!') return true;
    size_t j = i + 1 + (next == '/' ? 1 : 0);
    const size_t name = j;
    while (j < s.size() && (ascii::IsAlnum(s[j]) || s[j] == '-' || s[j] == ':')) ++j;
    if (j > name && ascii::IsAlpha(s[name]) && TagEnd(s, j) != std::string_view::npos) return true;
  }
  return false;
}

bool IsRawTextElement(std::string_view name) {
  return name == "script" || name == "style" || name == "template" || name == "noscript" ||
         name == "iframe" || name == "svg" || name == "head" || name == "title";
}

// Finds "</name" (ASCII case-insensitive) at or after `from`; npos if none.
size_t FindClosingTag(std::string_view html, size_t from, std::string_view name) {
  for (size_t i = html.find("</", from); i != std::string_view::npos; i = html.find("</", i + 2)) {
    if (i + 2 + name.size() > html.size()) return std::string_view::npos;
    bool same = true;
    for (size_t k = 0; k < name.size() && same; ++k) same = ascii::ToLower(html[i + 2 + k]) == name[k];
    if (same) return i;
  }
  return std::string_view::npos;
}

}  // namespace

void AppendUtf8(std::string& out, char32_t cp) {
  if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

std::string DecodeEntities(std::string_view text, ReferenceContext where) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    size_t amp = text.find('&', i);
    if (amp == std::string_view::npos) {
      out.append(text.substr(i));
      break;
    }
    out.append(text.substr(i, amp - i));
    size_t used = DecodeOne(text, amp, out, where);
    if (used == 0) {
      out.push_back('&');
      used = 1;
    }
    i = amp + used;
  }
  return out;
}

namespace {

// The value of attribute `name` (lower-case) in a start tag's attribute text.
std::string_view TagAttribute(std::string_view attrs, std::string_view name) {
  for (size_t i = 0; i + name.size() < attrs.size(); ++i) {
    bool same = true;
    for (size_t k = 0; k < name.size() && same; ++k) same = ascii::ToLower(attrs[i + k]) == name[k];
    if (!same || (i > 0 && !ascii::IsSpace(attrs[i - 1]))) continue;
    size_t j = i + name.size();
    while (j < attrs.size() && ascii::IsSpace(attrs[j])) ++j;
    if (j >= attrs.size() || attrs[j] != '=') continue;
    ++j;
    while (j < attrs.size() && ascii::IsSpace(attrs[j])) ++j;
    if (j < attrs.size() && (attrs[j] == '"' || attrs[j] == '\'')) {
      size_t end = attrs.find(attrs[j], j + 1);
      return attrs.substr(j + 1, end == std::string_view::npos ? std::string_view::npos : end - j - 1);
    }
    size_t end = j;
    while (end < attrs.size() && !ascii::IsSpace(attrs[end]) && attrs[end] != '>') ++end;
    return attrs.substr(j, end - j);
  }
  return {};
}

// The Markdown written for an inline element: bold, italics, code, links.
void MarkdownInline(TextBuilder& text, std::string_view name, bool closing, std::string_view attrs,
                    std::vector<std::string>& hrefs) {
  if (name == "strong" || name == "b") {
    closing ? text.Close("**", "**") : text.Open("**");
  } else if (name == "em" || name == "i") {
    closing ? text.Close("_", "_") : text.Open("_");
  } else if (name == "code") {
    closing ? text.Close("`", "`") : text.Open("`");
  } else if (name == "a") {
    if (!closing) {
      std::string href = DecodeEntities(TagAttribute(attrs, "href"), ReferenceContext::kAttribute);
      const bool linkable = href.starts_with("http://") || href.starts_with("https://") ||
                            href.starts_with("mailto:");
      hrefs.push_back(linkable ? href : std::string());
      if (linkable) text.Open("[");
    } else if (!hrefs.empty()) {
      std::string href = std::move(hrefs.back());
      hrefs.pop_back();
      if (!href.empty()) {
        std::string close = "](";
        for (char c : href) {
          if (c == ' ') {
            close += "%20";
          } else {
            if (c == ')' || c == '(') close.push_back('\\');
            close.push_back(c);
          }
        }
        close.push_back(')');
        text.Close("[", close);
      }
    }
  } else if (name.size() == 2 && name[0] == 'h' && name[1] >= '1' && name[1] <= '6' && !closing) {
    text.Open(std::string(static_cast<size_t>(name[1] - '0'), '#') + " ");
  }
}

void Convert(std::string_view html, Outputs text) {
  std::vector<std::string> hrefs;  // Markdown: the open links' targets
  // In markup a newline is only white space; in plain text (no tags at all)
  // it is the author's line break and is kept.
  const bool markup = LooksLikeMarkup(html);
  std::string decoded;
  // The end ("]]>") of the CDATA section being read, if any; and the first
  // "]]>" at or after the last search, so that many openers and no closer
  // do not search the rest of the text each time.
  size_t cdata_end = std::string_view::npos;
  size_t next_close = 0;
  bool close_searched = false;
  size_t i = 0;
  while (i < html.size()) {
    if (i >= cdata_end) {
      if (i == cdata_end) i += 3;
      cdata_end = std::string_view::npos;
      continue;
    }
    const unsigned char cls = kByteClass[static_cast<unsigned char>(html[i])];
    if (cls == kPlain || (cls == kLead && !(i + 1 < html.size() && html[i + 1] == '\xA0'))) {
      // A word: everything up to white space or markup, appended at once.
      size_t j = i + 1;
      while (j < html.size() && j != cdata_end) {
        unsigned char c = kByteClass[static_cast<unsigned char>(html[j])];
        if (c == kPlain || (c == kLead && !(j + 1 < html.size() && html[j + 1] == '\xA0'))) {
          ++j;
        } else {
          break;
        }
      }
      text.Word(html.substr(i, j - i));
      i = j;
      continue;
    }
    if (cls == kWhite) {
      text.Space();
      ++i;
      continue;
    }
    if (cls == kNewline) {
      if (markup) {
        text.Space();
      } else {
        // "\r\n" is one break.
        if (!(html[i] == '\n' && i > 0 && html[i - 1] == '\r')) text.Apply(Flow::kBreak);
      }
      ++i;
      continue;
    }
    if (cls == kLead) {  // U+00A0
      text.Space();
      i += 2;
      continue;
    }
    if (html[i] == '&') {
      decoded.clear();
      size_t used = DecodeOne(html, i, decoded, ReferenceContext::kText);
      if (used == 0) {
        decoded.push_back('&');  // not a reference: the '&' is text
        used = 1;
      }
      i += used;
      if (decoded == "\xC2\xA0" || decoded == "\t" || decoded == "\n") {
        text.Space();
      } else {
        text.Word(decoded);
      }
      continue;
    }
    // '<'
    if (html.substr(i, 9) == "<![CDATA[") {
      // In HTML a bogus comment; in a field it is a section escaped one level
      // deeper than its container (RSS, JSON): its content is the field's.
      i += 9;
      if (!close_searched || (next_close != std::string_view::npos && next_close < i)) {
        next_close = html.find("]]>", i);
        close_searched = true;
      }
      cdata_end = next_close;
      continue;
    }
    if (html.substr(i, 4) == "<!--") {
      size_t end = html.find("-->", i + 4);
      i = end == std::string_view::npos ? html.size() : end + 3;
      continue;
    }
    size_t j = i + 1;
    bool closing = j < html.size() && html[j] == '/';
    if (closing) ++j;
    size_t name_start = j;
    // A tag name starts with a letter (HTML 13.2.5.6): "<3 years" is text.
    if (j < html.size() && ascii::IsAlpha(html[j])) {
      while (j < html.size() && (ascii::IsAlnum(html[j]) || html[j] == '-' || html[j] == ':')) ++j;
    }
    if (j == name_start) {
      // "<" not starting a tag ("a < b", "<3 years", "<!DOCTYPE", "<?xml") is text or skipped.
      if (j < html.size() && (html[j] == '!' || html[j] == '?')) {
        size_t end = html.find('>', j);
        i = end == std::string_view::npos ? html.size() : end + 1;
      } else {
        text.Word("<");
        ++i;
      }
      continue;
    }
    char name_buf[16];
    const size_t name_len = std::min<size_t>(j - name_start, sizeof name_buf);
    for (size_t k = 0; k < name_len; ++k) name_buf[k] = ascii::ToLower(html[name_start + k]);
    const std::string_view name(name_buf, j - name_start <= sizeof name_buf ? name_len : 0);
    // Skip attributes, honouring quotes so a '>' inside a value does not end
    // the tag. A tag without its end is text: "<a few ms" (TagEnd).
    const size_t attrs_start = j;
    j = TagEnd(html, j);
    if (j == std::string_view::npos) {
      if (TruncatedTag(name, html.substr(attrs_start))) break;  // "<p", "<a href=\"https://x.ex": cut off
      text.Word("<");
      ++i;
      continue;
    }
    i = j + 1;
    if (!closing && IsRawTextElement(name)) {
      size_t end = FindClosingTag(html, i, name);
      if (end == std::string_view::npos) break;
      size_t gt = html.find('>', end);
      i = gt == std::string_view::npos ? html.size() : gt + 1;
      continue;
    }
    if ((name == "ul" || name == "ol") && (closing ? text.list_depth() > 1 : text.list_depth() > 0)) {
      text.Apply(Flow::kLine);  // a list inside a list item stays in its item
    } else {
      for (const BlockTag& t : kBlockTags) {
        if (t.name == name) {
          text.Apply(closing ? t.close : t.open);
          break;
        }
      }
    }
    if (name == "ul" || name == "ol") closing ? text.EndList() : text.StartList(name == "ol");
    if (TextBuilder* markdown = text.markdown()) {
      MarkdownInline(*markdown, name, closing, html.substr(attrs_start, j - attrs_start), hrefs);
    }
  }
}

}  // namespace

std::string HtmlToText(std::string_view html) {
  TextBuilder text(html.size(), false);
  Convert(html, Outputs(&text, nullptr));
  return RepairMojibake(text.Take());
}

std::string HtmlToMarkdown(std::string_view html) {
  TextBuilder markdown(html.size(), true);
  Convert(html, Outputs(nullptr, &markdown));
  return RepairMojibake(markdown.Take());
}

namespace {

// How many levels beyond its container a field is unescaped at most.
constexpr int kMaxExtraLevels = 4;

// Copies `s` with each "&amp;" that is followed by a character reference
// ("&amp;amp;", "&amp;lt;", "&amp;#8211;") made "&": references escaped
// twice. False when there is none.
bool CollapseEscapedReferences(std::string& s) {
  // Only each "&amp;" is looked at (found by search, not by comparing at
  // every byte); what lies between is copied in runs once one collapsed.
  std::string out;
  bool found = false;
  size_t copied = 0;  // once found: s[0, copied) is accounted for in `out`
  std::string probe;
  std::string scratch;
  for (size_t at = s.find("&amp;"); at != std::string::npos; at = s.find("&amp;", at + 1)) {
    if (!(at + 5 < s.size() && s[at + 5] != '&')) continue;
    probe.clear();  // (not assign("&"): GCC 12 -O3 warns falsely of overlap, -Wrestrict)
    probe.push_back('&');
    probe.append(s, at + 5, 40);
    scratch.clear();
    const size_t used = DecodeOne(probe, 0, scratch, ReferenceContext::kAttribute);
    if (used > 1 && probe[used - 1] == ';') {
      if (!found) {
        out.assign(s, 0, at);
      } else {
        out.append(s, copied, at - copied);
      }
      found = true;
      out.push_back('&');
      copied = at + 5;
    }
  }
  if (found) {
    out.append(s, copied, std::string::npos);
    s = std::move(out);
  }
  return found;
}

// "<![CDATA[" and "]]>" markers removed, their content kept.
std::string WithoutCdataMarkers(std::string_view text) {
  std::string out;
  size_t i = 0;
  for (size_t open = text.find("<![CDATA["); open != std::string_view::npos; open = text.find("<![CDATA[", i)) {
    out.append(text.substr(i, open - i));
    const size_t close = text.find("]]>", open + 9);
    if (close == std::string_view::npos) {
      i = open + 9;
      break;
    }
    out.append(text.substr(open + 9, close - open - 9));
    i = close + 3;
  }
  out.append(text.substr(std::min(i, text.size())));
  return out;
}

// Is `text` (a field once unescaped, or a one-line field holding tags)
// HTML markup, not text that speaks of markup? It is when it holds a
// comment, a CDATA section or a line break (<br>, <hr>), or a tag of an
// element descriptions use attached to text as markup attaches it: a start
// tag directly followed by its content, a line break or another tag ("<p>We",
// "<b>SQL", "<ul><li>"), or by its own end tag ("<p> </p>"); an end tag
// directly preceded by the content it closes ("team.</p>") or standing at
// the start of a line. A tag with a space or a tab on the side of its
// content, or a sentence's punctuation there, is a tag named in prose:
// "Write <div> tags", "use the <div> and </div> tags", "the <p>, <ul> and
// <li> elements" stay text, as HTML reads "&lt;div&gt;" inside markup; so
// is a start tag with a hyphenated word, a plural "s" or a slash attached
// ("<div>-based layouts", "<table>s", "<section>/<article>").
// "vector<int>" and "List<String>" name no element at all. (A field's own
// tags, one level of escaping as its container defines it, are markup
// whatever stands beside them: an RSS description is HTML.)
bool IsEscapedHtmlMarkup(std::string_view text) {
  static constexpr std::string_view kElements[] = {
      "a",     "abbr",   "address", "article", "aside", "b",      "big",    "blockquote", "body",
      "br",    "center", "cite",    "code",    "dd",    "del",    "div",    "dl",         "dt",
      "em",    "figure", "font",    "footer",  "h1",    "h2",     "h3",     "h4",         "h5",
      "h6",    "head",   "header",  "hr",      "html",  "i",      "img",    "ins",        "li",
      "main",  "mark",   "nav",     "ol",      "p",     "pre",    "q",      "s",          "section",
      "small", "span",   "strike",  "strong",  "sub",   "sup",    "table",  "tbody",      "td",
      "tfoot", "th",     "thead",   "tr",      "tt",    "u",      "ul"};
  // What stands beside a tag named in prose: blanks, and after a start tag
  // the punctuation of a sentence listing or quoting it ("<p>, <ul>"),
  // before an end tag an opening quote or bracket ("the '</div>'").
  const auto prose_after = [](char c) {
    return c == ' ' || c == '\t' || c == ',' || c == ';' || c == ':' || c == '.' || c == '!' || c == '?' ||
           c == ')' || c == '"' || c == '\'' || c == '`';
  };
  const auto prose_before = [](char c) {
    return c == ' ' || c == '\t' || c == '(' || c == '"' || c == '\'' || c == '`';
  };
  const auto line_break = [](char c) { return c == '\n' || c == '\r'; };
  for (size_t i = text.find('<'); i != std::string_view::npos; i = text.find('<', i + 1)) {
    const std::string_view rest = text.substr(i + 1);
    if (rest.starts_with("!--") || rest.starts_with("![CDATA[")) return true;
    size_t j = rest.starts_with('/') ? 1 : 0;
    const size_t start = j;
    while (j < rest.size() && ascii::IsAlnum(rest[j]) && j - start < 12) ++j;
    if (j == start || j >= rest.size() || (rest[j] != '>' && rest[j] != '/' && !ascii::IsSpace(rest[j]))) continue;
    const std::string name = ascii::ToLower(rest.substr(start, j - start));
    if (std::find(std::begin(kElements), std::end(kElements), name) == std::end(kElements)) continue;
    const size_t close = TagEnd(text, i + 1 + j);
    if (close == std::string_view::npos || !RealAttributes(text.substr(i + 1 + j, close - (i + 1 + j)))) continue;
    const bool has_before = i > 0;
    const char before = has_before ? text[i - 1] : '\n';
    const bool has_after = close + 1 < text.size();
    const char after = has_after ? text[close + 1] : '\0';
    const bool closing = start == 1;
    if (closing) {
      if (line_break(before) || !prose_before(before)) return true;
      continue;
    }
    if (name == "br" || name == "hr") return true;
    // A word attached to a tag named in prose: "<div>-based", "<table>s",
    // "<section>/<article>".
    const bool suffix = after == '-' || after == '/' ||
                        (after == 's' && (close + 2 >= text.size() || !ascii::IsAlnum(text[close + 2])));
    if (has_after && (line_break(after) || (!prose_after(after) && !suffix))) return true;
    // An element with nothing in it: "<p> </p>".
    const size_t next = text.find_first_not_of(" \t", close + 1);
    if (next != std::string_view::npos && text.substr(next).starts_with("</") &&
        ascii::EqualsIgnoreCase(text.substr(next + 2, name.size()), name)) {
      return true;
    }
  }
  return false;
}

}  // namespace

std::string FragmentMarkup(std::string_view html) {
  std::string s(html);
  for (int level = 0; level < kMaxExtraLevels; ++level) {
    // "&lt;p&gt;...", "&#60;p&#62;...": markup escaped as text. Only what
    // decodes to HTML markup is unescaped, not text about types.
    if (s.find('<') == std::string::npos && s.find('&') != std::string::npos) {
      std::string decoded = DecodeEntities(s);
      if (IsEscapedHtmlMarkup(decoded)) {
        s = std::move(decoded);
        continue;
      }
    }
    if (!CollapseEscapedReferences(s)) break;
  }
  return s;
}

std::string CleanInlineText(std::string_view raw) {
  // A one-line field is text, never markup (the RSS Advisory Board's
  // "titles should not contain HTML"). Markup left in one anyway, as tags or
  // escaped once more than its container needs ("&lt;b&gt;Data
  // Analyst&lt;/b&gt;" in an RSS title), is read for its text, by the rule
  // descriptions follow (IsEscapedHtmlMarkup): "Data Analyst". A title that
  // names a tag in prose ("Front-end developer (<canvas> and WebGL)") keeps
  // it as written.
  std::string decoded;
  bool read_as_markup = false;
  if (raw.find('<') != std::string_view::npos || raw.find("&lt;") != std::string_view::npos ||
      raw.find("&#") != std::string_view::npos || raw.find("&amp;") != std::string_view::npos) {
    std::string markup = FragmentMarkup(raw);
    if (markup.find('<') != std::string::npos && IsEscapedHtmlMarkup(markup)) {
      decoded = HtmlToText(markup);
      read_as_markup = true;
    }
  }
  if (!read_as_markup) {
    std::string unwrapped = raw.find("<![CDATA[") == std::string_view::npos ? std::string(raw)
                                                                            : WithoutCdataMarkers(raw);
    int level = 0;
    while (level < kMaxExtraLevels && CollapseEscapedReferences(unwrapped)) ++level;
    decoded = unwrapped.find('&') == std::string::npos ? std::move(unwrapped) : DecodeEntities(unwrapped);
  }
  std::string out;
  out.reserve(decoded.size());
  bool space = false;
  for (size_t i = 0; i < decoded.size(); ++i) {
    char c = decoded[i];
    bool nbsp = c == '\xC2' && i + 1 < decoded.size() && decoded[i + 1] == '\xA0';
    if (ascii::IsSpace(c) || c == '\v' || nbsp) {
      if (nbsp) ++i;
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(c);
  }
  return RepairMojibake(out);
}

std::string FragmentToText(std::string_view html) { return HtmlToText(FragmentMarkup(html)); }

void SetDescription(Posting& p, std::string_view html) {
  const std::string fragment = FragmentMarkup(html);
  // One scan writes both (HtmlToText and HtmlToMarkdown, each alone).
  TextBuilder text(fragment.size(), false);
  TextBuilder markdown(fragment.size(), true);
  Convert(fragment, Outputs(&text, &markdown));
  std::string plain = RepairMojibake(text.Take());
  if (plain.empty()) {
    p.description.reset();
    p.description_markdown.reset();
    return;
  }
  p.description = std::move(plain);
  p.description_markdown = RepairMojibake(markdown.Take());
}

std::string FragmentToMarkdown(std::string_view html) { return HtmlToMarkdown(FragmentMarkup(html)); }

}  // namespace jobtrawl::parsers
