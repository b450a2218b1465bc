// Amounts in salary text that are no money: addresses, numbers with other
// units; signs of money decided only in their countries; the currencies
// ISO 4217 added lately; scale words and CJK units after the number.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include "model/posting.h"
#include "normalize/normalize.h"
#include "normalize/salary.h"
#include "normalize/tables.h"

namespace jobtrawl::normalize {
namespace {

const auto kFetched = std::chrono::system_clock::from_time_t(1795867200);  // 2026-11-28T12:00:00Z

// A salary text, its board's country ("" for none) and what it reads as.
struct SalaryCase {
  const char* text;
  const char* country;
  double min;
  double max;
  const char* currency;
  const char* period;
};

// Each case reads as it says (the text names a failing case).
void ExpectSalaries(std::span<const SalaryCase> cases) {
  for (const SalaryCase& c : cases) {
    auto s = ParseSalary(c.text, c.country);
    ASSERT_TRUE(s) << c.text;
    EXPECT_EQ(s->min, c.min) << c.text;
    EXPECT_EQ(s->max, c.max) << c.text;
    EXPECT_EQ(s->currency, c.currency) << c.text;
    EXPECT_EQ(s->period, c.period) << c.text;
  }
}

TEST(SalaryTest, AnAddressIsNoAmount) {
  // A US ZIP after its state, a postcode beside its city, a street or
  // suite number: a salary field that holds a place has no salary ("05401"
  // after "VT" was 5,401 vatu, "67202" after "KS" 67,202 dollars).
  struct Case {
    const char* text;
    const char* country;
  };
  const Case kAddresses[] = {
      {"Burlington, VT 05401", "US"},
      {"Burlington, VT 05401", ""},
      {"Wichita, KS 67202", "US"},
      {"Wichita, KS 67202", ""},
      {"Wichita, KS 67202-1234", "US"},
      {"Austin, Texas 78701", "US"},
      {"Mountain View, CA 94043", "US"},
      {"1600 Amphitheatre Parkway, Mountain View, CA 94043", "US"},
      {"Suite 1200, 100 Main Street", "US"},
      {"10115 Berlin", "DE"},
      {"75001 Paris", "FR"},
      {"Burlington, VT 05401 USD", "US"},  // JSON-LD: a value that is a place, with its currency
  };
  for (const Case& c : kAddresses) {
    auto s = ParseSalary(c.text, c.country);
    EXPECT_FALSE(s) << c.text << " " << c.country << " -> " << (s ? s->min.value_or(-1) : 0);
  }
  // A bare amount alone is still a salary (also beside a city whose
  // postcodes have letters, or with its sign after), and money beside an
  // address is read.
  for (const auto& [text, country] : {std::pair{"55000", "US"}, std::pair{"55,000", "US"},
                                      std::pair{"London 45000", "GB"}, std::pair{"Paris 45000 EUR", "FR"},
                                      std::pair{"M\u00e5nadsl\u00f6n av 45000 kr", "SE"}}) {
    auto s = ParseSalary(text, country);
    ASSERT_TRUE(s) << text;
    const bool us = country == std::string_view("US");
    EXPECT_EQ(s->min, us ? 55000 : 45000) << text;
    EXPECT_EQ(s->currency, us ? "USD" : Tables::Get().countries.at(country).currency) << text;
  }
  for (const char* text : {"Burlington, VT 05401, $25/hr", "$25/hr, 100 Main Street, Wichita, KS 67202"}) {
    auto s = ParseSalary(text, "US");
    ASSERT_TRUE(s) << text;
    EXPECT_EQ(s->min, 25) << text;
    EXPECT_EQ(s->currency, "USD") << text;
    EXPECT_FALSE(s->currency_guessed) << text;
    EXPECT_EQ(s->period, "HOUR") << text;
  }
}

TEST(NormalizePostingTest, ASalaryFieldHoldingAPlaceStoresNoSalary) {
  for (const char* text : {"Burlington, VT 05401", "Wichita, KS 67202", "Burlington, VT 05401 USD"}) {
    Posting p;
    p.title = "Registered Nurse";
    p.salary_text = text;
    NormalizePosting(p, {.fetched_at = kFetched, .country = "US"});
    EXPECT_FALSE(p.salary_min) << text;
    EXPECT_FALSE(p.salary_max) << text;
    EXPECT_FALSE(p.salary_currency) << text;
  }
}

TEST(SalaryTest, ANumberWithAUnitOtherThanMoneyIsNoAmount) {
  // A distance, a duration, a share, a size or a race is no amount, nor is
  // a retirement plan ("401k"); the amount with a sign of money beside it is
  // the salary.
  struct Case {
    const char* text;
    const char* country;
    double amount;
    const char* period;
  };
  const Case kCases[] = {
      {"within 50 km, $20/hr", "US", 20, "HOUR"},
      {"within 1500 km, $20/hr", "CA", 20, "HOUR"},
      {"up to 40 hours, $25/hour", "US", 25, "HOUR"},
      {"10 miles from Austin, $60k", "US", 60000, "YEAR"},
      {"Drive 1,000 miles weekly, $1,500/week", "US", 1500, "WEEK"},
      {"3 years experience, $90,000", "US", 90000, "YEAR"},
      {"2400 MHz, $30/hr", "US", 30, "HOUR"},
      {"5K run, $20/hr", "US", 20, "HOUR"},
      {"Lift 50 lbs, $18/hr", "US", 18, "HOUR"},
      {"50 km, 20 per hour", "DE", 20, "HOUR"},
      {"5000 employees, $90,000", "US", 90000, "YEAR"},
      {"Req 12345, $90,000", "US", 90000, "YEAR"},
      {"10 to 20 km, $20/hr", "US", 20, "HOUR"},
      {"3% 401k match, 75k", "US", 75000, "YEAR"},
      {"401(k), 403b and 457(b) plans, 75k", "US", 75000, "YEAR"},
      {"$457k", "US", 457000, "YEAR"},
  };
  for (const Case& c : kCases) {
    auto s = ParseSalary(c.text, c.country);
    ASSERT_TRUE(s) << c.text;
    EXPECT_EQ(s->min, c.amount) << c.text;
    EXPECT_EQ(s->max, c.amount) << c.text;
    EXPECT_EQ(s->period, c.period) << c.text;
  }
  for (const auto& [text, country] : {std::pair{"5K run", ""}, std::pair{"5K run", "US"}, std::pair{"10K run", "US"},
                                      std::pair{"5000 km", "CA"}, std::pair{"5000 KM", "CA"},
                                      std::pair{"1,000 GB", "US"}, std::pair{"1500 kg", "DE"},
                                      std::pair{"2,000 lbs", "US"}, std::pair{"15%", "US"},
                                      std::pair{"20-25 hours per week", "US"},
                                      std::pair{"3 - 5 years experience", "US"}, std::pair{"401k match", "US"},
                                      std::pair{"401(k) plan", "US"}}) {
    auto s = ParseSalary(text, country);
    EXPECT_FALSE(s) << text << " " << country << " -> " << (s ? s->min.value_or(-1) : 0);
  }
  // A range that states its period, or beside a signed amount of extra
  // pay, is the salary still.
  for (const char* text : {"50,000 - 60,000 per year, plus $5,000 bonus", "50000-60000 plus $10k sign-on bonus",
                           "50,000 - 60,000, relocation $5,000"}) {
    auto base = ParseSalary(text, "US");
    ASSERT_TRUE(base) << text;
    EXPECT_EQ(base->min, 50000) << text;
    EXPECT_EQ(base->max, 60000) << text;
  }
}

TEST(SalaryTest, LatinLetterSignsOfOneCountryAreDecidedOnlyThere) {
  // RM, Tk, Rp, QR and every sign in ASCII Latin letters (normalize/data/
  // currency_symbols.tsv, third column) are their money on their countries'
  // boards, and a guess elsewhere or with no country: they are rooms, codes,
  // references and units as often.
  struct Case {
    const char* text;
    const char* home;
    const char* currency;
  };
  const Case kCases[] = {
      {"RM 5,000 per month", "MY", "MYR"},       {"Tk 50,000 per month", "BD", "BDT"},
      {"Tk. 50,000 per month", "BD", "BDT"},     {"Rp 5.000.000 per month", "ID", "IDR"},
      {"QR 10,000 per month", "QA", "QAR"},      {"5.000 Ft per month", "HU", "HUF"},
      {"5 000 zl per month", "PL", "PLN"},       {"KSh 100,000 per month", "KE", "KES"},
      {"USh 1,000,000 per month", "UG", "UGX"},  {"TSh 1,000,000 per month", "TZ", "TZS"},
      {"Dhs 20,000 per month", "AE", "AED"},     {"SFr. 8,000 per month", "CH", "CHF"},
      {"100.000 din per month", "RS", "RSD"},    {"Bs.S 5.000 per month", "VE", "VES"},
  };
  for (const Case& c : kCases) {
    auto home = ParseSalary(c.text, c.home);
    ASSERT_TRUE(home) << c.text;
    EXPECT_EQ(home->currency, c.currency) << c.text;
    EXPECT_FALSE(home->currency_guessed) << c.text;
    // Elsewhere a guess, or no amount when the letters are a unit there
    // ("5.000 Ft": feet).
    for (const char* elsewhere : {"US", "GB", ""}) {
      auto s = ParseSalary(c.text, elsewhere);
      if (!s) continue;
      EXPECT_EQ(s->currency, c.currency) << c.text << " " << elsewhere;
      EXPECT_TRUE(s->currency_guessed) << c.text << " " << elsewhere;
    }
    ASSERT_TRUE(ParseSalary(c.text, "US") || std::string_view(c.text).find("Ft") != std::string_view::npos) << c.text;
  }
  // Every such sign has its countries: a sign of Latin letters alone that
  // is decided on a board of any country is what this test is for.
  const Tables& t = Tables::Get();
  for (const auto& [token, codes] : t.currency_symbols) {
    // Letters with a diacritic ("z\u0142", "K\u010d") are money and no
    // abbreviation: what the rule is for are plain ASCII letters.
    const bool latin = std::all_of(token.begin(), token.end(), [](char c) {
      return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '.';
    });
    if (!latin || codes.size() > 1) continue;
    // Names of money in words and the ISO-like "RMB" and "CHF" are money anywhere.
    static const std::set<std::string> kAnywhere = {"RMB", "CHF", "SEK", "NOK", "DKK", "euros", "euro",
                                                   "yen", "yuan", "reais", "rupiah", "ringgit", "baht",
                                                   "kronor"};
    if (kAnywhere.contains(token)) continue;
    EXPECT_TRUE(t.currency_symbol_countries.contains(token)) << token;
  }
}

TEST(NormalizePostingTest, ATitleKeepsALatinLetterSignOnlyOnItsCountrysBoard) {
  Posting us;
  us.title = "Software Engineer RM 8,000";
  NormalizePosting(us, {.fetched_at = kFetched, .country = "US"});
  EXPECT_FALSE(us.salary_min);
  EXPECT_FALSE(us.salary_currency);
  Posting my;
  my.title = "Software Engineer RM 8,000";
  NormalizePosting(my, {.fetched_at = kFetched, .country = "MY"});
  EXPECT_EQ(my.salary_min, 8000);
  EXPECT_EQ(my.salary_currency, "MYR");
}

TEST(NormalizePostingTest, ATitleNamingOnlyExtraPayStatesNoSalary) {
  // "Registered Nurse - ICU - $15,000 Sign-On Bonus" stored the bonus as 15,000
  // USD a year. A title's amount that is extra pay is no salary; pay named
  // beside it still is, and so are on-target earnings.
  for (const char* title : {"Registered Nurse - ICU - $15,000 Sign-On Bonus", "RN ICU - $10K Sign On Bonus",
                            "Warehouse Associate - $2,000 Sign-On Bonus", "Up to $10,000 sign-on bonus",
                            "Travel Nurse - $5,000 relocation stipend", "CNA - $3,000 - $5,000 Sign-On Bonus"}) {
    Posting p;
    p.title = title;
    NormalizePosting(p, {.fetched_at = kFetched, .country = "US"});
    EXPECT_FALSE(p.salary_min) << title;
    EXPECT_FALSE(p.salary_max) << title;
    EXPECT_FALSE(p.salary_source) << title;
    EXPECT_FALSE(p.salary_raw) << title;
  }
  Posting pay;
  pay.title = "Registered Nurse - $45/hr + $10,000 Sign-On Bonus";
  NormalizePosting(pay, {.fetched_at = kFetched, .country = "US"});
  EXPECT_EQ(pay.salary_min, 45);
  EXPECT_EQ(pay.salary_period, "HOUR");
  Posting ote;
  ote.title = "Business Development Manager - \u00a360k OTE";
  NormalizePosting(ote, {.fetched_at = kFetched, .country = "GB"});
  EXPECT_EQ(ote.salary_min, 60000);
  EXPECT_EQ(ote.salary_currency, "GBP");
  // A salary field holding only extra pay states none either; its text is
  // kept as the raw salary.
  Posting field;
  field.title = "Registered Nurse";
  field.salary_text = "$15,000 Sign-On Bonus";
  NormalizePosting(field, {.fetched_at = kFetched, .country = "US"});
  EXPECT_FALSE(field.salary_min);
  EXPECT_FALSE(field.salary_max);
  EXPECT_FALSE(field.salary_period);
  EXPECT_FALSE(field.salary_source);
  EXPECT_EQ(field.salary_raw, "$15,000 Sign-On Bonus");
}

TEST(SalaryTest, TheCaribbeanGuilderAndZimbabweGoldAreRead) {
  // ISO 4217 amendments 176 (XCG, from 2025) and 177 (ZWG, 2024): the new
  // codes and their signs read, and text in the withdrawn ANG and ZWL still
  // does. Bulgaria's money has been the euro since 1 January 2026: a bare
  // amount on a Bulgarian board is EUR, while text in lev still reads BGN.
  struct Case {
    const char* text;
    const char* country;
    const char* currency;
  };
  const Case kCases[] = {
      {"XCG 3,000 per month", "CW", "XCG"},   {"XCG 3,000 per month", "", "XCG"},
      {"Cg 3,000 per month", "CW", "XCG"},    {"Cg 3,000 per month", "SX", "XCG"},
      {"3,000 per month", "CW", "XCG"},       {"ANG 3,000 per month", "CW", "ANG"},
      {"NAf. 3,000 per month", "CW", "ANG"},  {"ZWG 5,000 per month", "ZW", "ZWG"},
      {"ZWG 5,000 per month", "", "ZWG"},     {"ZiG 5,000 per month", "ZW", "ZWG"},
      {"ZWL 5,000 per month", "ZW", "ZWL"},   {"Z$ 5,000 per month", "ZW", "ZWL"},
  };
  for (const Case& c : kCases) {
    auto s = ParseSalary(c.text, c.country);
    ASSERT_TRUE(s) << c.text << " " << c.country;
    EXPECT_EQ(s->currency, c.currency) << c.text << " " << c.country;
    EXPECT_EQ(s->currency_guessed, std::string_view(c.text) == "3,000 per month") << c.text << " " << c.country;
  }
  EXPECT_EQ(ParseSalary("3,000 per month", "BG")->currency, "EUR");
  EXPECT_EQ(ParseSalary("3000 \u043b\u0432. per month", "BG")->currency, "BGN");
  EXPECT_TRUE(ParseSalary("Cg 3,000 per month", "US")->currency_guessed);
  EXPECT_TRUE(ParseSalary("ZiG 5,000 per month", "US")->currency_guessed);
}

TEST(SalaryTest, APeriodOrCountWordAfterAMoneyRangeIsNotAUnit) {
  // A period word right after a range whose first bound has a sign, or
  // whose bound has a multiplier, is the pay's period ("$60-70k yr"); a
  // count word after it is the next word of a title ("$200-250k Staff
  // Software Engineer"). Both bounds stay.
  const SalaryCase kCases[] = {
      {"$60-70k yr", "", 60000, 70000, "USD", "YEAR"},
      {"$100-120k yr", "", 100000, 120000, "USD", "YEAR"},
      {"Salary: $90-110k yr + bonus", "", 90000, 110000, "USD", "YEAR"},
      {"$60-70k year", "", 60000, 70000, "USD", "YEAR"},
      {"\u00a340-45k year", "", 40000, 45000, "GBP", "YEAR"},
      {"$60k-70k yr", "", 60000, 70000, "USD", "YEAR"},
      {"$200-250k Staff Software Engineer", "", 200000, 250000, "USD", "YEAR"},
      {"$150-180k people manager", "", 150000, 180000, "USD", "YEAR"},
      {"110k-130k Stores Manager", "US", 110000, 130000, "USD", "YEAR"},
      {"$25-30 hr", "", 25, 30, "USD", "HOUR"},
      {"$25 - 30 hour", "", 25, 30, "USD", "HOUR"},
      {"$60,000-70,000 yr", "", 60000, 70000, "USD", "YEAR"},
      {"$4,000-5,000 month", "", 4000, 5000, "USD", "MONTH"},
  };
  ExpectSalaries(kCases);
  // Bare counts stay counts.
  for (const char* text : {"20-25 hours per week", "3 - 5 years experience", "5000 - 6000 employees"}) {
    EXPECT_FALSE(ParseSalary(text, "US")) << text;
  }
}

TEST(SalaryTest, ABoundOfABareRangeIsNoPostcode) {
  // A postcode is one number: neither bound of "N - M" is one. Canada's
  // postcodes have letters, and a US ZIP follows its state directly.
  // Germany, France, Spain and Italy write the postcode before the city
  // (UPU addressing formats), so "Berlin 55000" is pay as before.
  struct Case {
    const char* text;
    const char* country;
    double min;
    double max;
  };
  const Case kCases[] = {
      {"Toronto, ON 90000 - 110000", "CA", 90000, 110000},
      {"Madrid 30000 - 35000", "ES", 30000, 35000},
      {"Milano 35000 - 40000", "IT", 35000, 40000},
      {"Dallas, TX - 75000 - 85000", "US", 75000, 85000},
      {"55000 - 65000 Berlin", "DE", 55000, 65000},
      {"Berlin 55000", "DE", 55000, 55000},
      {"Paris 45000", "FR", 45000, 45000},
      {"Dallas 75000", "US", 75000, 75000},
  };
  for (const Case& c : kCases) {
    auto s = ParseSalary(c.text, c.country);
    ASSERT_TRUE(s) << c.text;
    EXPECT_EQ(s->min, c.min) << c.text;
    EXPECT_EQ(s->max, c.max) << c.text;
    EXPECT_EQ(s->currency, Tables::Get().countries.at(c.country).currency) << c.text;
  }
  for (const auto& [text, country] : {std::pair{"10115 Berlin", "DE"}, std::pair{"75001 Paris", "FR"},
                                      std::pair{"Dallas, TX 75201", "US"}, std::pair{"Bangalore 560001", "IN"}}) {
    EXPECT_FALSE(ParseSalary(text, country)) << text;
  }
}

TEST(SalaryTest, APostcodeAfterItsRegionOrInItsCountrysShapeIsNoAmount) {
  // A US ZIP after a comma after its state (applicant tracking systems
  // join the fields so), a postcode after its region (India's PIN,
  // Australia's postcode) or after its city and a comma, and the postcodes
  // whose shape is not digits alone (UPU: NL "1012 AB", PT "1000-001", BR
  // "20040-002", IL seven digits) beside a place of their country or on its
  // board: no salary. Each was read as pay ("Tel Aviv 6100000" as 6,100,000
  // ILS a year).
  struct Case {
    const char* text;
    const char* country;
  };
  const Case kAddresses[] = {
      {"Austin, TX, 78701", "US"},
      {"Austin, TX, 78701", ""},
      {"Austin, Texas, 78701", "US"},
      {"Hyderabad, Telangana 500081", "IN"},
      {"Gurugram, Haryana 122002", "IN"},
      {"Chennai, Tamil Nadu 600001", ""},
      {"Noida, UP 201301", "IN"},
      {"Panaji, Goa 403001", "IN"},
      {"Bangalore, 560001", "IN"},
      {"Melbourne VIC 3000", "AU"},
      {"Perth WA 6000", "AU"},
      {"Sydney, NSW 2000", ""},
      {"1012 AB Amsterdam", "NL"},
      {"1012 AB Amsterdam", ""},
      {"3011AB Rotterdam", ""},
      {"Amsterdam 1012 AB", "NL"},
      {"1000-001 Lisboa", "PT"},
      {"1000-001 Lisboa", ""},
      {"4000-322 Porto", "PT"},
      {"Rio de Janeiro - RJ, 20040-002", "BR"},
      {"20040-002 Rio de Janeiro", ""},
      {"Tel Aviv 6100000", "IL"},
      {"Tel Aviv 6100000", ""},
      {"Jerusalem 9103401", "IL"},
  };
  for (const Case& c : kAddresses) {
    auto s = ParseSalary(c.text, c.country);
    EXPECT_FALSE(s) << c.text << " " << c.country << " -> " << (s ? s->min.value_or(-1) : 0);
  }
  // Pay beside them is read, and so is pay where no postcode stands: a
  // bound of a range of bare numbers, a postcode's digits on the side of the
  // city its country does not write it ("Berlin 55000"), a shape of another
  // country.
  const SalaryCase kPay[] = {
      {"Melbourne VIC 3000, $90,000", "AU", 90000, 90000, "AUD", "YEAR"},
      {"Hyderabad, Telangana 500081, \u20b96,00,000 per annum", "IN", 600000, 600000, "INR", "YEAR"},
      {"1012 AB Amsterdam, \u20ac4.500 per maand", "NL", 4500, 4500, "EUR", "MONTH"},
      {"Austin, TX, 78701, $120,000", "US", 120000, 120000, "USD", "YEAR"},
      {"Dallas, TX, 75000 - 85000", "US", 75000, 85000, "USD", "YEAR"},
      {"Berlin 55000", "DE", 55000, 55000, "EUR", "YEAR"},
      {"Paris 75008 - 50 000 \u20ac - 60 000 \u20ac", "FR", 50000, 60000, "EUR", "YEAR"},
      {"Amsterdam 4500", "NL", 4500, 4500, "EUR", "MONTH"},
      {"Lisboa 1500", "PT", 1500, 1500, "EUR", "MONTH"},
      {"4000 AB", "US", 4000, 4000, "USD", "MONTH"},
  };
  ExpectSalaries(kPay);
}

TEST(SalaryTest, AnIndianSlashDashClosesTheAmount) {
  // Indian usage closes a written amount with "/-" (no paise follow):
  // "25,000/- to 35,000/-" is a range, not 25,000 alone.
  const SalaryCase kCases[] = {
      {"Rs. 25,000/- to 35,000/- per month", "IN", 25000, 35000, "INR", "MONTH"},
      {"Rs.15,000/- - Rs.20,000/-", "IN", 15000, 20000, "INR", "MONTH"},
      {"\u20b9 4,50,000/- per annum", "IN", 450000, 450000, "INR", "YEAR"},
      {"Rs. 25,000/-", "IN", 25000, 25000, "INR", "MONTH"},
  };
  ExpectSalaries(kCases);
}

TEST(SalaryTest, AnAmountWithNoPeriodIsSizedInItsOwnCurrency) {
  // data/salary_ranges.tsv gives every currency its own sizes: a month's
  // pay in a currency worth far less than a dollar, or where pay is quoted
  // per month (Hong Kong, Singapore, the Gulf), is no year's. Each was
  // stored as yearly, its annual figures twelve times too low.
  const SalaryCase kMonthly[] = {
      {"HK$30,000", "HK", 30000, 30000, "HKD", "MONTH"},
      {"HK$25,000 - HK$35,000", "HK", 25000, 35000, "HKD", "MONTH"},
      {"S$12,000", "SG", 12000, 12000, "SGD", "MONTH"},
      {"RM 12,000", "MY", 12000, 12000, "MYR", "MONTH"},
      {"QR 12,000", "QA", 12000, 12000, "QAR", "MONTH"},
      {"KD 1,500", "KW", 1500, 1500, "KWD", "MONTH"},
      {"EGP 20,000", "EG", 20000, 20000, "EGP", "MONTH"},
      {"MAD 15,000", "MA", 15000, 15000, "MAD", "MONTH"},
      {"DZD 80,000", "DZ", 80000, 80000, "DZD", "MONTH"},
      {"300 000 FCFA", "CI", 300000, 300000, "XOF", "MONTH"},
      {"KZT 500,000", "KZ", 500000, 500000, "KZT", "MONTH"},
      {"RSD 150,000", "RS", 150000, 150000, "RSD", "MONTH"},
      {"UZS 8,000,000", "UZ", 8000000, 8000000, "UZS", "MONTH"},
      {"AMD 500,000", "AM", 500000, 500000, "AMD", "MONTH"},
      {"PEN 12,000", "PE", 12000, 12000, "PEN", "MONTH"},
      {"DOP 60,000", "DO", 60000, 60000, "DOP", "MONTH"},
      {"CRC 900,000", "CR", 900000, 900000, "CRC", "MONTH"},
      {"UYU 80,000", "UY", 80000, 80000, "UYU", "MONTH"},
      {"PYG 6,000,000", "PY", 6000000, 6000000, "PYG", "MONTH"},
      {"MMK 1,000,000", "MM", 1000000, 1000000, "MMK", "MONTH"},
      {"NPR 50,000", "NP", 50000, 50000, "NPR", "MONTH"},
      {"TSh 1,500,000", "TZ", 1500000, 1500000, "TZS", "MONTH"},
      {"USh 2,000,000", "UG", 2000000, 2000000, "UGX", "MONTH"},
      {"ETB 15,000", "ET", 15000, 15000, "ETB", "MONTH"},
      {"Rs 25,000", "MU", 25000, 25000, "MUR", "MONTH"},
      {"550.000 kr. \u00e1 m\u00e1nu\u00f0i", "IS", 550000, 550000, "ISK", "MONTH"},
      {"550.000 kr.", "IS", 550000, 550000, "ISK", "MONTH"},
      // The US dollar on the boards of countries of other wages.
      {"$600", "EC", 600, 600, "USD", "MONTH"},
      {"$400", "SV", 400, 400, "USD", "MONTH"},
  };
  ExpectSalaries(kMonthly);
  // A year's pay stays yearly, in the dollar-sized currencies as before.
  const SalaryCase kYearly[] = {
      {"$60,000", "US", 60000, 60000, "USD", "YEAR"},
      {"\u00a345,000", "GB", 45000, 45000, "GBP", "YEAR"},
      {"60.000 \u20ac", "DE", 60000, 60000, "EUR", "YEAR"},
      {"CHF 110'000", "CH", 110000, 110000, "CHF", "YEAR"},
      {"$95,000", "CA", 95000, 95000, "CAD", "YEAR"},
      {"HK$600,000", "HK", 600000, 600000, "HKD", "YEAR"},
      {"S$90,000", "SG", 90000, 90000, "SGD", "YEAR"},
      {"EGP 600,000", "EG", 600000, 600000, "EGP", "YEAR"},
      {"$24,000", "EC", 24000, 24000, "USD", "YEAR"},
  };
  ExpectSalaries(kYearly);
  EXPECT_FALSE(ParseSalary("$600", "US")->period);  // a week's, a month's: not stated
  // Structured amounts without a unit are sized alike.
  EXPECT_EQ(NormalizeStructuredSalary(30000, 40000, "HKD", "", "HK")->period, "MONTH");
  EXPECT_EQ(NormalizeStructuredSalary(20000, std::nullopt, "EGP", "", "EG")->period, "MONTH");
  EXPECT_EQ(NormalizeStructuredSalary(600, std::nullopt, "USD", "", "EC")->period, "MONTH");
}

TEST(SalaryTest, FtAfterAnAmountOfPayIsTheForint) {
  // "Ft" (with its capital) after an amount written as pay is the forint,
  // a guess without a country; "ft" in small letters stays feet.
  for (const char* text : {"Brutt\u00f3 800.000 Ft", "800.000 Ft", "Fizet\u00e9s: 800.000 Ft"}) {
    auto s = ParseSalary(text, "");
    ASSERT_TRUE(s) << text;
    EXPECT_EQ(s->min, 800000) << text;
    EXPECT_EQ(s->currency, "HUF") << text;
    EXPECT_TRUE(s->currency_guessed) << text;
  }
  auto range = ParseSalary("600 000 - 800 000 Ft", "");
  ASSERT_TRUE(range);
  EXPECT_EQ(range->min, 600000);
  EXPECT_EQ(range->max, 800000);
  EXPECT_EQ(range->currency, "HUF");
  auto hu = ParseSalary("800.000 Ft", "HU");
  ASSERT_TRUE(hu);
  EXPECT_FALSE(hu->currency_guessed);
  for (const auto& [text, country] : {std::pair{"5.000 ft", ""}, std::pair{"5,000 ft", "US"},
                                      std::pair{"5,000 Ft", "US"}}) {
    EXPECT_FALSE(ParseSalary(text, country)) << text << " " << country;
  }
}

TEST(SalaryTest, TheLevsWordsReadTheLev) {
  // Bulgaria's bare amounts are euros since 2026, but text that names the
  // lev ("лев", plural "лева"; in Latin letters "lv", "leva") is in BGN.
  for (const char* text : {"5000 \u043b\u0435\u0432\u0430", "3000 \u043b\u0435\u0432\u0430 \u0431\u0440\u0443\u0442\u043e",
                           "\u0417\u0430\u043f\u043b\u0430\u0442\u0430: 2500 - 3000 \u043b\u0435\u0432\u0430",
                           "1500 lv", "1500 leva", "1500 \u043b\u0432."}) {
    auto s = ParseSalary(text, "BG");
    ASSERT_TRUE(s) << text;
    EXPECT_EQ(s->currency, "BGN") << text;
    EXPECT_FALSE(s->currency_guessed) << text;
  }
  // The Cyrillic words count on any board; "lv" and "leva" in Latin
  // letters ("Lv 3" a level) only guess elsewhere.
  auto cyrillic = ParseSalary("5000 \u043b\u0435\u0432\u0430", "");
  ASSERT_TRUE(cyrillic);
  EXPECT_EQ(cyrillic->currency, "BGN");
  EXPECT_FALSE(cyrillic->currency_guessed);
  auto latin = ParseSalary("1500 leva", "DE");
  ASSERT_TRUE(latin);
  EXPECT_TRUE(latin->currency_guessed);
}

TEST(SalaryTest, SignedExtraPayBeforeThePayIsNotTheSalary) {
  // Extra pay is not the salary in either order: the amount whose own
  // words name a bonus or relocation gives way to a later signed amount.
  struct Case {
    const char* text;
    double amount;
    const char* period;
  };
  const Case kCases[] = {
      {"$5,000 sign-on bonus! $22/hour", 22, "HOUR"},
      {"$2000 signing bonus, $20/hr", 20, "HOUR"},
      {"Relocation $5,000, $110,000", 110000, "YEAR"},
      {"$22/hour, $5,000 sign-on bonus", 22, "HOUR"},
  };
  for (const Case& c : kCases) {
    auto s = ParseSalary(c.text, "US");
    ASSERT_TRUE(s) << c.text;
    EXPECT_EQ(s->min, c.amount) << c.text;
    EXPECT_EQ(s->max, c.amount) << c.text;
    EXPECT_EQ(s->period, c.period) << c.text;
  }
  // Only a bonus stated: no salary
  // (AFieldWhoseOnlyAmountsAreExtraPayStatesNoSalary).
  EXPECT_FALSE(ParseSalary("$5,000 sign-on bonus", "US"));
}

TEST(SalaryTest, APeriodOfHoursOrDurationIsNotThePaysPeriod) {
  // "per week" of "37.5 hours per week" is the hours' period, "6 month" of
  // "6 month contract" a duration: the pay's period is its own or, with
  // none, the amount's size decides.
  struct Case {
    const char* text;
    const char* country;
    double min;
    double max;
    const char* period;
  };
  const Case kCases[] = {
      {"\u00a330,000 - \u00a335,000, 37.5 hours per week", "GB", 30000, 35000, "YEAR"},
      {"$60,000, 40 hrs/wk", "US", 60000, 60000, "YEAR"},
      {"6 month contract, $45/hr", "US", 45, 45, "HOUR"},
      {"12 month contract @ $60/hr", "US", 60, 60, "HOUR"},
      {"Salary: $55,000 - $65,000 | 40 hours/week | 2 weeks PTO", "US", 55000, 65000, "YEAR"},
      {"$120k (remote, 3 days/week in office)", "US", 120000, 120000, "YEAR"},
      {"Part time 20 hrs/week $18/hr", "US", 18, 18, "HOUR"},
      {"5 days a week, $30 per hour", "US", 30, 30, "HOUR"},
      {"\u20ac2.500 brutto, 40 Stunden pro Woche", "DE", 2500, 2500, "MONTH"},
      {"$25/hour 40 h/week", "US", 25, 25, "HOUR"},
      {"$1,200 weekly, 3 years", "US", 1200, 1200, "WEEK"},
  };
  for (const Case& c : kCases) {
    auto s = ParseSalary(c.text, c.country);
    ASSERT_TRUE(s) << c.text;
    EXPECT_EQ(s->min, c.min) << c.text;
    EXPECT_EQ(s->max, c.max) << c.text;
    EXPECT_EQ(s->period, c.period) << c.text;
  }
}

TEST(SalaryTest, ThePeriodWrittenWithTheAmountIsItsOwn) {
  // A period written with the amount ("/hr", "per year", "jährlich",
  // "/Monat") is the amount's, then one labelling it ("Annual salary:"); a
  // period word elsewhere (how often pay is paid, a bonus's period) is not.
  const SalaryCase kCases[] = {
      {"Weekly pay $17/hr", "US", 17, 17, "USD", "HOUR"},
      {"Paid weekly - $20/hr", "US", 20, 20, "USD", "HOUR"},
      {"Daily pay available, $18/hr", "US", 18, 18, "USD", "HOUR"},
      {"Annual bonus! $25/hr", "US", 25, 25, "USD", "HOUR"},
      {"Monthly bonus + $20/hr", "US", 20, 20, "USD", "HOUR"},
      {"Weekly pay, $20 - $24 per hour", "US", 20, 24, "USD", "HOUR"},
      {"Daily pay! $50/hr - $60", "US", 50, 60, "USD", "HOUR"},
      {"Weekly pay! $50,000 - $60,000 per year", "US", 50000, 60000, "USD", "YEAR"},
      {"Weekly pay, 3.800 \u20ac brutto/Monat", "DE", 3800, 3800, "EUR", "MONTH"},
      {"Weekly pay, 60.000 - 70.000 \u20ac j\u00e4hrlich", "DE", 60000, 70000, "EUR", "YEAR"},
      {"Paid weekly, 80.000 \u20ac brutto im Jahr", "DE", 80000, 80000, "EUR", "YEAR"},
      {"Paid weekly. Annual salary: $52,000", "US", 52000, 52000, "USD", "YEAR"},
      {"Daily pay! Hourly rate: $25", "US", 25, 25, "USD", "HOUR"},
      // Abbreviations in capitals away from the amount name no period.
      {"HR Manager - $80,000", "US", 80000, 80000, "USD", "YEAR"},
      {"Senior HR Generalist $85k", "US", 85000, 85000, "USD", "YEAR"},
      {"Medical Assistant, PA - $18", "US", 18, 18, "USD", "HOUR"},
      {"\u00a330,000 PA", "GB", 30000, 30000, "GBP", "YEAR"},
      {"$25 HR", "US", 25, 25, "USD", "HOUR"},
  };
  ExpectSalaries(kCases);
}

TEST(SalaryTest, APeriodWordThatLabelsTheSalaryOrStandsAloneCounts) {
  // A period word before the amount that labels it is its period, and so is
  // one elsewhere when the amount states none ("Weekly pay: $700").
  const SalaryCase kCases[] = {
      {"$50,000 per year", "US", 50000, 50000, "USD", "YEAR"},
      {"Salary (annual): $50,000", "US", 50000, 50000, "USD", "YEAR"},
      {"Annual salary: $90k", "US", 90000, 90000, "USD", "YEAR"},
      {"Stundenlohn: 14 \u20ac", "DE", 14, 14, "EUR", "HOUR"},
      {"Monthly salary 3,000", "IN", 3000, 3000, "INR", "MONTH"},
      {"Monthly salary 30,000", "US", 30000, 30000, "USD", "MONTH"},
      {"Hourly rate up to $25 - $30", "US", 25, 30, "USD", "HOUR"},
      {"Weekly pay: $700", "US", 700, 700, "USD", "WEEK"},
      {"$3,000 bi-weekly", "US", 78000, 78000, "USD", "YEAR"},
      {"$6,500 per month, paid bi-weekly", "US", 6500, 6500, "USD", "MONTH"},
  };
  ExpectSalaries(kCases);
}

TEST(SalaryTest, ThePeriodOfExtraPayIsNotThePays) {
  // "annual bonus", "quarterly bonus": the bonus's period. "$80,000 +
  // quarterly bonus" was 320,000 a year (four times the amount), "$25 +
  // annual bonus" 25 a year.
  const SalaryCase kCases[] = {
      {"$25 + annual bonus", "US", 25, 25, "USD", "HOUR"},
      {"$80,000 + quarterly bonus", "US", 80000, 80000, "USD", "YEAR"},
      {"$4,500 + quarterly commission", "US", 4500, 4500, "USD", "MONTH"},
      {"$22, monthly performance incentive", "US", 22, 22, "USD", "HOUR"},
      {"\u00a335,000 plus annual bonus", "GB", 35000, 35000, "GBP", "YEAR"},
      {"$30/hr plus weekly bonus", "US", 30, 30, "USD", "HOUR"},
  };
  ExpectSalaries(kCases);
}

TEST(SalaryTest, TheThousandsOfTheUpperBoundCarryToTheLower) {
  // "\u00a340-45,000": the thousands written once, on the upper bound, are
  // the lower bound's too (as "k" is: "\u00a328-32k"), when that makes a
  // range within a factor of 3. The lower bound stays as written when it
  // states its own period or the upper one is extra pay.
  const SalaryCase kCases[] = {
      {"\u00a340-45,000", "GB", 40000, 45000, "GBP", "YEAR"},
      {"\u00a340 - 45,000 per annum", "GB", 40000, 45000, "GBP", "YEAR"},
      {"\u00a340-\u00a345,000", "GB", 40000, 45000, "GBP", "YEAR"},
      {"$90-110,000", "US", 90000, 110000, "USD", "YEAR"},
      {"\u20ac45-55.000", "DE", 45000, 55000, "EUR", "YEAR"},
      {"45-55.000 \u20ac", "DE", 45000, 55000, "EUR", "YEAR"},
      {"R$ 2-3.000 por m\u00eas", "BR", 2000, 3000, "BRL", "MONTH"},
      {"$15-25,000", "US", 15000, 25000, "USD", "YEAR"},
      // Unchanged:
      {"\u00a328-32k", "GB", 28000, 32000, "GBP", "YEAR"},
      {"\u00a328,000 - 32,000", "GB", 28000, 32000, "GBP", "YEAR"},
      {"\u00a39-12 per hour", "GB", 9, 12, "GBP", "HOUR"},
      {"$500 - 1,000 per week", "US", 500, 1000, "USD", "WEEK"},
      {"$1,500 - 2,000 a month", "US", 1500, 2000, "USD", "MONTH"},
  };
  ExpectSalaries(kCases);
  // Not a range of thousands: a bound of its own period, extra pay above,
  // an upper bound more than three times the lower's thousands.
  for (const char* text : {"$20/hr - 25,000 bonus", "$20 - 25,000 bonus", "$2 - 25,000"}) {
    auto s = ParseSalary(text, "US");
    ASSERT_TRUE(s) << text;
    EXPECT_NE(s->min, 20000) << text;
    EXPECT_NE(s->min, 2000) << text;
  }
}

TEST(SalaryTest, StructuredBoundsWrittenAsTextReadWithTheirCurrencyAndUnit) {
  // The salary text the parsers make of JSON-LD, microdata and board bounds
  // that are no number ("$80,000", "80k"): the bounds as written, then the
  // currency and unit stated beside them.
  const SalaryCase kCases[] = {
      {"$80,000 USD/YEAR", "", 80000, 80000, "USD", "YEAR"},
      {"80,000 USD - 90,000 USD USD/YEAR", "", 80000, 90000, "USD", "YEAR"},
      {"USD 80,000 USD/YEAR", "", 80000, 80000, "USD", "YEAR"},
      {"80k - 100k USD/YEAR", "", 80000, 100000, "USD", "YEAR"},
      {"$80,000 - $95,000 CAD/YEAR", "", 80000, 95000, "CAD", "YEAR"},
      {"\u00a340k - \u00a345k GBP", "", 40000, 45000, "GBP", "YEAR"},
      {"4.000 \u20ac - 5.000 \u20ac EUR/MONTH", "", 4000, 5000, "EUR", "MONTH"},
      {"$40 USD/HOUR", "", 40, 40, "USD", "HOUR"},
      {"$3,000 - 3.5k USD/bi-weekly", "", 78000, 91000, "USD", "YEAR"},
      {"\u20ac50k - \u20ac60k EUR", "", 50000, 60000, "EUR", "YEAR"},
  };
  ExpectSalaries(kCases);
}

TEST(SalaryTest, ABandNumberOrAnIdIsNoBound) {
  // NHS Agenda for Change: "Band 6 £35,392 - £42,618" is the band's pay,
  // the sign after "6" the next amount's. An id or a count of openings
  // joins no range.
  const SalaryCase kCases[] = {
      {"Band 6 \u00a335,392 - \u00a342,618 pa", "GB", 35392, 42618, "GBP", "YEAR"},
      {"Band 6 \u00a335,392 - \u00a342,618", "GB", 35392, 42618, "GBP", "YEAR"},
      {"Band 5 \u00a328,407 - \u00a334,581 a year", "GB", 28407, 34581, "GBP", "YEAR"},
      {"Job ID 4567 - $45/hr", "US", 45, 45, "USD", "HOUR"},
      {"12345 - $90,000", "US", 90000, 90000, "USD", "YEAR"},
      {"$75,000 - 2 positions", "US", 75000, 75000, "USD", "YEAR"},
      {"50 \u20ac - 60 \u20ac per hour", "DE", 50, 60, "EUR", "HOUR"},
  };
  ExpectSalaries(kCases);
}

TEST(SalaryTest, AMultiplierWithACurrencyWrittenAgainstItIsRead) {
  // French, German and Swedish write the currency against the thousand
  // ("45k€", "45 kEUR", "60 T€", "60 TEUR" for Tausend Euro, "40 tkr"):
  // the sign after the multiplier was taken for a letter of a word, and no
  // amount was read.
  const SalaryCase kCases[] = {
      {"45k\u20ac", "", 45000, 45000, "EUR", "YEAR"},
      {"45k\u20ac", "FR", 45000, 45000, "EUR", "YEAR"},
      {"45K\u20ac", "FR", 45000, 45000, "EUR", "YEAR"},
      {"45-55 k\u20ac", "FR", 45000, 55000, "EUR", "YEAR"},
      {"45 k\u20ac - 55 k\u20ac", "FR", 45000, 55000, "EUR", "YEAR"},
      {"entre 45 et 55 k\u20ac brut annuel", "FR", 45000, 55000, "EUR", "YEAR"},
      {"45kCHF", "", 45000, 45000, "CHF", "YEAR"},
      {"45 kEUR", "", 45000, 45000, "EUR", "YEAR"},
      {"45 KEUR", "DE", 45000, 45000, "EUR", "YEAR"},
      {"60 TEUR", "DE", 60000, 60000, "EUR", "YEAR"},
      {"60 T\u20ac", "DE", 60000, 60000, "EUR", "YEAR"},
      {"zwischen 50 und 60 T\u20ac", "DE", 50000, 60000, "EUR", "YEAR"},
      {"40 tkr/m\u00e5n", "SE", 40000, 40000, "SEK", "MONTH"},
      {"500 tkr", "SE", 500000, 500000, "SEK", "YEAR"},
      // A middle dot is no letter: Chinese boards' "15-25K\u00b713\u85aa" (13
      // months' pay a year) is a monthly range.
      {"15-25K\u00b713\u85aa", "CN", 15000, 25000, "CNY", "MONTH"},
  };
  ExpectSalaries(kCases);
  // A sign that starts at the letter is the sign alone ("45kr" kronor,
  // "45 TL" lira), and a unit stays a unit.
  const SalaryCase kSigns[] = {
      {"45kr", "SE", 45, 45, "SEK", "HOUR"},
      {"45 KSh", "KE", 45, 45, "KES", "HOUR"},
      {"45 TL", "TR", 45, 45, "TRY", "HOUR"},
  };
  ExpectSalaries(kSigns);
  for (const char* text : {"5 kids", "10 km", "50kg", "60 T-shirts"}) EXPECT_FALSE(ParseSalary(text, "US")) << text;
}

TEST(SalaryTest, TheJoinWordsOfOtherLanguagesMakeARange) {
  // "entre 45 et 55", "zwischen 50 und 60", "od 10 000 do 15 000", "entre
  // 30 y 40", "tra 30 e 40": only the second bound was read.
  const SalaryCase kCases[] = {
      {"entre 45 000 et 55 000 \u20ac", "FR", 45000, 55000, "EUR", "YEAR"},
      {"zwischen 50.000 und 60.000 \u20ac", "DE", 50000, 60000, "EUR", "YEAR"},
      {"od 10 000 do 15 000 z\u0142", "PL", 10000, 15000, "PLN", "MONTH"},
      {"entre 30 y 40 mil \u20ac", "ES", 30000, 40000, "EUR", "YEAR"},
      {"tra 30 e 40 mila euro", "IT", 30000, 40000, "EUR", "YEAR"},
      {"tussen 3.000 tot 4.000 euro per maand", "NL", 3000, 4000, "EUR", "MONTH"},
  };
  ExpectSalaries(kCases);
}

TEST(SalaryTest, CjkMyriadUnitsAreRead) {
  // Korean counts in \ub9cc (10,000) and \uc5b5 (100,000,000), Japanese and Chinese in
  // \u4e07 and \u5104/\u4ebf, with \u5343/\ucc9c (1,000) inside them: "4,000\ub9cc\uc6d0" was read as 4,000
  // won an hour. The words before the amount (\uc5f0\ubd09, \u6708\u7d66, \u5e74\u85aa...) state its
  // period; \uc774\uc0c1/\u4ee5\u4e0a ("or more") make a minimum.
  const SalaryCase kCases[] = {
      {"\uc5f0\ubd09 4,000\ub9cc\uc6d0", "KR", 40000000, 40000000, "KRW", "YEAR"},
      {"\uc5f0\ubd09 4,000\ub9cc\uc6d0", "", 40000000, 40000000, "KRW", "YEAR"},
      {"4,000\ub9cc\uc6d0 ~ 5,000\ub9cc\uc6d0", "KR", 40000000, 50000000, "KRW", "YEAR"},
      {"\uc5f0\ubd09 3,000~4,000\ub9cc\uc6d0", "KR", 30000000, 40000000, "KRW", "YEAR"},
      {"\uc5f0\ubd09 3,000 \ub9cc\uc6d0", "KR", 30000000, 30000000, "KRW", "YEAR"},
      {"\uc6d4 300\ub9cc\uc6d0", "KR", 3000000, 3000000, "KRW", "MONTH"},
      {"\uc6d4\uae09 250\ub9cc \uc6d0", "KR", 2500000, 2500000, "KRW", "MONTH"},
      {"\uc5f0\ubd09 1\uc5b5\uc6d0", "KR", 100000000, 100000000, "KRW", "YEAR"},
      {"\uc5f0\ubd09 1\uc5b5 2,000\ub9cc\uc6d0", "KR", 120000000, 120000000, "KRW", "YEAR"},
      {"2\ucc9c\ub9cc\uc6d0", "KR", 20000000, 20000000, "KRW", "YEAR"},
      {"\uc2dc\uae09 10,000\uc6d0", "KR", 10000, 10000, "KRW", "HOUR"},
      {"\u5e74\u53ce500\u4e07\u5186\u301c700\u4e07\u5186", "JP", 5000000, 7000000, "JPY", "YEAR"},
      {"\u6708\u7d6625\u4e07\u5186", "JP", 250000, 250000, "JPY", "MONTH"},
      {"\u6708\u7d6625\u4e075\u5343\u5186", "JP", 255000, 255000, "JPY", "MONTH"},
      {"\u6708\u7d66100\u4e07\u5186", "JP", 1000000, 1000000, "JPY", "MONTH"},
      {"\u6642\u7d661,200\u5186", "JP", 1200, 1200, "JPY", "HOUR"},
      {"\u6708\u85aa1.5\u4e07-2\u4e07", "CN", 15000, 20000, "CNY", "MONTH"},
      {"\u5e74\u85aa30\u4e07", "CN", 300000, 300000, "CNY", "YEAR"},
      {"8\u5343-1.2\u4e07/\u6708", "CN", 8000, 12000, "CNY", "MONTH"},
      {"1.5-2\u4e07/\u6708", "CN", 15000, 20000, "CNY", "MONTH"},
      {"\u65f6\u85aa50\u5143", "CN", 50, 50, "CNY", "HOUR"},
      // "3\uc6d4" is March, not a month's pay.
      {"2026\ub144 3\uc6d4 \uc785\uc0ac, \uc5f0\ubd09 4,000\ub9cc\uc6d0", "KR", 40000000, 40000000, "KRW", "YEAR"},
  };
  ExpectSalaries(kCases);
  auto more = ParseSalary("\uc5f0\ubd09 3000\ub9cc\uc6d0 \uc774\uc0c1", "KR");
  ASSERT_TRUE(more);
  EXPECT_EQ(more->min, 30000000);
  EXPECT_FALSE(more->max);
  auto less = ParseSalary("\uc6d4 200\ub9cc\uc6d0 \uc774\ud558", "KR");
  ASSERT_TRUE(less);
  EXPECT_FALSE(less->min);
  EXPECT_EQ(less->max, 2000000);
  // A count of people or things is no money.
  for (const char* text : {"300\u4e07\u4eba", "10\u4e07\u4ef6", "\ud68c\uc6d0 100\ub9cc\uba85", "\uc9c1\uc6d0 3,000\uba85"}) {
    EXPECT_FALSE(ParseSalary(text, "JP")) << text;
  }
}

TEST(SalaryTest, ScaleWordsAfterTheNumberAreRead) {
  // Thousands and millions written as words or abbreviations with a dot:
  // "tys." (Polish), "\u0442\u044b\u0441." and "\u0442\u0438\u0441." (Russian, Ukrainian), "tis."
  // (Czech), "Mio.", "mille"/"mila", "juta" (Indonesian), "tri\u1ec7u"
  // (Vietnamese), "bin" (Turkish); "mil" beside the euro. The first bound
  // of a range takes the second's ("Rp 8-10 jt"), but not when it is the
  // larger number ("$500 - 2k" was 2,000 to 500,000).
  const SalaryCase kCases[] = {
      {"45 tys. z\u0142", "PL", 45000, 45000, "PLN", "MONTH"},
      {"45 tys. z\u0142", "", 45000, 45000, "PLN", "MONTH"},
      {"100 \u0442\u044b\u0441. \u0440\u0443\u0431.", "RU", 100000, 100000, "RUB", "MONTH"},
      {"100 \u0442\u044b\u0441\u044f\u0447 \u0440\u0443\u0431\u043b\u0435\u0439", "RU", 100000, 100000, "RUB", "MONTH"},
      {"50 \u0442\u0438\u0441. \u0433\u0440\u043d", "UA", 50000, 50000, "UAH", "MONTH"},
      {"45 tis. K\u010d", "CZ", 45000, 45000, "CZK", "MONTH"},
      {"1,5 mln z\u0142", "PL", 1500000, 1500000, "PLN", "YEAR"},
      {"45 mil \u20ac", "", 45000, 45000, "EUR", "YEAR"},
      {"45 mille euros", "", 45000, 45000, "EUR", "YEAR"},
      {"45 mila euro", "IT", 45000, 45000, "EUR", "YEAR"},
      {"Rp 5 juta", "ID", 5000000, 5000000, "IDR", "MONTH"},
      {"Rp 8-10 jt", "ID", 8000000, 10000000, "IDR", "MONTH"},
      {"15-20 tri\u1ec7u", "VN", 15000000, 20000000, "VND", "MONTH"},
      {"45 bin TL", "TR", 45000, 45000, "TRY", "MONTH"},
      {"$500 - 2k", "US", 500, 2000, "USD", "MONTH"},
      {"$900-1.2k", "US", 900, 1200, "USD", "MONTH"},
      {"$120-150k", "US", 120000, 150000, "USD", "YEAR"},
  };
  ExpectSalaries(kCases);
  // "Mio." and "tys." keep their sign after the dot: not a guess.
  auto mio = ParseSalary("5 Mio. \u20ac", "DE");
  ASSERT_TRUE(mio);
  EXPECT_EQ(mio->min, 5000000);
  EXPECT_FALSE(mio->currency_guessed);
  // Words of one money count only with it: "bin" is the lira's.
  EXPECT_FALSE(ParseSalary("5 bin locations", "US"));
}

TEST(SalaryTest, FtIsFeetOrTheForintByWhatSurroundsIt) {
  // An area ("sq ft", "ft\u00b2", "square feet", "m\u00b2") is no amount on any
  // board; "Ft" after a label of pay or before a period is the forint,
  // also on a board of another country (a guess); alone on such a board
  // it stays feet.
  for (const auto& [text, country] :
       {std::pair{"a 5,000 ft\u00b2 warehouse", ""}, std::pair{"a 5,000 ft\u00b2 warehouse", "US"},
        std::pair{"5,000 sq ft office", ""}, std::pair{"5,000 square feet office", ""},
        std::pair{"120 m\u00b2 office", "DE"}, std::pair{"5,000 Ft", "US"}}) {
    EXPECT_FALSE(ParseSalary(text, country)) << text << " " << country;
  }
  const SalaryCase kCases[] = {
      {"Fizet\u00e9s: 500 000 Ft / h\u00f3", "HU", 500000, 500000, "HUF", "MONTH"},
      {"Salary: 5,000 Ft per month", "US", 5000, 5000, "HUF", "MONTH"},
      {"5,000 Ft per month", "US", 5000, 5000, "HUF", "MONTH"},
  };
  ExpectSalaries(kCases);
  EXPECT_TRUE(ParseSalary("Salary: 5,000 Ft per month", "US")->currency_guessed);
  // A distance per period is mileage, not pay, off the sign's own boards.
  EXPECT_FALSE(ParseSalary("3,000 KM per week", "CA"));
  EXPECT_FALSE(ParseSalary("Fizet\u00e9s: 500 000 Ft / h\u00f3", "HU")->currency_guessed);
}

TEST(SalaryTest, APayLabelBeforeANumberMakesItPayBesideACity) {
  // "Salary 55000 Berlin": the label says the number is pay, though a
  // German postcode stands before its city. "55000 Berlin" alone stays a
  // postcode.
  const SalaryCase kCases[] = {
      {"Salary 55000 Berlin", "DE", 55000, 55000, "EUR", "YEAR"},
      {"Gehalt: 55000 Berlin", "DE", 55000, 55000, "EUR", "YEAR"},
      {"R\u00e9mun\u00e9ration : 45000 Paris", "FR", 45000, 45000, "EUR", "YEAR"},
      {"Stipendio: 30000 Roma", "IT", 30000, 30000, "EUR", "YEAR"},
  };
  ExpectSalaries(kCases);
  auto bare = ParseSalary("Salary 55000 Berlin", "");
  ASSERT_TRUE(bare);
  EXPECT_EQ(bare->min, 55000);
  EXPECT_FALSE(bare->currency);
  for (const auto& [text, country] : {std::pair{"55000 Berlin", "DE"}, std::pair{"55000 Berlin", ""},
                                      std::pair{"Office: 75001 Paris", "FR"}}) {
    EXPECT_FALSE(ParseSalary(text, country)) << text << " " << country;
  }
}

// A salary text and what it reads as, where a bound may be missing.
struct BoundCase {
  const char* text;
  const char* country;
  std::optional<double> min;
  std::optional<double> max;
  const char* currency;
  const char* period;
};

void ExpectBounds(std::span<const BoundCase> cases) {
  for (const BoundCase& c : cases) {
    auto s = ParseSalary(c.text, c.country);
    ASSERT_TRUE(s) << c.text;
    EXPECT_EQ(s->min, c.min) << c.text;
    EXPECT_EQ(s->max, c.max) << c.text;
    EXPECT_EQ(s->currency, c.currency) << c.text;
    EXPECT_EQ(s->period, c.period) << c.text;
  }
}

TEST(SalaryTest, AGenderMarkerOrALetterListStatesNoPeriod) {
  // German-language titles carry a gender marker ("(m/w/d)", since 2019
  // with "d" for diverse): its "/d" is no "per day", nor is any slash of a
  // list of one-letter items ("(w/d)", "n/a"). The periods written decide,
  // else the amount's size; "p/d" and "\u20ac500/d" stay daily.
  const BoundCase kCases[] = {
      {"Entwickler (m/w/d) 60.000 \u20ac", "DE", 60000, 60000, "EUR", "YEAR"},
      {"Entwickler (m/w/d), 60.000 - 70.000 \u20ac j\u00e4hrlich", "DE", 60000, 70000, "EUR", "YEAR"},
      {"Pflegefachkraft (m/w/d) ab 3.800 \u20ac brutto/Monat", "DE", 3800, std::nullopt, "EUR", "MONTH"},
      {"Fahrer (m/w/d) 14,50 \u20ac/h", "DE", 14.5, 14.5, "EUR", "HOUR"},
      {"Developer (m/f/d) \u20ac60k", "DE", 60000, 60000, "EUR", "YEAR"},
      {"Developer (w/m/d) 55.000 \u20ac", "DE", 55000, 55000, "EUR", "YEAR"},
      {"Developer (f/m/x) 55.000 \u20ac", "AT", 55000, 55000, "EUR", "YEAR"},
      {"Developer (m/w/x) 55.000 CHF", "CH", 55000, 55000, "CHF", "YEAR"},
      {"Developer (all genders) 55.000 \u20ac", "DE", 55000, 55000, "EUR", "YEAR"},
      {"$60,000 (w/d)", "", 60000, 60000, "USD", "YEAR"},
      {"Bonus: n/a, $60,000", "US", 60000, 60000, "USD", "YEAR"},
      {"\u00a3500 p/d", "GB", 500, 500, "GBP", "DAY"},
      {"500 \u20ac/d (m/w/d)", "DE", 500, 500, "EUR", "DAY"},
      {"\u00a360k p/a", "GB", 60000, 60000, "GBP", "YEAR"},
  };
  ExpectBounds(kCases);
}

TEST(SalaryTest, ThePeriodWrittenWithTheAmountWinsOverOtherPeriodWords) {
  // A pay frequency or a bonus's period elsewhere in the text is not the
  // amount's ("Weekly pay $17/hr" is $17 an hour, paid weekly).
  const SalaryCase kCases[] = {
      {"Weekly pay $17/hr", "US", 17, 17, "USD", "HOUR"},
      {"Paid weekly - $20/hr", "US", 20, 20, "USD", "HOUR"},
      {"Daily pay available, $18/hr", "US", 18, 18, "USD", "HOUR"},
      {"Annual bonus! $25/hr", "US", 25, 25, "USD", "HOUR"},
      {"Monthly bonus + $20/hr", "US", 20, 20, "USD", "HOUR"},
  };
  ExpectSalaries(kCases);
}

TEST(SalaryTest, ACodeOfMoneyThatIsAWordIsNoSignOfASmallNumber) {
  // PHP (the language), CAD (design), ALL, TOP and AMD are words as often as
  // ISO 4217 codes: before a version, a count or a model they are no money,
  // and a number glued to letters after it ("7950X", "3D") is no amount.
  // On the code's own board a salary-sized amount stays its money.
  const SalaryCase kCases[] = {
      {"PHP 8 Developer - $80,000", "US", 80000, 80000, "USD", "YEAR"},
      {"PHP 7 / Laravel Developer, \u00a345,000", "GB", 45000, 45000, "GBP", "YEAR"},
      {"PHP 8 Developer - $25/hr", "US", 25, 25, "USD", "HOUR"},
      {"CAD 3D Designer $25/hr", "US", 25, 25, "USD", "HOUR"},
      {"Open to ALL 50 states, $90k", "US", 90000, 90000, "USD", "YEAR"},
      {"AMD 7950X workstation, $120,000", "US", 120000, 120000, "USD", "YEAR"},
      {"PHP 35,000 - 45,000", "PH", 35000, 45000, "PHP", "MONTH"},
      {"CAD 80,000", "CA", 80000, 80000, "CAD", "YEAR"},
      {"USD 25 - 30 per hour", "US", 25, 30, "USD", "HOUR"},
      {"USD 45 per hour", "US", 45, 45, "USD", "HOUR"},
      {"500TL", "TR", 500, 500, "TRY", "HOUR"},
  };
  ExpectSalaries(kCases);
  for (const char* text : {"Senior PHP 8.2 Developer", "CAD 2 Technician", "TOP 10 Sales Rep",
                           "AMD 7950X workstation", "Senior PHP 8 Developer (m/w/d)"}) {
    EXPECT_FALSE(ParseSalary(text, "US")) << text;
    EXPECT_FALSE(ParseSalary(text, "GB")) << text;
  }
}

TEST(SalaryTest, SignedExtraPayJoinedToThePayIsNotTheSalary) {
  // " - ", " + ", " & ", " and " end the bonus's clause as a comma does:
  // the pay after it is not extra pay by the bonus's words.
  const SalaryCase kCases[] = {
      {"$5,000 Sign-On Bonus - $25/hr", "US", 25, 25, "USD", "HOUR"},
      {"$5k signing bonus + $25-30/hr", "US", 25, 30, "USD", "HOUR"},
      {"$2,000 relocation + $80,000 salary", "US", 80000, 80000, "USD", "YEAR"},
      {"Up to $5,000 bonus & $30/hr", "US", 30, 30, "USD", "HOUR"},
      {"$3,000 sign-on bonus and $28/hr", "US", 28, 28, "USD", "HOUR"},
      {"$10k bonus plus $95,000 base", "US", 95000, 95000, "USD", "YEAR"},
      // Nor does a bonus after the pay make the pay's range.
      {"$25/hr - $2,000 sign-on bonus", "US", 25, 25, "USD", "HOUR"},
      {"$25 per hour and $2,000 bonus", "US", 25, 25, "USD", "HOUR"},
      {"$80,000 - $5,000 bonus", "US", 80000, 80000, "USD", "YEAR"},
      // A range with a bonus word after it stays a range.
      {"$120-150k bonus eligible", "US", 120000, 150000, "USD", "YEAR"},
      {"$80,000 - $90,000 bonus eligible", "US", 80000, 90000, "USD", "YEAR"},
      {"$80,000 - $90,000 plus bonus", "US", 80000, 90000, "USD", "YEAR"},
  };
  ExpectSalaries(kCases);
}

TEST(SalaryTest, ARoundYearSizedAmountAfterALocalSignIsMoneyOnItsBoard) {
  // "BD 2024 intern" is business development and a year; on the sign's own
  // board the sign is decided money, and a round 2,000 a common month's
  // pay (TRY's sizes leave 2,000 without a period).
  const SalaryCase kCases[] = {
      {"RM 2000", "MY", 2000, 2000, "MYR", "MONTH"},
      {"RM2000", "MY", 2000, 2000, "MYR", "MONTH"},
      {"QR 2000", "QA", 2000, 2000, "QAR", "MONTH"},
      {"QR 1950", "QA", 1950, 1950, "QAR", "MONTH"},
      {"2000 DT", "TN", 2000, 2000, "TND", "MONTH"},
  };
  ExpectSalaries(kCases);
  for (const char* text : {"2000 TL", "TL 2000", "TL 2100"}) {
    auto s = ParseSalary(text, "TR");
    ASSERT_TRUE(s) << text;
    EXPECT_EQ(s->currency, "TRY") << text;
    EXPECT_EQ(s->min, s->max) << text;
  }
  for (const auto& [text, country] : {std::pair{"BD 2024 intern", "US"}, std::pair{"BD 2024 intern", "BH"},
                                      std::pair{"TL 2025", "DE"}, std::pair{"TL 2025", "TR"},
                                      std::pair{"RM 2000", "GB"}}) {
    EXPECT_FALSE(ParseSalary(text, country)) << text << " " << country;
  }
}

TEST(NormalizePostingTest, AKoreanSalaryInManwonIsStoredInWon) {
  // A Korean board's "연봉 4,000만원 ~ 5,000만원" is 40-50 million won a year.
  Posting p;
  p.title = "\ubc31\uc5d4\ub4dc \uac1c\ubc1c\uc790";
  p.salary_text = "\uc5f0\ubd09 4,000\ub9cc\uc6d0 ~ 5,000\ub9cc\uc6d0";
  NormalizePosting(p, {.fetched_at = kFetched, .country = "KR"});
  EXPECT_EQ(p.salary_min, 40000000);
  EXPECT_EQ(p.salary_max, 50000000);
  EXPECT_EQ(p.salary_currency, "KRW");
  EXPECT_EQ(p.salary_period, "YEAR");
}

TEST(SalaryTest, OpenBoundsAndSlavicRangesAreRead) {
  // Polish, Czech, Slovak, Croatian and Slovene "od X do Y" (from X to Y),
  // "od X" and "do Y"; English bounds after the amount ("and up", "or
  // more", "minimum") and "no less than" before it; the UK's "pd" per day.
  const BoundCase kCases[] = {
      {"od 8000 do 10000 z\u0142", "PL", 8000, 10000, "PLN", "MONTH"},
      {"od 30 000 do 40 000 K\u010d", "CZ", 30000, 40000, "CZK", "MONTH"},
      {"od 8 000 z\u0142", "PL", 8000, std::nullopt, "PLN", "MONTH"},
      {"do 10 000 z\u0142", "PL", std::nullopt, 10000, "PLN", "MONTH"},
      {"od 2000 do 2500 \u20ac", "SI", 2000, 2500, "EUR", "MONTH"},
      {"$50,000 and up", "US", 50000, std::nullopt, "USD", "YEAR"},
      {"$120,000 and above", "US", 120000, std::nullopt, "USD", "YEAR"},
      {"$120,000 or more", "US", 120000, std::nullopt, "USD", "YEAR"},
      {"$120,000 minimum", "US", 120000, std::nullopt, "USD", "YEAR"},
      {"$25/hr and up", "US", 25, std::nullopt, "USD", "HOUR"},
      {"no less than $120,000", "US", 120000, std::nullopt, "USD", "YEAR"},
      {"$90,000 max", "US", std::nullopt, 90000, "USD", "YEAR"},
      {"$15 minimum wage", "US", 15, 15, "USD", "HOUR"},
      {"\u00a3500pd", "GB", 500, 500, "GBP", "DAY"},
      {"\u00a3350 pd", "GB", 350, 350, "GBP", "DAY"},
      // The bound words are the rest of the amount's clause, not the start
      // of another phrase.
      {"$50,000 and up, DOE", "US", 50000, std::nullopt, "USD", "YEAR"},
      {"$50,000 and up.", "US", 50000, std::nullopt, "USD", "YEAR"},
      {"$25/hr, minimum 2 years experience", "US", 25, 25, "USD", "HOUR"},
      {"$22/hr - minimum 1 year experience required", "US", 22, 22, "USD", "HOUR"},
      {"$80,000 - minimum 3 years experience", "US", 80000, 80000, "USD", "YEAR"},
      {"$75,000; minimum of 5 years experience", "US", 75000, 75000, "USD", "YEAR"},
      {"$20/hr and up to $5k bonus", "US", 20, 20, "USD", "HOUR"},
  };
  ExpectBounds(kCases);
  // "PD" elsewhere is a department or a design team.
  auto pd = ParseSalary("Senior PD Engineer, $150,000", "US");
  ASSERT_TRUE(pd);
  EXPECT_EQ(pd->period, "YEAR");
}

TEST(SalaryTest, LocalAbbreviationsOfMoneyAreDecidedOnTheirBoards) {
  // Moroccan boards write "dhs" for dirhams, Nigerian ones "N" for the
  // naira, Kenyan ones "Kshs." with its dot.
  struct Case {
    const char* text;
    const char* country;
    const char* currency;
  };
  const Case kCases[] = {
      {"8 000 dhs", "MA", "MAD"},
      {"8 000 Dhs", "MA", "MAD"},
      {"N500,000 monthly", "NG", "NGN"},
      {"N 250,000 per month", "NG", "NGN"},
      {"Kshs. 150,000", "KE", "KES"},
      {"Dhs 20,000", "AE", "AED"},
  };
  for (const Case& c : kCases) {
    auto s = ParseSalary(c.text, c.country);
    ASSERT_TRUE(s) << c.text;
    EXPECT_EQ(s->currency, c.currency) << c.text;
    EXPECT_FALSE(s->currency_guessed) << c.text;
  }
  auto naira = ParseSalary("N500,000 monthly", "NG");
  ASSERT_TRUE(naira);
  EXPECT_EQ(naira->min, 500000);
  EXPECT_EQ(naira->period, "MONTH");
  // Elsewhere a guess.
  auto guessed = ParseSalary("N500,000 monthly", "US");
  ASSERT_TRUE(guessed);
  EXPECT_TRUE(guessed->currency_guessed);
}

TEST(SalaryTest, AFieldWhoseOnlyAmountsAreExtraPayStatesNoSalary) {
  // "$15,000 Sign-On Bonus" in a salary field was stored as 15,000 a year,
  // "Up to $10,000 sign-on bonus" as a yearly maximum: a text whose only
  // amounts are named extra pay states no salary, as a title's do.
  for (const char* text : {"$15,000 Sign-On Bonus", "Up to $10,000 sign-on bonus", "$5k referral bonus",
                           "RN ICU - $10K Sign On Bonus", "Warehouse Associate - $2,000 Sign-On Bonus",
                           "$3,000 - $5,000 Sign-On Bonus", "Relocation $5,000", "$5,000 relocation stipend",
                           "Sign-on bonus of up to $7,500", "$10,000 one-time sign on bonus"}) {
    EXPECT_FALSE(ParseSalary(text, "US")) << text;
  }
  // Pay named beside the extra pay, or before a word of it, is the salary;
  // so are on-target earnings, and a stipend or an allowance alone (the pay
  // of a fellowship or an internship).
  const SalaryCase kPay[] = {
      {"Allowance: RM 800/month", "MY", 800, 800, "MYR", "MONTH"},
      {"$120,000 bonus eligible", "US", 120000, 120000, "USD", "YEAR"},
      {"$160K \u2013 $200K \u2022 Offers Equity", "US", 160000, 200000, "USD", "YEAR"},
      {"$90,000 base with annual bonus", "US", 90000, 90000, "USD", "YEAR"},
      {"$25/hr including tips", "US", 25, 25, "USD", "HOUR"},
      {"$80,000 + commission", "US", 80000, 80000, "USD", "YEAR"},
      {"$45/hr + $10,000 Sign-On Bonus", "US", 45, 45, "USD", "HOUR"},
      {"\u00a360k OTE", "GB", 60000, 60000, "GBP", "YEAR"},
      {"Monthly stipend of $2,500", "US", 2500, 2500, "USD", "MONTH"},
  };
  ExpectSalaries(kPay);
}

TEST(SalaryTest, ForintScaleWordsAreRead) {
  // Hungarian boards write thousands "ezer" (or "e") and millions "milli\u00f3":
  // "800 ezer Ft" gave no salary.
  const SalaryCase kCases[] = {
      {"800 ezer Ft", "HU", 800000, 800000, "HUF", "MONTH"},
      {"havi brutt\u00f3 600 ezer Ft", "HU", 600000, 600000, "HUF", "MONTH"},
      {"600e Ft", "HU", 600000, 600000, "HUF", "MONTH"},
      {"brutt\u00f3 1,2 milli\u00f3 Ft", "HU", 1200000, 1200000, "HUF", "MONTH"},
      {"12 milli\u00f3 Ft", "HU", 12000000, 12000000, "HUF", "YEAR"},
      {"650-800 ezer Ft", "HU", 650000, 800000, "HUF", "MONTH"},
  };
  ExpectSalaries(kCases);
  // Only with the forint.
  EXPECT_FALSE(ParseSalary("800 ezer", "US"));
}

TEST(SalaryTest, AnAmountUnderAMonthsPayInItsCurrencyStatesNoPeriod) {
  // The size table decides, in every currency alike: 2,000 lira (about 50
  // dollars in 2025; the net minimum wage is 22,104 lira a month) and 500
  // ribu rupiah (about 30 dollars) are no month's pay, "QR 2000", "2000 DT",
  // "2000 KM" and "2000 \u043b\u0432" are.
  for (const auto& [text, country] : {std::pair{"2000 TL", "TR"}, std::pair{"TL 2000", "TR"},
                                      std::pair{"Rp 500 ribu", "ID"}}) {
    auto s = ParseSalary(text, country);
    ASSERT_TRUE(s) << text;
    EXPECT_FALSE(s->period) << text;
  }
  const SalaryCase kMonthly[] = {
      {"20.000 TL", "TR", 20000, 20000, "TRY", "MONTH"},
      {"Rp 5 juta", "ID", 5000000, 5000000, "IDR", "MONTH"},
      {"QR 2000", "QA", 2000, 2000, "QAR", "MONTH"},
      {"2000 DT", "TN", 2000, 2000, "TND", "MONTH"},
      {"2000 KM", "BA", 2000, 2000, "BAM", "MONTH"},
      {"2000 \u043b\u0432", "BG", 2000, 2000, "BGN", "MONTH"},
  };
  ExpectSalaries(kMonthly);
}

TEST(SalaryTest, PayPerMileIsNoSalary) {
  // Truck drivers' pay per mile ("CPM", cents per mile) was read as pay by
  // the hour. It is pay for no period, as the board adapters read a "per
  // mile" interval: no salary.
  for (const char* text : {"CDL-A Driver $0.65 CPM", "$0.55/mile", "$0.60 - $0.65 per mile", "60 cents per mile",
                           "$.62 per loaded mile", "65 CPM", "0,30 \u20ac/km", "Earn up to $0.70 a mile"}) {
    EXPECT_FALSE(ParseSalary(text, "US")) << text;
  }
  // Other pay beside it is the salary.
  const SalaryCase kPay[] = {
      {"$0.60/mile or $1,500/week", "US", 1500, 1500, "USD", "WEEK"},
      {"Up to $0.65 CPM, $1,400 weekly minimum", "US", 1400, 1400, "USD", "WEEK"},
      {"Within 50 miles, $22/hr", "US", 22, 22, "USD", "HOUR"},
  };
  for (const SalaryCase& c : kPay) {
    auto s = ParseSalary(c.text, c.country);
    ASSERT_TRUE(s) << c.text;
    EXPECT_EQ(s->min, c.min) << c.text;
    EXPECT_EQ(s->currency, c.currency) << c.text;
    EXPECT_EQ(s->period, c.period) << c.text;
  }
}

TEST(SalaryTest, TwoAmountsOfOneSignJoinedBySlashOrOrAreARange) {
  // "$85K/95K" and "$85K or $95K" gave 85,000 only. One amount or another
  // of the same sign and size is a range; a period after the slash, or a
  // second figure of another size, is not.
  const SalaryCase kRanges[] = {
      {"$85K/95K", "US", 85000, 95000, "USD", "YEAR"},
      {"$85K or $95K", "US", 85000, 95000, "USD", "YEAR"},
      {"$85/95K", "US", 85000, 95000, "USD", "YEAR"},
      {"$85,000 / $95,000", "US", 85000, 95000, "USD", "YEAR"},
      {"$15/hr or $20/hr", "US", 15, 20, "USD", "HOUR"},
      {"\u20ac45k/55k", "DE", 45000, 55000, "EUR", "YEAR"},
  };
  ExpectSalaries(kRanges);
  const SalaryCase kSingle[] = {
      {"$20/hr", "US", 20, 20, "USD", "HOUR"},
      {"$85K/yr", "US", 85000, 85000, "USD", "YEAR"},
      {"$20/hr or $45,000/yr", "US", 20, 20, "USD", "HOUR"},
      {"$25/1099", "US", 25, 25, "USD", "HOUR"},
      {"$50,000 or more", "US", 50000, 50000, "USD", "YEAR"},
  };
  for (const SalaryCase& c : kSingle) {
    auto s = ParseSalary(c.text, c.country);
    ASSERT_TRUE(s) << c.text;
    EXPECT_EQ(s->min, c.min) << c.text;
    EXPECT_NE(s->max, c.min * 2) << c.text;
    EXPECT_EQ(s->currency, c.currency) << c.text;
    EXPECT_EQ(s->period, c.period) << c.text;
  }
}

TEST(SalaryTest, HowOftenPayIsPaidIsNotTheAmountsPeriod) {
  // "$52,000, paid bi-weekly" was 1,352,000 a year (26 times) and "$60,000
  // paid monthly" 60,000 a month: a period word away from the amount says
  // how often pay is paid. The amount's own period or, without one, its
  // size decides; a smaller amount takes the word's period.
  struct Case {
    const char* text;
    double min;
    const char* period;
  };
  const Case kCases[] = {
      {"$52,000, paid bi-weekly", 52000, "YEAR"},
      {"$52,000 biweekly", 52000, "YEAR"},
      {"$60,000 paid monthly", 60000, "YEAR"},
      {"Paid weekly - $48,000", 48000, "YEAR"},
      {"Full-time, weekly schedule, $60,000", 60000, "YEAR"},
      {"$2,000 paid monthly", 2000, "MONTH"},
      {"$800, paid weekly", 800, "WEEK"},
      {"$3,000 bi-weekly", 78000, "YEAR"},
      {"$6,500 per month, paid bi-weekly", 6500, "MONTH"},
      {"Weekly pay: $700", 700, "WEEK"},
      {"Monthly salary: $12,000", 12000, "MONTH"},
  };
  for (const Case& c : kCases) {
    auto s = ParseSalary(c.text, "US");
    ASSERT_TRUE(s) << c.text;
    EXPECT_EQ(s->min, c.min) << c.text;
    EXPECT_EQ(s->period, c.period) << c.text;
  }
}

TEST(SalaryTest, PeriodWordsOfOtherLanguagesAreRead) {
  // "40 tys. z\u0142 brutto rocznie" was a month's pay, "12 000 K\u010d
  // m\u011bs\u00ed\u010dn\u011b" stated no period: each amount's size said
  // otherwise than its word, which was not read.
  const SalaryCase kCases[] = {
      {"40 tys. z\u0142 brutto rocznie", "PL", 40000, 40000, "PLN", "YEAR"},
      {"2500 z\u0142/mies.", "PL", 2500, 2500, "PLN", "MONTH"},
      {"2500 z\u0142 brutto/mies.", "PL", 2500, 2500, "PLN", "MONTH"},
      {"2800 z\u0142 miesi\u0119cznie", "PL", 2800, 2800, "PLN", "MONTH"},
      {"2800 z\u0142/mc", "PL", 2800, 2800, "PLN", "MONTH"},
      {"12 000 K\u010d m\u011bs\u00ed\u010dn\u011b", "CZ", 12000, 12000, "CZK", "MONTH"},
      {"12 000 K\u010d za m\u011bs\u00edc", "CZ", 12000, 12000, "CZK", "MONTH"},
      {"150 000 K\u010d ro\u010dn\u011b", "CZ", 150000, 150000, "CZK", "YEAR"},
      {"1 200 K\u010d za hodinu", "CZ", 1200, 1200, "CZK", "HOUR"},
      {"12 000 \u20ac ro\u010dne", "SK", 12000, 12000, "EUR", "YEAR"},
      {"1 500 \u20ac mesa\u010dne", "SK", 1500, 1500, "EUR", "MONTH"},
      {"80 000 Ft havonta", "HU", 80000, 80000, "HUF", "MONTH"},
      {"havi 80 000 Ft", "HU", 80000, 80000, "HUF", "MONTH"},
      {"80 000 Ft/h\u00f3", "HU", 80000, 80000, "HUF", "MONTH"},
      {"15 000 Ft/\u00f3ra", "HU", 15000, 15000, "HUF", "HOUR"},
      {"3000 lei pe lun\u0103", "RO", 3000, 3000, "RON", "MONTH"},
      {"3000 lei lunar", "RO", 3000, 3000, "RON", "MONTH"},
      {"8.000 TL ayl\u0131k", "TR", 8000, 8000, "TRY", "MONTH"},
      {"8.000 TL aylik", "TR", 8000, 8000, "TRY", "MONTH"},
      {"Rp 800.000 per bulan", "ID", 800000, 800000, "IDR", "MONTH"},
      {"Rp 800.000/bln", "ID", 800000, 800000, "IDR", "MONTH"},
      {"4 tri\u1ec7u/th\u00e1ng", "VN", 4000000, 4000000, "VND", "MONTH"},
      {"800.000 \u0111/ng\u00e0y", "VN", 800000, 800000, "VND", "DAY"},
  };
  ExpectSalaries(kCases);
}

TEST(SalaryTest, AlternativeAmountsOfAnotherKindAreNoRange) {
  // "$20/hr or $40k/yr" was 20,000 to 40,000 a year, "$22/hr or $44/hr
  // overtime" 22 to 44 an hour, "$100/150 words" 100 to 150: amounts joined
  // by "/" or "or" are a range only when both are one kind of figure, of
  // one period and multiplier, and neither is a premium rate or a count.
  const SalaryCase kSingle[] = {
      {"$20/hr or $40k/yr", "US", 20, 20, "USD", "HOUR"},
      {"$24/hr or $48K/year", "US", 24, 24, "USD", "HOUR"},
      {"$25 per hour or $50K annually", "US", 25, 25, "USD", "HOUR"},
      {"$15/hr or $30k/yr", "US", 15, 15, "USD", "HOUR"},
      {"$20/hr or $40k", "US", 20, 20, "USD", "HOUR"},
      {"$22/hr or $44/hr overtime", "US", 22, 22, "USD", "HOUR"},
      {"$30/hr or $45/hr holidays", "US", 30, 30, "USD", "HOUR"},
      {"$20/hr, or $30/hr overtime", "US", 20, 20, "USD", "HOUR"},
      {"$20/hr / $30/hr OT", "US", 20, 20, "USD", "HOUR"},
      {"$25/hr or $30/hr weekend shift", "US", 25, 25, "USD", "HOUR"},
      {"$100/150 words", "US", 100, 100, "USD", "HOUR"},
  };
  ExpectSalaries(kSingle);
  EXPECT_NE(ParseSalary("$1/2 million", "US").value_or(Salary{}).max, 2000000);
  const SalaryCase kRanges[] = {
      {"$85K/95K", "US", 85000, 95000, "USD", "YEAR"},
      {"$85K or $95K", "US", 85000, 95000, "USD", "YEAR"},
      {"$100K/$120K", "US", 100000, 120000, "USD", "YEAR"},
      {"\u00a345,000/\u00a350,000", "GB", 45000, 50000, "GBP", "YEAR"},
      {"$18/$20 per hour", "US", 18, 20, "USD", "HOUR"},
      {"$1,500/2,000 per month", "US", 1500, 2000, "USD", "MONTH"},
      {"\u00a3300/\u00a3400 per day", "GB", 300, 400, "GBP", "DAY"},
      {"$15/hr or $20/hr", "US", 15, 20, "USD", "HOUR"},
  };
  ExpectSalaries(kRanges);
}

TEST(SalaryTest, ExtraPayBeforeAnAmountOfPayDoesNotNameIt) {
  // "RN Sign On Bonus $22/hr" and "Relocation assistance $120k-$140k"
  // stated no salary: a word of extra pay before an amount does not name
  // one with its own period or "base" after it, nor a range. A lone figure
  // named extra pay stays none; so does equity, a grant of shares.
  const SalaryCase kPay[] = {
      {"RN Sign On Bonus $22/hr", "US", 22, 22, "USD", "HOUR"},
      {"Sign-on bonus available $22/hr", "US", 22, 22, "USD", "HOUR"},
      {"Bonus $22/hr", "US", 22, 22, "USD", "HOUR"},
      {"Tips $15/hr", "US", 15, 15, "USD", "HOUR"},
      {"Tips $15 per hour", "US", 15, 15, "USD", "HOUR"},
      {"Relocation assistance $120k-$140k", "US", 120000, 140000, "USD", "YEAR"},
      {"Uncapped commission $50,000 - $70,000 base", "US", 50000, 70000, "USD", "YEAR"},
      {"Commission $60,000 base", "US", 60000, 60000, "USD", "YEAR"},
  };
  ExpectSalaries(kPay);
  for (const char* text : {"$15,000 Sign-On Bonus", "Up to $10,000 sign-on bonus", "$1,000 or $1,500 sign-on bonus",
                           "Equity $150k", "Relocation $5,000"}) {
    EXPECT_FALSE(ParseSalary(text, "US")) << text;
  }
}

TEST(SalaryTest, APayFrequencyWordMakesAYearOnlyOfAnAmountTooLargeForIt) {
  // "$12,000 paid monthly" and "Monthly retainer $15,000" were a year's
  // pay: how often pay is paid keeps an amount a year's only when it is
  // more than the period's hours at the top of an hourly rate (a month's
  // 52,000 dollars), not when it is merely a year's size.
  struct Case {
    const char* text;
    double min;
    const char* period;
  };
  const Case kCases[] = {
      {"$12,000 paid monthly", 12000, "MONTH"},
      {"$12,000 USD, paid monthly", 12000, "MONTH"},
      {"$15,000 paid monthly", 15000, "MONTH"},
      {"Monthly retainer $15,000", 15000, "MONTH"},
      {"$9,000 paid monthly", 9000, "MONTH"},
      {"$60,000 paid monthly", 60000, "YEAR"},
      {"$52,000, paid bi-weekly", 52000, "YEAR"},
      {"$15,000, paid weekly", 15000, "YEAR"},
  };
  for (const Case& c : kCases) {
    auto s = ParseSalary(c.text, "US");
    ASSERT_TRUE(s) << c.text;
    EXPECT_EQ(s->min, c.min) << c.text;
    EXPECT_EQ(s->period, c.period) << c.text;
  }
}

TEST(SalaryTest, AScaleWordOfAnotherMoneyMakesNoAmountOfTheBoards) {
  // "10 tri\u1ec7u/th\u00e1ng" on a US board was 10 dollars a month: a whole
  // scale word of one language counts that language's money, so without a
  // sign, off its country's board, the number is no amount of the board's
  // money, as "800 ezer" in the US was already none. Scale words of no one
  // money ("tys.", "\u0442\u044b\u0441.") and a sign written with the word read as before.
  for (const auto& [text, country] : {std::pair{"10 tri\u1ec7u/th\u00e1ng", "US"},
                                      std::pair{"10 tri\u1ec7u/th\u00e1ng", ""},
                                      std::pair{"15-20 tri\u1ec7u/th\u00e1ng", "US"},
                                      std::pair{"5 juta per bulan", "US"},
                                      std::pair{"500 ribu/hari", "GB"},
                                      std::pair{"600 ezer/h\u00f3", "DE"}}) {
    auto s = ParseSalary(text, country);
    EXPECT_FALSE(s) << text << " " << country << " -> " << (s ? s->min.value_or(-1) : 0);
  }
  const SalaryCase kCases[] = {
      {"10 tri\u1ec7u/th\u00e1ng", "VN", 10000000, 10000000, "VND", "MONTH"},
      {"5 juta per bulan", "ID", 5000000, 5000000, "IDR", "MONTH"},
      {"45 tys. z\u0142", "US", 45000, 45000, "PLN", "MONTH"},
      {"100 \u0442\u044b\u0441. \u0440\u0443\u0431.", "US", 100000, 100000, "RUB", "MONTH"},
  };
  ExpectSalaries(kCases);
}

}  // namespace
}  // namespace jobtrawl::normalize
