#!/usr/bin/env bash
# Installs jobtrawl into a scratch root with `cmake --install` and checks the
# systemd units it installs: `systemd-analyze verify` must pass, and
# `systemd-analyze security --offline=yes` must rate each service's exposure
# at 1.5 or lower. Skipped (exit 77) only where systemd-analyze is absent.
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

# The config installed for the service must load.
"$binary" check-config "$tmp/root/etc/jobtrawl/jobtrawl.toml"
# A second install keeps the operator's config.
echo "# edited" >>"$tmp/root/etc/jobtrawl/jobtrawl.toml"
DESTDIR="$tmp/root" cmake --install "$build" --prefix /usr/local >/dev/null
grep -q "# edited" "$tmp/root/etc/jobtrawl/jobtrawl.toml"
echo "config kept on reinstall: ok"
exit $status
