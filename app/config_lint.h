// Warnings about a config that loads but will not do what its author likely
// wants: no sources at all; a start URL whose host is an address the
// address policy refuses (loopback, private, link-local... while
// allow_private_networks is off); an `html` source whose start URL is a
// board that a board API kind reads better; an [[alert]] webhook in plain
// http to another machine. `check-config` prints them
// (and fails on them with --strict); the daemon logs them as it starts.
#ifndef JOBTRAWL_APP_CONFIG_LINT_H_
#define JOBTRAWL_APP_CONFIG_LINT_H_

#include <vector>

#include "config/config.h"

namespace jobtrawl::app {

// Each warning carries the config file and the place of the [[source]]
// it is about (line 0 when it is about the whole file).
std::vector<config::ConfigError> LintConfig(const config::Config& config);

}  // namespace jobtrawl::app

#endif  // JOBTRAWL_APP_CONFIG_LINT_H_
