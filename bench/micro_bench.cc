// Google Benchmark micro-benchmarks of the hot paths: Gumbo parse, JSON-LD
// extraction, HTML to text and Markdown, normalizing a posting, each kind's
// reader, body hashing and the store's upsert.
//
// usage: jobtrawl_micro_bench [--page=FILE] [benchmark flags]
// The page defaults to a bundled sample page; bench/run.py passes a
// generated detail page. Corpus pages (../shared/corpus) are used too when
// present.
#include <benchmark/benchmark.h>
#include <gumbo.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <tuple>

#include "app/source_crawl.h"
#include "normalize/classify.h"
#include "normalize/dates.h"
#include "normalize/location.h"
#include "normalize/normalize.h"
#include "normalize/salary.h"
#include "normalize/text.h"
#include "parsers/extractor.h"
#include "parsers/html_document.h"
#include "parsers/html_text.h"
#include "parsers/json_ld.h"
#include "parsers/selector.h"
#include "storage/store.h"

namespace {

using namespace jobtrawl;

std::string g_page;
std::string g_page_path;

std::string Read(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void BM_GumboParse(benchmark::State& state) {
  for (auto _ : state) {
    GumboOutput* out = gumbo_parse_with_options(&kGumboDefaultOptions, g_page.data(), g_page.size());
    benchmark::DoNotOptimize(out);
    gumbo_destroy_output(&kGumboDefaultOptions, out);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * g_page.size()));
}
BENCHMARK(BM_GumboParse);

void BM_ExtractDetail(benchmark::State& state) {
  // What a detail page costs in a crawl: JSON-LD scan, lenient parse, text.
  parsers::Extractor x({.detail_pattern = "/jobs/"});
  for (auto _ : state) {
    Extracted e = x.Extract("http://127.0.0.1/a/jobs/A000001.html", g_page, Link::Role::kDetail);
    benchmark::DoNotOptimize(e);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * g_page.size()));
}
BENCHMARK(BM_ExtractDetail);

void BM_ExtractListing(benchmark::State& state) {
  // A listing page builds a Gumbo tree for its links.
  parsers::Extractor x({.detail_pattern = "/jobs/", .next_pattern = "page-"});
  for (auto _ : state) {
    Extracted e = x.Extract("http://127.0.0.1/a/index.html", g_page, Link::Role::kListing);
    benchmark::DoNotOptimize(e);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * g_page.size()));
}
BENCHMARK(BM_ExtractListing);

void BM_HtmlToText(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(parsers::HtmlToText(g_page));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * g_page.size()));
}
BENCHMARK(BM_HtmlToText);

void BM_HtmlToMarkdown(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(parsers::HtmlToMarkdown(g_page));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * g_page.size()));
}
BENCHMARK(BM_HtmlToMarkdown);

