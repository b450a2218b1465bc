#include "normalize/classify.h"

#include <re2/re2.h>
#include <utf8proc.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <algorithm>
#include <array>
#include <bit>
#include <cstring>
#include <initializer_list>
#include <map>

#include "model/ascii.h"
#include "normalize/location.h"
#include "normalize/phrase_matcher.h"
#include "normalize/recent_results.h"
#include "normalize/tables.h"
#include "normalize/text.h"
#include "normalize/utf8.h"

namespace jobtrawl::normalize {
namespace {

int LevelRank(std::string_view level) {
  static constexpr std::string_view kLevels[] = {"intern", "entry", "mid", "senior", "staff", "lead", "director"};
  for (size_t i = 0; i < std::size(kLevels); ++i) {
    if (kLevels[i] == level) return static_cast<int>(i);
  }
  return -1;
}

bool IsGenderMarker(std::string_view inner) {
  // "(m/f/d)", "(w/m/d)", "(f/m/x)", "(h/f)", "(all genders)", "(m/w/div)", "(gn)"
  std::string f = Fold(inner);
  if (f.empty()) return false;
  if (f == "all genders" || f == "gn" || f == "m w d" || f == "d f m" || f == "x" || f == "mwd") return true;
  static constexpr std::string_view kLetters[] = {"m", "f", "w", "d", "x", "h", "div", "i", "mf", "fh"};
  for (std::string_view w : Words(f)) {
    if (std::find(std::begin(kLetters), std::end(kLetters), w) == std::end(kLetters)) return false;
  }
  return Words(f).size() >= 2;
}

// True when a title suffix names only a place or the way of working.
bool IsPlaceOrRemote(std::string_view segment) {
  if (RemoteFrom(segment) && Words(Fold(segment)).size() <= 3) return true;
  LocationResult r = ParseLocation(segment);
  if (r.places.empty() && !r.scope) return false;
  // Every word must be spent on the place: "Backend Engineer" is no city.
  for (const Place& p : r.places) {
    if (p.city && !Tables::Get().cities.contains(Fold(*p.city))) return false;
  }
  return true;
}

const std::vector<std::string_view>& ProgrammingWords() {
  static const std::vector<std::string_view> kWords{
      "language", "languages", "programming", "developer", "developers", "engineer", "engineers", "lang",
      "code", "coding", "stack", "backend", "frontend", "write", "writing", "written", "statistical",
      "statistics", "analysis", "computing", "scientific", "scripts", "scripting", "apps", "app", "mobile", "ios", "services"};
  return kWords;
}

// The parts of `text` between the marks `mark_at` finds: it gives the
// length of a mark starting at a position, 0 where none does.
template <typename MarkAt>
std::vector<std::string_view> SplitAtMarks(std::string_view text, MarkAt mark_at) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t mark = mark_at(text, i);
    if (mark == 0) {
      ++i;
      continue;
    }
    parts.push_back(text.substr(start, i - start));
    i += mark;
    start = i;
  }
  parts.push_back(text.substr(start));
  return parts;
}

// Negation of a phrase of a table (a workplace, an employment type) by
// the words around it. All words folded.
//
// Words that deny the phrase right after them, or after a few words that
// only join them to it ("not a remote position", "no option for remote
// work", "kein Homeoffice", "pas de télétravail", "no es remoto",
// "non-permanent"), in the languages of the tables.
constexpr std::string_view kNegations[] = {
    "no",   "not",   "non",    "never", "without", "kein", "keine", "keinen", "keiner", "keinem",  "nicht",
    "ohne", "pas",   "sans",   "sin",   "nao",     "sem",  "niet",  "geen",   "zonder", "senza",   "nessun",
    "nie",  "bez",   "unable", "cannot", "\u043d\u0435", "\u0431\u0435\u0437", "\u043d\u0435\u0442"};
// Words that may stand between a negation and the phrase it denies:
// articles, prepositions, copulas, and what a workplace or a type of
// employment is offered as ("not open to remote candidates", "no
// possibility of home office", "no es un trabajo remoto").
constexpr std::string_view kJoining[] = {
    "a",         "an",          "the",          "un",          "une",      "una",       "uno",      "ein",
    "eine",      "einen",       "einem",        "een",         "um",       "uma",       "de",       "d",
    "du",        "des",         "del",          "la",          "le",       "el",        "en",       "em",
    "of",        "for",         "to",           "in",          "is",       "are",       "be",       "es",
    "est",       "ist",         "e",            "offer",       "offered",  "offering",  "offers",   "provide",
    "support",   "allow",       "open",         "eligible",    "available", "considering", "considered",
    "accept",    "accepting",   "possible",     "able",        "option",   "options",   "possibility",
    "opportunity", "work",      "working",      "job",         "role",     "position",  "trabajo",  "posibilidad",
    "opcion",    "possibilite", "moglichkeit",  "possibilidade", "performed", "done"};
// Answers after a phrase that deny it when they end their clause ("Remote:
// No", "Hybrid: none", "Homeoffice: nein", "Télétravail : non").
constexpr std::string_view kAnswersNo[] = {"no", "none", "never", "nein", "non", "nao", "nee", "niet",
                                           "\u043d\u0435\u0442"};
// After a phrase, a negation of what follows it ("remote work is not
// possible", "Homeoffice nicht möglich", "remoto no disponible").
constexpr std::string_view kNots[] = {"not", "nicht", "pas", "no", "non", "nao", "niet", "\u043d\u0435"};
// What a phrase is denied as after such a negation: "not possible", "not
// eligible", "nicht möglich", "no disponible", "not an option".
constexpr std::string_view kOffered[] = {
    "eligible",   "available",  "possible",    "offered",     "allowed",    "permitted", "applicable",
    "supported",  "accepted",   "considered",  "provided",    "moglich",    "erlaubt",   "verfugbar",
    "vorgesehen", "angeboten",  "disponible",  "posible",     "permitido",  "permis",    "autorise",
    "propose",    "possivel",   "disponivel",  "possibile",   "disponibile", "previsto", "consentito",
    "mogelijk",   "toegestaan"};

template <std::size_t N>
bool In(const std::string_view (&list)[N], std::string_view word) {
  return std::find(std::begin(list), std::end(list), word) != std::end(list);
}

// Words between a phrase and what denies it after it: "remote work is not
// possible", "Remote working: no", "Homeoffice ist nicht möglich", "le
// télétravail n'est pas possible".
bool WorkAndVerb(std::string_view word) {
  return word == "work" || word == "working" || word == "is" || word == "are" || word == "ist" || word == "est" ||
         word == "es" || word == "n";
}

// Marks that end a sentence or a clause of a list: ",", ";", ".", "!",
// "?", a line end.
bool IsSentenceMark(char c) { return c == ',' || c == ';' || c == '.' || c == '!' || c == '?' || c == '\n'; }

// The clauses of a text: where they start, as positions among the words of
// Fold(text, keep), each after a mark that ends one (",", ";", ".", "!",
// "?", ":", "|", "/", a bracket, a spaced dash). A negation before a
// phrase counts in the phrase's own clause only ("Relocation: no, remote"
// is remote). Worked out when first asked: most texts deny nothing.
class Clauses {
 public:
  Clauses(std::string_view text, std::string_view keep, std::size_t words)
      : text_(text), keep_(keep), words_(words) {}

