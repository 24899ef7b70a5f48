#!/usr/bin/env bash
# mk_test.sh - `ipckit mk`: ipcmk's -Q, -M with its size suffixes, -S and
# -p, plus --key; one id per line; errors and usage errors.
. "$(dirname "$0")/testlib.sh"

ipck 0 mk -Q
q=$(cat "$OUT")
[[ "$q" =~ ^[0-9]+$ ]] || fail "mk -Q printed '$q', not an id"
ipck 0 stat -q "$q" --json
expect_eq "$(json_get "j['perms']")" 644 "ipcmk's default mode"

# Several at once: segment, queue, then set (ipcmk's order), one a line.
ipck 0 mk -Q -M 2K -p 0600
expect_eq "$(wc -l <"$OUT")" 2 "two ids"
m=$(sed -n 1p "$OUT")
q2=$(sed -n 2p "$OUT")
ipck 0 stat -m "$m" --json
expect_eq "$(json_get "j['bytes'], j['perms']")" "2048 600" "-M 2K"
ipck 0 stat -q "$q2" --json
expect_eq "$(json_get "j['perms']")" 600 "-p 0600"
ipck 0 mk -M 1KB
ipck 0 stat -m "$(cat "$OUT")" --json
expect_eq "$(json_get "j['bytes']")" 1000 "-M 1KB is 1000 bytes"
ipck 0 mk -M 1MiB
ipck 0 stat -m "$(cat "$OUT")" --json
expect_eq "$(json_get "j['bytes']")" 1048576 "-M 1MiB"

# --key: the object gets it; a second mk with the key fails.
ipck 0 mk -Q --key 0x00c0ffee
ipck 0 stat -q 0x00c0ffee --json
expect_eq "$(json_get "j['key']")" 0x00c0ffee "--key"
ipck 1 mk -Q --key 0x00c0ffee
expect_error "msg" "File exists"

# Semaphore sets, where the library has them.
if "$IPCKIT" mk -S 4 >"$OUT" 2>"$ERR"; then
	ipck 0 stat -s "$(cat "$OUT")" --json
	expect_eq "$(json_get "j['nsems']")" 4 "-S 4"
else
	grep -q "Function not implemented" "$ERR" || fail "mk -S 4"
fi

# Usage errors: exit 2, and nothing made.
ipck 0 ls --source ipckit --json
before=$(json_get 'len(j)')
ipck 2 mk
ipck 2 mk -M 12Q
ipck 2 mk -Q -p 999
ipck 2 mk -S 0
ipck 2 mk -Q extra
ipck 0 ls --source ipckit --json
expect_eq "$(json_get 'len(j)')" "$before" "usage errors made objects"

# --kernel makes kernel objects, visible to ipcs.
ipck 0 mk --kernel -Q -p 0600
k=$(cat "$OUT")
track_kernel msg "$k"
ipcs -q | awk -v id="$k" '$2 == id { found = 1 } END { exit !found }' ||
	fail "kernel queue $k not in ipcs"
exit 0
