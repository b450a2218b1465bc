// Salaries: from structured data, and from the text boards write.
#ifndef JOBTRAWL_NORMALIZE_SALARY_H_
#define JOBTRAWL_NORMALIZE_SALARY_H_

#include <optional>
#include <string>
#include <string_view>

namespace jobtrawl::normalize {

struct Salary {
  std::optional<double> min;
  std::optional<double> max;
  std::optional<std::string> currency;  // ISO 4217
  bool currency_guessed = false;        // from an ambiguous symbol or the country alone
  std::optional<std::string> period;    // HOUR | DAY | WEEK | MONTH | YEAR
  std::optional<double> annual_min;     // min and max over a year, same currency
  std::optional<double> annual_max;

  bool operator==(const Salary&) const = default;
};

// Hours, days, weeks or months in a year: 2080, 260, 52, 12 (1 for YEAR);
// 0 for an unknown period.
double PeriodsPerYear(std::string_view period);

// Sets annual_min/annual_max from min/max and the period.
void Annualize(Salary& s);

// The period a word or phrase names ("per hour", "p.a.", "LPA", "HOUR"); nullopt if none.
std::optional<std::string> PeriodOf(std::string_view text);

// Reads a salary written as text: single values and ranges, "k" suffixes
// and other scale words ("45k\u20ac", "60 TEUR", "45 tys. z\u0142", "5 Mio. \u20ac"),
// thousands separators of every convention ("100,000", "55.000",
// "6,00,000", "100 000"), Indian lakh and crore, CJK myriads ("4,000\ub9cc\uc6d0",
// "1\uc5b5 2,000\ub9cc\uc6d0", "25\u4e075\u5343\u5186"), currency symbols and codes
// before or after, "up to" and "from", and the period; pay every two weeks
// ("bi-weekly", "fortnightly") is given per year (x26), twice a month
// ("semi-monthly") per month (x2), quarterly per year (x4), unless the text
// states another period for the amount or it is a year's pay by its size.
// `country` (ISO
// alpha-2) resolves symbols several currencies share ("$", "£", "Rs", "kr",
// "¥": data/currency_symbols.tsv) to its money when that is one of them;
// otherwise the first reading is taken and `currency_guessed` set. A
// sign in ASCII Latin letters ("VT", "KM", "TL", "Q", "R", "RM", "QR",
// "Rp", "Tk") is decided only with one of the countries that write their
// money so, and a guess otherwise; a later amount with a sign that counts
// goes before it, and before bare numbers ("24/7", "K-12", "Req 12345")
// unless they state their period or it is extra pay ("$10k sign-on bonus"). An address is no amount (a US ZIP or
// ZIP+4 after its state, a postcode beside a city of a country with such
// postcodes unless a label of pay stands before it, a street or suite
// number, a number with a leading zero), nor
// is a number with another unit ("50 km", "40 hours", "15%", "5K run", "5,000
// ft\u00b2", "300\u4e07\u4eba"). "mil" is a thousand for Portuguese- and
// Spanish-speaking countries and beside "R$" or the euro. Lakh and
// crore without a symbol are the country's rupees or taka, else INR. Non-answers
// ("Competitive", "DOE", "Negotiable") and text without a plausible amount
// give nullopt, as do amounts over 1e11 (no salary in any currency and
// period is that large), a text whose only amounts are named extra pay
// ("$15,000 Sign-On Bonus", "Relocation $5,000"; on-target earnings, a
// stipend or an allowance alone are pay), and pay per mile or kilometre
// ("$0.65 CPM", "$0.55/mile"), which has no period. Linear in the text's
// length.
//
// The period is the one written with the amount ("Weekly pay $17/hr" is
// hourly), else one labelling it ("Annual salary: $90k"), else a period
// word elsewhere in the text ("Weekly pay: $700"), never that of extra pay
// ("annual bonus") or of hours, and only for an amount smaller than a
// year's pay by its size: how often pay is paid is no period of a year's
// pay ("$52,000, paid bi-weekly", "$60,000 paid monthly"); else the
// amount's size decides. The thousands written once, on a range's upper
// bound, are the lower bound's too when that makes a range ("£40-45,000"
// is 40,000-45,000). Two amounts of one sign joined by "/" or "or", the
// second larger but at most twice the first, are a range ("$85K/95K").
std::optional<Salary> ParseSalary(std::string_view text, std::string_view country = {});

// Structured values made consistent: currency code checked (symbols mapped),
// period from its unit text (several periods as ParseSalary gives them:
// "BI-WEEKLY" per year, x26), min/max ordered, zero or negative amounts not
// stated; then annualized. nullopt when no amount is left, or when one is
// not finite or over 1e11.
std::optional<Salary> NormalizeStructuredSalary(std::optional<double> min, std::optional<double> max,
                                                std::string_view currency, std::string_view period,
                                                std::string_view country = {});

}  // namespace jobtrawl::normalize

#endif  // JOBTRAWL_NORMALIZE_SALARY_H_