  // Whether a clause starts at word `i` (0 does).
  bool StartsAt(std::size_t i) {
    if (i == 0) return true;
    if (!split_) Split();
    return std::binary_search(starts_.begin(), starts_.end(), i);
  }

  // Whether a clause starts at word `i` after a mark that ends what a
  // negation reaches back to (",", ";", ".", "!", "?", a line end), not one
  // that answers or qualifies ("Remote: No", "Remote - Not eligible").
  bool StartsSentenceAt(std::size_t i) {
    if (i == 0) return true;
    if (!split_) Split();
    return std::binary_search(sentence_starts_.begin(), sentence_starts_.end(), i);
  }

 private:
  void Split() {
    split_ = true;
    std::vector<bool> ends_sentence;  // of each part, the mark after it
    const auto mark_at = [&ends_sentence](std::string_view t, std::size_t i) -> std::size_t {
      const char c = t[i];
      if (IsSentenceMark(c)) {
        ends_sentence.push_back(true);
        return 1;
      }
      if (c == ':' || c == '|' || c == '/' || c == '(' || c == ')' || c == '[' || c == ']') {
        ends_sentence.push_back(false);
        return 1;
      }
      const std::size_t dash = t.substr(i, 3) == " - "                                           ? 3
                               : t.substr(i, 5) == " \u2013 " || t.substr(i, 5) == " \u2014 " ? 5
                                                                                               : 0;
      if (dash > 0) ends_sentence.push_back(false);
      return dash;
    };
    const std::vector<std::string_view> parts = SplitAtMarks(text_, mark_at);
    std::size_t n = 0;
    bool sentence = false;  // a sentence mark since the last words
    for (std::size_t p = 0; p < parts.size(); ++p) {
      const std::size_t k = Words(Fold(parts[p], keep_)).size();
      if (k > 0) {
        if (n > 0) starts_.push_back(n);
        if (n > 0 && sentence) sentence_starts_.push_back(n);
        n += k;
        sentence = false;
      }
      if (p < ends_sentence.size() && ends_sentence[p]) sentence = true;
    }
    // The marks fold to spaces, so the parts' words are the text's; should
    // they not be, the text is one clause.
    if (n != words_) {
      starts_.clear();
      sentence_starts_.clear();
    }
  }

  const std::string_view text_, keep_;
  const std::size_t words_;
  bool split_ = false;
  std::vector<std::size_t> starts_, sentence_starts_;
};

// Is the phrase of words [first, first + count) denied by the words around
// it? Before it, by a negation in its clause, with at most three joining
// words between ("not remote", "non-remote", "This is not a remote
// position", "kein Homeoffice", "pas de télétravail"; "not only remote" and
// "No relocation, fully remote" are remote). After it, by an answer that
// ends its clause ("Remote: No"; "Remote, no relocation" is remote), or a
// negation of it as offered ("Remote - Not eligible", "remote work is not
// possible", "not an option"); a "not" that ends its clause denies too,
// one that qualifies where does not ("Remote, not US" is remote). Not
// after a sentence end or a comma, nor "not eligible for" something else
// ("Part-time. Not eligible for benefits.", "Intern - Not eligible for
// sponsorship").
bool Denied(const std::vector<std::string_view>& words, std::size_t first, std::size_t count, Clauses& clauses) {
  for (std::size_t i = first, joining = 0; i > 0 && joining <= 3; --i, ++joining) {
    const std::string_view before = words[i - 1];
    const bool negation = In(kNegations, before);
    if ((!negation && !In(kJoining, before)) || clauses.StartsAt(i)) break;
    if (negation) return true;
  }
  std::size_t after = first + count;
  while (after < words.size() && after < first + count + 2 && WorkAndVerb(words[after])) ++after;
  if (after >= words.size()) return false;
  // A negation after the end of the phrase's sentence or comma denies what
  // follows it: "Part-time. Not eligible for benefits." is part-time.
  for (std::size_t i = first + count; i <= after; ++i) {
    if (clauses.StartsSentenceAt(i)) return false;
  }
  const std::string_view next = words[after];
  const bool answer = In(kAnswersNo, next), negation = In(kNots, next);
  if (!answer && !negation) return false;
  if (after + 1 == words.size() || clauses.StartsAt(after + 1)) {
    return answer || next == "not" || next == "nicht" || next == "pas";
  }
  if (!negation) return false;
  std::size_t k = after + 1;
  if (WorkAndVerb(words[k]) && k + 1 < words.size()) ++k;  // "no es posible"
  if ((words[k] == "an" || words[k] == "a") && k + 1 < words.size() && words[k + 1] == "option") return true;
  // "Intern - Not eligible for sponsorship": what it is not offered for is
  // denied, not the phrase.
  if (k + 2 < words.size() && words[k + 1] == "for" && !clauses.StartsAt(k + 1) && !clauses.StartsAt(k + 2)) {
    return false;
  }
  return In(kOffered, words[k]);
}

// The parts of a text split at the marks that list workplaces to choose
// from: "/", "|", ",", "&", "+", " or ", " and " (the marks the board
// adapters' Workplace reads, parsers/boards/common.cc).
std::vector<std::string_view> WorkplaceAlternatives(std::string_view text) {
  return SplitAtMarks(text, [](std::string_view t, std::size_t i) -> std::size_t {
    const char c = t[i];
    if (c == '/' || c == '|' || c == ',' || c == '&' || c == '+') return 1;
    if (c == ' ' && ascii::EqualsIgnoreCase(t.substr(i, 4), " or ")) return 4;
    if (c == ' ' && ascii::EqualsIgnoreCase(t.substr(i, 5), " and ")) return 5;
    return 0;
  });
}

// The parts of a text split at the marks that qualify a workplace or a
// title: brackets, " - ", " \u2013 ", " \u2014 ", ":".
std::vector<std::string_view> QualifiedParts(std::string_view text) {
  return SplitAtMarks(text, [](std::string_view t, std::size_t i) -> std::size_t {
    const char c = t[i];
    if (c == '(' || c == ')' || c == '[' || c == ']' || c == ':') return 1;
    if (t.substr(i, 3) == " - ") return 3;
    if (t.substr(i, 5) == " \u2013 " || t.substr(i, 5) == " \u2014 ") return 5;
    return 0;
  });
}

// The most remote workplace of `text` when it is a choice of workplaces
// and nothing else ("On-site / Remote"); see ChosenWorkplace.
std::optional<std::string> ChoiceIn(std::string_view text) {
  const std::vector<std::string_view> parts = WorkplaceAlternatives(text);
  if (parts.size() < 2) return std::nullopt;
  const Tables& t = Tables::Get();
  std::optional<std::string> most;
  for (std::string_view part : parts) {
    // Each part one workplace phrase and nothing else: "no remote", "Remote
    // (US)" or "2 days remote" offer no choice.
    const std::string f = Fold(part, "%");
    const std::vector<TakenPhrase> taken = TakePhrases(t.remote_matcher, f, true);
    if (taken.size() != 1 || taken.front().first != 0 || taken.front().words != Words(f).size()) {
      return std::nullopt;
    }
    const std::string& value = t.remote_phrases[taken.front().id].second;
    if (!most || Remoteness(value) > Remoteness(*most)) most = value;
  }
  return most;
}

}  // namespace

