#!/usr/bin/env bash
# sendrecv_test.sh - `ipckit send` and `ipckit recv`: round trips from
# arguments and per line, message types and the three selectors, binary
# data byte for byte, --nowait and --timeout, queues named by key and by
# PATH:PROJ, and the same on a kernel queue.
. "$(dirname "$0")/testlib.sh"

ipck 0 mk -Q
q=$(cat "$OUT")

# Arguments: one message each, in order.
ipck 0 send "$q" one two three
ipck 0 recv -c 3 "$q"
expect_eq "$(cat "$OUT")" "$(printf 'one\ntwo\nthree')" "argument messages"

# Standard input: one message per line, an empty line an empty message.
printf 'alpha\n\nomega\n' >"$T_TMP/in"
"$IPCKIT" send "$q" <"$T_TMP/in" || fail "send from stdin"
ipck 0 stat -q "$q" --json
expect_eq "$(json_get "j['messages']")" 3 "three lines, three messages"
ipck 0 recv -c 3 "$q"
expect_eq "$(cat "$OUT")" "$(printf 'alpha\n\nomega')" "line messages"

# Types and selectors: --type, --except, --max (lowest type <= N first).
ipck 0 send -t 5 "$q" five
ipck 0 send -t 2 "$q" two
ipck 0 send -t 9 "$q" nine
ipck 0 send -t 1 "$q" one
ipck 0 stat -q "$q" --json
expect_eq "$(json_get "[(t['type'], t['messages']) for t in j['types']]")" \
	"[(1, 1), (2, 1), (5, 1), (9, 1)]" "per-type counts"
ipck 0 recv --type 9 -T "$q"
expect_eq "$(cat "$OUT")" "$(printf '9\tnine')" "--type"
ipck 0 recv --except 5 -T "$q"
expect_eq "$(cat "$OUT")" "$(printf '2\ttwo')" "--except: first not 5"
ipck 0 recv --max 5 -T "$q"
expect_eq "$(cat "$OUT")" "$(printf '1\tone')" "--max: lowest type first"
ipck 0 recv -T "$q"
expect_eq "$(cat "$OUT")" "$(printf '5\tfive')" "any type"
ipck 2 recv --type 1 --max 3 "$q"

# An empty queue: --nowait fails at once, --timeout after the time.
ipck 1 recv --nowait "$q"
expect_error "msg $q" "No message of desired type"
start=$(date +%s%N)
ipck 1 recv --timeout 0.3 "$q"
took=$((($(date +%s%N) - start) / 1000000))
[ "$took" -ge 250 ] || fail "--timeout 0.3 returned after ${took} ms"
expect_error "msg $q" "No message of desired type"
ipck 0 recv -c 0 --nowait "$q"
expect_eq "$(wc -c <"$OUT")" 0 "--count 0 on an empty queue"
ipck 2 recv -c 0 "$q"

# Binary data, NULs and all, round trips with --whole and --raw.
head -c 5000 /dev/urandom >"$T_TMP/bin"
printf '\0\0\n\0' >>"$T_TMP/bin"
"$IPCKIT" send --whole -t 7 "$q" <"$T_TMP/bin" || fail "send --whole"
"$IPCKIT" recv --raw -t 7 "$q" >"$T_TMP/back" || fail "recv --raw"
cmp -s "$T_TMP/bin" "$T_TMP/back" || fail "binary data changed"
# Larger than msgmax: a clear error.
head -c 9000 /dev/zero >"$T_TMP/big"
"$IPCKIT" send --whole "$q" <"$T_TMP/big" >"$OUT" 2>"$ERR" &&
	fail "sent a message above msgmax"
grep -q "larger than msgmax" "$ERR" || fail "no msgmax error"

# A full queue (two msgmax messages fill msgmnb): --nowait says so.
head -c 8192 /dev/zero >"$T_TMP/8k"
"$IPCKIT" send --whole "$q" <"$T_TMP/8k" || fail "8k send"
"$IPCKIT" send --whole "$q" <"$T_TMP/8k" || fail "8k send"
run 1 "$IPCKIT" send --nowait "$q" x
expect_error "msg $q" "Resource temporarily unavailable"
run 1 "$IPCKIT" send --timeout 0.1 "$q" x
expect_error "msg $q" "Resource temporarily unavailable"
ipck 0 recv -c 2 --raw "$q"
expect_eq "$(wc -c <"$OUT")" 16384 "two 8k messages back"

# A blocked receiver gets a message sent later.
"$IPCKIT" recv -t 3 "$q" >"$T_TMP/late" &
rp=$!
track_pid "$rp"
waiting() {
	"$IPCKIT" stat -q "$q" --json >"$T_TMP/w" &&
		"$PYTHON" -c "import json,sys; sys.exit(json.load(open('$T_TMP/w'))['receivers'] != 1)"
}
wait_for 10 waiting
ipck 0 send -t 3 "$q" late
wait "$rp" || fail "blocked receiver failed"
expect_eq "$(cat "$T_TMP/late")" late "blocked receiver's message"

# Keys: 0x... and PATH:PROJ (ftok) name the same queue.
touch "$T_TMP/keyfile"
ipck 0 mk -Q --key "$T_TMP/keyfile:7"
kq=$(cat "$OUT")
key=$(printf '0x%08x' "$("$PYTHON" -c "import os,sys; st=os.stat(sys.argv[1]); print(((7 & 0xff) << 24) | ((st.st_dev & 0xff) << 16) | (st.st_ino & 0xffff))" "$T_TMP/keyfile")")
ipck 0 send "$T_TMP/keyfile:7" by-path
ipck 0 recv "$key"
expect_eq "$(cat "$OUT")" by-path "key and ftok name the same queue"
ipck 1 mk -Q --key "$key"
expect_error "msg" "File exists"
ipck 1 send 0x7eadbeef x
expect_error "msg key 0x7eadbeef" "No such file or directory"
ipck 1 send 31999 x
expect_error "msg 31999" "Invalid argument"
ipck 2 send
ipck 2 send --type 0 "$q" x

# The kernel: the same commands with --kernel.
ipck 0 mk --kernel -Q
k=$(cat "$OUT")
track_kernel msg "$k"
ipck 0 send --kernel -t 4 "$k" kern
"$IPCKIT" send --kernel --whole "$k" <"$T_TMP/bin" || fail "kernel send"
ipck 0 recv --kernel --type 4 "$k"
expect_eq "$(cat "$OUT")" kern "kernel round trip"
"$IPCKIT" recv --kernel --raw "$k" >"$T_TMP/back" || fail "kernel recv"
cmp -s "$T_TMP/bin" "$T_TMP/back" || fail "kernel binary data changed"
ipck 1 recv --kernel --timeout 0.1 "$k"
expect_error "kernel msg $k" "No message of desired type"
ipck 0 rm -q "$q" -q "$kq"
exit 0
