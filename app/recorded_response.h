// Responses saved by other tools, read back for `jobtrawl parse`: VCR
// cassettes (YAML recordings of HTTP interactions, bodies as text or
// base64) and JavaScript modules that wrap a JSON response
// (`exports.input = {...}`), as test suites of scrapers keep them.
#ifndef JOBTRAWL_APP_RECORDED_RESPONSE_H_
#define JOBTRAWL_APP_RECORDED_RESPONSE_H_

#include <optional>
#include <string>
#include <string_view>

namespace jobtrawl::app {

struct RecordedResponse {
  std::string url;           // the request's URL, when the recording has one
  std::string content_type;  // the response's Content-Type, when recorded
  std::string body;
};

// The first recorded response in `bytes`, or nullopt when the bytes are no
// recording (a page or response saved as it was).
std::optional<RecordedResponse> ReadRecording(std::string_view bytes);

}  // namespace jobtrawl::app

#endif  // JOBTRAWL_APP_RECORDED_RESPONSE_H_