bool WorkplaceDenialWord(std::string_view folded) {
  // Not every joining word: "Remote, ES" is Spain.
  return In(kAnswersNo, folded) || In(kNots, folded) || In(kOffered, folded) || folded == "work" ||
         folded == "working" || folded == "is" || folded == "are" || folded == "ist" || folded == "est" ||
         folded == "an" || folded == "option";
}

bool WorkplaceNegationWord(std::string_view folded) { return In(kNegations, folded); }

int Remoteness(std::string_view workplace) {
  return workplace == "onsite" ? 1 : workplace == "hybrid" ? 2 : workplace == "remote" ? 3 : 0;
}

std::optional<std::string> ChosenWorkplace(std::string_view text) {
  // The choice may be one part of the text, the rest naming no workplace:
  // "Engineer (Remote/Hybrid)", "Engineer - Remote or Hybrid".
  const Tables& t = Tables::Get();
  std::optional<std::string> chosen;
  bool other = false;
  for (std::string_view segment : QualifiedParts(text)) {
    if (auto c = ChoiceIn(segment)) {
      if (!chosen || Remoteness(*c) > Remoteness(*chosen)) chosen = c;
    } else if (!TakePhrases(t.remote_matcher, Fold(segment, "%"), false).empty()) {
      other = true;
    }
  }
  return other ? std::nullopt : chosen;
}

namespace {

// RemoteFrom and RemoteInPlace: `in_place` reads remote and office words
// together as the phrase the table lists first, not as hybrid.
std::optional<std::string> ReadWorkplace(std::string_view text, bool in_place) {
  const std::string f = Fold(text, "%");
  if (f.empty()) return std::nullopt;
  bool remote = false, hybrid = false, onsite = false;
  std::optional<std::string> first;
  // Longest phrase first, each occurrence taken hiding the phrases inside
  // it: "remote" inside "fully remote" counts once. An occurrence the words
  // beside it deny ("not remote", "Remote: No") says nothing.
  const Tables& t = Tables::Get();
  const std::vector<TakenPhrase> phrases = TakePhrases(t.remote_matcher, f, true);
  // A choice names two workplaces or more, though folded they may make one
  // phrase ("Hybrid | Remote": "hybrid remote").
  if (phrases.empty()) return std::nullopt;
  if (auto chosen = ChosenWorkplace(text)) return chosen;
  const std::vector<std::string_view> words = Words(f);
  Clauses clauses(text, "%", words.size());
  for (const TakenPhrase& taken : phrases) {
    if (Denied(words, taken.first, taken.words, clauses)) continue;
    const std::string& value = t.remote_phrases[taken.id].second;
    if (!first) first = value;
    if (value == "remote") remote = true;
    if (value == "hybrid") hybrid = true;
    if (value == "onsite") onsite = true;
  }
  if (hybrid || (!in_place && remote && onsite)) return "hybrid";
  if (in_place) return first;
  if (remote) return "remote";
  if (onsite) return "onsite";
  return std::nullopt;
}

}  // namespace

std::optional<std::string> RemoteFrom(std::string_view text) { return ReadWorkplace(text, false); }

std::optional<std::string> RemoteInPlace(std::string_view text) { return ReadWorkplace(text, true); }

std::vector<std::string> EmploymentTypes(std::string_view text) {
  const std::string f = Fold(text);
  const Tables& t = Tables::Get();
  std::vector<std::pair<size_t, std::string>> found;
  const std::vector<TakenPhrase> phrases = TakePhrases(t.employment_matcher, f, true);
  if (phrases.empty()) return {};
  // A type the words beside it deny is not stated, as a workplace ("Not
  // full-time", "keine Festanstellung"); a denial that names a type of its
  // own is a phrase of the table ("Non-permanent": temporary).
  const std::vector<std::string_view> words = Words(f);
  Clauses clauses(text, "", words.size());
  // The span of words [from, to) as one folded text.
  const auto span = [&words](std::size_t from, std::size_t to) {
    std::string joined;
    for (std::size_t i = from; i < to; ++i) AppendJoined(joined, words[i], " ");
    return joined;
  };
  for (const TakenPhrase& taken : phrases) {
    if (!Denied(words, taken.first, taken.words, clauses)) {
      found.emplace_back(taken.first, t.employment_phrases[taken.id].second);
      continue;
    }
    // A negation that makes a phrase of the table with the first words of
    // the one after it is that phrase, and the rest is read on its own:
    // "Non-permanent full-time" is "non permanent" and "full time", not a
    // denied "permanent full time".
    if (taken.first == 0 || !In(kNegations, words[taken.first - 1])) continue;
    for (std::size_t k = taken.words - 1; k >= 1; --k) {
      const std::vector<TakenPhrase> head =
          TakePhrases(t.employment_matcher, span(taken.first - 1, taken.first + k), false);
      if (head.size() != 1 || head.front().first != 0 || head.front().words != k + 1) continue;
      found.emplace_back(taken.first - 1, t.employment_phrases[head.front().id].second);
      for (const TakenPhrase& rest :
           TakePhrases(t.employment_matcher, span(taken.first + k, taken.first + taken.words), true)) {
        found.emplace_back(taken.first + k + rest.first, t.employment_phrases[rest.id].second);
      }
      break;
    }
  }
  std::sort(found.begin(), found.end());
  std::vector<std::string> types;
  for (auto& [at, value] : found) {
    if (std::find(types.begin(), types.end(), value) == types.end()) types.push_back(std::move(value));
  }
  return types;
}

namespace {

// The parts of a title: split at punctuation that separates a qualifier or
// a place (", Berlin", " - Remote", "(m/w/d)", " | ", ": ", " / "), not at
// a '.' or a '-' inside a word.
std::vector<std::string_view> TitleParts(std::string_view title) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  for (size_t i = 0; i < title.size(); ++i) {
    const char c = title[i];
    size_t cut = 0;  // bytes of the separator at i
    if (c == ',' || c == ';' || c == ':' || c == '|' || c == '(' || c == ')' || c == '[' || c == ']' ||
        c == '/') {
      cut = 1;
    } else if (c == ' ' && title.compare(i, 3, " - ") == 0) {
      cut = 3;
    } else if (c == ' ' && (title.compare(i, 5, " \xE2\x80\x93 ") == 0 || title.compare(i, 5, " \xE2\x80\x94 ") == 0)) {
      cut = 5;  // " – ", " — "
    }
    if (cut == 0) continue;
    parts.push_back(title.substr(start, i - start));
    start = i + cut;
    i = start - 1;
  }
  parts.push_back(title.substr(std::min(start, title.size())));
  return parts;
}

