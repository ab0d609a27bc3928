# shellcheck shell=sh
# Helpers for the host tests (tests/host/*.sh): one line per check, "PASS:
# name" or "FAIL: name: why", counted by scripts/run-tests.sh. Run from the
# top of the tree after `make build`.
pass() { echo "PASS: $1"; }
fail() { echo "FAIL: $1: $2"; }

# expect_out NAME PATTERN CMD...: PASS if CMD succeeds and prints PATTERN.
expect_out() {
	_n=$1; _p=$2; shift 2
	if ! "$@" >"$TMPD/out" 2>&1; then
		fail "$_n" "'$*' failed: $(tail -n 3 "$TMPD/out" | tr '\n' ' ')"
	elif grep -q -- "$_p" "$TMPD/out"; then
		pass "$_n"
	else
		fail "$_n" "no '$_p' in the output of '$*': $(head -n 6 "$TMPD/out" | tr '\n' ' ')"
	fi
}

# expect_fail NAME PATTERN CMD...: PASS if CMD fails and prints PATTERN.
expect_fail() {
	_n=$1; _p=$2; shift 2
	if "$@" >"$TMPD/out" 2>&1; then
		fail "$_n" "'$*' succeeded but should have failed"
	elif grep -q -- "$_p" "$TMPD/out"; then
		pass "$_n"
	else
		fail "$_n" "no '$_p' in: $(tail -n 6 "$TMPD/out" | tr '\n' ' ')"
	fi
}

TMPD=$(mktemp -d "${TMPDIR:-/tmp}/nvghost-host.XXXXXX")
trap 'rm -rf "$TMPD"' EXIT
