# testlib.sh - sourced by the ipckit command's tests (*_test.sh): a private
# namespace, the command under test, checks that say what failed, and
# cleanup of every process and kernel object a test made, on every path.
#
# Exit status: 0 pass, 1 fail, 77 skip (tests/run's convention).

set -u

IPCKIT="${IPCKIT_BIN:?IPCKIT_BIN must name the build directory}/ipckit"
if [ ! -x "$IPCKIT" ]; then
	echo "SKIP: $IPCKIT is not built"
	exit 77
fi

IPCKIT_DIR=$(mktemp -d /dev/shm/ipckit-test.XXXXXX) || exit 1
export IPCKIT_DIR
T_TMP="$IPCKIT_DIR.tmp"
mkdir "$T_TMP" || exit 1
OUT="$T_TMP/out"
ERR="$T_TMP/err"

T_PIDS=()
T_KERNEL=()	# "msg ID", "sem ID", "shm ID"
T_TMUX=""	# a tmux socket to kill

t_cleanup() {
	local p k
	for p in "${T_PIDS[@]}"; do
		kill -9 "$p" 2>/dev/null
	done
	for p in "${T_PIDS[@]}"; do
		wait "$p" 2>/dev/null
	done
	for k in "${T_KERNEL[@]}"; do
		set -- $k
		case "$1" in
		msg) ipcrm -q "$2" 2>/dev/null ;;
		sem) ipcrm -s "$2" 2>/dev/null ;;
		shm) ipcrm -m "$2" 2>/dev/null ;;
		esac
	done
	[ -n "$T_TMUX" ] && tmux -S "$T_TMUX" kill-server 2>/dev/null
	rm -rf "$IPCKIT_DIR" "$T_TMP"
}
trap t_cleanup EXIT
# Killed by the runner's time limit: clean up all the same.
trap 'exit 1' TERM INT HUP

fail() {
	echo "FAIL: $* (${BASH_SOURCE[1]##*/}:${BASH_LINENO[0]})"
	if [ -s "$OUT" ]; then echo "--- stdout:"; head -n 40 "$OUT"; fi
	if [ -s "$ERR" ]; then echo "--- stderr:"; head -n 20 "$ERR"; fi
	exit 1
}

skip() {
	echo "SKIP: $*"
	exit 77
}

# run STATUS CMD...: runs CMD with stdout in $OUT, stderr in $ERR and
# checks its exit status.
run() {
	local want="$1" got
	shift
	"$@" >"$OUT" 2>"$ERR" </dev/null
	got=$?
	[ "$got" -eq "$want" ] || fail "'$*' exited $got, not $want"
}

# ipck STATUS ARGS...: run "$IPCKIT" ARGS...
ipck() {
	local want="$1"
	shift
	run "$want" "$IPCKIT" "$@"
}

# An error is one line naming the object, with strerror's text.
expect_error() {
	local obj="$1" text="$2"
	[ "$(wc -l <"$ERR")" -eq 1 ] || fail "error is not one line"
	grep -q "^ipckit: .*$obj.*: $text\$" "$ERR" ||
		fail "error does not say '$obj: $text'"
}

expect_eq() {
	[ "$1" = "$2" ] || fail "${3:-values differ}: '$1' != '$2'"
}

expect_out() {
	grep -q -- "$1" "$OUT" || fail "output lacks '$1'"
}

expect_json() {
	"$PYTHON" -m json.tool "$OUT" >/dev/null 2>"$T_TMP/json.err" ||
		fail "output is not JSON: $(head -n 1 "$T_TMP/json.err")"
}

# json_get EXPR: evaluates a Python expression on the JSON in $OUT, as j.
json_get() {
	"$PYTHON" -c "import json,sys; j=json.load(open(sys.argv[1])); print($1)" \
		"$OUT"
}

# wait_for SECONDS CMD...: polls until CMD succeeds (for state another
# process changes: a waiter registering, a pane redrawing); fails after.
wait_for() {
	local limit="$1" i
	shift
	for ((i = 0; i < limit * 20; i++)); do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.05
	done
	fail "timed out waiting for: $*"
}

# A kernel object the test made; removed at exit.
track_kernel() {
	T_KERNEL+=("$1 $2")
}

track_pid() {
	T_PIDS+=("$1")
}

command -v python3 >/dev/null || skip "python3 is not installed"
# The interpreter itself: a version manager's shim costs a second a call.
PYTHON=$(python3 -c 'import sys; print(sys.executable)') ||
	fail "python3 does not run"
