// Generated job postings for storage benchmarks (issue 12 part 6): English
// text from a Zipf-weighted vocabulary, companies with their own
// introduction and benefits paragraphs, a few titles per company (so many
// same-title, same-company jobs whose duties differ), and aggregator copies
// with light edits (casing, white space, synonyms, a date shifted by days).
// Deterministic for a seed.
#ifndef JOBTRAWL_BENCH_POSTING_GEN_H_
#define JOBTRAWL_BENCH_POSTING_GEN_H_

#include <array>
#include <cctype>
#include <iterator>
#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "model/posting.h"

namespace jobtrawl::bench {

class PostingGenerator {
 public:
  explicit PostingGenerator(std::uint64_t seed, int companies = 5000) : rng_(seed) {
    for (size_t i = 0; i < std::size(kWords); ++i) weights_.push_back(1.0 / std::pow(double(i + 1), 0.9));
    word_ = std::discrete_distribution<size_t>(weights_.begin(), weights_.end());
    for (int c = 0; c < companies; ++c) {
      Company co;
      co.name = Capitalize(Word()) + " " + Capitalize(Word()) + (c % 3 == 0 ? " GmbH" : " Inc.");
      co.key = co.name;  // a stand-in for normalize::CompanyKey: unique per company
      co.intro = Paragraph(3);
      co.benefits = Paragraph(3);
      for (int t = 0; t < 4; ++t) co.titles.emplace_back(kTitles[rng_() % std::size(kTitles)]);
      companies_.push_back(std::move(co));
    }
  }

  // Job `n`: a new posting as its employer's ATS shows it.
  Posting Job(std::int64_t n) {
    std::uniform_int_distribution<size_t> pick(0, companies_.size() - 1);
    // Some companies hire much more than others.
    const size_t c = std::min(pick(rng_), pick(rng_));
    const Company& co = companies_[c];
    Posting p;
    p.external_id = std::to_string(n);
    p.url = "https://ats.example/" + std::to_string(c) + "/jobs/" + std::to_string(n);
    const std::string& title = co.titles[rng_() % co.titles.size()];
    p.title = title;
    p.title_family = title;
    p.company = co.name;
    p.company_key = co.key;
    p.description = co.intro + "\n\nWhat you will do\n" + List(5 + rng_() % 4) +
                    "\n\nWhat we are looking for\n" + List(3 + rng_() % 3) + "\n\n" + co.benefits +
                    "\nApply before 2026-12-" + std::to_string(10 + rng_() % 18) + ".";
    return p;
  }

  // Turns `job` into the higher opening of a pair and returns the lower one
  // (job number `n`): the same company, title family and description but
  // for its closing date, a different job (issue 12 part 6: dedup merged
  // such pairs). A Staff and a Junior opening, or, where the role word has
  // a level of its own that normalize::SeniorityOf gives both titles
  // ("manager": lead, "architect": staff), a Staff and a Lead manager or a
  // Principal and a Senior architect: dedup merged those too (review of
  // issue 12 part 1).
  Posting Twin(Posting& job, std::int64_t n) {
    Posting twin = job;
    const std::string title = *job.title;
    auto ends_with = [&](std::string_view word) {
      return title.size() >= word.size() && title.compare(title.size() - word.size(), word.size(), word) == 0;
    };
    if (ends_with("manager")) {
      job.title = "Staff " + title;
      twin.title = "Lead " + *twin.title;
      job.seniority = twin.seniority = "lead";
    } else if (ends_with("architect")) {
      job.title = "Principal " + title;
      twin.title = "Senior " + *twin.title;
      job.seniority = twin.seniority = "staff";
    } else {
      job.title = "Staff " + title;
      job.seniority = "staff";
      twin.title = "Junior " + *twin.title;
      twin.seniority = "entry";
    }
    twin.external_id = std::to_string(n);
    twin.url = job.url.substr(0, job.url.rfind('/') + 1) + std::to_string(n);
    std::string& d = *twin.description;
    if (size_t i = d.rfind("2026-12-"); i != std::string::npos && i + 10 <= d.size()) {
      d.replace(i + 8, 2, std::to_string(std::stoi(d.substr(i + 8, 2)) + 1));  // 11..28
    }
    return twin;
  }

  // An aggregator's copy of `job` with light edits.
  Posting Copy(const Posting& job) {
    Posting p = job;
    p.external_id.reset();
    p.url = "https://aggregator.example/j/" + *job.external_id;
    std::string d = *job.description;
    // Casing: a heading in capitals; white space: bullets re-drawn.
    for (size_t i = d.find("What you will do"); i != std::string::npos && i < d.size(); i = std::string::npos) {
      for (size_t k = i; k < i + 16; ++k) d[k] = static_cast<char>(std::toupper(static_cast<unsigned char>(d[k])));
    }
    d = ReplaceAll(d, "\n- ", "\n  *  ");
    // Synonyms: two of these, where the text has them.
    static constexpr std::array<std::pair<std::string_view, std::string_view>, 6> kSwaps{{
        {"customers", "clients"}, {"build", "develop"}, {"strong", "solid"},
        {"team", "squad"}, {"role", "position"}, {"help", "assist"}}};
    const size_t first = rng_() % kSwaps.size();
    for (size_t k = 0; k < 2; ++k) {
      const auto& [from, to] = kSwaps[(first + k) % kSwaps.size()];
      d = ReplaceFirst(d, from, to);
    }
    if (size_t i = d.rfind("2026-12-"); i != std::string::npos && i + 10 <= d.size()) {
      d.replace(i + 8, 2, std::to_string(std::stoi(d.substr(i + 8, 2)) + 3));  // days later
    }
    p.description = std::move(d);
    p.title = Upper(*job.title);
    return p;
  }

