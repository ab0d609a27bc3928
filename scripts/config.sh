# shellcheck shell=sh
# The one place the target kernel is pinned. Every script and the Makefile read
# it from here. If the Debian archive drops this exact version, scripts/deps.sh
# falls back (with a warning) to the newest 6.12 build in bookworm-security and
# records the version it used in build/kver.
KVER_PIN=6.12.111+deb12-amd64
