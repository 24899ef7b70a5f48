#!/usr/bin/env bash
# sem_test.sh - `ipckit sem SET get|set|op`: values, SETVAL and SETALL,
# semop with IPC_NOWAIT and timeouts, a blocked waiter in stat, SEM_UNDO
# given back when `op ... -- COMMAND` ends, and the same on the kernel.
. "$(dirname "$0")/testlib.sh"

"$IPCKIT" mk -S 3 >"$OUT" 2>"$ERR" &&
	s=$(cat "$OUT") && "$IPCKIT" sem "$s" get >"$OUT" 2>"$ERR" || {
	grep -q "Function not implemented" "$ERR" &&
		skip "the library has no semaphore sets yet"
	fail "mk -S 3"
}

ipck 0 sem "$s" get
expect_eq "$(cat "$OUT")" "0 0 0" "a new set"
ipck 0 sem "$s" set 1 2 3
ipck 0 sem "$s" get
expect_eq "$(cat "$OUT")" "1 2 3" "SETALL"
ipck 0 sem "$s" set 2=7
ipck 0 sem "$s" get 2
expect_eq "$(cat "$OUT")" 7 "SETVAL"
ipck 2 sem "$s" set 1 2
ipck 2 sem "$s" set 1=2 3
ipck 1 sem "$s" set 0=40000
expect_error "sem $s" "Numerical result out of range"

# semop: several operations at once, all or none.
ipck 0 sem "$s" op 0:-1 1:+3
ipck 0 sem "$s" get
expect_eq "$(cat "$OUT")" "0 5 7" "op"
ipck 1 sem -n "$s" op 1:-1 0:-1
expect_error "sem $s" "Resource temporarily unavailable"
ipck 0 sem "$s" get
expect_eq "$(cat "$OUT")" "0 5 7" "a failed op changed values"
ipck 1 sem "$s" op 0:-1:n
ipck 1 sem --timeout 0.2 "$s" op 0:-1
expect_error "sem $s" "Resource temporarily unavailable"
ipck 2 sem "$s" op 0-1
ipck 2 sem "$s" op 0:-1:z
ipck 2 sem "$s" frob

# A blocked waiter is counted in ncnt and listed.
"$IPCKIT" sem "$s" op 0:-2 &
wp=$!
track_pid "$wp"
ncnt() {
	"$IPCKIT" stat -s "$s" --json >"$T_TMP/j" &&
		"$PYTHON" -c "import json,sys; sys.exit(json.load(open(sys.argv[1]))['semaphores'][0]['ncnt'] != $1)" "$T_TMP/j"
}
wait_for 10 ncnt 1
ipck 0 stat -s "$s"
grep -q "^$wp  *0  *-2 " "$OUT" || fail "waiter not listed"
ipck 0 sem "$s" op 0:+2
wait "$wp" || fail "the waiter did not get its semaphore"
wait_for 10 ncnt 0

# op -- COMMAND: a critical section; SEM_UNDO gives it back after.
ipck 0 sem "$s" set 0=1
"$IPCKIT" sem "$s" op 0:-1:u -- sh -c "'$IPCKIT' sem '$s' get 0 >'$T_TMP/inside'; exit 3"
expect_eq "$?" 3 "op -- COMMAND's exit status"
expect_eq "$(cat "$T_TMP/inside")" 0 "inside the critical section"
ipck 0 sem "$s" get 0
expect_eq "$(cat "$OUT")" 1 "undo given back"

# The kernel's sets.
ipck 0 mk --kernel -S 2
k=$(cat "$OUT")
track_kernel sem "$k"
ipck 0 sem --kernel "$k" set 4 5
ipck 0 sem --kernel "$k" op 1:-5
ipck 0 sem --kernel "$k" get
expect_eq "$(cat "$OUT")" "4 0" "kernel set"
ipck 0 stat --kernel -s "$k" --json
expect_json
expect_eq "$(json_get "[x['value'] for x in j['semaphores']]")" "[4, 0]" \
	"kernel stat values"
exit 0