void BM_NormalizePosting(benchmark::State& state) {
  // What normalizing costs per posting: the page's posting as extracted,
  // normalized afresh each time (text, places, salary, dates, keys, skills, ...).
  parsers::Extractor x({});
  Extracted e = x.Extract("http://127.0.0.1/a/jobs/A000001.html", g_page, Link::Role::kDetail);
  if (e.postings.empty()) {
    state.SkipWithError("the page holds no posting");
    return;
  }
  const Posting extracted = e.postings.front();
  const normalize::Context context{.fetched_at = std::chrono::system_clock::now(), .country = "US"};
  for (auto _ : state) {
    Posting p = extracted;
    normalize::NormalizePosting(p, context);
    benchmark::DoNotOptimize(p);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}
BENCHMARK(BM_NormalizePosting);

// Normalizing the postings of up to 200 pages beside --page (the
// generated site's other detail pages), one per iteration in turn: the
// per-posting cost across the benchmark's postings, not one page's. They
// repeat locations and titles as a board does, which normalize's recent
// results (normalize/recent_results.h) answer.
void BM_NormalizeSitePostings(benchmark::State& state) {
  static const std::vector<Posting> kPostings = [] {
    std::vector<std::filesystem::path> files;
    const std::filesystem::path dir = std::filesystem::path(g_page_path).parent_path();
    if (std::filesystem::is_directory(dir)) {
      for (const auto& entry : std::filesystem::directory_iterator(dir)) {
        if (entry.path().extension() == ".html") files.push_back(entry.path());
      }
    }
    std::sort(files.begin(), files.end());
    if (files.size() > 200) files.resize(200);
    std::vector<Posting> postings;
    parsers::Extractor x({});
    for (const auto& f : files) {
      Extracted e = x.Extract("http://127.0.0.1/a/jobs/" + f.filename().string(), Read(f), Link::Role::kDetail);
      for (Posting& p : e.postings) postings.push_back(std::move(p));
    }
    return postings;
  }();
  if (kPostings.empty()) {
    state.SkipWithError("no postings beside --page");
    return;
  }
  const normalize::Context context{.fetched_at = std::chrono::system_clock::now(), .country = "US"};
  std::size_t next = 0;
  for (auto _ : state) {
    Posting p = kPostings[next];
    next = next + 1 == kPostings.size() ? 0 : next + 1;
    normalize::NormalizePosting(p, context);
    benchmark::DoNotOptimize(p);
  }
  state.counters["postings"] = static_cast<double>(kPostings.size());
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}
BENCHMARK(BM_NormalizeSitePostings);

// Each step of NormalizePosting on its own, on the page's posting (cleaned
// text where the step sees cleaned text), to show where the time goes:
// BM_NormalizeStep/<step>. The description's size is a counter. The
// location and title steps repeat one text, so after the first iteration
// they time a kept result (normalize/recent_results.h).
const Posting& ExtractedPosting() {
  static const Posting kPosting = [] {
    parsers::Extractor x({});
    Extracted e = x.Extract("http://127.0.0.1/a/jobs/A000001.html", g_page, Link::Role::kDetail);
    return e.postings.empty() ? Posting{} : e.postings.front();
  }();
  return kPosting;
}

enum class Step {
  kCleanDescription, kCleanMarkdown, kCleanShort, kLocation, kSalary, kEmploymentType, kTitle,
  kCompanyKey, kDates, kSkills, kVisa, kExperience, kLanguage,
};

void BM_NormalizeStep(benchmark::State& state, Step step) {
  const Posting& raw = ExtractedPosting();
  if (!raw.description) {
    state.SkipWithError("the page holds no posting with a description");
    return;
  }
  Posting clean = raw;
  normalize::NormalizePosting(clean, {.fetched_at = std::chrono::system_clock::now(), .country = "US"});
  const std::string description = clean.description.value_or("");
  const std::string words = clean.title.value_or("") + "\n" + description;
  const auto now = std::chrono::system_clock::now();
  for (auto _ : state) {
    switch (step) {
      case Step::kCleanDescription: benchmark::DoNotOptimize(normalize::CleanText(*raw.description, true)); break;
      case Step::kCleanMarkdown:
        benchmark::DoNotOptimize(normalize::CleanText(raw.description_markdown.value_or(""), true));
        break;
      case Step::kCleanShort:
        benchmark::DoNotOptimize(normalize::CleanText(raw.title.value_or("")));
        benchmark::DoNotOptimize(normalize::CleanText(raw.company.value_or("")));
        benchmark::DoNotOptimize(normalize::CleanText(raw.location.value_or("")));
        benchmark::DoNotOptimize(normalize::CleanText(raw.salary_text.value_or("")));
        break;
      case Step::kLocation: benchmark::DoNotOptimize(normalize::ParseLocation(clean.location.value_or(""), "US")); break;
      case Step::kSalary:
        benchmark::DoNotOptimize(normalize::NormalizeStructuredSalary(raw.salary_min, raw.salary_max,
                                                                      raw.salary_currency.value_or(""),
                                                                      raw.salary_period.value_or(""), "US"));
        benchmark::DoNotOptimize(normalize::ParseSalary(clean.salary_text.value_or(""), "US"));
        break;
      case Step::kEmploymentType:
        benchmark::DoNotOptimize(normalize::EmploymentTypes(raw.employment_type.value_or("")));
        benchmark::DoNotOptimize(normalize::RemoteFrom(clean.title.value_or("")));
        break;
      case Step::kTitle:
        benchmark::DoNotOptimize(normalize::SeniorityOf(clean.title.value_or("")));
        benchmark::DoNotOptimize(normalize::TitleKeysOf(clean.title.value_or("")));
        break;
      case Step::kCompanyKey: benchmark::DoNotOptimize(normalize::CompanyKey(clean.company.value_or(""))); break;
      case Step::kDates:
        benchmark::DoNotOptimize(normalize::NormalizeDate(raw.date_posted.value_or(""), now, normalize::DateOrder::kMonthFirst));
        benchmark::DoNotOptimize(normalize::NormalizeDate(raw.valid_through.value_or(""), now, normalize::DateOrder::kMonthFirst));
        break;
      case Step::kSkills: benchmark::DoNotOptimize(normalize::Skills(words)); break;
      case Step::kVisa: benchmark::DoNotOptimize(normalize::VisaSponsorship(description)); break;
      case Step::kExperience: benchmark::DoNotOptimize(normalize::ExperienceYears(description)); break;
      case Step::kLanguage: benchmark::DoNotOptimize(normalize::Language(description)); break;
    }
  }
  state.counters["description_bytes"] = static_cast<double>(raw.description->size());
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}
BENCHMARK_CAPTURE(BM_NormalizeStep, clean_description, Step::kCleanDescription);
BENCHMARK_CAPTURE(BM_NormalizeStep, clean_markdown, Step::kCleanMarkdown);
BENCHMARK_CAPTURE(BM_NormalizeStep, clean_short_fields, Step::kCleanShort);
BENCHMARK_CAPTURE(BM_NormalizeStep, location, Step::kLocation);
BENCHMARK_CAPTURE(BM_NormalizeStep, salary, Step::kSalary);
BENCHMARK_CAPTURE(BM_NormalizeStep, employment_type_remote, Step::kEmploymentType);
BENCHMARK_CAPTURE(BM_NormalizeStep, title, Step::kTitle);
BENCHMARK_CAPTURE(BM_NormalizeStep, company_key, Step::kCompanyKey);
BENCHMARK_CAPTURE(BM_NormalizeStep, dates, Step::kDates);
BENCHMARK_CAPTURE(BM_NormalizeStep, skills, Step::kSkills);
BENCHMARK_CAPTURE(BM_NormalizeStep, visa, Step::kVisa);
BENCHMARK_CAPTURE(BM_NormalizeStep, experience, Step::kExperience);
BENCHMARK_CAPTURE(BM_NormalizeStep, language, Step::kLanguage);

void BM_BodyHash(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(app::BodyHash(g_page));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * g_page.size()));
}
BENCHMARK(BM_BodyHash);

