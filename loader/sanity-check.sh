#!/bin/sh
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#
# Host-side sanity check of nvgpolicy: the errors that need neither the
# module nor root. Run from the top directory after building build/nvgpolicy.
set -u
B=${1:-./build/nvgpolicy}
fails=0

# expect STATUS PATTERN ARGS...: run $B ARGS, check exit status and output.
expect() {
	want_rc=$1 pattern=$2
	shift 2
	out=$("$B" "$@" 2>&1)
	rc=$?
	if [ "$rc" -ne "$want_rc" ] || ! printf '%s\n' "$out" | grep -q -- "$pattern"; then
		echo "FAIL: nvgpolicy $*: rc=$rc, output: $out"
		fails=$((fails + 1))
	else
		echo "ok: nvgpolicy $*"
	fi
}

# The file checks come before the module check, so these hold on any host.
expect 1 '^nvgpolicy: /nonexistent.bpf.o: no such file$' load /nonexistent.bpf.o
expect 1 '^nvgpolicy: /etc/passwd: not a BPF object file$' load /etc/passwd
expect 1 '^nvgpolicy: /bin/true: not a BPF object file$' load /bin/true
expect 0 '^Usage: nvgpolicy load FILE.bpf.o' --help
expect 0 '^Usage: nvgpolicy load FILE.bpf.o' -h
expect 1 'no command given'
expect 1 "unknown command or wrong arguments for 'frob'" frob
expect 1 'bad option or missing argument' load /etc/passwd --set
expect 1 '--set goes with load' list --set a=1
exit $((fails != 0))
