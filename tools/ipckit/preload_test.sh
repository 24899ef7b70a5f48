#!/usr/bin/env bash
# preload_test.sh - `ipckit preload PID`: 0 for a process that has
# libipckit-preload.so loaded, 1 for one that has not or does not exist.
. "$(dirname "$0")/testlib.sh"

lib="$IPCKIT_BIN/libipckit-preload.so"
# As LD_PRELOAD takes it: under make sanitize the ASan runtime comes first.
preload="${IPCKIT_PRELOAD:-$lib}"
if [ ! -f "$lib" ]; then
	# Not built: any library under that name tests the detector.
	libm=$(ldconfig -p 2>/dev/null | awk '/libm\.so\.6 .*x86-64|libm\.so\.6 / { print $NF; exit }')
	[ -n "$libm" ] || skip "no preload library and no libm to stand in"
	lib="$T_TMP/libipckit-preload.so"
	cp "$libm" "$lib"
	preload=$lib
fi

sleep 60 &
plain=$!
track_pid "$plain"
LD_PRELOAD="$preload" sleep 60 &
pre=$!
track_pid "$pre"
loaded() { grep -q libipckit-preload "/proc/$pre/maps"; }
wait_for 10 loaded

ipck 0 preload "$pre"
expect_out "^$pre: loaded ($lib)"
ipck 1 preload "$plain"
expect_out "^$plain: not loaded"
ipck 1 preload "$pre" "$plain"
ipck 0 preload -q "$pre"
[ -s "$OUT" ] && fail "-q printed"
ipck 1 preload -q "$plain"
kill -9 "$plain"
wait "$plain" 2>/dev/null
ipck 1 preload "$plain"
expect_error "process $plain" "No such process"
ipck 2 preload
ipck 2 preload notapid
exit 0
