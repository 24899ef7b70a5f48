#!/usr/bin/env bash
# rm_test.sh - `ipckit rm`: ipcrm's options by id and key, the old
# `rm msg ID` form, --all with and without confirmation, --damaged,
# --kernel, and errors that name the object.
. "$(dirname "$0")/testlib.sh"

mkq() { ipck 0 mk -Q "$@"; cat "$OUT"; }
exists() { "$IPCKIT" stat "$@" >/dev/null 2>&1; }

q1=$(mkq)
q2=$(mkq --key 0x51)
q3=$(mkq)
ipck 0 rm -q "$q1"
exists -q "$q1" && fail "rm -q left the queue"
ipck 0 rm -Q 0x51 -v
exists -q "$q2" && fail "rm -Q left the queue"
grep -q "removed msg key 0x00000051" "$ERR" || fail "-v said nothing"
ipck 0 rm msg "$q3"
exists -q "$q3" && fail "rm msg ID left the queue"

# Errors: one line each, every object tried, status 1.
q4=$(mkq)
ipck 1 rm -q 4242 -q "$q4"
expect_error "msg 4242" "Invalid argument"
exists -q "$q4" && fail "an error stopped the next removal"
ipck 1 rm -Q 0x7777
expect_error "msg key 0x00007777" "No such file or directory"
ipck 2 rm
ipck 2 rm -q notanumber
ipck 2 rm --all=bogus

# Segments: removed after the last detach, as the kernel does.
ipck 0 mk -M 4096
m=$(cat "$OUT")
ipck 0 rm -m "$m"
exists -m "$m" && fail "rm -m left an unattached segment"

# --all: every object of the namespace, asking first on a terminal.
mkq >/dev/null
mkq >/dev/null
ipck 0 mk -M 100
if command -v tmux >/dev/null; then
	T_TMUX="$T_TMP/tmux.sock"
	tmux -S "$T_TMUX" new-session -d -x 120 -y 20 \
		"env IPCKIT_DIR='$IPCKIT_DIR' '$IPCKIT' rm --all; echo status=\$?; sleep 60"
	prompt() { tmux -S "$T_TMUX" capture-pane -p | grep -q '\[y/N\]'; }
	wait_for 10 prompt
	tmux -S "$T_TMUX" capture-pane -p | grep -q "remove 3 ipckit objects" ||
		fail "the prompt does not count 3 objects"
	tmux -S "$T_TMUX" send-keys n Enter
	answered() { tmux -S "$T_TMUX" capture-pane -p | grep -q status=; }
	wait_for 10 answered
	tmux -S "$T_TMUX" capture-pane -p | grep -q status=1 ||
		fail "declined rm --all did not exit 1"
	tmux -S "$T_TMUX" kill-server
	ipck 0 ls --source ipckit --json
	expect_eq "$(json_get 'len(j)')" 3 "declined rm --all removed objects"
fi
ipck 0 rm --all=shm
ipck 0 ls --source ipckit --json
expect_eq "$(json_get "sorted(o['kind'] for o in j)")" "['msg', 'msg']" \
	"--all=shm"
ipck 0 rm -a --yes
ipck 0 ls --source ipckit --json
expect_eq "$(json_get 'len(j)')" 0 "rm -a --yes"

# --damaged: files that fail validation, which IPC_RMID cannot reach,
# go with all their names; sound objects stay.
good=$(mkq)
bad=$(mkq --key 0x52)
bad2=$(mkq)
for id in "$bad" "$bad2"; do
	printf '\377\377\377\377' | dd of="$IPCKIT_DIR/msg.$((id % 32768))" \
		bs=1 seek=0 conv=notrunc 2>/dev/null
done
ipck 0 mk -S 2 --key 0x53
badsem=$(cat "$OUT")
printf '\377\377\377\377' | dd of="$IPCKIT_DIR/sem.$((badsem % 32768))" \
	bs=1 seek=0 conv=notrunc 2>/dev/null
ls "$IPCKIT_DIR"/msg.key.* >/dev/null 2>&1 || fail "no key name to test"
ipck 1 rm -q "$bad"
expect_error "msg $bad" "Invalid argument"
ipck 0 rm --damaged -v
[ -e "$IPCKIT_DIR/msg.$((bad % 32768))" ] && fail "--damaged left the file"
[ -e "$IPCKIT_DIR/msg.$((bad2 % 32768))" ] && fail "--damaged left a file"
ls "$IPCKIT_DIR"/msg.key.* >/dev/null 2>&1 && fail "--damaged left the key name"
[ -e "$IPCKIT_DIR/sem.$((badsem % 32768))" ] && fail "--damaged left the set"
ls "$IPCKIT_DIR"/sem.key.* >/dev/null 2>&1 && fail "--damaged left the set's key"
grep -q "removed damaged msg.$((bad % 32768))" "$ERR" || fail "-v said nothing"
exists -q "$good" || fail "--damaged removed a sound queue"
ipck 0 ls --source ipckit
grep -q damaged "$OUT" && fail "ls still lists a damaged file"
ipck 0 rm --damaged
ipck 2 rm --damaged --kernel
ipck 0 rm -q "$good"

# --kernel: the kernel's objects, by id and key.
ipck 0 mk --kernel -Q --key 0x6b6b6b01
k1=$(cat "$OUT")
track_kernel msg "$k1"
ipck 0 mk --kernel -Q
k2=$(cat "$OUT")
track_kernel msg "$k2"
ipck 0 rm --kernel -Q 0x6b6b6b01 -q "$k2"
ipcs -q | awk -v a="$k1" -v b="$k2" '$2 == a || $2 == b { f = 1 } END { exit f }' ||
	fail "rm --kernel left a queue"
exit 0
