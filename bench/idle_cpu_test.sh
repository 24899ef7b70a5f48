#!/usr/bin/env bash
# bench/idle_cpu_test.sh - the idle-waiter benchmark's functional test, so
# that it never rots: one short round, every waiter measured, nothing left
# behind. Its figures are not judged here (a benchmark, not a timed test).
# tests/run runs it with bash and $IPCKIT_BIN set. Exit 0 pass, 1 fail,
# 77 skip.
set -u

bin="${IPCKIT_BIN:-build}/bench/idle-cpu"
if [ ! -x "$bin" ]; then
	echo "SKIP: no $bin (make bench builds it)"
	exit 77
fi
[ -r /proc/self/schedstat ] || { echo "SKIP: no /proc/PID/schedstat"; exit 77; }
out=$(mktemp /tmp/ipckit-idle-cpu.XXXXXX)
trap 'rm -f "$out"' EXIT
before=$(ls -d /dev/shm/ipckit-idle.* 2>/dev/null | wc -l)

"$bin" --seconds 1 --rounds 1 >"$out" 2>&1
rc=$?
if [ $rc -ne 0 ]; then
	echo "FAIL: $bin exited with status $rc"
	cat "$out"
	exit 1
fi
status=0
for w in "kernel msgrcv" "ipckit msgrcv, spin on" "ipckit msgrcv, spin off" \
	"kernel semop" "ipckit semop, spin on" "ipckit semop, spin off"; do
	if ! grep -Eq "^$w +[0-9]+ +[0-9]+$" "$out"; then
		echo "FAIL: no figures for '$w'"
		status=1
	fi
done
"$bin" --rounds 0 >/dev/null 2>&1
[ $? -eq 2 ] || { echo "FAIL: --rounds 0 was not a usage error"; status=1; }
after=$(ls -d /dev/shm/ipckit-idle.* 2>/dev/null | wc -l)
[ "$after" -le "$before" ] || { echo "FAIL: a namespace was left behind"; status=1; }
[ $status -eq 0 ] || cat "$out"
exit $status
