#include "app/alerts.h"

#include <curl/curl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/json.hpp>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <map>

#include "app/query_commands.h"
#include "model/date_time.h"
#include "storage/reader.h"

extern char** environ;

namespace jobtrawl::app {

namespace json = boost::json;

std::vector<storage::AlertRule> AlertRules(const std::vector<config::AlertConfig>& alerts) {
  std::vector<storage::AlertRule> rules;
  for (const config::AlertConfig& a : alerts) {
    storage::AlertRule r{.name = a.name, .postings = a.postings, .alarms = a.alarms};
    r.filter.match = a.query;
    r.filter.remote = a.remote;
    r.filter.country = a.country;
    r.filter.company = a.company;
    r.filter.salary_min = a.salary_min;
    r.filter.currency = a.currency;
    rules.push_back(std::move(r));
  }
  return rules;
}

std::vector<config::ConfigError> CheckAlerts(const config::Config& config) {
  std::vector<config::ConfigError> errors;
  for (const config::AlertConfig& a : config.alerts) {
    if (a.query.empty()) continue;
    if (auto why = storage::CheckSearchQuery(a.query)) {
      errors.push_back({config.path.string(), a.line, a.column,
                        "[[alert]] \"" + a.name + "\": cannot read the query \"" + a.query + "\": " + *why +
                            " (the syntax of `jobtrawl search`: words, \"a phrase\", prefix*, AND, OR, NOT)"});
    }
  }
  return errors;
}

namespace {

struct CurlDeleter {
  void operator()(CURL* h) const { curl_easy_cleanup(h); }
};
struct SlistDeleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

std::size_t Discard(char*, std::size_t size, std::size_t n, void*) { return size * n; }

// "" when the receiver took it (2xx), else why not.
std::string Post(const std::string& url, const std::string& body, const std::string& key,
                 const std::string& user_agent, std::chrono::milliseconds timeout) {
  std::unique_ptr<CURL, CurlDeleter> h(curl_easy_init());
  if (!h) return "curl_easy_init failed";
  std::unique_ptr<curl_slist, SlistDeleter> headers;
  for (const std::string& line : {std::string("Content-Type: application/json"), "Idempotency-Key: " + key}) {
    curl_slist* next = curl_slist_append(headers.get(), line.c_str());
    if (next == nullptr) return "out of memory";
    (void)headers.release();
    headers.reset(next);
  }
  curl_easy_setopt(h.get(), CURLOPT_URL, url.c_str());
  curl_easy_setopt(h.get(), CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h.get(), CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(h.get(), CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h.get(), CURLOPT_TIMEOUT_MS, static_cast<long>(timeout.count()));
  curl_easy_setopt(h.get(), CURLOPT_USERAGENT, user_agent.c_str());
  curl_easy_setopt(h.get(), CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(h.get(), CURLOPT_POSTFIELDS, body.c_str());
  curl_easy_setopt(h.get(), CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  curl_easy_setopt(h.get(), CURLOPT_WRITEFUNCTION, Discard);
  const CURLcode rc = curl_easy_perform(h.get());
  if (rc != CURLE_OK) return std::string("webhook: ") + curl_easy_strerror(rc);
  long status = 0;
  curl_easy_getinfo(h.get(), CURLINFO_RESPONSE_CODE, &status);
  if (status < 200 || status > 299) return "webhook answered HTTP " + std::to_string(status);
  return "";
}

// Runs `argv` with `input` as its standard input (a temporary file, so a
// command that does not read it neither blocks us nor raises SIGPIPE); ""
// when it exited 0 within `timeout`, else why not.
std::string RunCommand(const std::vector<std::string>& argv, const std::string& input,
                       std::chrono::milliseconds timeout) {
  std::FILE* tmp = std::tmpfile();
  if (tmp == nullptr) return std::string("cannot make a temporary file: ") + std::strerror(errno);
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> closer(tmp, std::fclose);
  if (std::fwrite(input.data(), 1, input.size(), tmp) != input.size() || std::fflush(tmp) != 0 ||
      std::fseek(tmp, 0, SEEK_SET) != 0) {
    return std::string("cannot write the command's input: ") + std::strerror(errno);
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fileno(tmp), STDIN_FILENO);
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = 0;
  const int spawned = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) return "cannot run " + argv[0] + ": " + std::strerror(spawned);
  // Waits for its exit on a pidfd, so the timeout needs no polling loop.
  const int pidfd = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
  bool timed_out = false;
  if (pidfd >= 0) {
    pollfd p{.fd = pidfd, .events = POLLIN, .revents = 0};
    int ready = 0;
    do {
      ready = ::poll(&p, 1, static_cast<int>(timeout.count()));
    } while (ready < 0 && errno == EINTR);
    ::close(pidfd);
    if (ready == 0) {
      timed_out = true;
      ::kill(pid, SIGKILL);
    }
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (timed_out) return argv[0] + " took longer than [delivery] timeout: killed";
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return "";
  if (WIFEXITED(status)) return argv[0] + " exited with status " + std::to_string(WEXITSTATUS(status));
  return argv[0] + " was ended by signal " + std::to_string(WTERMSIG(status));
}

}  // namespace

AlertDelivery::AlertDelivery(std::unique_ptr<storage::PostingStore> store, Options options)
    : store_(std::move(store)), options_(std::move(options)) {}
AlertDelivery::~AlertDelivery() = default;

std::expected<std::unique_ptr<AlertDelivery>, Error> AlertDelivery::Open(
    const std::filesystem::path& database, Options options) {
  auto store = storage::PostingStore::OpenExisting(database);
  if (!store) return std::unexpected(store.error());
  return std::unique_ptr<AlertDelivery>(new AlertDelivery(std::move(*store), std::move(options)));
}

void AlertDelivery::Log(const std::string& message) const {
  if (options_.log) options_.log(LogLevel::kWarning, message);
}

std::string AlertDelivery::Backoff(int attempts) const {
  auto wait = options_.delivery.retry_base;
  for (int i = 0; i < attempts && wait < options_.delivery.retry_max; ++i) wait *= 2;
  wait = std::min(wait, options_.delivery.retry_max);
  return FormatUtc(options_.now() + wait);
}

std::expected<AlertDelivery::Pass, Error> AlertDelivery::DeliverDue() {
  const std::string now = FormatUtc(options_.now());
  auto due = store_->DueOutbox(now, 200);
  if (!due) return std::unexpected(due.error());
  // By alert, in the order they were queued.
  std::map<std::string, std::vector<storage::OutboxItem>> by_alert;
  for (storage::OutboxItem& item : *due) by_alert[item.alert].push_back(std::move(item));
  Pass pass;
  for (auto& [name, items] : by_alert) {
    auto alert = std::find_if(options_.alerts.begin(), options_.alerts.end(),
                              [&](const config::AlertConfig& a) { return a.name == name; });
    std::vector<std::int64_t> ids;
    for (const auto& i : items) ids.push_back(i.id);
    if (alert == options_.alerts.end()) {
      // Kept, not dropped: the alert may come back with the next config.
      auto r = store_->MarkDeliveryFailed(ids, "no [[alert]] named \"" + name + "\" in the config",
                                          FormatUtc(options_.now() + options_.delivery.retry_max));
      if (!r) return std::unexpected(r.error());
      continue;
    }
    // Each row as the JSON object its target gets.
    std::vector<std::string> bodies;
    std::vector<std::int64_t> gone;  // postings deleted since (merged away): nothing to send
    std::vector<const storage::OutboxItem*> sent;
    for (const storage::OutboxItem& item : items) {
      json::object o{{"idempotency_key", item.idempotency_key},
                     {"alert", item.alert},
                     {"event", item.event},
                     {"queued_at", item.created_at}};
      if (item.event == "degraded") {
        boost::system::error_code ec;
        json::value alarm = json::parse(item.payload, ec);
        o["alarm"] = ec ? json::value(item.payload) : std::move(alarm);
      } else {
        auto row = item.posting_id ? storage::PostingRow(store_->database(), *item.posting_id)
                                   : std::expected<std::optional<storage::Row>, Error>(std::nullopt);
        if (!row) return std::unexpected(row.error());
        if (!*row) {
          gone.push_back(item.id);
          continue;
        }
        o["posting"] = RowToJson(**row);
      }
      bodies.push_back(json::serialize(o));
      sent.push_back(&item);
    }
    if (!gone.empty()) {
      auto r = store_->MarkDelivered(gone, now);
      if (!r) return std::unexpected(r.error());
    }
    if (sent.empty()) continue;
    if (!alert->webhook.empty()) {
      for (std::size_t i = 0; i < sent.size(); ++i) {
        const std::string failure = Post(alert->webhook, bodies[i], sent[i]->idempotency_key,
                                         options_.user_agent, options_.delivery.timeout);
        const std::int64_t id = sent[i]->id;
        if (failure.empty()) {
          // Committed only now: a crash before this line delivers it again, same key.
          auto r = store_->MarkDelivered(std::span(&id, 1), FormatUtc(options_.now()));
          if (!r) return std::unexpected(r.error());
          ++pass.delivered;
        } else {
          Log("alert \"" + name + "\": " + failure + " (" + sent[i]->idempotency_key + "); tried again later");
          auto r = store_->MarkDeliveryFailed(std::span(&id, 1), failure, Backoff(sent[i]->attempts));
          if (!r) return std::unexpected(r.error());
          ++pass.failed;
        }
      }
    } else {
      std::string input;
      std::vector<std::int64_t> batch;
      int attempts = 0;
      for (std::size_t i = 0; i < sent.size(); ++i) {
        input += bodies[i] + "\n";
        batch.push_back(sent[i]->id);
        attempts = std::max(attempts, sent[i]->attempts);
      }
      const std::string failure = RunCommand(alert->command, input, options_.delivery.timeout);
      if (failure.empty()) {
        auto r = store_->MarkDelivered(batch, FormatUtc(options_.now()));
        if (!r) return std::unexpected(r.error());
        pass.delivered += static_cast<int>(batch.size());
      } else {
        Log("alert \"" + name + "\": " + failure + "; " + std::to_string(batch.size()) +
            " events tried again later");
        auto r = store_->MarkDeliveryFailed(batch, failure, Backoff(attempts));
        if (!r) return std::unexpected(r.error());
        pass.failed += static_cast<int>(batch.size());
      }
    }
  }
  return pass;
}

std::expected<std::optional<std::chrono::milliseconds>, Error> AlertDelivery::UntilNextDue() {
  auto next = store_->NextOutboxAttempt();
  if (!next) return std::unexpected(next.error());
  if (!*next) return std::optional<std::chrono::milliseconds>();
  auto at = ParseDateTime(**next);
  if (!at) return std::optional(std::chrono::milliseconds(0));
  const auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(at->time_point() - options_.now());
  return std::optional(std::max(wait, std::chrono::milliseconds(0)));
}

std::expected<AlertDelivery::Flush, Error> AlertDelivery::FlushFor(std::chrono::milliseconds budget) {
  const auto deadline = std::chrono::steady_clock::now() + budget;
  Flush flush;
  while (true) {
    auto pass = DeliverDue();
    if (!pass) return std::unexpected(pass.error());
    flush.delivered += pass->delivered;
    auto wait = UntilNextDue();
    if (!wait) return std::unexpected(wait.error());
    if (!*wait) return flush;
    if (std::chrono::steady_clock::now() + **wait >= deadline) break;
    if (**wait > std::chrono::milliseconds(0)) std::this_thread::sleep_for(**wait);  // a backoff
  }
  auto left = store_->DueOutbox("9999", 1'000'000);
  if (!left) return std::unexpected(left.error());
  flush.pending = static_cast<int>(left->size());
  return flush;
}

DeliveryWorker::DeliveryWorker(std::unique_ptr<AlertDelivery> delivery)
    : delivery_(std::move(delivery)), thread_([this] { Loop(); }) {}

DeliveryWorker::~DeliveryWorker() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_one();
  thread_.join();
}

void DeliveryWorker::Wake() {
  {
    std::lock_guard lock(mu_);
    woken_ = true;
  }
  cv_.notify_one();
}

void DeliveryWorker::Loop() {
  std::unique_lock lock(mu_);
  while (!stopping_) {
    woken_ = false;
    lock.unlock();
    std::optional<std::chrono::milliseconds> wait;
    auto pass = delivery_->DeliverDue();
    if (pass) {
      auto next = delivery_->UntilNextDue();
      if (next) wait = *next;
    }
    if (!pass || !wait.has_value()) {
      // A database error: tried again after a short pause; nothing pending: wait for Wake().
      if (!pass) wait = std::chrono::seconds(5);
    }
    lock.lock();
    auto ready = [&] { return stopping_ || woken_; };
    if (wait) {
      cv_.wait_for(lock, *wait, ready);
    } else {
      cv_.wait(lock, ready);
    }
  }
}

}  // namespace jobtrawl::app
