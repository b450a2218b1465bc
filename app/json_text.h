// JSON text for people and for files: what boost::json::serialize writes,
// with numbers that have a fraction as plain decimals.
#ifndef JOBTRAWL_APP_JSON_TEXT_H_
#define JOBTRAWL_APP_JSON_TEXT_H_

#include <boost/json/value.hpp>
#include <string>

namespace jobtrawl::app {

// `v` as compact JSON, as boost::json::serialize writes it, except that a
// double is written as a plain decimal ("20.5", "0.004"; Boost 1.81 writes
// "2.05E1" and "4E-3"), in the shortest form that reads back as the same
// double, a whole one with ".0" ("10.0"; Boost "1E1"); in exponent form
// ("1e-07", "1e+21") only outside [1e-6, 1e21). A double that is not
// finite, which JSON cannot state, is null.
std::string JsonText(const boost::json::value& v);

// A double as JsonText writes it.
std::string JsonNumber(double d);

}  // namespace jobtrawl::app

#endif  // JOBTRAWL_APP_JSON_TEXT_H_
