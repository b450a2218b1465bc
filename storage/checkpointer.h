// WAL checkpoints off the writer's thread (bench/README.md "Scale"):
// copying the WAL's pages back into the database file was 5-11% of the
// writer's CPU at a million postings, all of it on the thread that stores
// postings. Internal to jobtrawl_storage. Not used by PostingStore yet: on
// the loaded 2-core machine it measured no clear gain (bench/README.md
// "The floor"); `jobtrawl_scale_bench --background-checkpoints` installs one
// on the store's connection to measure it again.
//
// How: a wal hook (sqlite3_wal_hook) on the writer's connection replaces
// its automatic checkpoints. After a commit that leaves `pages` or more
// frames in the WAL, the hook asks a helper thread to run a PASSIVE
// checkpoint (sqlite3_wal_checkpoint_v2) on a second connection of its
// own, while the writer goes on storing: a passive checkpoint never takes
// the write lock, so the writer never waits for it. SQLite restarts the WAL
// from its beginning only when a write transaction starts while every
// frame is copied back; a writer that commits again before the helper is
// done therefore keeps appending, and when the WAL reaches
// `pages` * kInlineFactor frames the hook checkpoints on the writer's own
// connection, as SQLite's automatic checkpoint does (little is left to copy
// by then), so the WAL stays bounded however busy the writer is.
//
// Durability is SQLite's: a commit is in the WAL when COMMIT returns, and
// a checkpoint only copies committed frames, so a process killed at any
// point (during a checkpoint too) loses nothing committed; the next opener
// recovers from the WAL as always.
//
// Thread-safety: the hook runs on whatever thread uses the writer's
// connection; the helper thread uses only its own connection. The
// destructor stops and joins the helper, then gives the writer's connection
// SQLite's automatic checkpoints back (sqlite3_wal_autocheckpoint(pages)).
// REQUIRES: the writer's connection outlives this object, and is in WAL
// mode.
#ifndef JOBTRAWL_STORAGE_CHECKPOINTER_H_
#define JOBTRAWL_STORAGE_CHECKPOINTER_H_

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <stop_token>
#include <string>
#include <thread>

struct sqlite3;

namespace jobtrawl::storage::internal {

class WalCheckpointer {
 public:
  // The WAL size, in multiples of `pages`, at which the writer checkpoints
  // on its own connection (the helper has not caught up).
  static constexpr int kInlineFactor = 2;

  // Installs the hook on `writer` and starts the helper with its own
  // connection to `file` (SqliteFileName form). nullptr when the second
  // connection cannot be opened or the thread cannot start: the writer then
  // keeps SQLite's automatic checkpoints at `pages`. REQUIRES: pages > 0.
  static std::unique_ptr<WalCheckpointer> Start(sqlite3* writer, const std::string& file, int pages);

  ~WalCheckpointer();
  WalCheckpointer(const WalCheckpointer&) = delete;
  WalCheckpointer& operator=(const WalCheckpointer&) = delete;

  // Checkpoints the helper has finished (each may have copied only part
  // of the WAL), and those the writer ran itself.
  std::int64_t background_checkpoints() const;
  std::int64_t inline_checkpoints() const;
  // For tests: waits until the helper has finished at least `n`
  // checkpoints or `timeout` passed; returns whether it had.
  bool WaitForBackgroundCheckpoints(std::int64_t n, std::chrono::milliseconds timeout) const;

 private:
  WalCheckpointer(sqlite3* writer, sqlite3* own, int pages);
  static int OnCommit(void* self, sqlite3* db, const char* schema, int frames);
  void Run(std::stop_token stop);

  sqlite3* const writer_;
  sqlite3* const own_;  // the helper's connection; closed by the destructor
  const int pages_;
  int last_request_ = 0;              // WAL frames at the last request; the writer's thread only
  mutable std::mutex mu_;
  mutable std::condition_variable_any cv_;
  bool requested_ = false;           // guarded by mu_
  std::int64_t background_done_ = 0;  // guarded by mu_
  std::int64_t inline_done_ = 0;      // guarded by mu_ (written on the writer's thread)
  std::jthread helper_;               // last: stopped and joined before the rest goes
};

}  // namespace jobtrawl::storage::internal

#endif  // JOBTRAWL_STORAGE_CHECKPOINTER_H_
