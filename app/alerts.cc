#include "app/alerts.h"

#include <curl/curl.h>
#include <fcntl.h>
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

#include "app/json_text.h"
#include "app/query_commands.h"
#include "model/database_location.h"
#include "model/date_time.h"
#include "storage/reader.h"
#ifdef JOBTRAWL_HAVE_PG
#include "storage/pg/search_query.h"
#endif

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
    std::optional<std::string> why = storage::CheckSearchQuery(a.query);
#ifdef JOBTRAWL_HAVE_PG
    // On PostgreSQL the query is also made a tsquery (storage/pg/search_query.h),
    // which refuses what tsquery cannot say (NEAR, ^).
    if (!why && IsPostgresUrl(config.storage.database.native())) {
      if (std::string pg = storage::pg::CheckPgSearchQuery(a.query); !pg.empty()) {
        why = pg + " (on PostgreSQL)";
      }
    }
#endif
    if (why) {
      errors.push_back({config.path.string(), a.query_line > 0 ? a.query_line : a.line,
                        a.query_line > 0 ? a.query_column : a.column,
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

// The first bytes of a webhook's answer, for the failure message.
std::size_t KeepHead(char* data, std::size_t size, std::size_t n, void* out) {
  auto* head = static_cast<std::string*>(out);
  if (head->size() < 200) head->append(data, std::min(size * n, 200 - head->size()));
  return size * n;
}

// Ends a transfer when the delivery is asked to stop.
int AbortOnStop(void* stop, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  return static_cast<const std::atomic<bool>*>(stop)->load() ? 1 : 0;
}

// `text` on one line, printable, at most `max` bytes: for messages.
std::string OneLine(std::string_view text, std::size_t max) {
  std::string out;
  for (char c : text) {
    if (out.size() >= max) break;
    const auto u = static_cast<unsigned char>(c);
    out += u < 0x20 || u == 0x7f ? ' ' : c;
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  while (!out.empty() && out.front() == ' ') out.erase(0, 1);
  return out;
}

struct Outcome {
  std::string failure;  // empty: delivered
  bool stopped = false; // cut off by RequestStop(): neither delivered nor a failed attempt
};

Outcome Post(const std::string& url, const std::string& body, const std::string& key,
             const std::string& user_agent, std::chrono::milliseconds timeout, const std::atomic<bool>& stop) {
  std::unique_ptr<CURL, CurlDeleter> h(curl_easy_init());
  if (!h) return {"curl_easy_init failed"};
  std::unique_ptr<curl_slist, SlistDeleter> headers;
  for (const std::string& line : {std::string("Content-Type: application/json"), "Idempotency-Key: " + key}) {
    curl_slist* next = curl_slist_append(headers.get(), line.c_str());
    if (next == nullptr) return {"out of memory"};
    (void)headers.release();
    headers.reset(next);
  }
  std::string head;
  curl_easy_setopt(h.get(), CURLOPT_URL, url.c_str());
  curl_easy_setopt(h.get(), CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h.get(), CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(h.get(), CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h.get(), CURLOPT_TIMEOUT_MS, static_cast<long>(timeout.count()));
  curl_easy_setopt(h.get(), CURLOPT_USERAGENT, user_agent.c_str());
  curl_easy_setopt(h.get(), CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(h.get(), CURLOPT_POSTFIELDS, body.c_str());
  curl_easy_setopt(h.get(), CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  curl_easy_setopt(h.get(), CURLOPT_WRITEFUNCTION, KeepHead);
  curl_easy_setopt(h.get(), CURLOPT_WRITEDATA, &head);
  curl_easy_setopt(h.get(), CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(h.get(), CURLOPT_XFERINFOFUNCTION, AbortOnStop);
  curl_easy_setopt(h.get(), CURLOPT_XFERINFODATA, const_cast<std::atomic<bool>*>(&stop));
  const CURLcode rc = curl_easy_perform(h.get());
  if (rc == CURLE_ABORTED_BY_CALLBACK) return {"stopped", true};
  if (rc != CURLE_OK) return {std::string("webhook: ") + curl_easy_strerror(rc)};
  long status = 0;
  curl_easy_getinfo(h.get(), CURLINFO_RESPONSE_CODE, &status);
  if (status >= 200 && status <= 299) return {};
  std::string why = "webhook answered HTTP " + std::to_string(status);
  char* location = nullptr;
  if (status >= 300 && status <= 399 && curl_easy_getinfo(h.get(), CURLINFO_REDIRECT_URL, &location) == CURLE_OK &&
      location != nullptr) {
    why += " to " + OneLine(location, 200) + " (redirects are not followed: set that URL as the webhook)";
  } else if (std::string line = OneLine(head, 200); !line.empty()) {
    why += ": " + line;
  }
  return {why};
}

struct FdCloser {
  int fd = -1;
  ~FdCloser() {
    if (fd >= 0) ::close(fd);
  }
};

// Runs `argv` with `input` as its standard input (a temporary file, so a
// command that does not read it neither blocks us nor raises SIGPIPE); ""
// when it exited 0 within `timeout`, else why not. Its standard output and
// error go to a pipe we drain, keeping the last bytes for the message: they
// never reach jobtrawl's own output, and any amount is read without
// blocking it. It runs in a process group of its own, killed whole at the
// timeout. Once it has exited we do not wait for what it left running in
// the background.
std::string RunCommand(const std::vector<std::string>& argv, const std::string& input,
                       std::chrono::milliseconds timeout) {
  std::FILE* tmp = std::tmpfile();
  if (tmp == nullptr) return std::string("cannot make a temporary file: ") + std::strerror(errno);
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> closer(tmp, std::fclose);
  if (std::fwrite(input.data(), 1, input.size(), tmp) != input.size() || std::fflush(tmp) != 0 ||
      std::fseek(tmp, 0, SEEK_SET) != 0) {
    return std::string("cannot write the command's input: ") + std::strerror(errno);
  }
  int out[2];
  if (::pipe2(out, O_CLOEXEC | O_NONBLOCK) != 0) return std::string("cannot make a pipe: ") + std::strerror(errno);
  FdCloser read_end{out[0]};
  FdCloser write_end{out[1]};
  // The child's end blocks as a pipe normally does.
  ::fcntl(out[1], F_SETFL, ::fcntl(out[1], F_GETFL) & ~O_NONBLOCK);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fileno(tmp), STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, out[1], STDERR_FILENO);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t none, defaults;
  sigemptyset(&none);
  sigemptyset(&defaults);
  for (int sig : {SIGPIPE, SIGHUP, SIGINT, SIGTERM, SIGUSR1, SIGCHLD}) sigaddset(&defaults, sig);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setsigdefault(&attr, &defaults);
  posix_spawnattr_setpgroup(&attr, 0);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP);
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = 0;
  const int spawned = posix_spawnp(&pid, args[0], &actions, &attr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  if (spawned != 0) return "cannot run " + argv[0] + ": " + std::strerror(spawned);
  ::close(write_end.fd);
  write_end.fd = -1;

  std::string tail;  // the last bytes it wrote
  auto drain = [&] {
    char buf[65536];
    while (true) {
      const ssize_t n = ::read(read_end.fd, buf, sizeof buf);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return n == 0;  // true: end of file
      tail.append(buf, static_cast<std::size_t>(n));
      if (tail.size() > 4096) tail.erase(0, tail.size() - 2048);
    }
  };
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  // Its exit is seen on a pidfd; without one (an old kernel), by polling.
  FdCloser pidfd{static_cast<int>(::syscall(SYS_pidfd_open, pid, 0))};
  bool exited = false, timed_out = false, open = true;
  int status = 0;
  while (!exited) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      timed_out = true;
      break;
    }
    pollfd p[2] = {{.fd = open ? read_end.fd : -1, .events = POLLIN, .revents = 0},
                   {.fd = pidfd.fd, .events = POLLIN, .revents = 0}};
    const int wait_ms = pidfd.fd >= 0 ? static_cast<int>(left.count()) : static_cast<int>(std::min<std::int64_t>(left.count(), 20));
    const int ready = ::poll(p, 2, wait_ms);
    if (ready < 0 && errno != EINTR) break;
    if (p[0].revents != 0 && drain()) open = false;
    if (pidfd.fd < 0 || p[1].revents != 0) {
      const pid_t r = ::waitpid(pid, &status, WNOHANG);
      exited = r == pid;
    }
  }
  if (!exited) {
    ::kill(-pid, SIGKILL);  // the group: also what it started
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
  }
  if (open) drain();  // what is in the pipe now; a background process may keep it open
  const std::string said = OneLine(tail.size() > 300 ? std::string_view(tail).substr(tail.size() - 300) : tail, 300);
  const std::string output = said.empty() ? "" : " (its output ends: " + said + ")";
  if (timed_out) return argv[0] + " took longer than [delivery] timeout: killed" + output;
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return "";
  if (WIFEXITED(status)) return argv[0] + " exited with status " + std::to_string(WEXITSTATUS(status)) + output;
  return argv[0] + " was ended by signal " + std::to_string(WTERMSIG(status)) + output;
}

}  // namespace

AlertDelivery::AlertDelivery(std::unique_ptr<storage::PostingStore> store, Options options)
    : store_(std::move(store)),
      options_(std::move(options)),
      alerts_(options_.alerts),
      delivery_(options_.delivery) {}
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

void AlertDelivery::Count(const std::string& alert, std::string_view outcome, int n) const {
  if (options_.on_outcome && n > 0) options_.on_outcome(alert, outcome, n);
}

void AlertDelivery::Reconfigure(std::vector<config::AlertConfig> alerts, config::DeliveryConfig delivery) {
  std::lock_guard lock(config_mu_);
  alerts_ = std::move(alerts);
  delivery_ = delivery;
}

void AlertDelivery::RequestStop() { stop_ = true; }

bool AlertDelivery::Stopping() const {
  return stop_.load() || (deadline_ && std::chrono::steady_clock::now() >= *deadline_);
}

std::string AlertDelivery::Backoff(const config::DeliveryConfig& delivery, int attempts) const {
  auto wait = delivery.retry_base;
  for (int i = 0; i < attempts && wait < delivery.retry_max; ++i) wait *= 2;
  wait = std::min(wait, delivery.retry_max);
  return FormatUtc(options_.now() + wait);
}

std::expected<AlertDelivery::Pass, Error> AlertDelivery::DeliverDue() {
  std::vector<config::AlertConfig> alerts;
  config::DeliveryConfig delivery;
  {
    std::lock_guard lock(config_mu_);
    alerts = alerts_;
    delivery = delivery_;
  }
  const std::string now = FormatUtc(options_.now());
  Pass pass;
  auto report_pending = [&]() -> std::expected<Pass, Error> {
    if (options_.on_pending) {
      auto pending = store_->CountPendingOutbox();
      if (!pending) return std::unexpected(pending.error());
      options_.on_pending(*pending);
    }
    return pass;
  };
  if (delivery.give_up_after.count() > 0) {
    auto given_up = store_->GiveUpOutbox(FormatUtc(options_.now() - delivery.give_up_after), now);
    if (!given_up) return std::unexpected(given_up.error());
    for (const auto& [alert, n] : *given_up) {
      Log("alert \"" + alert + "\": gave up " + std::to_string(n) + " events queued more than [delivery] "
          "give_up_after ago and never delivered");
      Count(alert, "given_up", n);
    }
  }
  if (!last_prune_ || std::chrono::steady_clock::now() - *last_prune_ >= kPruneEvery) {
    auto pruned = store_->PruneOutbox(FormatUtc(options_.now() - options_.keep_delivered));
    if (!pruned) return std::unexpected(pruned.error());
    last_prune_ = std::chrono::steady_clock::now();
  }
  auto due = store_->DueOutbox(now, 200);
  if (!due) return std::unexpected(due.error());
  // By alert, in the order they were queued.
  std::map<std::string, std::vector<storage::OutboxItem>> by_alert;
  for (storage::OutboxItem& item : *due) by_alert[item.alert].push_back(std::move(item));
  // A claim outlasts the attempt, so no other deliverer takes the row meanwhile.
  const std::string claim_until = FormatUtc(options_.now() + 2 * delivery.timeout + std::chrono::minutes(1));
  for (auto& [name, items] : by_alert) {
    if (Stopping()) break;
    auto alert = std::find_if(alerts.begin(), alerts.end(),
                              [&](const config::AlertConfig& a) { return a.name == name; });
    std::vector<std::int64_t> ids;
    for (const auto& i : items) ids.push_back(i.id);
    if (alert == alerts.end()) {
      // Kept, not dropped: the alert may come back with the next config.
      auto r = store_->MarkDeliveryFailed(ids, "no [[alert]] named \"" + name + "\" in the config",
                                          FormatUtc(options_.now() + delivery.retry_max));
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
        auto row = item.posting_id ? store_->AlertPosting(*item.posting_id)
                                   : std::expected<std::optional<storage::Row>, Error>(std::nullopt);
        if (!row) return std::unexpected(row.error());
        if (!*row) {
          gone.push_back(item.id);
          continue;
        }
        o["posting"] = RowToJson(**row);
      }
      bodies.push_back(JsonText(o));
      sent.push_back(&item);
    }
    if (!gone.empty()) {
      auto r = store_->MarkDelivered(gone, now);
      if (!r) return std::unexpected(r.error());
    }
    if (sent.empty()) continue;
    if (!alert->webhook.empty()) {
      for (std::size_t i = 0; i < sent.size(); ++i) {
        if (Stopping()) break;
        const std::int64_t id = sent[i]->id;
        auto claimed = store_->ClaimOutbox(std::span(&id, 1), now, claim_until);
        if (!claimed) return std::unexpected(claimed.error());
        if (claimed->empty()) continue;  // another process has it
        const Outcome outcome = Post(alert->webhook, bodies[i], sent[i]->idempotency_key, options_.user_agent,
                                     delivery.timeout, stop_);
        if (outcome.stopped) {
          auto r = store_->DeferOutbox(std::span(&id, 1), now);  // due at once after a restart
          if (!r) return std::unexpected(r.error());
          break;
        }
        if (outcome.failure.empty()) {
          // Committed only now: a crash before this line delivers it again, same key.
          auto r = store_->MarkDelivered(std::span(&id, 1), FormatUtc(options_.now()));
          if (!r) return std::unexpected(r.error());
          ++pass.delivered;
          Count(name, "delivered", 1);
          continue;
        }
        const std::string next = Backoff(delivery, sent[i]->attempts);
        std::vector<std::int64_t> rest;
        for (std::size_t j = i + 1; j < sent.size(); ++j) rest.push_back(sent[j]->id);
        Log("alert \"" + name + "\": " + outcome.failure + " (" + sent[i]->idempotency_key + "); tried again later" +
            (rest.empty() ? std::string() : ", with the " + std::to_string(rest.size()) + " events queued after it"));
        auto r = store_->MarkDeliveryFailed(std::span(&id, 1), outcome.failure, next);
        if (!r) return std::unexpected(r.error());
        // The target is down or hangs: the rest wait with this one rather
        // than each taking up to [delivery] timeout now.
        if (auto d = store_->DeferOutbox(rest, next); !d) return std::unexpected(d.error());
        ++pass.failed;
        Count(name, "failed", 1);
        break;
      }
    } else {
      auto claimed = store_->ClaimOutbox(ids, now, claim_until);
      if (!claimed) return std::unexpected(claimed.error());
      std::string input;
      std::vector<std::int64_t> batch;
      int attempts = 0;
      for (std::size_t i = 0; i < sent.size(); ++i) {
        if (std::find(claimed->begin(), claimed->end(), sent[i]->id) == claimed->end()) continue;
        input += bodies[i] + "\n";
        batch.push_back(sent[i]->id);
        attempts = std::max(attempts, sent[i]->attempts);
      }
      if (batch.empty()) continue;
      const std::string failure = RunCommand(alert->command, input, delivery.timeout);
      const int n = static_cast<int>(batch.size());
      if (failure.empty()) {
        auto r = store_->MarkDelivered(batch, FormatUtc(options_.now()));
        if (!r) return std::unexpected(r.error());
        pass.delivered += n;
        Count(name, "delivered", n);
      } else {
        Log("alert \"" + name + "\": " + failure + "; " + std::to_string(n) + " events tried again later");
        auto r = store_->MarkDeliveryFailed(batch, failure, Backoff(delivery, attempts));
        if (!r) return std::unexpected(r.error());
        pass.failed += n;
        Count(name, "failed", n);
      }
    }
  }
  return report_pending();
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
  deadline_ = deadline;
  Flush flush;
  while (true) {
    auto pass = DeliverDue();
    if (!pass) {
      deadline_.reset();
      return std::unexpected(pass.error());
    }
    flush.delivered += pass->delivered;
    auto wait = UntilNextDue();
    if (!wait) {
      deadline_.reset();
      return std::unexpected(wait.error());
    }
    if (!*wait) {
      deadline_.reset();
      return flush;
    }
    if (std::chrono::steady_clock::now() + **wait >= deadline || stop_) break;
    if (**wait > std::chrono::milliseconds(0)) std::this_thread::sleep_for(**wait);  // a backoff
  }
  deadline_.reset();
  auto left = store_->CountPendingOutbox();
  if (!left) return std::unexpected(left.error());
  flush.pending = static_cast<int>(*left);
  return flush;
}

DeliveryWorker::DeliveryWorker(std::unique_ptr<AlertDelivery> delivery)
    : delivery_(std::move(delivery)), thread_([this] { Loop(); }) {}

DeliveryWorker::~DeliveryWorker() {
  delivery_->RequestStop();
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

void DeliveryWorker::Reconfigure(std::vector<config::AlertConfig> alerts, config::DeliveryConfig delivery) {
  delivery_->Reconfigure(std::move(alerts), delivery);
  Wake();
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
