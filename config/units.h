// Durations and sizes as people write them in config files.
#ifndef JOBTRAWL_CONFIG_UNITS_H_
#define JOBTRAWL_CONFIG_UNITS_H_

#include <chrono>
#include <cstdint>
#include <expected>
#include <string>
#include <string_view>

namespace jobtrawl::config {

// "500ms", "30s", "1h30m", "2d", "1.5h". Units: ms, s, m, h, d; several
// number-unit pairs add up. A bare number is refused (the unit is required).
// On failure, returns a message saying what was expected.
std::expected<std::chrono::milliseconds, std::string> ParseDuration(std::string_view text);

// "10MB", "512 KiB", "2GB", "100B", "4096". KB/MB/GB are powers of 1000,
// KiB/MiB/GiB powers of 1024; a bare number is bytes.
std::expected<std::uint64_t, std::string> ParseSize(std::string_view text);

// The inverse, for messages and --help: "1h30m", "500ms", "10MB".
std::string FormatDuration(std::chrono::milliseconds d);
std::string FormatSize(std::uint64_t bytes);

}  // namespace jobtrawl::config

#endif  // JOBTRAWL_CONFIG_UNITS_H_
