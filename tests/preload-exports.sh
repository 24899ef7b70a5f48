#!/usr/bin/env bash
# preload-exports.sh - libipckit-preload.so exports exactly the libc names
# it replaces, unversioned (so versioned references such as
# msgget@GLIBC_2.2.5 bind to them), and nothing else: no ipckit_ call, no
# internal name. And ipckit's own file and credential calls are bound
# inside the library (raw system calls), so preload libraries stacked in
# front of it (fakeroot) never see them: they must not be imported.
set -u
here=$(cd "$(dirname "$0")" && pwd)
# The library: $IPCKIT_PRELOAD (a list, as LD_PRELOAD takes: make sanitize
# puts the sanitizer runtime first), else $IPCKIT_BIN/libipckit-preload.so.
preload=${IPCKIT_PRELOAD:-${IPCKIT_BIN:-$here/../build}/libipckit-preload.so}
for f in $preload; do
	[ -f "$f" ] || { echo "SKIP: $f not built"; exit 77; }
done
lib=${preload##* }
command -v nm >/dev/null || { echo "SKIP: no nm (binutils)"; exit 77; }
fail=0

want="dlopen msgctl msgget msgrcv msgsnd semctl semget semop semtimedop
setegid seteuid setgid setgroups setregid setresgid setresuid setreuid
setuid shmat shmctl shmdt shmget"
want=$(echo $want | tr ' ' '\n' | sort)
got=$(nm -D --defined-only "$lib" | awk '{print $3}' | sort)
if [ "$got" != "$want" ]; then
	echo "FAIL exported names differ (< expected, > exported):"
	diff <(echo "$want") <(echo "$got") | grep '^[<>]' | sed 's/^/    /'
	fail=1
fi
# Unversioned: nm -D prints name@VERSION for versioned definitions.
if echo "$got" | grep -q @; then
	echo "FAIL versioned definitions: $(echo "$got" | grep @)"
	fail=1
fi

# Calls ipckit makes that fakeroot, fakechroot and the like wrap.
local_only="open openat mkdir chmod fchmod fstat fstatat lstat linkat
unlinkat setxattr removexattr geteuid getegid getgroups"
imported=$(nm -D --undefined-only "$lib" | awk '{print $2}' | sed 's/@.*//')
for f in $local_only; do
	if echo "$imported" | grep -qx "$f"; then
		echo "FAIL $f is imported: stacked preloads would see ipckit's calls"
		fail=1
	fi
done
[ $fail -eq 0 ] && echo "ok: $(echo "$got" | wc -l) names exported"
exit $fail
