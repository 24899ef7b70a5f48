#!/usr/bin/env bash
# ls_test.sh - `ipckit ls`: the table, kind/source/owner filters, --json,
# the ipcs formats, agreement with ipcs on kernel objects, damaged and
# newer-version files listed without a crash, and no namespace created.
. "$(dirname "$0")/testlib.sh"

# Listing an absent namespace lists nothing from it and creates nothing.
IPCKIT_DIR="$IPCKIT_DIR/absent" ipck 0 ls --source ipckit
[ -e "$IPCKIT_DIR/absent" ] && fail "ls created the namespace directory"
expect_eq "$(wc -l <"$OUT")" 1 "absent namespace: header only"

ipck 0 mk -Q -p 0640
q=$(cat "$OUT")
ipck 0 mk -M 5000 -p 0600
m=$(cat "$OUT")
ipck 0 send -t 2 "$q" hello there

# The table: one row per object, the queue's bytes and messages.
ipck 0 ls --source ipckit
row=$(awk -v id="$q" '$1 == "ipckit" && $2 == "msg" && $4 == id' "$OUT")
[ -n "$row" ] || fail "queue $q not listed"
set -- $row
expect_eq "$3 $6 $7 $8" "0x00000000 640 10 2" "queue row"
row=$(awk -v id="$m" '$2 == "shm" && $4 == id' "$OUT")
set -- $row
expect_eq "$6 $7 $9" "600 5000 0" "segment row"

# Kind filters, as ipcs's -q and -m, and --kind.
ipck 0 ls -q --source ipckit
grep -q " shm " "$OUT" && fail "-q listed a segment"
ipck 0 ls --kind shm --source ipckit
grep -q " msg " "$OUT" && fail "--kind shm listed a queue"
grep -q " shm " "$OUT" || fail "--kind shm lost the segment"

# --owner: root's objects, or nobody's.
ipck 0 ls --source ipckit --owner "$(id -u)"
expect_eq "$(grep -c '^ipckit' "$OUT")" 2 "--owner self"
ipck 0 ls --source ipckit --owner 4242
expect_eq "$(grep -c '^ipckit' "$OUT")" 0 "--owner 4242"
ipck 2 ls --owner no-such-user-here
ipck 2 ls --source bogus
ipck 2 ls --bogus-option

# --json: valid, with the same values.
ipck 0 ls --json
expect_json
# field SOURCE KIND ID NAME: one object's field in the JSON array.
field() {
	json_get "[o['$4'] for o in j if o['source'] == '$1' and
		   o['kind'] == '$2' and o['id'] == $3][0]"
}
expect_eq "$(field ipckit msg "$q" messages)" 2 "json messages"
expect_eq "$(field ipckit shm "$m" perms)" 600 "json perms"
ipck 0 ls --json --source ipckit --kind sem
expect_json
expect_eq "$(json_get 'len(j)')" 0 "json, no sets"

# ipcs formats on ipckit objects.
ipck 0 ls -q -p --source ipckit
awk -v id="$q" '$1 == "ipckit" && $2 == id { found = 1 } END { exit !found }' \
	"$OUT" || fail "-p lacks the queue"
ipck 0 ls -t --source ipckit
expect_out "Send/Recv/Change Times"
ipck 0 ls -c -m --source ipckit
expect_out "Shared Memory Segment Creators/Owners"
ipck 0 ls -u --source ipckit
expect_out "allocated queues = 1"
expect_out "used headers = 2"
expect_out "used space = 10 bytes"
ipck 0 ls -l
expect_out "max queues system wide"
ipck 0 ls -l --json
expect_json
ipck 0 ls -q -i "$q"
expect_out "msqid=$q"
ipck 2 ls -i "$q"

# Kernel objects: ls agrees with ipcs, column by column.
ipck 0 mk --kernel -Q -p 0604
kq=$(cat "$OUT")
track_kernel msg "$kq"
ipck 0 mk --kernel -M 8192 -p 0660
km=$(cat "$OUT")
track_kernel shm "$km"
ipck 0 mk --kernel -S 3
ks=$(cat "$OUT")
track_kernel sem "$ks"
ipck 0 send --kernel "$kq" abc defg

