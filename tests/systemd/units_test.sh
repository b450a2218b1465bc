#!/usr/bin/env bash
# Installs jobtrawl into a scratch root with `cmake --install` and checks the
# systemd units it installs: `systemd-analyze verify` must pass, and
# `systemd-analyze security --offline=yes` must rate each service's exposure
# at 1.5 or lower. Then installs with other prefixes and checks that the
# units name the binary and config under them. Skipped (exit 77) only where
# systemd-analyze is absent. The build is configured with the default
# prefix and sysconfdir.
#
# usage: units_test.sh BUILD_DIR
set -euo pipefail
build=$1
if ! command -v systemd-analyze >/dev/null; then
  echo "systemd-analyze not found: skipped"
  exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
DESTDIR="$tmp/root" cmake --install "$build" --prefix /usr/local >/dev/null
installed="$tmp/root/usr/local/lib/systemd/system"
binary="$tmp/root/usr/local/bin/jobtrawl"

# The units name the binary at its final place, which only exists inside the
# scratch root here: point them at the installed copy for `verify`, which
# checks that ExecStart is executable.
mkdir "$tmp/units"
for unit in "$installed"/*; do
  sed "s|/usr/local/bin/jobtrawl|$binary|g" "$unit" >"$tmp/units/$(basename "$unit")"
done
systemd-analyze verify "$tmp/units"/*
echo "systemd-analyze verify: ok"

status=0
for service in jobtrawl.service jobtrawl-crawl.service; do
  line=$(systemd-analyze security --offline=yes "$installed/$service" 2>&1 | grep 'Overall exposure level')
  exposure=$(sed -E 's/.*: ([0-9.]+) .*/\1/' <<<"$line")
  echo "$service: exposure $exposure"
  if ! awk -v e="$exposure" 'BEGIN { exit !(e <= 1.5) }'; then
    echo "$service: exposure $exposure is above 1.5" >&2
    status=1
  fi
done

# The config installed for the service must load (it has no source yet:
# a warning, and --strict fails on it).
config="$tmp/root/usr/local/etc/jobtrawl/jobtrawl.toml"
"$binary" check-config "$config"
if "$binary" check-config --strict "$config" 2>/dev/null; then
  echo "check-config --strict accepted a config with no source" >&2
  status=1
fi
# A second install keeps the operator's config.
echo "# edited" >>"$config"
DESTDIR="$tmp/root" cmake --install "$build" --prefix /usr/local >/dev/null
grep -q "# edited" "$config"
echo "config kept on reinstall: ok"

# The daemon is not restarted on a config (2) or database (3) error.
grep -qx "RestartPreventExitStatus=2 3" "$installed/jobtrawl.service"
# The timer's crawl keeps each source's interval.
grep -q "jobtrawl crawl --due -q " "$installed/jobtrawl-crawl.service"

# Units follow the prefix given at install time, not the configured one.
expect() {  # ROOT PREFIX UNIT_DIR BINARY CONFIG
  DESTDIR="$1" cmake --install "$build" --prefix "$2" >/dev/null
  grep -qx "ExecStart=$4 run --config $5" "$1$3/jobtrawl.service" ||
    { echo "prefix $2: $(grep ExecStart "$1$3/jobtrawl.service")" >&2; exit 1; }
  grep -qx "ExecStart=$4 crawl --due -q --config $5" "$1$3/jobtrawl-crawl.service" ||
    { echo "prefix $2: $(grep ExecStart "$1$3/jobtrawl-crawl.service")" >&2; exit 1; }
  test -f "$1$5" || { echo "prefix $2: no config at $5" >&2; exit 1; }
  test -x "$1$4" || { echo "prefix $2: no binary at $4" >&2; exit 1; }
  echo "prefix $2: units run $4 with $5: ok"
}
expect "$tmp/opt" /opt/x /opt/x/lib/systemd/system /opt/x/bin/jobtrawl /etc/opt/x/jobtrawl/jobtrawl.toml
expect "$tmp/usr" /usr /usr/lib/systemd/system /usr/bin/jobtrawl /etc/jobtrawl/jobtrawl.toml
exit $status
