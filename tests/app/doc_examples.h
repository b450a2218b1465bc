// The worked SQL examples of docs/analysts.md (issue 12 part 3), as the
// tests that run them read them: every ```sql block, the ```text block
// after it (what `sqlite3 -header` prints on the sample database), and,
// where the example needs another form on PostgreSQL (issue 15 part 1),
// the ```sql postgresql block after that, with its own ```text postgresql
// block where PostgreSQL's result differs in meaning (a rank of its own).
#ifndef JOBTRAWL_TESTS_APP_DOC_EXAMPLES_H_
#define JOBTRAWL_TESTS_APP_DOC_EXAMPLES_H_

#include <algorithm>
#include <cstddef>
#include <string>
#include <vector>

namespace jobtrawl::testing {

struct DocExample {
  std::string sql;
  std::size_t sql_line = 0;      // 1-based, of the opening fence
  std::size_t output_begin = 0;  // byte range of the ```text block's body, if any
  std::size_t output_end = 0;
  std::size_t insert_at = 0;     // where a missing ```text block would go
  bool has_output = false;
  std::string output;
  // PostgreSQL: the ```sql postgresql block after the example ("" when the
  // example runs there unchanged) and its ```text postgresql block ("" when
  // the SQLite output is what it must print).
  std::string pg_sql;
  std::size_t pg_sql_line = 0;
  bool has_pg_output = false;
  std::string pg_output;
};

namespace doc_examples_internal {
// The body of the block whose fence line `fence` starts at `at` (after
// blank lines), or false.
inline bool BlockAt(const std::string& doc, std::size_t& at, const std::string& fence, std::size_t& begin,
                    std::size_t& end) {
  std::size_t next = at;
  while (next < doc.size() && doc[next] == '\n') ++next;
  if (doc.compare(next, fence.size(), fence) != 0) return false;
  begin = next + fence.size();
  end = doc.find("```\n", begin);
  if (end == std::string::npos) return false;
  at = end + 4;
  return true;
}
}  // namespace doc_examples_internal

inline std::vector<DocExample> DocExamples(const std::string& doc) {
  using doc_examples_internal::BlockAt;
  std::vector<DocExample> out;
  std::size_t pos = 0;
  auto line_of = [&](std::size_t at) {
    return 1 + static_cast<std::size_t>(std::count(doc.begin(), doc.begin() + static_cast<long>(at), '\n'));
  };
  while ((pos = doc.find("\n```sql\n", pos)) != std::string::npos) {
    DocExample e;
    e.sql_line = line_of(pos + 1);
    const std::size_t body = pos + 8;
    const std::size_t end = doc.find("\n```\n", body - 1);
    if (end == std::string::npos) break;
    e.sql = doc.substr(body, end + 1 - body);
    e.insert_at = end + 5;
    std::size_t next = e.insert_at;
    std::size_t b = 0, f = 0;
    if (BlockAt(doc, next, "```text\n", b, f)) {
      e.has_output = true;
      e.output_begin = b;
      e.output_end = f;
      e.output = doc.substr(b, f - b);
    }
    // Prose may stand between the output and the PostgreSQL form: up to the next example.
    const std::size_t next_example = doc.find("\n```sql\n", next);
    const std::size_t pg = doc.find("\n```sql postgresql\n", next);
    if (pg != std::string::npos && pg < next_example) {
      e.pg_sql_line = line_of(pg + 1);
      const std::size_t pg_body = pg + 19;
      const std::size_t pg_end = doc.find("\n```\n", pg_body - 1);
      if (pg_end == std::string::npos) break;
      e.pg_sql = doc.substr(pg_body, pg_end + 1 - pg_body);
      std::size_t after = pg_end + 5;
      if (BlockAt(doc, after, "```text postgresql\n", b, f)) {
        e.has_pg_output = true;
        e.pg_output = doc.substr(b, f - b);
      }
    }
    out.push_back(e);
    pos = end + 1;
  }
  return out;
}

}  // namespace jobtrawl::testing

#endif  // JOBTRAWL_TESTS_APP_DOC_EXAMPLES_H_
