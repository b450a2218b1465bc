#include "app/config_lint.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <string>
#include <string_view>

#include "crawler/address_policy.h"
#include "model/url.h"

namespace jobtrawl::app {

namespace {

// Hosts whose boards a board API kind reads (README "Source kinds").
struct BoardHost {
  std::string_view host;  // the whole host, or a suffix starting with '.'
  std::string_view kind;
};
constexpr BoardHost kBoardHosts[] = {
    {"boards.greenhouse.io", "greenhouse"}, {"job-boards.greenhouse.io", "greenhouse"},
    {"jobs.lever.co", "lever"},             {"jobs.ashbyhq.com", "ashby"},
    {"apply.workable.com", "workable"},     {"jobs.smartrecruiters.com", "smartrecruiters"},
    {".recruitee.com", "recruitee"},        {".myworkdayjobs.com", "workday"},
    {".jobs.personio.de", "personio"},      {".jobs.personio.com", "personio"},
    {".breezy.hr", "breezy"},               {"ats.rippling.com", "rippling"},
};

std::string_view BoardKindOfHost(std::string_view host) {
  for (const BoardHost& b : kBoardHosts) {
    if (b.host.front() == '.' ? host.ends_with(b.host) : host == b.host) return b.kind;
  }
  return {};
}

// Why the address policy refuses `host` whatever DNS says, or empty.
std::string RefusedHost(std::string_view host) {
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  std::string_view kind = crawler::NonPublicKind(host);
  if (!kind.empty()) return std::string(kind);
  // The legacy IPv4 spellings URL parsers and resolvers accept ("127.1",
  // "2130706433", "0x7f000001", "0177.0.0.1") reach the same address.
  in_addr legacy{};
  const std::string text(host);
  if (inet_aton(text.c_str(), &legacy) == 1) {
    char dotted[INET_ADDRSTRLEN];
    if (inet_ntop(AF_INET, &legacy, dotted, sizeof dotted) != nullptr) {
      kind = crawler::NonPublicKind(dotted);
      if (!kind.empty()) return std::string(kind);
    }
  }
  if (host == "localhost" || host.ends_with(".localhost")) return "loopback";
  return {};
}

}  // namespace

std::vector<config::ConfigError> LintConfig(const config::Config& config) {
  std::vector<config::ConfigError> warnings;
  const std::string file = config.path.string();
  if (config.sources.empty()) {
    warnings.push_back({file, 0, 0,
                        "no [[source]]: there is nothing to crawl (add a [[source]] table; see "
                        "`config/examples/` and README \"Source kinds\")"});
  }
  if (const std::string& listen = config.metrics.listen; !listen.empty()) {
    const std::string host = listen.substr(0, listen.rfind(':'));
    const std::string bare = host.size() > 2 && host.front() == '[' ? host.substr(1, host.size() - 2) : host;
    if (crawler::NonPublicKind(bare) != "loopback") {
      warnings.push_back({file, 0, 0,
                          "[metrics] listen = \"" + listen +
                              "\" is reachable from other machines: the metrics name every source; "
                              "prefer 127.0.0.1 or [::1] behind a proxy or firewall"});
    }
  }
  for (const config::SourceConfig& s : config.sources) {
    const bool private_ok = s.allow_private_networks.value_or(config.http.allow_private_networks);
    for (const std::string& start : s.start) {
      auto url = SplitUrl(start);
      if (!url) continue;
      const std::string& host = url->host;
      if (!private_ok) {
        if (std::string why = RefusedHost(host); !why.empty()) {
          warnings.push_back({file, s.line, s.column,
                              "source \"" + s.name + "\": start URL " + start + " is on a " + why +
                                  " address, which is refused while allow_private_networks is off "
                                  "(set it in [http] or in the source)"});
        }
      }
      if (s.kind == "html") {
        if (std::string_view kind = BoardKindOfHost(host); !kind.empty()) {
          warnings.push_back({file, s.line, s.column,
                              "source \"" + s.name + "\": " + host + " is a " + std::string(kind) +
                                  " board; kind = \"" + std::string(kind) +
                                  "\" with board = \"TOKEN\" reads it through its API, with every field"});
        }
      }
    }
  }
  for (const config::AlertConfig& a : config.alerts) {
    // Postings are public, but a webhook URL often carries a secret token.
    auto url = SplitUrl(a.webhook);
    if (!url || !a.webhook.starts_with("http://")) continue;
    if (RefusedHost(url->host) != "loopback") {
      warnings.push_back({file, a.line, a.column,
                          "alert \"" + a.name + "\": webhook " + a.webhook +
                              " is plain http to another machine: its URL and payloads travel "
                              "unencrypted (use https)"});
    }
  }
  return warnings;
}

}  // namespace jobtrawl::app
