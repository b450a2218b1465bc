#include "parsers/html_document.h"

#include <vector>

#include "model/ascii.h"

namespace jobtrawl::parsers {

void HtmlDocument::OutputDeleter::operator()(GumboOutput* output) const {
  if (output != nullptr) gumbo_destroy_output(&kGumboDefaultOptions, output);
}

namespace {

// Gumbo's README asks callers to treat input as untrusted. We record no
// parse errors (they are never read, and garbage pages produce one per
// byte) and build trees from at most kMaxTreeInput bytes nested at most
// kMaxTreeDepth deep.
constexpr size_t kMaxTreeInput = 8 * 1024 * 1024;
constexpr int kMaxTreeDepth = 512;

bool IsVoidOrOptionalEnd(std::string_view name) {
  static constexpr std::string_view kNames[] = {
      // void elements
      "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
      "track", "wbr", "keygen",
      // end tag may be omitted: the parser closes them itself
      "p", "li", "dt", "dd", "option", "optgroup", "tr", "td", "th", "tbody", "thead", "tfoot",
      "rp", "rt", "colgroup", "caption", "html", "head", "body"};
  for (std::string_view n : kNames) {
    if (n == name) return true;
  }
  return false;
}

bool IsRawText(std::string_view name) {
  return name == "script" || name == "style" || name == "textarea" || name == "title" ||
         name == "xmp" || name == "iframe" || name == "noembed" || name == "noframes" ||
         name == "plaintext";
}

GumboOptions TreeOptions() {
  GumboOptions options = kGumboDefaultOptions;
  options.max_errors = 0;
  return options;
}

}  // namespace

std::size_t DepthBoundedPrefix(std::string_view html, int max_depth) {
  int depth = 0;
  size_t i = 0;
  while ((i = html.find('<', i)) != std::string_view::npos) {
    const size_t tag_start = i;
    if (i + 1 >= html.size()) break;
    char next = html[i + 1];
    if (next == '!' || next == '?') {
      size_t end = html.compare(i, 4, "<!--") == 0 ? html.find("-->", i + 4) : html.find('>', i + 2);
      if (end == std::string_view::npos) break;
      i = end + 1;
      continue;
    }
    const bool closing = next == '/';
    size_t name_start = i + (closing ? 2 : 1);
    size_t j = name_start;
    std::string name;
    while (j < html.size() && name.size() < 16 &&
           (ascii::IsAlnum(html[j]) || html[j] == '-')) {
      name.push_back(ascii::ToLower(html[j]));
      ++j;
    }
    if (name.empty() || !ascii::IsAlpha(name[0])) {
      i = tag_start + 1;  // "<" as text
      continue;
    }
    // The end of the tag, honouring quoted attribute values.
    char quote = 0;
    for (; j < html.size(); ++j) {
      char c = html[j];
      if (quote != 0) {
        if (c == quote) quote = 0;
      } else if (c == '"' || c == '\'') {
        quote = c;
      } else if (c == '>') {
        break;
      }
    }
    if (j >= html.size()) break;
    const bool self_closing = html[j - 1] == '/';
    i = j + 1;
    if (closing) {
      if (!IsVoidOrOptionalEnd(name) && depth > 0) --depth;
      continue;
    }
    if (IsRawText(name)) {
      size_t end = ascii::FindIgnoreCase(html, "</" + name, i);
      if (end == std::string_view::npos) break;
      i = end;
      continue;
    }
    if (self_closing || IsVoidOrOptionalEnd(name)) continue;
    if (++depth > max_depth) return tag_start;
  }
  return html.size();
}

HtmlDocument::HtmlDocument(std::string html)
    : html_([&] {
        if (html.size() > kMaxTreeInput) {
          truncated_reason_ = "page of " + std::to_string(html.size()) + " bytes: only the first " +
                              std::to_string(kMaxTreeInput) + " were parsed";
          html.resize(kMaxTreeInput);
        }
        if (size_t keep = DepthBoundedPrefix(html, kMaxTreeDepth); keep < html.size()) {
          truncated_reason_ = "elements nested deeper than " + std::to_string(kMaxTreeDepth) +
                              " at byte " + std::to_string(keep) + ": the rest was not parsed";
          html.resize(keep);
        }
        return std::move(html);
      }()),
      output_([this] {
        static const GumboOptions kOptions = TreeOptions();
        return gumbo_parse_with_options(&kOptions, html_.data(), html_.size());
      }()) {}

void HtmlDocument::ForEachElement(const std::function<void(const GumboNode&)>& visit) const {
  // Iterative, so a hostile page nested a million levels deep cannot
  // overflow the stack.
  std::vector<const GumboNode*> stack{output_->root};
  while (!stack.empty()) {
    const GumboNode* node = stack.back();
    stack.pop_back();
    if (node->type != GUMBO_NODE_ELEMENT && node->type != GUMBO_NODE_TEMPLATE) continue;
    visit(*node);
    const GumboVector& children = node->v.element.children;
    for (unsigned i = children.length; i > 0; --i) {
      stack.push_back(static_cast<const GumboNode*>(children.data[i - 1]));
    }
  }
}

const char* HtmlDocument::Attribute(const GumboNode& element, const char* name) {
  if (element.type != GUMBO_NODE_ELEMENT && element.type != GUMBO_NODE_TEMPLATE) return nullptr;
  const GumboAttribute* a = gumbo_get_attribute(&element.v.element.attributes, name);
  return a != nullptr ? a->value : nullptr;
}

std::string_view HtmlDocument::BaseHref() const {
  std::string_view href;
  ForEachElement([&](const GumboNode& e) {
    if (href.empty() && e.v.element.tag == GUMBO_TAG_BASE) {
      if (const char* h = Attribute(e, "href")) href = h;
    }
  });
  return href;
}

}  // namespace jobtrawl::parsers