std::optional<Seniority> SeniorityOfUncached(std::string_view title) {
  const Tables& t = Tables::Get();
  // Folded words, and for each whether it is the last of its part: a level
  // number counts there ("Engineer II", "Engineer II - Berlin").
  std::string folded;
  std::vector<size_t> part_ends;  // in words
  for (std::string_view part : TitleParts(title)) {
    const std::string f = Fold(part);
    const size_t n = Words(f).size();
    if (n == 0) continue;
    AppendJoined(folded, f, " ");
    part_ends.push_back((part_ends.empty() ? 0 : part_ends.back()) + n);
  }
  std::vector<std::string_view> words = Words(folded);
  // part_ends rises: a search, not a scan (a scan per level number was
  // quadratic in "1/2 1/2 ...").
  auto ends_part = [&](size_t end) { return std::binary_search(part_ends.begin(), part_ends.end(), end); };
  std::optional<Seniority> best;
  for (size_t i = 0; i < words.size(); ++i) {
    // "Assistant to the CEO": what follows names someone else's level.
    if (words[i] == "to" || words[i] == "for") break;
    for (size_t n = std::min<size_t>(3, words.size() - i); n >= 1; --n) {
      std::string phrase;
      for (size_t k = i; k < i + n; ++k) AppendJoined(phrase, words[k], " ");
      auto it = t.seniority.find(phrase);
      if (it == t.seniority.end()) continue;
      // Level numbers count only at the end of a part: "Engineer II",
      // "Engineer II - Berlin", not "2 Engineers".
      const bool numeral = phrase == "i" || phrase == "ii" || phrase == "iii" || phrase == "iv" ||
                           phrase == "1" || phrase == "2" || phrase == "3";
      if (numeral && !ends_part(i + n)) break;
      if (it->second != "none" && (!best || LevelRank(it->second) > LevelRank(best->level))) {
        best = Seniority{it->second, phrase};
      }
      i += n - 1;
      break;
    }
  }
  return best;
}

}  // namespace

std::optional<Seniority> SeniorityOf(std::string_view title) {
  thread_local RecentResults<std::optional<Seniority>> recent;
  return recent.Get(title, {}, [title] { return SeniorityOfUncached(title); });
}

namespace {

TitleKeys TitleKeysOfUncached(std::string_view title) {
  const Tables& t = Tables::Get();
  std::string s = CleanText(title);
  // Parenthesized parts: gender markers and places go, qualifiers stay.
  // Each pass below builds a new string: erasing in place shifted the rest
  // of the title each time, quadratic in "()()()..." or "m/w/dm/w/d...".
  std::string qualifiers;
  {
    std::string outside;
    outside.reserve(s.size());
    for (size_t i = 0; i < s.size();) {
      if (s[i] != '(' && s[i] != '[') {
        outside.push_back(s[i++]);
        continue;
      }
      const char close_char = s[i] == '(' ? ')' : ']';
      size_t close = s.find(close_char, i);
      if (close == std::string::npos) close = s.size() - 1;
      std::string inner = s.substr(i + 1, close - i - 1);
      if (!IsGenderMarker(inner) && !IsPlaceOrRemote(inner)) AppendJoined(qualifiers, inner, " ");
      i = close + 1;
    }
    s = std::move(outside);
  }
  // Bare gender markers: "m/w/d" at the end. Removing one may join two
  // halves into another ("m/wm/w/d/d"), so each marker is removed until
  // none is left: in one pass, dropping it from what is kept as soon as
  // what is kept ends with it (a pass per nesting level was quadratic in
  // "m/w" * n + "/d" * n). No marker begins with its own ending, so no two
  // of its occurrences overlap and the order of removal does not matter.
  for (std::string_view marker : {"m/w/d", "m/f/d", "w/m/d", "f/m/d", "m/f/x", "f/m/x", "h/f", "f/h", "d/f/m"}) {
    if (s.find(marker) == std::string::npos) continue;
    std::string kept;
    kept.reserve(s.size());
    for (char c : s) {
      kept.push_back(c);
      if (kept.ends_with(marker)) kept.resize(kept.size() - marker.size());
    }
    s = std::move(kept);
  }
  // Trailing segments that are a place or "Remote": " - Remote", ", London",
  // " | Berlin". Each round searches the whole title, so the rounds are
  // capped: no real title ends in more than a few such segments.
  for (int round = 0; round < 8; ++round) {
    size_t cut = std::string::npos;
    for (std::string_view sep : {" - ", " – ", " — ", " | ", ", ", " @ ", " in "}) {
      size_t at = s.rfind(sep);
      if (at != std::string::npos && (cut == std::string::npos || at > cut)) cut = at;
    }
    if (cut == std::string::npos || cut == 0) break;
    size_t sep_len = s.compare(cut, 3, " - ") == 0 || s.compare(cut, 3, " | ") == 0 || s.compare(cut, 3, " @ ") == 0
                         ? 3
                     : s.compare(cut, 2, ", ") == 0 ? 2
                     : s.compare(cut, 4, " in ") == 0 ? 4
                                                       : 5;  // the dashes are 3 bytes
    std::string tail = s.substr(cut + sep_len);
    if (!IsPlaceOrRemote(tail)) break;
    s.erase(cut);
  }
  // "Contract Role - Senior Manager, ...": a first segment of employment
  // words is skipped (by offset: erasing from the front was quadratic).
  size_t family_start = 0;
  for (size_t dash = s.find(" - "); dash != std::string::npos; dash = s.find(" - ", family_start)) {
    std::string head = Fold(std::string_view(s).substr(family_start, dash - family_start));
    bool employment_only = !head.empty();
    for (std::string_view w : Words(head)) {
      static constexpr std::string_view kWords[] = {"contract", "role", "freelance", "temporary", "temp",
                                                    "full", "time", "part", "remote", "hybrid", "job",
                                                    "position", "urgent", "hiring", "new", "permanent"};
      employment_only = employment_only && std::find(std::begin(kWords), std::end(kWords), w) != std::end(kWords);
    }
    if (!employment_only) break;
    family_start = dash + 3;
  }
  std::string family_source = s.substr(family_start);
  // "Payroll Manager/Senior Manager": the alternative after "/" repeats the role.
  if (size_t slash = family_source.find('/'); slash != std::string::npos && SeniorityOf(family_source.substr(slash + 1))) {
    family_source.erase(slash);
  }
  // The family ends at the first qualifier separator: "Engineer - Payments, EU".
  for (std::string_view sep : {" - ", " – ", " — ", " | ", ", ", " / ", ": "}) {
    if (size_t at = family_source.find(sep); at != std::string::npos && at > 0) family_source.erase(at);
  }
  auto key_of = [&](const std::string& text) {
    const std::string folded = Fold(text, "+#&");
    std::vector<std::string_view> words = Words(folded);
    std::vector<std::string> kept;
    for (size_t i = 0; i < words.size(); ++i) {
      std::string w(words[i]);
      bool drop = false;
      // Two-word seniority phrases ("entry level") first.
      if (i + 1 < words.size()) {
        std::string two = w;
        AppendJoined(two, words[i + 1], " ");
        if (auto it2 = t.seniority.find(two); it2 != t.seniority.end()) {
          if (it2->second == "none" || t.seniority_roles.contains(two)) {
            kept.push_back(w);  // "mid market": words, not a level
            kept.emplace_back(words[i + 1]);
          }
          ++i;
          continue;
        }
      }
      if (auto it = t.seniority.find(w); it != t.seniority.end() && it->second != "none" &&
                                         !t.seniority_roles.contains(w)) {
        const bool numeral = w == "i" || w == "ii" || w == "iii" || w == "iv" || w == "1" || w == "2" || w == "3";
        drop = !numeral || i + 1 == words.size();
        // "Lead" and "Associate" are a level before a role, the role itself
        // at the end ("Team Lead", "Sales Associate").
        if ((w == "lead" || w == "associate") && i + 1 == words.size()) drop = false;
      }
      if (w == "remote" || w == "hybrid") drop = true;
      if (!drop) kept.push_back(w);
    }
    // Connectors left dangling ("Staff or Senior Accountant") and a trailing
    // country ("Online Data Analyst Canada") go.
    while (!kept.empty() && (kept.front() == "or" || kept.front() == "and" || kept.front() == "&")) kept.erase(kept.begin());
    while (!kept.empty() && (kept.back() == "or" || kept.back() == "and" || kept.back() == "&")) kept.pop_back();
    if (kept.size() > 1 && CountryCode(kept.back()) && kept.back().size() > 3) kept.pop_back();
    if (kept.empty()) {
      for (std::string_view w : words) kept.emplace_back(w);
    }
    // One spelling per word, the one dedup matching reads
    // (storage/dedup.h MatchedTitleFamily): analysts group by the family.
    std::string out;
    for (const std::string& w : kept) {
      std::string_view word = w;
      if (word == "mgr") word = "manager";
      if (word == "&") word = "and";
      AppendJoined(out, word, " ");
    }
    return out;
  };
  TitleKeys keys;
  keys.family = key_of(family_source);
  keys.key = key_of(s + qualifiers);
  return keys;
}

}  // namespace

