// Postings as JSON, with the column names of the `postings` table.
#ifndef JOBTRAWL_APP_POSTING_JSON_H_
#define JOBTRAWL_APP_POSTING_JSON_H_

#include <boost/json/value.hpp>
#include <string>

#include "model/posting.h"

namespace jobtrawl::app {

// Every field present, null where unknown; whole-number salaries as integers.
boost::json::object PostingToJson(const Posting& p);

// {"city": ..., "region": ..., "country": ...}
boost::json::object PlaceToJson(const Place& place);

// Indented, keys in insertion order: for people reading a terminal.
std::string PrettyJson(const boost::json::value& v);

}  // namespace jobtrawl::app

#endif  // JOBTRAWL_APP_POSTING_JSON_H_
