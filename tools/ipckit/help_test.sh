#!/usr/bin/env bash
# help_test.sh - the help: `ipckit --help`, `ipckit help SUB`, `SUB
# --help` for every subcommand, on standard output with status 0; usage
# errors on standard error with status 2.
. "$(dirname "$0")/testlib.sh"

subs="ls stat rm mk send recv sem shm gc top preload bench"
ipck 0 --help
for s in $subs; do
	grep -q "^  $s " "$OUT" || fail "--help does not list $s"
done
ipck 0 help
expect_out "^Usage: ipckit"
for s in $subs; do
	[ "$s" = bench ] && continue	# the benchmark's own help
	ipck 0 help "$s"
	expect_out "^Usage: ipckit $s"
	cp "$OUT" "$T_TMP/help"
	ipck 0 "$s" --help
	cmp -s "$OUT" "$T_TMP/help" || fail "$s --help differs from help $s"
done
ipck 0 --version
expect_out "^ipckit [0-9]"

# Usage errors: status 2, a message and where to look, no output.
ipck 2
ipck 2 frobnicate
grep -q "no subcommand 'frobnicate'" "$ERR" || fail "unknown subcommand"
ipck 2 help frobnicate
ipck 2 ls --no-such-option
grep -q "Try 'ipckit help ls'" "$ERR" || fail "no pointer to the help"
[ -s "$OUT" ] && fail "usage error wrote to standard output"
ipck 2 --dir
exit 0
