// What failed in one run of a source, kept to put the cause in words in the
// run's message (crawl_runs.message, the summary, the journal): how many
// pages failed of each kind, and the first failure of each sort.
// Thread-safe: fetch errors arrive on the event loop, parse problems on the
// parse pool.
#ifndef JOBTRAWL_APP_FAILURE_TALLY_H_
#define JOBTRAWL_APP_FAILURE_TALLY_H_

#include <map>
#include <mutex>
#include <string>
#include <string_view>

namespace jobtrawl::app {

class FailureTally {
 public:
  // One failed page: `kind` is a crawl_errors kind ("connect", "parse"...),
  // `message` the error's words. `start_page`: one of the source's start URLs.
  void Add(std::string_view url, std::string_view kind, std::string_view message, bool start_page);

  // "URL: KIND: MESSAGE" of the first failed start page; empty when none failed.
  std::string FirstStartFailure() const;

  // "3 pages failed (2 http_status, 1 timeout); first: URL: KIND: MESSAGE",
  // kinds by count then name; empty when nothing failed.
  std::string Describe() const;

  int pages() const;

 private:
  mutable std::mutex mutex_;
  std::map<std::string, int, std::less<>> by_kind_;  // guarded by mutex_
  int pages_ = 0;                                    // guarded by mutex_
  std::string first_;                                // guarded by mutex_
  std::string first_start_;                          // guarded by mutex_
};

}  // namespace jobtrawl::app

#endif  // JOBTRAWL_APP_FAILURE_TALLY_H_