void BM_Upsert(benchmark::State& state) {
  // New postings, 100 per transaction, into a WAL database file.
  auto path = std::filesystem::temp_directory_path() / "jobtrawl-micro-bench.db";
  for (auto suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + suffix);
  auto store = std::move(*storage::PostingStore::Open(path));
  auto source = *store->EnsureSource("bench", "html", "t0");
  Extracted x;
  parsers::ExtractJsonLd(g_page, "http://127.0.0.1/a/jobs/A000001.html", x);
  Posting base = x.postings.empty() ? Posting{} : x.postings.front();
  std::int64_t n = 0;
  std::vector<Posting> batch(100, base);
  for (auto _ : state) {
    for (auto& p : batch) {
      p.external_id = std::to_string(n++);
      p.url = "http://127.0.0.1/a/jobs/" + *p.external_id;
    }
    benchmark::DoNotOptimize(store->Upsert(source, batch, "2026-11-27T00:00:00Z"));
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * batch.size()));
  store.reset();
  for (auto suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + suffix);
}
BENCHMARK(BM_Upsert);

// ---- Hostile input: the work must grow linearly with the input ----

// `n` nested <div>s with a <span> at the bottom, matched against a chain of
// descendant combinators whose first compound matches nothing: without
// memoization every subset of ancestors is tried.
void BM_SelectorDescendantChain(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  std::string html = "<html><body>";
  for (std::size_t i = 0; i < n; ++i) html += "<div>";
  html += "<span>x</span>";
  parsers::HtmlDocument doc(html);
  auto selector = parsers::Selector::Parse("section div div div div div div div div span");
  for (auto _ : state) benchmark::DoNotOptimize(selector->SelectAll(*doc.document()));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * n));
}
BENCHMARK(BM_SelectorDescendantChain)->Arg(24)->Arg(32)->Arg(500);

