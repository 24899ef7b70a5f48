#!/usr/bin/env bash
# shm_test.sh - `ipckit shm cat|write`: binary data round trips, offsets
# and lengths, data that does not fit, attached processes in stat, and the
# same on a kernel segment.
. "$(dirname "$0")/testlib.sh"

ipck 0 mk -M 10000
m=$(cat "$OUT")
ipck 0 shm cat "$m"
expect_eq "$(wc -c <"$OUT")" 10000 "cat writes the whole segment"
cmp -s "$OUT" <(head -c 10000 /dev/zero) || fail "a new segment is not zeros"

head -c 6000 /dev/urandom >"$T_TMP/bin"
"$IPCKIT" shm write "$m" <"$T_TMP/bin" || fail "shm write"
"$IPCKIT" shm cat -l 6000 "$m" >"$T_TMP/back" || fail "shm cat -l"
cmp -s "$T_TMP/bin" "$T_TMP/back" || fail "binary data changed"
printf 'XYZ' | "$IPCKIT" shm write -o 9997 "$m" || fail "write at offset"
ipck 0 shm cat -o 9990 "$m"
expect_eq "$(tail -c 3 "$OUT")" XYZ "offset write"
expect_eq "$(wc -c <"$OUT")" 10 "cat from an offset"

# Too much data: refused, the segment unchanged, one line.
head -c 10 /dev/zero | "$IPCKIT" shm write -o 9995 "$m" >"$OUT" 2>"$ERR" &&
	fail "wrote past the end"
expect_error "shm $m" ".*"
ipck 1 shm cat -o 20000 "$m"
ipck 2 shm cat
ipck 2 shm frob "$m"
ipck 1 shm cat 31999
expect_error "shm 31999" "Invalid argument"

# An attached process shows in stat, and nattch in ls: a cat of a segment
# larger than a pipe holds, writing into a FIFO nobody reads yet.
ipck 0 mk -M 1M
big=$(cat "$OUT")
mkfifo "$T_TMP/fifo"
"$IPCKIT" shm cat "$big" >"$T_TMP/fifo" &
cp=$!
track_pid "$cp"
exec 3<"$T_TMP/fifo"
attached() {
	"$IPCKIT" stat -m "$big" --json >"$T_TMP/a" &&
		"$PYTHON" -c "import json,sys; sys.exit(json.load(open(sys.argv[1]))['nattch'] != 1)" "$T_TMP/a"
}
wait_for 10 attached
ipck 0 stat -m "$big"
grep -q "^$cp  *1 *$" "$OUT" || fail "attached process not listed"
ipck 0 ls -m --source ipckit
awk -v id="$big" '$2 == "shm" && $4 == id { print $9 }' "$OUT" |
	grep -qx 1 || fail "ls nattch is not 1"
cat <&3 >/dev/null
exec 3<&-
wait "$cp" || fail "cat of the held segment failed"
ipck 0 stat -m "$big" --json
expect_eq "$(json_get "j['nattch']")" 0 "detached after cat"

# The kernel's segments.
ipck 0 mk --kernel -M 4096
k=$(cat "$OUT")
track_kernel shm "$k"
printf 'kernel data' | "$IPCKIT" shm write --kernel "$k" || fail "kernel write"
ipck 0 shm cat --kernel -l 11 "$k"
expect_eq "$(cat "$OUT")" "kernel data" "kernel round trip"
exit 0