# compare KIND ID IPCS-FIELDS LS-FIELDS [IPCS OPTION]: the fields of the
# object's row in `ipcs -KIND` and in `ipckit ls`, by position.
row_of() { awk -v id="$2" -v col="$3" '$col == id' "$1"; }
ipcs -q >"$T_TMP/ipcs"
ipck 0 ls -q --source kernel
set -- $(row_of "$T_TMP/ipcs" "$kq" 2)
want="$1 $2 $3 $4 $5 $6"	# key msqid owner perms used-bytes messages
set -- $(row_of "$OUT" "$kq" 4)
expect_eq "$3 $4 $5 $6 $7 $8" "$want" "ls -q vs ipcs -q"
ipcs -m >"$T_TMP/ipcs"
ipck 0 ls -m --source kernel
set -- $(row_of "$T_TMP/ipcs" "$km" 2)
want="$1 $2 $3 $4 $5 $6"	# key shmid owner perms bytes nattch
set -- $(row_of "$OUT" "$km" 4)
expect_eq "$3 $4 $5 $6 $7 $9" "$want" "ls -m vs ipcs -m"
ipcs -s >"$T_TMP/ipcs"
ipck 0 ls -s --source kernel
set -- $(row_of "$T_TMP/ipcs" "$ks" 2)
want="$1 $2 $3 $4 $5"	# key semid owner perms nsems
set -- $(row_of "$OUT" "$ks" 4)
expect_eq "$3 $4 $5 $6 ${10}" "$want" "ls -s vs ipcs -s"
# The per-kind formats: the same fields after ls's SOURCE column.
for fmt in -c -p -t; do
	for k in "q $kq" "m $km" "s $ks"; do
		set -- $k
		[ "$fmt" = -p ] && [ "$1" = s ] && continue
		ipcs -"$1" "$fmt" >"$T_TMP/ipcs"
		ipck 0 ls -"$1" "$fmt" --source kernel
		want=$(row_of "$T_TMP/ipcs" "$2" 1 | xargs)
		got=$(row_of "$OUT" "$2" 2 | cut -d' ' -f2- | xargs)
		[ -n "$want" ] || fail "ipcs -$1 $fmt lacks $2"
		expect_eq "$got" "$want" "ls -$1 $fmt vs ipcs -$1 $fmt"
	done
done
ipck 0 ls --json --source kernel
expect_json
expect_eq "$(field kernel msg "$kq" messages)" 2 "kernel json"
ipck 0 ls -q -i "$kq" --source kernel
expect_out "msqid=$kq"

# POSIX shared memory, made through Python's multiprocessing.
"$PYTHON" - "$T_TMP/psm" <<'EOF' &
import sys, time
from multiprocessing import resource_tracker, shared_memory
s = shared_memory.SharedMemory(create=True, size=4096)
# The test removes it; the tracker would warn when this is killed.
resource_tracker.unregister(s._name, "shared_memory")
open(sys.argv[1], "w").write(s.name)
time.sleep(60)
EOF
psm=$!
track_pid "$psm"
wait_for 10 test -s "$T_TMP/psm"
name=$(cat "$T_TMP/psm")
ipck 0 ls --source posix --kind shm
row=$(awk -v n="/${name#/}" '$1 == "posix" && $NF == n' "$OUT")
[ -n "$row" ] || fail "POSIX segment /${name#/} not listed"
set -- $row
expect_eq "$7 $9" "4096 1" "POSIX segment bytes and attaching processes"
ipck 0 stat --posix "/${name#/}" --json
expect_json
kill -9 "$psm"
wait "$psm" 2>/dev/null
rm -f "/dev/shm/${name#/}"

