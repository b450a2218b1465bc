#include "storage/checkpointer.h"

#include <sqlite3.h>

#include <system_error>
#include <utility>

namespace jobtrawl::storage::internal {

std::unique_ptr<WalCheckpointer> WalCheckpointer::Start(sqlite3* writer, const std::string& file, int pages) {
  sqlite3* own = nullptr;
  if (sqlite3_open_v2(file.c_str(), &own, SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX, nullptr) != SQLITE_OK) {
    sqlite3_close_v2(own);
    return nullptr;
  }
  // Keep the WAL files should this connection ever close last (store.cc
  // KeepWalFiles), and sync as the writer does.
  int persist = 1;
  sqlite3_file_control(own, "main", SQLITE_FCNTL_PERSIST_WAL, &persist);
  sqlite3_exec(own, "PRAGMA synchronous = NORMAL", nullptr, nullptr, nullptr);
  std::unique_ptr<WalCheckpointer> c(new WalCheckpointer(writer, own, pages));
  try {
    c->helper_ = std::jthread([self = c.get()](std::stop_token stop) { self->Run(std::move(stop)); });
  } catch (const std::system_error&) {
    return nullptr;  // the destructor gives the writer its automatic checkpoints back
  }
  sqlite3_wal_hook(writer, &WalCheckpointer::OnCommit, c.get());
  return c;
}

WalCheckpointer::WalCheckpointer(sqlite3* writer, sqlite3* own, int pages)
    : writer_(writer), own_(own), pages_(pages) {}

WalCheckpointer::~WalCheckpointer() {
  // Replaces the hook (sqlite3_wal_autocheckpoint installs SQLite's own).
  sqlite3_wal_autocheckpoint(writer_, pages_);
  if (helper_.joinable()) {
    helper_.request_stop();  // wakes the wait in Run
    helper_.join();
  }
  sqlite3_close_v2(own_);
}

int WalCheckpointer::OnCommit(void* self_ptr, sqlite3* db, const char* schema, int frames) {
  auto* self = static_cast<WalCheckpointer*>(self_ptr);
  if (frames >= self->pages_ * kInlineFactor) {
    // The helper has not caught up (the writer commits faster than it
    // copies): what is left is copied here, with no write going on, so the
    // next transaction starts the WAL over. SQLITE_BUSY (the helper is in
    // the middle of one) is fine: the next commit tries again.
    if (sqlite3_wal_checkpoint_v2(db, schema, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr) == SQLITE_OK) {
      const std::lock_guard lock(self->mu_);
      ++self->inline_done_;
    }
    return SQLITE_OK;
  }
  // Asked again only once a quarter of `pages` more is in the WAL (or it
  // started over): each checkpoint copies the newest version of every page
  // changed since the last, so asking after every commit would copy pages
  // the next commits change again.
  if (frames >= self->pages_ &&
      (frames < self->last_request_ || frames - self->last_request_ >= self->pages_ / 4)) {
    self->last_request_ = frames;
    {
      const std::lock_guard lock(self->mu_);
      self->requested_ = true;
    }
    self->cv_.notify_all();  // the helper (and any test waiting) wakes
  }
  return SQLITE_OK;
}

void WalCheckpointer::Run(std::stop_token stop) {
  for (;;) {
    {
      std::unique_lock lock(mu_);
      if (!cv_.wait(lock, stop, [&] { return requested_; })) return;  // stop requested
      requested_ = false;
    }
    // PASSIVE: copies what it can without waiting for any lock; the
    // writer's commits go on meanwhile. Errors (SQLITE_BUSY while the
    // writer checkpoints itself, an I/O error) leave the WAL to the next
    // request or to the writer's own checkpoint.
    const int rc = sqlite3_wal_checkpoint_v2(own_, "main", SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    {
      const std::lock_guard lock(mu_);
      if (rc == SQLITE_OK) ++background_done_;
    }
    cv_.notify_all();
  }
}

std::int64_t WalCheckpointer::background_checkpoints() const {
  const std::lock_guard lock(mu_);
  return background_done_;
}

std::int64_t WalCheckpointer::inline_checkpoints() const {
  const std::lock_guard lock(mu_);
  return inline_done_;
}

bool WalCheckpointer::WaitForBackgroundCheckpoints(std::int64_t n, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mu_);
  return cv_.wait_for(lock, timeout, [&] { return background_done_ >= n; });
}

}  // namespace jobtrawl::storage::internal