 private:
  struct Company {
    std::string name, key, intro, benefits;
    std::vector<std::string> titles;
  };

  static std::string Capitalize(std::string w) {
    if (!w.empty()) w[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(w[0])));
    return w;
  }
  static std::string Upper(std::string w) {
    for (char& c : w) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return w;
  }
  static std::string ReplaceAll(std::string s, std::string_view from, std::string_view to) {
    for (size_t i = s.find(from); i != std::string::npos; i = s.find(from, i + to.size())) {
      s.replace(i, from.size(), to);
    }
    return s;
  }
  static std::string ReplaceFirst(std::string s, std::string_view from, std::string_view to) {
    if (size_t i = s.find(from); i != std::string::npos) s.replace(i, from.size(), to);
    return s;
  }

  std::string Word() { return std::string(kWords[word_(rng_)]); }
  std::string Sentence() {
    std::string s = Capitalize(Word());
    const int n = 8 + static_cast<int>(rng_() % 12);
    for (int i = 1; i < n; ++i) s += (i % 7 == 6 ? ", " : " ") + Word();
    return s + ".";
  }
  std::string Paragraph(int sentences) {
    std::string p;
    for (int i = 0; i < sentences; ++i) p += (i ? " " : "") + Sentence();
    return p;
  }
  std::string List(size_t items) {
    std::string l;
    for (size_t i = 0; i < items; ++i) l += "- " + Sentence() + "\n";
    return l;
  }

  // The most common words of English job ads first (Zipf weights follow the order).
  static constexpr std::string_view kWords[] = {
      "the", "and", "to", "of", "a", "you", "in", "our", "with", "for", "we", "will", "team", "is",
      "on", "your", "are", "work", "as", "experience", "be", "that", "an", "or", "customers",
      "build", "product", "data", "help", "new", "strong", "across", "skills", "role", "who",
      "by", "from", "working", "business", "support", "development", "engineering", "systems",
      "software", "people", "company", "knowledge", "ability", "years", "about", "at", "this",
      "design", "more", "technical", "services", "teams", "have", "all", "what", "can", "us",
      "management", "including", "looking", "their", "join", "platform", "opportunity", "great",
      "solutions", "growth", "best", "world", "time", "quality", "make", "environment", "high",
      "projects", "understanding", "complex", "clear", "tools", "process", "improve", "every",
      "communication", "results", "ensure", "drive", "deliver", "own", "impact", "scale",
      "culture", "closely", "values", "other", "within", "one", "like", "excellent", "plus",
      "remote", "office", "benefits", "health", "learning", "flexible", "equity", "salary",
      "holiday", "budget", "home", "days", "week", "equal", "employer", "background", "apply",
      "backend", "frontend", "services", "infrastructure", "cloud", "security", "reliability",
      "performance", "testing", "automation", "pipelines", "deployment", "monitoring", "metrics",
      "alerting", "tracing", "incident", "review", "code", "mentor", "engineers", "designers",
      "managers", "stakeholders", "partners", "finance", "legal", "sales", "marketing",
      "operations", "logistics", "warehouse", "robots", "payments", "billing", "invoicing",
      "ledger", "reports", "accounting", "analytics", "dashboards", "experiments", "models",
      "machine", "learning", "research", "prototype", "roadmap", "strategy", "vision", "goals",
      "customer", "problems", "reliable", "features", "simple", "fast", "secure", "scalable",
      "distributed", "production", "databases", "queues", "containers", "kubernetes", "linux",
      "python", "go", "java", "kotlin", "rust", "typescript", "react", "postgresql", "kafka",
      "redis", "terraform", "aws", "gcp", "azure", "docker", "graphql", "rest", "apis",
      "mobile", "ios", "android", "web", "browser", "accessibility", "interface", "user",
      "users", "research", "writing", "documentation", "written", "spoken", "english", "german",
      "french", "spanish", "fluent", "degree", "computer", "science", "equivalent", "practical",
      "hands", "curious", "humble", "ownership", "autonomy", "trust", "diverse", "inclusive",
      "welcome", "applicants", "regardless", "gender", "age", "origin", "disability",
      "religion", "orientation", "proud", "mission", "million", "thousands", "millions",
      "events", "requests", "transactions", "orders", "shipments", "routes", "schedules",
      "machines", "devices", "sensors", "fleet", "vehicles", "energy", "climate", "health",
      "patients", "doctors", "clinics", "students", "teachers", "schools", "banks", "insurance",
      "retail", "stores", "merchants", "restaurants", "travel", "hotels", "media", "games",
      "music", "video", "content", "creators", "community", "open", "source", "contributions",
      "conference", "talks", "blog", "pairing", "rotation", "call", "night", "weekend",
      "quarter", "month", "year", "first", "second", "third", "day", "hour", "minute",
      "happy", "excited", "passionate", "motivated", "driven", "detail", "oriented", "focused",
      "pragmatic", "thoughtful", "careful", "kind"};
  static constexpr std::string_view kTitles[] = {
      "backend engineer", "frontend engineer", "software engineer", "data engineer",
      "data scientist", "product manager", "product designer", "site reliability engineer",
      "devops engineer", "mobile engineer", "qa engineer", "security engineer",
      "machine learning engineer", "engineering manager", "account executive",
      "customer success manager", "sales development representative", "marketing manager",
      "financial analyst", "recruiter", "technical writer", "support engineer",
      "solutions architect", "business analyst"};

  std::mt19937_64 rng_;
  std::vector<double> weights_;
  std::discrete_distribution<size_t> word_;
  std::vector<Company> companies_;
};

}  // namespace jobtrawl::bench

#endif  // JOBTRAWL_BENCH_POSTING_GEN_H_
