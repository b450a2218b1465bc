#include "parsers/html_document.h"

#include <vector>

namespace jobtrawl::parsers {

void HtmlDocument::OutputDeleter::operator()(GumboOutput* output) const {
  if (output != nullptr) gumbo_destroy_output(&kGumboDefaultOptions, output);
}


namespace {

// Gumbo's README asks callers to treat input as untrusted. We record no
// parse errors (they are never read, and garbage pages produce one per
// byte) and build trees from at most kMaxTreeInput bytes.
constexpr size_t kMaxTreeInput = 8 * 1024 * 1024;

GumboOptions TreeOptions() {
  GumboOptions options = kGumboDefaultOptions;
  options.max_errors = 0;
  return options;
}

}  // namespace

HtmlDocument::HtmlDocument(std::string html)
    : html_(html.size() > kMaxTreeInput ? html.substr(0, kMaxTreeInput) : std::move(html)),
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