TitleKeys TitleKeysOf(std::string_view title) {
  thread_local RecentResults<TitleKeys> recent;
  return recent.Get(title, {}, [title] { return TitleKeysOfUncached(title); });
}

namespace {

#if !defined(__SSE2__)
// The bytes a skill token is made of: ASCII letters and digits, '+', '#',
// '.', '/', '-' ("C++", "C#", ".NET", "Node.js", "CI/CD") and every byte of
// a UTF-8 sequence.
constexpr auto kTokenByte = [] {
  std::array<bool, 256> table{};
  for (int b = 0; b < 256; ++b) {
    const char c = static_cast<char>(b);
    table[static_cast<size_t>(b)] =
        ascii::IsAlnum(c) || c == '+' || c == '#' || c == '.' || c == '/' || c == '-' || b >= 0x80;
  }
  return table;
}();
#endif

// Of the 64 bytes at `p`, bit k of `*token` says byte k is a token byte
// (ASCII letters and digits, '+', '#', '.', '/', '-' as in "C++", "C#",
// ".NET", "Node.js", "CI/CD", and every byte of a UTF-8 sequence) and bit
// k of `*slash` that it is '/'. Sixteen bytes a compare with SSE2: the
// tokens' edges then come from the bits, a branch a token, not a byte.
void TokenBits(const unsigned char* p, std::uint64_t* token, std::uint64_t* slash) {
#if defined(__SSE2__)
  std::uint64_t t = 0, s = 0;
  for (int k = 0; k < 4; ++k) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * k));
    const __m128i lower = _mm_or_si128(v, _mm_set1_epi8(0x20));  // A-Z onto a-z; nothing else onto a-z
    // Bytes from 0x80 are negative here: below every bound, counted by the sign mask.
    auto in_range = [](__m128i x, char lo, char hi) {
      return _mm_and_si128(_mm_cmpgt_epi8(x, _mm_set1_epi8(static_cast<char>(lo - 1))),
                           _mm_cmplt_epi8(x, _mm_set1_epi8(static_cast<char>(hi + 1))));
    };
    const __m128i slashes = _mm_cmpeq_epi8(v, _mm_set1_epi8('/'));
    const __m128i ascii_token = _mm_or_si128(
        _mm_or_si128(in_range(lower, 'a', 'z'), in_range(v, '0', '9')),
        _mm_or_si128(in_range(v, '-', '/'), _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('+')),
                                                         _mm_cmpeq_epi8(v, _mm_set1_epi8('#')))));
    const auto bits = static_cast<std::uint64_t>(static_cast<unsigned>(_mm_movemask_epi8(ascii_token)) |
                                                 static_cast<unsigned>(_mm_movemask_epi8(v)));
    t |= bits << (16 * k);
    s |= static_cast<std::uint64_t>(static_cast<unsigned>(_mm_movemask_epi8(slashes))) << (16 * k);
  }
  *token = t;
  *slash = s;
#else
  std::uint64_t t = 0, s = 0;
  for (int k = 0; k < 64; ++k) {
    t |= static_cast<std::uint64_t>(kTokenByte[p[k]]) << k;
    s |= static_cast<std::uint64_t>(p[k] == '/') << k;
  }
  *token = t;
  *slash = s;
#endif
}

// `form` (a skill's form as the table writes it) against the `n` tokens
// from `first`, joined by single spaces, without joining them.
bool JoinedEquals(const std::vector<std::string_view>& tokens, size_t first, size_t n, std::string_view form,
                  bool ignore_case) {
  for (size_t k = first; k < first + n; ++k) {
    if (k != first) {
      if (form.empty() || form.front() != ' ') return false;
      form.remove_prefix(1);
    }
    const std::string_view token = tokens[k];
    if (form.size() < token.size()) return false;
    const std::string_view part = form.substr(0, token.size());
    if (ignore_case ? !ascii::EqualsIgnoreCase(part, token) : part != token) return false;
    form.remove_prefix(token.size());
  }
  return form.empty();
}

