#!/usr/bin/env bash
# preload-perl.sh - Perl's core IPC::Msg, IPC::Semaphore and IPC::SharedMem,
# unmodified, under the preload library: preload-perl.pl asserts their
# behaviour and that every object is ipckit's (in IPCKIT_DIR, absent from
# ipcs). Skips (77) without perl, the modules, or the built library.
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
command -v perl >/dev/null || { echo "SKIP: no perl"; exit 77; }
perl -MIPC::Msg -MIPC::Semaphore -MIPC::SharedMem -e 1 2>/dev/null ||
	{ echo "SKIP: perl lacks IPC::Msg, IPC::Semaphore or IPC::SharedMem"; exit 77; }

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

IPCKIT_DIR=$dir LD_PRELOAD=$preload perl "$here/preload-perl.pl" "$key"
rc=$?
# perl's die exits with errno, which could read as a skip.
[ $rc -eq 77 ] && rc=1
exit $rc
