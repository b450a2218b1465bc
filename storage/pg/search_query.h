// `jobtrawl search` queries on PostgreSQL (issue 15 part 1): the FTS5 query
// syntax the CLI documents (https://www.sqlite.org/fts5.html#full_text_query_syntax),
// read here and written as a tsquery over postings_fts.document
// (storage/pg/schema.h), so one query means the same on both engines.
//
// Read: words (barewords: ASCII letters, digits, '_', any non-ASCII
// character), "phrases" ("" for a quote inside), word + word (a phrase),
// prefix* (on any word of a phrase), AND, OR, NOT (binary: a NOT b), the
// implicit AND of adjacent phrases (not of groups, as in FTS5), (groups), and column filters col:term,
// {col1 col2}:term and -col:term / -{col1 col2}:term over title, company,
// location, description and skills. Precedence as FTS5: NOT, then AND,
// then OR.
//
// Written as: each phrase as its words' lexemes joined by <-> (the same
// text search configuration as the documents), prefix as :*, a column
// filter as the weights of those columns (title A, company B, location and
// skills C, description D), AND as &, OR as |, a NOT b as a & !b.
//
// Refused, with a message as FTS5's (kInvalidArgument): a syntax error, an
// unknown column, NEAR(...) and ^ (initial token), which tsquery cannot
// say, and a phrase with no word in it.
//
// Differences from FTS5 (docs/postgresql.md): location and skills share
// one weight, so location:x also matches x in skills and the other way
// round; a phrase may run across the end of one column into the next.
#ifndef JOBTRAWL_STORAGE_PG_SEARCH_QUERY_H_
#define JOBTRAWL_STORAGE_PG_SEARCH_QUERY_H_

#include <expected>
#include <functional>
#include <string>
#include <string_view>

#include "model/error.h"

namespace jobtrawl::storage::pg {

// The tsquery text of one phrase's words, as PostgreSQL writes it
// ('senior' <-> 'engineer'); "" when the text has no word. Given by the
// caller (it asks the server: phraseto_tsquery('jobtrawl',
// jobtrawl_fts_text(text))).
using PhraseLexer = std::function<std::expected<std::string, jobtrawl::Error>(std::string_view text)>;

// `query` as a tsquery text. Errors: kInvalidArgument as above; what
// `lexer` returns.
std::expected<std::string, jobtrawl::Error> TranslateSearchQuery(std::string_view query, const PhraseLexer& lexer);

// Why `query` cannot be read (as `jobtrawl search` would say), or "" when
// it can; reads the syntax only (no server).
std::string CheckPgSearchQuery(std::string_view query);

}  // namespace jobtrawl::storage::pg

#endif  // JOBTRAWL_STORAGE_PG_SEARCH_QUERY_H_