# POSIX message queues, made through ctypes (librt's mq_open, mq_send),
# listed from /dev/mqueue. A machine that has not mounted it (a container)
# gets it mounted in a private mount namespace for this check only.
mqname="/ipckit-test-$$"
cat >"$T_TMP/mq.py" <<'PY'
import ctypes, os, sys
rt = ctypes.CDLL("librt.so.1", use_errno=True)
name = sys.argv[2].encode()
if sys.argv[1] == "unlink":
    sys.exit(rt.mq_unlink(name) != 0)
fd = rt.mq_open(name, os.O_CREAT | os.O_RDWR, 0o640, None)
if fd < 0:
    sys.exit("mq_open: " + os.strerror(ctypes.get_errno()))
for m in (b"hello", b"world!"):
    if rt.mq_send(fd, m, len(m), 0) != 0:
        sys.exit("mq_send: " + os.strerror(ctypes.get_errno()))
PY
# Makes the queue, lists it into $OUT, removes it: one shell, so that it
# can run inside the private mount namespace.
mq_list="'$PYTHON' '$T_TMP/mq.py' make '$mqname' &&
	'$IPCKIT' ls --source posix --kind msg --json >'$OUT';
	rc=\$?; '$PYTHON' '$T_TMP/mq.py' unlink '$mqname' && exit \$rc"
if [ "$(stat -f -c %T /dev/mqueue 2>/dev/null)" = mqueue ]; then
	bash -c "$mq_list" || fail "POSIX queue check failed"
	mq_checked=1
elif [ "$(id -u)" = 0 ] && command -v unshare >/dev/null; then
	made_dir=
	if [ ! -d /dev/mqueue ]; then
		mkdir /dev/mqueue && made_dir=1
	fi
	unshare -m bash -c "mount -t mqueue none /dev/mqueue && $mq_list" ||
		fail "POSIX queue check (private mqueue mount) failed"
	[ -z "$made_dir" ] || rmdir /dev/mqueue
	mq_checked=1
else
	echo "note: /dev/mqueue not mounted and not root: POSIX queues unchecked"
fi
if [ -n "${mq_checked:-}" ]; then
	expect_json
	mq() { json_get "[o['$1'] for o in j if o['name'] == '$mqname'][0]"; }
	expect_eq "$(mq messages) $(mq bytes) $(mq perms)" "2 11 640" \
		"POSIX queue: messages, bytes, perms"
	expect_eq "$(mq maxmsg) $(mq msgsize)" \
		"$(cat /proc/sys/fs/mqueue/msg_default) $(cat /proc/sys/fs/mqueue/msgsize_default)" \
		"POSIX queue: its attributes"
fi

# Damaged files are listed as such; nothing crashes.
ipck 0 mk -Q
d=$(cat "$OUT")
dfile="$IPCKIT_DIR/msg.$((d % 32768))"
printf '\377\377\377\377' | dd of="$dfile" bs=1 seek=0 conv=notrunc 2>/dev/null
ipck 0 mk -Q
v=$(cat "$OUT")
vfile="$IPCKIT_DIR/msg.$((v % 32768))"
printf '\143\000\000\000' | dd of="$vfile" bs=1 seek=4 conv=notrunc 2>/dev/null
ipck 0 mk -Q
b=$(cat "$OUT")
bfile="$IPCKIT_DIR/msg.$((b % 32768))"
# q_desc_off (body offset 96) pointing past the file.
printf '\377\377\377\177' | dd of="$bfile" bs=1 seek=$((256 + 96)) \
	conv=notrunc 2>/dev/null
ipck 0 ls --source ipckit
grep -q "damaged *msg.$((d % 32768))$" "$OUT" || fail "bad magic not damaged"
grep -q "unknown version *msg.$((v % 32768))$" "$OUT" ||
	fail "newer layout not 'unknown version'"
grep -q "damaged *msg.$((b % 32768))$" "$OUT" || fail "bad offset not damaged"
awk -v id="$q" '$4 == id' "$OUT" | grep -q . || fail "lost the good queue"
ipck 0 ls --source ipckit --json
expect_json
ipck 0 stat -q "$b"
expect_out "damaged"
ipck 0 rm -q "$q" -m "$m"
exit 0
