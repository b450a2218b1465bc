#include "parsers/named_references.h"

#include <algorithm>
#include <iterator>

namespace jobtrawl::parsers {
namespace {

constexpr NamedReference kTable[] = {
#include "parsers/named_references.inc"
};

static_assert(std::size(kTable) == 2125, "parsers/data/entities.tsv: the standard lists 2,125 references");
static_assert(std::ranges::count(kTable, true, &NamedReference::legacy) == 106,
              "parsers/data/entities.tsv: the standard lists 106 legacy names");
static_assert(std::ranges::is_sorted(kTable, {}, &NamedReference::name),
              "parsers/data/entities.tsv must be sorted by name for binary search");
static_assert(std::ranges::all_of(kTable, [](const NamedReference& r) {
                return r.name.size() <= kMaxNamedReferenceLength &&
                       (!r.legacy || r.name.size() <= kMaxLegacyNameLength);
              }));

}  // namespace

std::span<const NamedReference> NamedReferences() { return kTable; }

const NamedReference* FindNamedReference(std::string_view name) {
  const auto* it = std::ranges::lower_bound(kTable, name, {}, &NamedReference::name);
  return it != std::end(kTable) && it->name == name ? it : nullptr;
}

}  // namespace jobtrawl::parsers
