// Turning HTML (or text with HTML entities) into clean plain text, without
// building a tree: a single forward scan, fast enough to run on every
// description. Follows the HTML spec's character references
// (https://html.spec.whatwg.org/multipage/parsing.html#character-reference-state)
// for all named references of the standard and all numeric ones.
#ifndef JOBTRAWL_PARSERS_HTML_TEXT_H_
#define JOBTRAWL_PARSERS_HTML_TEXT_H_

#include <string>
#include <string_view>

#include "model/posting.h"

namespace jobtrawl::parsers {

// Where a character reference stands, which decides how a legacy name
// written without ";" is read (HTML 13.2.5.73).
enum class ReferenceContext {
  kText,       // an element's text: "&notin" is "¬in", "&copy=1" is "©=1"
  kAttribute,  // an attribute value: a legacy name followed by '=' or an
               // ASCII alphanumeric stays as written ("?a=1&copy=2")
};

// Decodes character references as the HTML standard's tokenizer does
// (https://html.spec.whatwg.org/multipage/parsing.html#character-reference-state):
// all 2,231 named references (parsers/named_references.h), the 106 legacy
// ones also without ";" (longest first), decimal and hex. Unknown names are
// kept as written; 0, surrogates and code points past U+10FFFF become
// U+FFFD, and 0x80-0x9F map through the standard's C1 table (&#150; is
// U+2013). The default, kAttribute, is also the safe reading of field values
// that may hold URLs.
std::string DecodeEntities(std::string_view text,
                           ReferenceContext where = ReferenceContext::kAttribute);

// Text content of an HTML fragment: tags removed, script/style/template
// content dropped, block elements become line breaks (paragraphs a blank
// line, list items "- "), entities decoded, runs of spaces collapsed, lines
// trimmed. Never fails; malformed markup degrades to text. A '<' begins a
// tag only before a letter (or "/" and a letter) and when the tag ends: a
// '>' before any other '<', neither inside an attribute's quoted value. "Latency of <a few ms" and "<3
// years" are text (an RSS description's "&lt;a few ms"), where HTML's
// tokenizer would take the rest of the input for a tag; a tag cut off by the
// end of the input ("<p", "<a href=\"https://x.ex") is dropped.
std::string HtmlToText(std::string_view html);

// The same fragment as Markdown (CommonMark) for people who read it:
// headings become "#" lines, lists "- " or "1. " items indented by nesting (16 levels at most),
// <strong>/<b> "**", <em>/<i> "_", <code> "`", links to http(s) and mailto
// "[text](url)", <br> a hard line break; characters Markdown would read as
// syntax are escaped. Never fails, as HtmlToText.
std::string HtmlToMarkdown(std::string_view html);

// The markup of an HTML field escaped more levels deep than its container
// (RSS, Atom, JSON) needs: a field without tags whose text is markup
// escaped as a whole ("&lt;p&gt;...", "&#60;p&#62;...") is unescaped. The
// rule that tells escaped markup from text that speaks of markup (in
// html_text.cc, IsEscapedHtmlMarkup): the unescaped text holds a comment, a
// CDATA section or a line break (<br>, <hr>), or a tag of an HTML element
// with a proper end ('>' before any other '<') and attributes as markup
// writes them (name=value, a boolean attribute of HTML: "&lt;a few ms at
// p99&gt;" is text), attached to text as markup is: a start tag directly followed by its
// content, a line break or another tag ("<p>We", "<b>SQL"), an end tag
// directly preceded by what it closes ("team.</p>"), or a tag at the start
// of a line. A tag with a space on its content's side, or a sentence's
// punctuation there, is named in prose and stays text: "Write &lt;div&gt; tags", "use the
// &lt;div&gt; and &lt;/div&gt; tags", "the &lt;p&gt;, &lt;ul&gt; elements",
// also with a hyphenated word, a plural "s" or a slash attached to a start
// tag ("&lt;div&gt;-based layouts", "&lt;table&gt;s", "&lt;section&gt;/&lt;article&gt;");
// so does text about types ("vector&lt;int&gt;": no element). References
// escaped twice ("&amp;amp;", "&amp;lt;") are unescaped once, up to four
// levels. A CDATA section left in the markup ("<![CDATA[...]]>", escaped in
// XML) is read by HtmlToText and HtmlToMarkdown as its content, where HTML
// would see a comment. Other fragments are returned unchanged.
std::string FragmentMarkup(std::string_view html);

// HtmlToText of FragmentMarkup: for a description field of structured data.
std::string FragmentToText(std::string_view html);
std::string FragmentToMarkdown(std::string_view html);

// Sets a posting's description from an HTML fragment (or plain text), as
// text and as Markdown; leaves both unset when no text is left.
void SetDescription(Posting& p, std::string_view html);

// Entities decoded, whitespace runs (newlines included) collapsed to one
// space, trimmed: for titles, names and other one-line fields. CDATA
// markers and references escaped twice ("R&amp;amp;D") are unwrapped first,
// as in FragmentMarkup. A one-line field is never markup (RSS Advisory
// Board: titles hold no HTML): tags in it, or markup escaped once more than
// its container needs ("&lt;b&gt;Data Analyst&lt;/b&gt;" in an RSS title),
// are read for their text ("Data Analyst") when FragmentMarkup's rule
// reads them as markup; a tag named in prose stays as written.
std::string CleanInlineText(std::string_view text);

// Appends the UTF-8 encoding of `cp` (U+FFFD for invalid code points).
void AppendUtf8(std::string& out, char32_t cp);

}  // namespace jobtrawl::parsers

#endif  // JOBTRAWL_PARSERS_HTML_TEXT_H_