// Skills of the text made of `parts` one after another, each ending a token.
// One pass over the bytes finds the tokens, each looked up once as written
// (ignoring ASCII case) and fed to the prebuilt automaton of every skill
// form (Tables::skill_phrases), which reports each form where it ends; no
// token is copied, no phrase of tokens built.
std::vector<std::string> SkillsIn(std::initializer_list<std::string_view> parts) {
  const Tables& t = Tables::Get();
  const PhraseMatcher& matcher = t.skill_phrases;
  std::vector<std::string_view> tokens;
  // Per token: it holds a '/' ("CI/CD", "React/Redux"). Bytes, not
  // vector<bool>, whose push_back was a visible part of tokenizing.
  std::vector<unsigned char> slashed;
  // Per token: it is part of an ampersand compound ("R&D", "P&L", "M&A"),
  // glued by '&' to a letter or digit.
  std::vector<unsigned char> compound;
  size_t total = 0;
  for (std::string_view text : parts) total += text.size();
  tokens.reserve(total / 6 + 1);
  slashed.reserve(total / 6 + 1);
  // A form found: its tokens [first, first + words).
  struct Candidate {
    size_t first;
    std::uint32_t words;
    std::uint32_t form;
  };
  std::vector<Candidate> candidates;
  PhraseMatcher::State state = PhraseMatcher::kStart;
  for (std::string_view text : parts) {
    const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
    // `maybe_slash`: the bytes the token came from may hold a '/'.
    auto push = [&](size_t start, size_t end, bool maybe_slash) {
      std::string_view current(text.data() + start, end - start);
      while (!current.empty() && (current.back() == '.' || current.back() == '-' || current.back() == '/' ||
                                  current.back() == ':'))
        current.remove_suffix(1);
      while (!current.empty() && (current.front() == '-' || current.front() == '/')) current.remove_prefix(1);
      if (current.empty()) return;
      tokens.push_back(current);
      slashed.push_back(maybe_slash && current.find('/') != std::string_view::npos);
      compound.push_back((end + 1 < text.size() && text[end] == '&' && ascii::IsAlnum(text[end + 1])) ||
                         (start >= 2 && text[start - 1] == '&' && ascii::IsAlnum(text[start - 2])));
      state = matcher.Next(state, current);
      for (const PhraseMatcher::Match& m : matcher.MatchesAt(state)) {
        candidates.push_back({tokens.size() - m.words, m.words, m.id});
      }
    };
    size_t start = 0;
    bool in_token = false;
    std::uint64_t carry = 0;  // the last byte before the block was a token byte
    for (size_t base = 0; base < text.size(); base += 64) {
      std::uint64_t token = 0, slash = 0;
      if (base + 64 <= text.size()) {
        TokenBits(bytes + base, &token, &slash);
      } else {
        std::array<unsigned char, 64> tail{};  // NUL is no token byte
        std::memcpy(tail.data(), bytes + base, text.size() - base);
        TokenBits(tail.data(), &token, &slash);
      }
      std::uint64_t edges = token ^ ((token << 1) | carry);  // tokens start and end in turn
      carry = token >> 63;
      for (; edges != 0; edges &= edges - 1) {
        const size_t at = base + static_cast<size_t>(std::countr_zero(edges));
        if (!in_token) {
          start = at;
        } else {
          // A token within the block: its slashes are in the bits; else look.
          const bool maybe_slash =
              start < base || ((slash >> (start - base)) & ((std::uint64_t{1} << (at - start)) - 1)) != 0;
          push(start, at, maybe_slash);
        }
        in_token = !in_token;
      }
    }
    if (in_token) push(start, text.size(), true);
  }
  // Each start's forms, longest first: the order the n-grams were tried in.
  std::sort(candidates.begin(), candidates.end(), [](const Candidate& a, const Candidate& b) {
    return a.first != b.first ? a.first < b.first : a.words > b.words;
  });
  struct Hit {
    size_t skill;
    size_t position;
    bool needs_context;
  };
  std::vector<Hit> hits;
  // Whether one of `list`'s skills accepts what is written: tokens
  // [first, first + n), or `single` when n is 0.
  auto accept = [&](const std::vector<size_t>& list, size_t first, size_t n, std::string_view single) -> bool {
    auto equals = [&](std::string_view form, bool ignore_case) {
      if (n == 0) return ignore_case ? ascii::EqualsIgnoreCase(form, single) : form == single;
      return JoinedEquals(tokens, first, n, form, ignore_case);
    };
    for (size_t index : list) {
      const SkillInfo& s = t.skills[index];
      // Free forms are stored lower-cased: equal ignoring ASCII case is
      // equal after lower-casing what is written.
      const bool free = std::any_of(s.free_forms.begin(), s.free_forms.end(),
                                    [&](const std::string& f) { return equals(f, true); });
      const bool exact = std::any_of(s.forms.begin(), s.forms.end(), [&](const std::string& f) { return equals(f, false); });
      if (s.match == SkillInfo::Match::kAnyCase || free || exact) {
        hits.push_back({index, first, s.match == SkillInfo::Match::kInContext && !free});
        return true;
      }
    }
    return false;
  };
  auto try_match = [&](std::string_view written, size_t position) -> bool {
    const std::vector<size_t>* list = t.skill_forms.Find(written);
    return list != nullptr && accept(*list, position, 0, written);
  };
  size_t next_candidate = 0;
  for (size_t i = 0; i < tokens.size(); ++i) {
    while (next_candidate < candidates.size() && candidates[next_candidate].first < i) ++next_candidate;
    bool matched = false;
    const std::string_view text_i = tokens[i];
    const bool starts_form = next_candidate < candidates.size() && candidates[next_candidate].first == i;
    const bool maybe_versioned = ascii::IsDigit(text_i.back());
    if (!starts_form && !maybe_versioned && !slashed[i]) continue;
    for (size_t c = next_candidate; c < candidates.size() && candidates[c].first == i && !matched; ++c) {
      const Candidate& form = candidates[c];
      if (accept(t.skill_phrase_skills[form.form], i, form.words, {})) {
        i += form.words - 1;
        matched = true;
      }
    }
    if (!matched) {
      // "C++17", "Java8": a version number after the name.
      std::string_view bare = tokens[i];
      while (!bare.empty() && (ascii::IsDigit(bare.back()) || bare.back() == '.')) bare.remove_suffix(1);
      if (!bare.empty() && bare.size() < tokens[i].size() && bare.size() >= 2) matched = try_match(bare, i);
    }
    if (!matched && slashed[i]) {
      // "React/Redux": each part on its own.
      std::string_view whole = tokens[i];
      while (!whole.empty()) {
        size_t slash = whole.find('/');
        if (slash != 0) try_match(whole.substr(0, slash), i);
        if (slash == std::string_view::npos) break;
        whole.remove_prefix(slash + 1);
      }
    }
  }
  // Ambiguous names ("Go", "R", "C") count only beside another skill or a
  // programming word.
  std::vector<std::string> out;
  // Positions of the unambiguous hits, sorted, so each ambiguous one looks
  // for a neighbour by binary search (comparing every pair was quadratic in
  // "Go Go Go ...").
  std::vector<size_t> sure;
  for (const Hit& h : hits) {
    if (!h.needs_context) sure.push_back(h.position);
  }
  std::sort(sure.begin(), sure.end());
  for (const Hit& h : hits) {
    if (h.needs_context) {
      // "R&D", "C&C": a letter of a compound is no name of a language.
      if (compound[h.position]) continue;
      auto near = std::lower_bound(sure.begin(), sure.end(), h.position >= 6 ? h.position - 6 : 0);
      bool context = near != sure.end() && *near <= h.position + 6;
      for (size_t k = h.position >= 3 ? h.position - 3 : 0; k < std::min(tokens.size(), h.position + 4); ++k) {
        // The programming words are lower-case ASCII.
        if (std::any_of(ProgrammingWords().begin(), ProgrammingWords().end(),
                        [&](std::string_view w) { return ascii::EqualsIgnoreCase(w, tokens[k]); })) {
          context = true;
        }
      }
      if (!context) continue;
    }
    const std::string& name = t.skills[h.skill].name;
    if (std::find(out.begin(), out.end(), name) == out.end()) out.push_back(name);
  }
  return out;
}

}  // namespace

std::vector<std::string> Skills(std::string_view text) { return SkillsIn({text}); }

std::vector<std::string> Skills(std::string_view title, std::string_view description) {
  return SkillsIn({title, description});
}

std::optional<std::string> VisaSponsorship(std::string_view text) {
  return VisaSponsorshipInFolded(Fold(text, kExtrasKeep));
}

