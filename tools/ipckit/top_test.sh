#!/usr/bin/env bash
# top_test.sh - `ipckit top` in a terminal (tmux): a queue filling shows a
# growing depth and an IN/s rate, draining shows OUT/s and depth 0; q
# quits. Also one frame without a terminal (-n 1).
. "$(dirname "$0")/testlib.sh"
command -v tmux >/dev/null || skip "tmux is not installed"

ipck 0 mk -Q
q=$(cat "$OUT")

# Without a terminal: frames on standard output, -n ends it.
ipck 0 top -n 1 --source ipckit
expect_out "ipckit top"
grep -q "^ipckit msg  *$q " "$OUT" || fail "top -n 1 lacks the queue"
ipck 2 top --interval 0
ipck 2 top --source nowhere

T_TMUX="$T_TMP/tmux.sock"
export TERM="${TERM:-xterm}"
[ "$TERM" = dumb ] && export TERM=xterm
tmux -S "$T_TMUX" new-session -d -x 150 -y 30 \
	"env IPCKIT_DIR='$IPCKIT_DIR' '$IPCKIT' top --interval 0.3 --source ipckit"
pane() { tmux -S "$T_TMUX" capture-pane -p; }
# The queue's row: MSGS IN/s OUT/s.
row() { pane | awk -v id="$q" '$1 == "ipckit" && $3 == id { print $6, $8, $9 }'; }
shows() { row | awk "{ exit !($1) }"; }
wait_for 10 shows '$1 == 0'

# Filling: messages arrive over several samples.
for i in $(seq 1 40); do
	"$IPCKIT" send "$q" "message $i" || fail "send $i"
	sleep 0.02
done &
filler=$!
track_pid "$filler"
wait_for 10 shows '$2 > 0'
wait "$filler" || fail "filling failed"
wait_for 10 shows '$1 == 40'
pane | grep -q "40 messages queued" || fail "header lacks the total"

# Draining.
for i in $(seq 1 40); do
	"$IPCKIT" recv --nowait "$q" >/dev/null || exit 1
	sleep 0.02
done &
drainer=$!
track_pid "$drainer"
wait_for 10 shows '$3 > 0'
wait "$drainer" || fail "draining failed"
wait_for 10 shows '$1 == 0 && $2 == 0'

# q quits: the session ends with the command.
tmux -S "$T_TMUX" send-keys q
gone() { ! tmux -S "$T_TMUX" has-session 2>/dev/null; }
wait_for 10 gone
exit 0
