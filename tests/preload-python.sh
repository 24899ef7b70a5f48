#!/usr/bin/env bash
# preload-python.sh - Python's sysv_ipc module, unmodified, under the
# preload library: preload-python.py asserts its behaviour and that every
# object is ipckit's (in IPCKIT_DIR, absent from ipcs). Debian's module
# (python3-sysv-ipc) is built for /usr/bin/python3, not whatever python3
# comes first on PATH, so that interpreter is named. Skips (77) without it,
# the module, or the built library.
#
set -u
here=$(cd "$(dirname "$0")" && pwd)
# The library: $IPCKIT_PRELOAD (a list, as LD_PRELOAD takes: make sanitize
# puts the sanitizer runtime first), else $IPCKIT_BIN/libipckit-preload.so.
preload=${IPCKIT_PRELOAD:-${IPCKIT_BIN:-$here/../build}/libipckit-preload.so}
for f in $preload; do
	[ -f "$f" ] || { echo "SKIP: $f not built"; exit 77; }
done
lib=${preload##* }
# Sanitizer builds: the interpreter is not instrumented; its leaks are not ours.
export ASAN_OPTIONS="detect_leaks=0${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
py=/usr/bin/python3
[ -x "$py" ] || { echo "SKIP: no $py"; exit 77; }
"$py" -c 'import sysv_ipc' 2>/dev/null ||
	{ echo "SKIP: $py has no sysv_ipc (Debian: python3-sysv-ipc)"; exit 77; }

dir=$(mktemp -d /dev/shm/ipckit-test.XXXXXX) || exit 1
key=$(( (RANDOM << 15 | RANDOM) % 0x7ffffff0 + 16 ))
# A failing run may have put objects in the kernel instead: remove them.
cleanup() {
	for k in $key $((key + 1)) $((key + 2)); do
		ipcrm -Q "$k" -S "$k" -M "$k" 2>/dev/null
	done
	rm -rf "$dir"
}
trap cleanup EXIT

IPCKIT_DIR=$dir LD_PRELOAD=$preload "$py" "$here/preload-python.py" "$key"
rc=$?
[ $rc -eq 77 ] && rc=1
exit $rc
