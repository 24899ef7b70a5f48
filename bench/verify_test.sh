#!/usr/bin/env bash
# bench/verify_test.sh - the benchmark's functional test, so that it never
# rots: every mechanism of the build moves a few hundred messages (or
# operations) per message size, each one verified by sequence number and
# checksum; nothing is timed. tests/run runs it with bash and $IPCKIT_BIN
# set to the absolute build directory. Exit 0 pass, 1 fail, 77 skip.
set -u

bin="${IPCKIT_BIN:-build}/ipckit-bench"
if [ ! -x "$bin" ]; then
	echo "SKIP: no $bin (make bench builds it)"
	exit 77
fi
out=$(mktemp /tmp/ipckit-bench-verify.XXXXXX)
trap 'rm -f "$out"' EXIT

"$bin" --verify-only >"$out" 2>&1
rc=$?
if [ $rc -ne 0 ]; then
	echo "FAIL: $bin --verify-only exited with status $rc"
	cat "$out"
	exit 1
fi

names=$("$bin" --list | awk '!/^#/ { print $1 }')
if [ -z "$names" ]; then
	echo "FAIL: $bin --list names no mechanism"
	exit 1
fi
status=0
for name in $names; do
	# "verified pipe 64 B: 901 messages",
	# "verified sysv-sem-pv: 300 operations"
	re="^verified $name(:| [^:]*:) [1-9][0-9]* (messages|operations)"
	if ! grep -Eq "$re" "$out"; then
		echo "FAIL: $name verified nothing"
		status=1
	fi
done
if ! grep -q '^verify: .*no mismatch$' "$out"; then
	echo "FAIL: no closing line"
	status=1
fi
[ $status -eq 0 ] || cat "$out"
exit $status
