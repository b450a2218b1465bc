// Classifiers of a posting's text: remote, employment type, seniority, title
// family and keys, skills, and the extras people filter on.
#ifndef JOBTRAWL_NORMALIZE_CLASSIFY_H_
#define JOBTRAWL_NORMALIZE_CLASSIFY_H_

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace jobtrawl::normalize {

// "remote" | "hybrid" | "onsite" from a phrase ("Work from home", "WFH",
// "100% remote", "hybrid (3 days in office)", "TELECOMMUTE", "On-site");
// hybrid wins when both remote and office words appear ("hybrid (2 days
// remote)", "Remote, 1 day a week in the office"), unless the text offers a
// choice of workplaces (ChosenWorkplace: "On-site / Remote" is remote). A
// phrase the words beside it deny says nothing: a negation before it in
// its clause, also across a few words that join them ("not remote", "no
// remote", "non-remote", "This is not a remote position", "no option for
// remote work", "kein Homeoffice", "pas de télétravail", "no es remoto";
// not "not only remote", nor "No relocation, fully remote"), an answer that
// ends its clause after it ("Remote: No", "Homeoffice: nein"; not "Remote,
// no relocation"), or a negation of it as offered ("Remote - Not
// eligible", "remote work is not possible", "Homeoffice nicht möglich").
// nullopt: not said.
std::optional<std::string> RemoteFrom(std::string_view text);
// The same for a place's words (ParseLocation), where remote and office
// words together are not hybrid: the phrase the table lists first (the
// longest) decides ("Remote Office (CA)", "Office in Berlin, remote
// possible": remote), and hybrid, a choice and a denial as above.
std::optional<std::string> RemoteInPlace(std::string_view text);

// A text offering a choice of workplaces: two or more parts split at "/",
// "|", ",", "&", "+", " or " or " and ", each one workplace phrase and
// nothing else ("On-site / Remote", "Remote/Hybrid", "Hybrid or Remote",
// "Onsite, Hybrid"). The job may be worked the most remote of those ways,
// so that is the workplace (remote, then hybrid, then on-site), as the
// board adapters read a choice (parsers/boards/common.h Workplace) and a job
// listed at an office and as remote. nullopt when the text offers no choice
// ("Remote (US)", "no remote / on-site": a denied part is no choice).
std::optional<std::string> ChosenWorkplace(std::string_view text);
// Whether a folded word is one RemoteFrom reads as denying a workplace
// phrase beside it ("no", "not", "non", "none", "never"), between the phrase
// and its denial ("work", "is": "remote work is not possible"), or after
// "not" as what is not offered ("possible", "eligible"). The place reader
// drops such words beside a phrase with it: "Remote: No" names no Norway.
bool WorkplaceDenialWord(std::string_view folded);
// Whether a folded word denies a workplace phrase after it, as RemoteFrom
// reads it ("no", "not", "non", "kein", "pas", "sin", "without"...): the
// place reader drops it before the phrase ("kein Homeoffice, Berlin" names
// no town "kein").
bool WorkplaceNegationWord(std::string_view folded);
// The order a choice of workplaces is read in: 1 "onsite", 2 "hybrid", 3
// "remote"; 0 for anything else.
int Remoteness(std::string_view workplace);

// schema.org employment types (FULL_TIME, PART_TIME, CONTRACTOR, TEMPORARY,
// INTERN, VOLUNTEER, PER_DIEM, OTHER) named in `text` ("Full-time",
// "Vollzeit", "Temps plein", "FULL_TIME, CONTRACTOR"), in order, no repeats.
// A type the words beside it deny, as RemoteFrom reads a denial, is not
// named ("Not full-time", "Full-time: No", "keine Festanstellung"); a
// denial that names a type of its own is a phrase of the table
// ("Non-permanent": TEMPORARY).
std::vector<std::string> EmploymentTypes(std::string_view text);

struct Seniority {
  std::string level;  // intern | entry | mid | senior | staff | lead | director
  std::string rule;   // the title word that decided it
};
// The highest seniority a title's words name; nullopt when none does.
// This and TitleKeysOf are thread-safe: each thread keeps its recent
// results (a board repeats its titles).
std::optional<Seniority> SeniorityOf(std::string_view title);

struct TitleKeys {
  std::string key;     // for matching: folded; gender markers, seniority words, level numbers,
                       // remote and location suffixes dropped; qualifiers such as "(Python)" kept
  std::string family;  // for grouping: the key without qualifiers ("backend engineer")
  // Both in one spelling per word, the one dedup matching reads: "mgr" is
  // "manager" and "&" "and" ("Sr. Engineering Mgr": "engineering manager").
};
TitleKeys TitleKeysOf(std::string_view title);

// Skills named in `text` (canonical names from data/skills.tsv), in order of
// first mention.
std::vector<std::string> Skills(std::string_view text);
// Skills(title + "\n" + description), without joining them.
std::vector<std::string> Skills(std::string_view title, std::string_view description);

// "yes" when the text offers visa sponsorship, "no" when it rules it out;
// nullopt when it does not say.
std::optional<std::string> VisaSponsorship(std::string_view text);

// What the two functions below and their overloads fold a text with:
// NormalizePosting folds a description once, Fold(text, kExtrasKeep), and
// hands the result to both.
inline constexpr std::string_view kExtrasKeep = "+-";
// folded: Fold(text, kExtrasKeep), its words split at '+' and '-' too.
std::optional<std::string> VisaSponsorshipInFolded(std::string_view folded);

// The smallest number of years of experience the text asks for ("3+ years",
// "3-5 years of experience", "minimum of 2 years"); nullopt when none.
std::optional<int> ExperienceYears(std::string_view text);
std::optional<int> ExperienceYearsInFolded(std::string folded);  // folded: Fold(text, kExtrasKeep)

// The language of the text as ISO 639-1 ("en", "de", "uk", ...), from its
// most common words; nullopt for text too short to tell.
std::optional<std::string> Language(std::string_view text);
// Language reads the first kLanguageSample bytes of a text. The same answer
// from the fold of those bytes, Fold(text.substr(0, kLanguageSample),
// kExtrasKeep), which NormalizePosting has at hand (Fold with a mark).
inline constexpr std::size_t kLanguageSample = 1500;
std::optional<std::string> LanguageInFolded(std::string_view text, std::string_view folded_sample);

}  // namespace jobtrawl::normalize

#endif  // JOBTRAWL_NORMALIZE_CLASSIFY_H_