std::optional<std::string> VisaSponsorshipInFolded(std::string_view folded) {
  // Keeping '+' and '-' in words neither makes nor breaks a run of letters:
  // "sponsor" and "visa" are in `folded` exactly when they are in Fold(text).
  // Both looked for in one pass: sixteen positions at a time, those
  // starting "spo" or "vis" tried (two memmem passes were one of the
  // larger steps of normalizing a posting).
  auto at = [folded](size_t i) {
    const std::string_view rest = folded.substr(i);
    return rest.starts_with("sponsor") || rest.starts_with("visa");
  };
  bool any = false;
  size_t i = 0;
#if defined(__SSE2__)
  for (; i + 18 <= folded.size() && !any; i += 16) {
    auto load = [&folded, i](size_t k) { return _mm_loadu_si128(reinterpret_cast<const __m128i*>(folded.data() + i + k)); };
    auto is = [](__m128i v, char c) { return _mm_cmpeq_epi8(v, _mm_set1_epi8(c)); };
    const __m128i b0 = load(0), b1 = load(1), b2 = load(2);
    const __m128i spo = _mm_and_si128(_mm_and_si128(is(b0, 's'), is(b1, 'p')), is(b2, 'o'));
    const __m128i vis = _mm_and_si128(_mm_and_si128(is(b0, 'v'), is(b1, 'i')), is(b2, 's'));
    for (auto mask = static_cast<unsigned>(_mm_movemask_epi8(_mm_or_si128(spo, vis))); mask != 0 && !any; mask &= mask - 1) {
      any = at(i + static_cast<size_t>(std::countr_zero(mask)));
    }
  }
#endif
  for (; i < folded.size() && !any; ++i) {
    if (folded[i] == 's' || folded[i] == 'v') any = at(i);
  }
  if (!any) return std::nullopt;
  // The phrases are matched on the words of Fold(text), which are those of
  // `folded` split at '+' and '-' too: one walk over them through the
  // automaton of all the phrases, no second fold. The first phrase of the
  // table that occurs decides ("no" phrases come first).
  const Tables& t = Tables::Get();
  const PhraseMatcher& matcher = t.visa_matcher;
  std::uint32_t first = PhraseMatcher::kNoWord;
  PhraseMatcher::State state = PhraseMatcher::kStart;
  size_t start = 0;
  auto word_before = [&](size_t end) {
    if (end != start) {
      state = matcher.Next(state, folded.substr(start, end - start));
      for (const PhraseMatcher::Match& m : matcher.MatchesAt(state)) first = std::min(first, m.id);
    }
    start = end + 1;
  };
  for (size_t k = 0; k < folded.size(); ++k) {
    if (folded[k] == ' ' || folded[k] == '+' || folded[k] == '-') word_before(k);
  }
  word_before(folded.size());
  if (first == PhraseMatcher::kNoWord) return std::nullopt;
  return t.visa_phrases[first].second;
}

std::optional<int> ExperienceYears(std::string_view text) { return ExperienceYearsInFolded(Fold(text, kExtrasKeep)); }

std::optional<int> ExperienceYearsInFolded(std::string f) {
  // A unit of time anywhere, even inside a word: "year", "yr", "jahr",
  // "ano", "ans", "рок". One scan, each byte that can start one tried.
  auto unit_at = [&f](size_t i) {
    const std::string_view rest = std::string_view(f).substr(i);
    switch (f[i]) {
      case 'y': return rest.starts_with("year") || rest.starts_with("yr");
      case 'j': return rest.starts_with("jahr");
      case 'a': return rest.starts_with("ano") || rest.starts_with("ans");
      case '\xD1': return rest.starts_with("рок");
      default: return false;
    }
  };
  bool any = false;
  size_t i = 0;
#if defined(__SSE2__)
  // Sixteen positions at a time: those where a unit's first two bytes are
  // ("ye", "yr", "ja", the D1 80 of "р") or its first three ("ano", "ans";
  // "an" alone, like 'y' alone, is in too many words to try each).
  for (; i + 18 <= f.size() && !any; i += 16) {
    auto load = [&f, i](size_t k) { return _mm_loadu_si128(reinterpret_cast<const __m128i*>(f.data() + i + k)); };
    const __m128i b0 = load(0), b1 = load(1), b2 = load(2);
    auto is = [](__m128i v, unsigned char c) { return _mm_cmpeq_epi8(v, _mm_set1_epi8(static_cast<char>(c))); };
    const __m128i year = _mm_and_si128(is(b0, 'y'), _mm_or_si128(is(b1, 'e'), is(b1, 'r')));
    const __m128i jahr = _mm_and_si128(is(b0, 'j'), is(b1, 'a'));
    const __m128i rik = _mm_and_si128(is(b0, 0xD1), is(b1, 0x80));
    const __m128i ano = _mm_and_si128(_mm_and_si128(is(b0, 'a'), is(b1, 'n')), _mm_or_si128(is(b2, 'o'), is(b2, 's')));
    auto mask = static_cast<unsigned>(_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(year, jahr), _mm_or_si128(rik, ano))));
    for (; mask != 0 && !any; mask &= mask - 1) any = unit_at(i + static_cast<size_t>(std::countr_zero(mask)));
  }
#endif
  // Eight bytes at a time (the rest, or all without SSE2): the positions
  // holding 'y', 'j', the first byte of "р", or an "a" before an "n" (an
  // 'a' alone is too common to try each). Windows overlap by a byte so a
  // pair across two is seen.
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL, kLow7 = 0x7F7F7F7F7F7F7F7FULL;
  auto zero_bytes = [](std::uint64_t x) { return ~(((x & kLow7) + kLow7) | x | kLow7); };  // exact
  for (; i + 8 <= f.size() && !any; i += 7) {
    std::uint64_t w;
    std::memcpy(&w, f.data() + i, 8);
    std::uint64_t candidates = zero_bytes(w ^ ('y' * kOnes)) | zero_bytes(w ^ ('j' * kOnes)) |
                               zero_bytes(w ^ (0xD1 * kOnes)) |
                               (zero_bytes(w ^ ('a' * kOnes)) & (zero_bytes(w ^ ('n' * kOnes)) >> 8));
    while (candidates != 0 && !any) {
      const size_t at = i + static_cast<size_t>(std::countr_zero(candidates)) / 8;  // little-endian
      any = unit_at(at);
      candidates &= candidates - 1;
    }
  }
  for (; i + 1 < f.size() && !any; ++i) {  // the rest; every unit is two bytes or more
    const char c = f[i];
    if (c == 'y' || c == 'j' || c == 'a' || c == '\xD1') any = unit_at(i);
  }
  if (!any) return std::nullopt;
  static const std::pair<std::string_view, std::string_view> kNumbers[] = {
      {"one", "1"}, {"two", "2"}, {"three", "3"}, {"four", "4"}, {"five", "5"}, {"six", "6"},
      {"seven", "7"}, {"eight", "8"}, {"nine", "9"}, {"ten", "10"}};
  // Number words become digits, rebuilt in one pass over the words (the
  // folded text's words are separated by single spaces): replacing in
  // place, searching from the start each time, was quadratic in "three
  // three three ...", and a search per number word read the text ten times.
  {
    std::string replaced;
    bool any_number = false;
    size_t from = 0;  // start of the text not yet copied into `replaced`
    for (size_t start = 0; start < f.size();) {
      size_t end = start;
      while (end < f.size() && f[end] != ' ') ++end;  // words are short: no memchr call each
      const std::string_view word(f.data() + start, end - start);
      if (word.size() >= 3 && word.size() <= 5) {
        for (const auto& [number, digits] : kNumbers) {
          if (word != number) continue;
          if (!any_number) replaced.reserve(f.size());
          any_number = true;
          replaced.append(f, from, start - from).append(digits);
          from = end;
          break;
        }
      }
      start = end + 1;
    }
    if (any_number) {
      replaced.append(f, from, std::string::npos);
      f = std::move(replaced);
    }
  }
  static const re2::RE2 kYears(R"((\d{1,2})\s*\+?\s*(?:(?:-|to)\s*\d{1,2}\s*\+?\s*)?(?:years?|yrs?|jahre|ans|anos|anos?)\b)");
  re2::StringPiece input(f);
  std::optional<int> best;
  std::string number;
  while (true) {
    re2::StringPiece before = input;
    if (!re2::RE2::FindAndConsume(&input, kYears, &number)) break;
    // The phrase must be about experience: the word near it.
    const size_t end = static_cast<size_t>(input.data() - f.data());
    const size_t start = static_cast<size_t>(before.data() - f.data());
    std::string_view around(f);
    size_t window_start = start >= 40 ? start - 40 : 0;
    std::string_view window = around.substr(window_start, std::min(f.size(), end + 60) - window_start);
    const bool about = window.find("experience") != std::string_view::npos ||
                       window.find("exp ") != std::string_view::npos ||
                       window.find("erfahrung") != std::string_view::npos ||
                       window.find("experiencia") != std::string_view::npos ||
                       window.find("досвід") != std::string_view::npos;
    int n = std::stoi(number);
    if (about && n > 0 && n <= 30 && (!best || n < *best)) best = n;
  }
  return best;
}