// `n` sibling <p>s against "div ~ p ~ p ~ p": each element tried every
// earlier sibling, recursively.
void BM_SelectorSiblingChain(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  std::string html = "<html><body><main>";
  for (std::size_t i = 0; i < n; ++i) html += "<p>x</p>";
  parsers::HtmlDocument doc(html);
  auto selector = parsers::Selector::Parse("div ~ p ~ p ~ p");
  for (auto _ : state) benchmark::DoNotOptimize(selector->SelectAll(*doc.document()));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * n));
}
BENCHMARK(BM_SelectorSiblingChain)->Arg(100)->Arg(200)->Arg(10000);

std::string Repeat(std::string_view unit, std::size_t bytes) {
  std::string out;
  out.reserve(bytes + unit.size());
  while (out.size() < bytes) out.append(unit);
  return out;
}

// Each normalizer on 100 KB of the input that made it quadratic.
void BM_NormalizeHostile(benchmark::State& state) {
  static const std::string kDashes = Repeat("1\u2013", 100'000);
  static const std::string kParens = Repeat("a (b) or ", 100'000);
  static const std::string kDashPlaces = Repeat("x - ", 100'000);
  static const std::string kEmptyParens = Repeat("()", 100'000);
  static const std::string kMarkers = Repeat("m/w/d", 100'000);
  static const std::string kGo = Repeat("Go ", 100'000);
  static const std::string kWords = Repeat("foo ", 100'000);
  static const std::string kThree = Repeat("three years ", 100'000);
  std::string places;
  for (int i = 0; places.size() < 100'000; ++i) places += "Town" + std::to_string(i) + "; ";
  const auto now = std::chrono::system_clock::now();
  for (auto _ : state) {
    switch (state.range(0)) {
      case 0: benchmark::DoNotOptimize(normalize::ParseSalary(kDashes, "US")); break;
      case 1: benchmark::DoNotOptimize(normalize::ParseLocation(kParens, "US")); break;
      case 2: benchmark::DoNotOptimize(normalize::ParseLocation(kDashPlaces, "US")); break;
      case 3: benchmark::DoNotOptimize(normalize::ParseLocation(places, "US")); break;
      case 4: benchmark::DoNotOptimize(normalize::CompanyKey(kEmptyParens)); break;
      case 5: benchmark::DoNotOptimize(normalize::TitleKeysOf(kEmptyParens)); break;
      case 6: benchmark::DoNotOptimize(normalize::TitleKeysOf(kMarkers)); break;
      case 7: benchmark::DoNotOptimize(normalize::Skills(kGo)); break;
      case 8: benchmark::DoNotOptimize(normalize::NormalizeDate(kWords, now, normalize::DateOrder::kDayFirst)); break;
      case 9: benchmark::DoNotOptimize(normalize::ExperienceYears(kThree)); break;
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * 100'000));
}
BENCHMARK(BM_NormalizeHostile)->DenseRange(0, 9)->Unit(benchmark::kMillisecond);

}  // namespace

int main(int argc, char** argv) {
  std::filesystem::path page = JOBTRAWL_SOURCE_DIR "/sample-board/jobs/1001.html";
  std::vector<char*> rest;
  for (int i = 0; i < argc; ++i) {
    std::string_view a(argv[i]);
    if (a.starts_with("--page=")) {
      page = std::string(a.substr(7));
    } else {
      rest.push_back(argv[i]);
    }
  }
  g_page = Read(page);
  g_page_path = page.string();
  if (g_page.empty()) {
    std::fprintf(stderr, "cannot read %s\n", page.c_str());
    return 2;
  }
  // Real pages saved from the web, when ../shared/corpus is there: Gumbo
  // and the JSON-LD scan on each.
  static std::vector<std::pair<std::string, std::string>> corpus;
  std::filesystem::path corpus_dir = JOBTRAWL_SOURCE_DIR "/../shared/corpus";
  for (auto sub : {"jsonld", "listing", "plain"}) {
    if (!std::filesystem::is_directory(corpus_dir / sub)) continue;
    for (const auto& entry : std::filesystem::directory_iterator(corpus_dir / sub)) {
      if (entry.path().extension() == ".html") {
        corpus.emplace_back(std::string(sub) + "/" + entry.path().filename().string(), Read(entry.path()));
      }
    }
  }
  std::sort(corpus.begin(), corpus.end());
  for (const auto& [name, html] : corpus) {
    const std::string* text = &html;
    benchmark::RegisterBenchmark(("BM_GumboParse/corpus/" + name).c_str(), [text](benchmark::State& st) {
      for (auto _ : st) {
        GumboOutput* out = gumbo_parse_with_options(&kGumboDefaultOptions, text->data(), text->size());
        benchmark::DoNotOptimize(out);
        gumbo_destroy_output(&kGumboDefaultOptions, out);
      }
      st.SetBytesProcessed(static_cast<int64_t>(st.iterations() * text->size()));
    });
    benchmark::RegisterBenchmark(("BM_JsonLdScan/corpus/" + name).c_str(), [text](benchmark::State& st) {
      for (auto _ : st) {
        Extracted x;
        parsers::ExtractJsonLd(*text, "https://example.org/job", x);
        benchmark::DoNotOptimize(x);
      }
      st.SetBytesProcessed(static_cast<int64_t>(st.iterations() * text->size()));
    });
  }
  // Feeds and board API responses from the corpus, read as their kind.
  static std::vector<std::tuple<std::string, parsers::SourceKind, std::string>> documents;
  for (auto [kind, file] : {std::pair{parsers::SourceKind::kRss, "feed/weworkremotely-remote-jobs-all-2022-11.rss"},
                            std::pair{parsers::SourceKind::kXmlFeed, "feed/recruityard-indeed-style-xml-feed-2025-10.xml"},
                            std::pair{parsers::SourceKind::kRemotive, "api/remotive-api-remote-jobs-2026-07.json"},
                            std::pair{parsers::SourceKind::kGreenhouse, "api/greenhouse-boards-api-jobs-content-algolia-2026-08-trimmed.json"}}) {
    std::string body = Read(corpus_dir / file);
    if (!body.empty()) documents.emplace_back(file, kind, std::move(body));
  }
  for (const auto& [name, kind, body] : documents) {
    const std::string* text = &body;
    const parsers::SourceKind k = kind;
    benchmark::RegisterBenchmark(("BM_ExtractKind/" + std::string(parsers::SourceKindName(kind)) + "/" + name).c_str(),
                                 [text, k](benchmark::State& st) {
                                   parsers::Extractor x({.kind = k});
                                   std::size_t postings = 0;
                                   for (auto _ : st) {
                                     Extracted e = x.Extract("https://example.org/feed", *text, Link::Role::kListing);
                                     postings = e.postings.size();
                                     benchmark::DoNotOptimize(e);
                                   }
                                   st.SetBytesProcessed(static_cast<int64_t>(st.iterations() * text->size()));
                                   st.SetItemsProcessed(static_cast<int64_t>(st.iterations() * postings));
                                 });
  }
  std::fprintf(stderr, "page: %s (%zu bytes)\n", page.c_str(), g_page.size());
  int n = static_cast<int>(rest.size());
  benchmark::Initialize(&n, rest.data());
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
