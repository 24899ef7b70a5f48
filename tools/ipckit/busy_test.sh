#!/usr/bin/env bash
# busy_test.sh - a process stopped while it holds an object's lock:
# `ipckit ls`, `stat`, `gc` and `rm` still answer after waiting a second
# for the lock, say the object is busy and name the holder instead of
# hanging behind it; timed sends, receives and semops end at their
# timeout; once the holders run on, nothing was lost.
. "$(dirname "$0")/testlib.sh"

# wait_stopped PID WHAT: until PID is stopped (state T), or fail.
wait_stopped() {
	local state=
	for _ in $(seq 200); do
		state=$(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null)
		[ "$state" = T ] && return 0
		sleep 0.05
	done
	fail "$2 did not stop (state '$state')"
}

ipck 0 mk -Q
q=$(cat "$OUT")

# The sender stops itself inside msgsnd, holding the queue's lock, with
# its message filled in but not yet queued.
IPCKIT_FAULT=stop:msgsnd-filled "$IPCKIT" send -t 3 "$q" held \
	>"$T_TMP/send.out" 2>&1 &
sender=$!
T_PIDS+=("$sender")
wait_stopped "$sender" "the sender in msgsnd"

# ls: answers (the time limit turns a hang into a failure), queue busy.
run 0 timeout 20 "$IPCKIT" ls --source ipckit
row=$(awk -v id="$q" '$2 == "msg" && $4 == id' "$OUT")
[ -n "$row" ] || fail "queue $q not listed"
set -- $row
expect_eq "$8 ${11}" "0 busy" "messages and status of the busy queue"
run 0 timeout 20 "$IPCKIT" ls --json --source ipckit
expect_json
expect_eq "$(json_get "[o['status'] for o in j if o['id'] == $q][0]")" \
	busy "json status"

# stat: the holder named, the values flagged as read without the lock.
run 0 timeout 20 "$IPCKIT" stat "$q"
grep -q "thread $sender has held the object's lock" "$OUT" ||
	fail "stat does not name the stopped holder $sender"
run 0 timeout 20 "$IPCKIT" stat --json "$q"
expect_json
expect_eq "$(json_get "j['lock_holder']") $(json_get "j['read_under_lock']")" \
	"$sender False" "stat --json of the busy queue"

# gc: skips the queue (its holder lives) instead of hanging behind it.
run 0 timeout 20 "$IPCKIT" gc
grep -q "^skipped msg\.[0-9]*: thread $sender has held its lock" "$OUT" ||
	fail "gc does not report the busy queue"
expect_eq "$(tail -n 1 "$OUT")" "no repairs made" "gc's last line after a skip"

# rm: refuses rather than wait behind the holder, and says why.
run 1 timeout 20 "$IPCKIT" rm -q "$q"
grep -q "msg $q: busy: thread $sender has held its lock" "$ERR" ||
	fail "rm does not say the queue is busy"

# Timed calls give up at their timeout (after at least 100 ms of waiting
# for the lock) instead of waiting behind the holder, with the errno of
# the timeout.
run 1 timeout 20 "$IPCKIT" send --timeout 0.3 "$q" late
expect_error "msg $q" "Resource temporarily unavailable"
run 1 timeout 20 "$IPCKIT" recv --timeout 0.3 "$q"
expect_error "msg $q" "No message of desired type"
ipck 0 mk -S 1
s=$(cat "$OUT")
IPCKIT_FAULT=stop:sem-semop-committed "$IPCKIT" sem "$s" op 0:+1 \
	>"$T_TMP/sem.out" 2>&1 &
poster=$!
T_PIDS+=("$poster")
wait_stopped "$poster" "the V in semop"
run 1 timeout 20 "$IPCKIT" sem --timeout 0 "$s" op 0:-1
expect_error "sem $s" "Resource temporarily unavailable"
kill -CONT "$poster"
wait "$poster" || fail "the V failed after SIGCONT: $(cat "$T_TMP/sem.out")"
ipck 0 sem --nowait "$s" op 0:-1

# The holder runs on: its send completes, the message is there once.
kill -CONT "$sender"
wait "$sender" || fail "the sender failed after SIGCONT: $(cat "$T_TMP/send.out")"
ipck 0 ls --source ipckit
row=$(awk -v id="$q" '$2 == "msg" && $4 == id' "$OUT")
set -- $row
expect_eq "$8 ${11}" "1 -" "the queue once the holder went on"
ipck 0 recv "$q"
expect_eq "$(cat "$OUT")" "held" "the message the stopped sender sent"
exit 0