namespace {

// Language and LanguageInFolded: `folded_sample` is the sample's fold with
// kExtrasKeep, made here when nullptr (only when the script leaves the
// words to decide).
std::optional<std::string> LanguageOf(std::string_view text, const std::string_view* folded_sample) {
  // Scripts first: they decide without counting words.
  enum Script { kUk, kRu, kCyrillic, kJa, kHan, kKo, kAr, kHe, kEl, kTh, kHi, kScripts };
  std::array<int, kScripts> scripts{};
  int letters = 0;
  size_t i = 0;
  const size_t limit = std::min<size_t>(text.size(), kLanguageSample);
  while (i < limit) {
    if (i + 8 <= limit) {  // eight ASCII bytes at a time: their letters counted at once
      std::uint64_t word;
      std::memcpy(&word, text.data() + i, 8);
      if ((word & 0x8080808080808080ULL) == 0) {
        constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
        const std::uint64_t lower = word | (0x20 * kOnes);  // A-Z onto a-z (and nothing else onto them)
        const std::uint64_t from_a = lower + (0x80 - 'a') * kOnes;   // high bit: byte >= 'a'
        const std::uint64_t past_z = lower + (0x80 - 'z' - 1) * kOnes;  // high bit: byte > 'z'
        // One bit a letter at the top of its byte: summed by a multiply.
        letters += static_cast<int>((((from_a & ~past_z & 0x8080808080808080ULL) >> 7) * kOnes) >> 56);
        i += 8;
        continue;
      }
    }
    if (ascii::IsAscii(text[i])) {  // most of the text: no decoding
      if (ascii::IsAlpha(text[i])) ++letters;
      ++i;
      continue;
    }
    utf8proc_int32_t cp = 0;
    utf8proc_ssize_t n = utf8::Decode(reinterpret_cast<const unsigned char*>(text.data() + i), limit - i, &cp);
    if (n <= 0) {
      ++i;
      continue;
    }
    i += static_cast<size_t>(n);
    ++letters;
    if (cp == 0x0456 || cp == 0x0457 || cp == 0x0454 || cp == 0x0491) ++scripts[kUk];
    else if (cp == 0x044B || cp == 0x044D || cp == 0x044A || cp == 0x0451) ++scripts[kRu];
    else if (cp >= 0x0400 && cp <= 0x04FF) ++scripts[kCyrillic];
    else if (cp >= 0x3040 && cp <= 0x30FF) ++scripts[kJa];
    else if (cp >= 0x4E00 && cp <= 0x9FFF) ++scripts[kHan];
    else if (cp >= 0xAC00 && cp <= 0xD7AF) ++scripts[kKo];
    else if (cp >= 0x0600 && cp <= 0x06FF) ++scripts[kAr];
    else if (cp >= 0x0590 && cp <= 0x05FF) ++scripts[kHe];
    else if (cp >= 0x0370 && cp <= 0x03FF) ++scripts[kEl];
    else if (cp >= 0x0E00 && cp <= 0x0E7F) ++scripts[kTh];
    else if (cp >= 0x0900 && cp <= 0x097F) ++scripts[kHi];
  }
  if (letters < 20) return std::nullopt;
  const int cyrillic = scripts[kCyrillic] + scripts[kUk] + scripts[kRu];
  if (cyrillic * 2 > letters) return scripts[kUk] >= scripts[kRu] ? "uk" : "ru";
  if ((scripts[kJa] + scripts[kHan]) * 3 > letters) return scripts[kJa] > 0 ? "ja" : "zh";
  for (auto [script, code] : {std::pair{kKo, "ko"}, std::pair{kAr, "ar"}, std::pair{kHe, "he"},
                              std::pair{kEl, "el"}, std::pair{kTh, "th"}, std::pair{kHi, "hi"}}) {
    if (scripts[script] * 2 > letters) return code;
  }
  // Latin script: the language whose common words are most frequent.
  // The words are those of Fold(sample): those of the fold with
  // kExtrasKeep, which keeps '+' and '-' in words, split at '+' and '-'
  // too. They are counted and looked up in one walk: no vector of them,
  // no memchr a word.
  std::string own_fold;
  if (folded_sample == nullptr) own_fold = Fold(text.substr(0, limit), kExtrasKeep);
  const std::string_view f = folded_sample != nullptr ? *folded_sample : std::string_view(own_fold);
  const Tables& t = Tables::Get();
  std::array<int, 32> counts{};  // language_words holds a 32-bit set of languages per word
  size_t word_count = 0;
  size_t start = 0;  // of the word the next separator ends
  auto word_before = [&](size_t end) {
    if (end != start) {
      ++word_count;
      if (const std::uint32_t* bits = t.language_words.Find(std::string_view(f.data() + start, end - start))) {
        for (std::uint32_t b = *bits; b != 0; b &= b - 1) ++counts[static_cast<size_t>(std::countr_zero(b))];
      }
    }
    start = end + 1;
  };
  size_t k = 0;
#if defined(__SSE2__)
  // The separators found sixteen bytes at a time: a branch a word, not a byte.
  for (; k + 16 <= f.size(); k += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(f.data() + k));
    const __m128i separators = _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(' ')),
                                            _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('+')), _mm_cmpeq_epi8(v, _mm_set1_epi8('-'))));
    for (auto mask = static_cast<unsigned>(_mm_movemask_epi8(separators)); mask != 0; mask &= mask - 1) {
      word_before(k + static_cast<size_t>(std::countr_zero(mask)));
    }
  }
#endif
  for (; k < f.size(); ++k) {
    if (f[k] == ' ' || f[k] == '+' || f[k] == '-') word_before(k);
  }
  word_before(f.size());
  if (word_count < 8) return std::nullopt;
  std::string best;
  int best_n = 0, second_n = 0;
  for (size_t l = 0; l < t.languages.size(); ++l) {
    if (counts[l] > best_n) {
      second_n = best_n;
      best_n = counts[l];
      best = t.languages[l];
    } else if (counts[l] > second_n) {
      second_n = counts[l];
    }
  }
  if (best_n < 3 || best_n * 2 < second_n * 3) return std::nullopt;
  return best;
}

}  // namespace

std::optional<std::string> Language(std::string_view text) { return LanguageOf(text, nullptr); }

std::optional<std::string> LanguageInFolded(std::string_view text, std::string_view folded_sample) {
  return LanguageOf(text, &folded_sample);
}

}  // namespace jobtrawl::normalize
