#!/usr/bin/env bash
# stat_test.sh - `ipckit stat`: a queue's header, messages per type and
# blocked processes (dead ones marked), JSON, ids looked up across kinds,
# keys, kernel objects, and its errors.
. "$(dirname "$0")/testlib.sh"

ipck 0 mk -Q --key 0x5747
q=$(cat "$OUT")
ipck 0 send -t 1 "$q" a bb
ipck 0 send -t 4 "$q" cccc

ipck 0 stat "$q"
expect_out "^Message Queue msqid=$q "
expect_out "^key=0x00005747"
expect_out "cbytes=7	qbytes=16384	qnum=3"
grep -q "^1  *2  *3 *$" "$OUT" || fail "type 1: 2 messages, 3 bytes"
grep -q "^4  *1  *4 *$" "$OUT" || fail "type 4: 1 message, 4 bytes"
ipck 0 stat 0x5747
expect_out "msqid=$q "
ipck 0 stat -q "$q" --json
expect_json
expect_eq "$(json_get "j['messages'], j['bytes'], len(j['types'])")" \
	"3 7 2" "json counts"

# Blocked processes: a receiver of type 9 and a sender to a full queue.
ipck 0 mk -Q
f=$(cat "$OUT")
head -c 8192 /dev/zero >"$T_TMP/8k"
"$IPCKIT" send --whole "$f" <"$T_TMP/8k" || fail "fill"
"$IPCKIT" send --whole "$f" <"$T_TMP/8k" || fail "fill"
"$IPCKIT" send "$f" blocked &
sp=$!
track_pid "$sp"
"$IPCKIT" recv -t 9 "$q" >/dev/null &
rp=$!
track_pid "$rp"
blocked() {
	"$IPCKIT" stat -q "$1" --json >"$T_TMP/b" &&
		"$PYTHON" -c "import json,sys; j=json.load(open(sys.argv[1])); sys.exit(j['$2'] != 1)" "$T_TMP/b"
}
wait_for 10 blocked "$f" senders
wait_for 10 blocked "$q" receivers
ipck 0 stat "$q"
grep -q "^$rp  *receive  *[0-9]*  *type 9$" "$OUT" || fail "receiver not listed"
ipck 0 stat "$f"
grep -q "^$sp  *send  *7 *$" "$OUT" || fail "sender not listed"
# Killed, they stay recorded (nothing reaps in stat) and are marked dead.
kill -9 "$rp" "$sp"
wait "$rp" "$sp" 2>/dev/null
ipck 0 stat "$q"
grep -q "^$rp  *receive .*(dead)$" "$OUT" || fail "dead receiver not marked"
expect_out "waiting senders=0	receivers=0	(recorded, with dead ones: 0, 1)"
ipck 0 stat "$q" --json
expect_json
expect_eq "$(json_get "[(w['pid'], w['dead']) for w in j['waiting']]")" \
	"[($rp, True)]" "json waiter"
ipck 0 stat "$q"
grep -q "(dead)" "$OUT" || fail "stat reaped the dead receiver"

# Ids of several kinds: -q, -s, -m choose; without one it is ambiguous.
ipck 0 mk -M 100
m=$(cat "$OUT")
if [ "$m" = "$q" ] || [ "$m" = "$f" ]; then
	ipck 2 stat "$m"
	ipck 0 stat -m "$m"
	expect_out "^Shared memory Segment shmid=$m "
fi

# Errors: exit 1, one line naming the object.
ipck 1 stat 31999
expect_error "31999" "Invalid argument"
ipck 1 stat 0x7777
expect_error "key 0x00007777" "Invalid argument"
ipck 2 stat
ipck 2 stat 1 2
ipck 2 stat -q notanid
IPCKIT_DIR="$IPCKIT_DIR/absent" ipck 1 stat 0
[ -e "$IPCKIT_DIR/absent" ] && fail "stat created the namespace"

# Kernel objects.
ipck 0 mk --kernel -Q
k=$(cat "$OUT")
track_kernel msg "$k"
ipck 0 send --kernel -t 3 "$k" x yy
ipck 0 stat --kernel -q "$k"
expect_out "^Message Queue msqid=$k (kernel)"
expect_out "cbytes=3	qbytes=16384	qnum=2"
ipck 0 stat --kernel -q "$k" --json
expect_json
ipck 1 stat --kernel -q 2147483000
expect_error "kernel" "Invalid argument"
exit 0
