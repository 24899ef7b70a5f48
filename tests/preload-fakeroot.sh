#!/usr/bin/env bash
# preload-fakeroot.sh - the preload library under fakeroot, whose
# libfakeroot wraps fstat, mkdir, chmod, unlinkat, geteuid... and answers
# them by talking to its daemon, faked, over System V message queues and a
# semaphore. With LD_PRELOAD set before fakeroot starts, faked and the
# program both run on ipckit, and:
# - the program's first System V call (which makes the namespace and the
#   object files) neither deadlocks nor recurses: ipckit's own file and
#   credential calls are raw system calls that libfakeroot never sees;
# - fakeroot still works (a chown is faked and read back through faked);
# - faked's queues and the program's are ipckit's (IPCKIT_DIR, not ipcs);
# - ipckit records the real owner, as the kernel does, not fakeroot's 0;
# - faked's SIGTERM handler, which removes its queues while it is blocked
#   in msgrcv, reaches ipckit: nothing is left behind.
# Run as root, it runs the program as nobody so that real and fake owner
# differ. Skips (77) without fakeroot, perl or the built library.
set -u
here=$(cd "$(dirname "$0")" && pwd)
# The library: $IPCKIT_PRELOAD (a list, as LD_PRELOAD takes: make sanitize
# puts the sanitizer runtime first), else $IPCKIT_BIN/libipckit-preload.so.
preload=${IPCKIT_PRELOAD:-${IPCKIT_BIN:-$here/../build}/libipckit-preload.so}
for f in $preload; do
	[ -f "$f" ] || { echo "SKIP: $f not built"; exit 77; }
done
[ "$preload" = "${preload##* }" ] || {
	echo "SKIP: a preload list ($preload): fakeroot would put its library first"
	exit 77
}
lib=$(cd "$(dirname "$preload")" && pwd)/$(basename "$preload")
command -v fakeroot >/dev/null || { echo "SKIP: no fakeroot"; exit 77; }
command -v perl >/dev/null || { echo "SKIP: no perl"; exit 77; }

dir=$(mktemp -d /dev/shm/ipckit-test.XXXXXX) || exit 1
work=$(mktemp -d /tmp/ipckit-fakeroot.XXXXXX) || exit 1
key=$(( (RANDOM << 15 | RANDOM) % 0x7ffffff0 + 16 ))
cleanup() {
	ipcrm -Q "$key" 2>/dev/null
	rm -rf "$dir" "$work"
}
trap cleanup EXIT

as=()
uid=$(id -u)
if [ "$uid" -eq 0 ]; then
	command -v setpriv >/dev/null || { echo "SKIP: no setpriv"; exit 77; }
	uid=65534
	as=(setpriv --reuid=$uid --regid=$uid --clear-groups --)
	chmod 1777 "$dir"
	chmod 0777 "$work"
fi

fail() {
	echo "FAIL $*"
	exit 1
}

# Inside: libfakeroot first, then ipckit (fakeroot puts its library in
# front of the LD_PRELOAD it inherits).
prog='
use strict;
use IPC::SysV qw(IPC_CREAT IPC_RMID IPC_STAT);
my ($key, $work, $dir) = @ARGV;
my $id = msgget($key, IPC_CREAT | 0600);
defined $id or die "msgget: $!\n";
my $ds = "";
msgctl($id, IPC_STAT, $ds) or die "msgctl IPC_STAT: $!\n";
my ($uid) = unpack("x4 L", $ds);
open(my $fh, ">", "$work/f") or die "create: $!\n";
close $fh;
chown(1234, 4321, "$work/f") or die "chown: $!\n";
my @st = stat("$work/f");
msgsnd($id, pack("l! a*", 1, "through ipckit"), 0) or die "msgsnd: $!\n";
my $buf;
msgrcv($id, $buf, 64, 0, 0) or die "msgrcv: $!\n";
my $text = substr($buf, length(pack("l!", 0)));
my $here = -e sprintf("%s/msg.key.%08x", $dir, $key) ? 1 : 0;
my $faked = -e sprintf("%s/msg.key.%08x", $dir, $ENV{FAKEROOTKEY}) ? 1 : 0;
msgctl($id, IPC_RMID, 0) or die "msgctl IPC_RMID: $!\n";
print "euid=$> file=$st[4]:$st[5] owner=$uid text=$text here=$here ",
      "faked=$faked fakerootkey=$ENV{FAKEROOTKEY}\n";
'
limit=$(awk -v m="${IPCKIT_TEST_TIMEOUT_MULT:-1}" 'BEGIN { print 20 * m }')
out=$(IPCKIT_DIR=$dir LD_PRELOAD=$lib timeout "$limit" "${as[@]}" \
	fakeroot -- perl -e "$prog" "$key" "$work" "$dir" 2>&1)
rc=$?
echo "$out"
[ $rc -eq 124 ] && fail "fakeroot under the preload hung (deadlock?)"
[ $rc -eq 0 ] || fail "fakeroot under the preload exited with $rc"
case "$out" in
*"euid=0 "*) ;;
*) fail "fakeroot did not fake root" ;;
esac
case "$out" in
*"file=1234:4321 "*) ;;
*) fail "the faked chown did not read back: faked unreachable?" ;;
esac
case "$out" in
*" owner=$uid "*) ;;
*) fail "ipckit recorded a fake owner, expected the real uid $uid" ;;
esac
case "$out" in
*"text=through ipckit here=1 faked=1 "*) ;;
*) fail "objects not in IPCKIT_DIR" ;;
esac
fkey=$(echo "$out" | sed -n 's/.*fakerootkey=\([0-9]*\).*/\1/p')
[ -n "$fkey" ] || fail "no FAKEROOTKEY"
for k in "$key" "$fkey" $((fkey + 1)) $((fkey + 2)); do
	if awk -v k="$k" 'NR > 1 && $1 == k { found = 1 } END { exit !found }' \
		/proc/sysvipc/msg /proc/sysvipc/sem; then
		fail "key $k is in the kernel"
	fi
done

# fakeroot's script sends faked SIGTERM on its way out and does not wait;
# faked's handler then removes its queues and semaphore. Wait for that.
end=$((SECONDS + limit))
while ls "$dir" | grep -q '\.key\.'; do
	[ $SECONDS -lt $end ] ||
		fail "faked's objects left in IPCKIT_DIR:" $(ls "$dir" | grep '\.key\.')
	sleep 0.01
done
echo "ok"
