// The board API readers, one per provider, each in the file of its family
// (ats.cc, ats_more.cc, aggregators.cc, workday.cc). board_api.cc picks
// one by source kind. Internal to parsers/.
#ifndef JOBTRAWL_PARSERS_BOARDS_READERS_H_
#define JOBTRAWL_PARSERS_BOARDS_READERS_H_

#include <string_view>

#include "parsers/boards/common.h"

namespace jobtrawl::parsers::boards {

// Applicant-tracking systems (ats.cc, ats_more.cc, workday.cc).
void Greenhouse(const json::value& root, const Response& response, Extracted& out);
void Lever(const json::value& root, const Response& response, Extracted& out);
void Ashby(const json::value& root, const Response& response, Extracted& out);
void Workable(const json::value& root, const Response& response, Extracted& out);
void SmartRecruiters(const json::value& root, const Response& response, Extracted& out);
void Recruitee(const json::value& root, const Response& response, Extracted& out);
void Breezy(const json::value& root, const Response& response, Extracted& out);
void Rippling(const json::value& root, const Response& response, Extracted& out);
void Personio(const json::value& root, const Response& response, Extracted& out);
// Personio's XML feed: the body as fetched.
void PersonioXml(std::string_view body, const Response& response, Extracted& out);
void Workday(const json::value& root, const Response& response, Extracted& out);

// Aggregators (aggregators.cc).
void Remotive(const json::value& root, const Response& response, Extracted& out);
void RemoteOk(const json::value& root, const Response& response, Extracted& out);
void Himalayas(const json::value& root, const Response& response, Extracted& out);
void Jobicy(const json::value& root, const Response& response, Extracted& out);
void Arbeitnow(const json::value& root, const Response& response, Extracted& out);
void LandingJobs(const json::value& root, const Response& response, Extracted& out);
void FourDayWeek(const json::value& root, const Response& response, Extracted& out);
void WorkingNomads(const json::value& root, const Response& response, Extracted& out);
void TheMuse(const json::value& root, const Response& response, Extracted& out);

// USAJOBS's Search API (usajobs.cc).
void UsaJobs(const json::value& root, const Response& response, Extracted& out);

}  // namespace jobtrawl::parsers::boards

#endif  // JOBTRAWL_PARSERS_BOARDS_READERS_H_
