#!/usr/bin/env bash
# gc_test.sh - `ipckit gc` after SIGKILLed holders: a blocked receiver's
# record, a segment's attachment (and a removed segment it kept alive), a
# semaphore undo, a creator's temporary file. --dry-run reports and
# changes nothing; gc reports each action and gives everything back.
. "$(dirname "$0")/testlib.sh"

ipck 0 gc
expect_out "nothing to do"

# json_of KIND ID EXPR: EXPR on the object's stat JSON (as j).
json_of() {
	"$IPCKIT" stat -"$1" "$2" --json >"$T_TMP/j" || return 1
	"$PYTHON" -c "import json,sys; j=json.load(open(sys.argv[1])); print($3)" \
		"$T_TMP/j"
}
is_true() { [ "$("$@")" = True ]; }

# A receiver blocked on a queue, then killed.
ipck 0 mk -Q
q=$(cat "$OUT")
"$IPCKIT" recv "$q" >/dev/null &
rp=$!
track_pid "$rp"
wait_for 10 is_true json_of q "$q" "j['receivers'] == 1"
kill -9 "$rp"
wait "$rp" 2>/dev/null

# A segment attached by a process killed while it holds it; a second one
# also removed (IPC_RMID) while attached, so only the dead keep it.
ipck 0 mk -M 1M
m=$(cat "$OUT")
ipck 0 mk -M 1M
d=$(cat "$OUT")
mkfifo "$T_TMP/f1" "$T_TMP/f2"
"$IPCKIT" shm cat "$m" >"$T_TMP/f1" &
mp=$!
track_pid "$mp"
exec 3<"$T_TMP/f1"
"$IPCKIT" shm cat "$d" >"$T_TMP/f2" &
dp=$!
track_pid "$dp"
exec 4<"$T_TMP/f2"
wait_for 10 is_true json_of m "$m" "j['nattch'] == 1"
wait_for 10 is_true json_of m "$d" "j['nattch'] == 1"
ipck 0 rm -m "$d"
ipck 0 ls -m --source ipckit
awk -v id="$d" '$2 == "shm" && $4 == id { print $11 }' "$OUT" |
	grep -qx dest || fail "removed segment not marked dest"
kill -9 "$mp" "$dp"
wait "$mp" "$dp" 2>/dev/null
exec 3<&- 4<&-

# A semaphore taken with SEM_UNDO by a process killed in its critical
# section (where the library has semaphore sets).
s=""
if "$IPCKIT" mk -S 1 >"$OUT" 2>/dev/null &&
	"$IPCKIT" sem "$(cat "$OUT")" set 1 2>/dev/null; then
	s=$(cat "$OUT")
	"$IPCKIT" sem "$s" op 0:-1:u -- sleep 60 &
	sp=$!
	track_pid "$sp"
	wait_for 10 grep -q . "/proc/$sp/task/$sp/children"
	child=$(cat "/proc/$sp/task/$sp/children")
	track_pid "$child"
	wait_for 10 is_true json_of s "$s" "len(j['undo']) == 1"
	kill -9 "$sp"
	wait "$sp" 2>/dev/null
	kill -9 "$child"
fi

# A creator killed before publishing its object left its temporary file.
: >"$IPCKIT_DIR/.tmp.msg.999999.0"

# The dead are marked, nothing is given back by looking.
ipck 0 stat -q "$q"
grep -q "^$rp .*(dead)$" "$OUT" || fail "dead receiver not marked"
ipck 0 stat -m "$m"
grep -q "^$mp .*(dead)$" "$OUT" || fail "dead attacher not marked"
expect_eq "$(json_of m "$m" "j['nattch'], j['nattch_recorded']")" "0 1" \
	"nattch leaves the dead out; the record is still there"

# --dry-run: every action reported, none made.
ipck 0 gc --dry-run
expect_out "would give back msg.$((q % 32768)) (id $q): receiver pid $rp is dead"
expect_out "would give back shm.$((m % 32768)) (id $m): 1 attaches of dead pid $mp"
expect_out "would destroy shm.$((d % 32768)) (id $d): removed, no attachment left"
expect_out "removed .tmp.msg.999999.0: its creator died before publishing it"
[ -n "$s" ] && expect_out "would give back sem.$((s % 32768)) (id $s): undo of dead pid $sp"
expect_out "repairs would be made"
[ -e "$IPCKIT_DIR/.tmp.msg.999999.0" ] || fail "--dry-run removed a file"
expect_eq "$(json_of q "$q" "len(j['waiting'])")" 1 "--dry-run reaped"
expect_eq "$(json_of m "$m" "j['nattch_recorded']")" 1 "--dry-run reaped"

# gc: reported and done.
ipck 0 gc
expect_out "removed .tmp.msg.999999.0"
expect_out "^msg.$((q % 32768)): gave back 1 holdings of dead processes"
expect_out "^shm.$((m % 32768)): gave back"
expect_out "repairs made"
[ -e "$IPCKIT_DIR/.tmp.msg.999999.0" ] && fail "gc left the temporary file"
expect_eq "$(json_of q "$q" "len(j['waiting'])")" 0 "dead receiver kept"
expect_eq "$(json_of m "$m" "j['nattch_recorded']")" 0 "dead attach kept"
ipck 1 stat -m "$d"
if [ -n "$s" ]; then
	ipck 0 sem "$s" get
	expect_eq "$(cat "$OUT")" 1 "the dead holder's undo was not applied"
fi
ipck 0 gc
expect_out "nothing to do"

IPCKIT_DIR="$IPCKIT_DIR/absent" ipck 0 gc
[ -e "$IPCKIT_DIR/absent" ] && fail "gc created the namespace"
exit 0
