#!/usr/bin/env bash
# examples/run_test.sh - runs every example program and checks its output,
# its exit status, and that it leaves no kernel IPC object behind.
#
# Binaries come from "$IPCKIT_BIN/examples/": NAME is the kernel build,
# NAME-ipckit the same source built with -DUSE_IPCKIT. Each example that
# uses System V calls runs in up to three modes:
#   kernel   NAME, on the kernel's objects;
#   ipckit   NAME-ipckit (skipped with a note when it was not built);
#   preload  NAME with LD_PRELOAD="$IPCKIT_BIN/libipckit-preload.so", when
#            that library exists: the unmodified kernel-API binary on ipckit.
# The pipe and FIFO examples use no System V call and run once.
#
# Every run gets its own IPCKIT_DIR and working directory under one
# `mktemp -d` in /dev/shm, removed on exit. Kernel objects are counted with
# ipcs before and after each run; any new one is a leak. In the ipckit and
# preload modes, object files left in IPCKIT_DIR are leaks too. When it can, the
# script re-runs itself in a private IPC namespace (unshare --ipc), so that
# nobody else's objects can come or go in the count. Server/client pairs
# are started together here: the server prints a line once its objects
# exist, and the clients start when that line has been read, never after a
# guessed delay. While a server runs, its key must show in ipcs in kernel
# mode and must not in the ipckit and preload modes.
#
# Exit status: 0 pass, 1 fail, 77 skip (no binaries).
# shellcheck disable=SC2317 # check() calls the ex_ functions by name
set -u

if [ -z "${IPCKIT_EX_PRIVATE_NS:-}" ] && unshare --ipc true 2>/dev/null; then
	IPCKIT_EX_PRIVATE_NS=1 exec unshare --ipc bash "$0" "$@"
fi

if [ -z "${IPCKIT_BIN:-}" ] || [ ! -d "$IPCKIT_BIN/examples" ]; then
	echo "SKIP: no \$IPCKIT_BIN/examples (build the examples first)"
	exit 77
fi
bin="$IPCKIT_BIN/examples"
# As LD_PRELOAD takes it: under make sanitize the ASan runtime comes first.
preload="${IPCKIT_PRELOAD:-$IPCKIT_BIN/libipckit-preload.so}"
limit=$(awk -v m="${IPCKIT_TEST_TIMEOUT_MULT:-1}" \
	'BEGIN { printf "%d", 30 * m }')
me=$(id -un)

tmp=$(mktemp -d /dev/shm/ipckit-examples.XXXXXX) || exit 1
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/log" || exit 1
failed=0 passed=0 skipped=0 runs=0

# ---------------------------------------------------------------- helpers

# Sets CMD to the command line of example $2 in mode $1.
prog() {
	case "$1" in
	kernel) CMD=("$bin/$2") ;;
	ipckit) CMD=("$bin/$2-ipckit") ;;
	preload) CMD=(env "LD_PRELOAD=$preload" "$bin/$2") ;;
	esac
}

# run MODE NAME ARGS...: runs the example under the time limit, output in
# $out (stdout and stderr), exit status in $rc.
run() {
	local mode="$1" name="$2"
	shift 2
	prog "$mode" "$name"
	out="$tmp/log/$((++runs)).$name.out"
	timeout -k 5 "$limit" "${CMD[@]}" "$@" >"$out" 2>&1 </dev/null
	rc=$?
}

# Notes a failed check with the output that shows why.
bad() {
	echo "    $*"
	if [ -n "${out:-}" ] && [ -f "$out" ]; then
		sed 's/^/      | /' "$out" | tail -n 20
	fi
	return 1
}

expect_rc() {
	[ "$rc" -eq "$1" ] || bad "exit status $rc, expected $1"
}

# expect_line REGEX [COUNT]: the output has COUNT (default: at least 1)
# lines matching REGEX.
expect_line() {
	local n
	n=$(grep -cE -- "$1" "$out")
	if [ $# -gt 1 ]; then
		[ "$n" -eq "$2" ] || bad "$n lines match '$1', expected $2"
	else
		[ "$n" -gt 0 ] || bad "no line matches '$1'"
	fi
}

# Kernel System V objects owned by us, one "kind id" per line, sorted.
kernel_objects() {
	local k
	for k in q s m; do
		ipcs -$k | awk -v u="$me" -v k=$k \
			'$1 ~ /^0x/ && $3 == u { print k, $2 }'
	done | sort
}

# Object files left in $IPCKIT_DIR (names from docs/DESIGN.md: the id
# tables <kind>.ids and ipckit.conf stay by design).
ns_objects() {
	(cd "$IPCKIT_DIR" && ls -A) | grep -E \
		'^((msg|sem|shm)\.[0-9]+|(msg|sem|shm)\.key\..*|\.tmp\..*)$'
}

# key_in_ipcs KEY: whether a kernel object with this key exists.
key_in_ipcs() {
	ipcs | awk -v k="$1" '$1 == k { f = 1 } END { exit !f }'
}

# where_check MODE KEY: the server's objects are where the mode puts them.
where_check() {
	if [ "$1" = kernel ]; then
		key_in_ipcs "$2" || bad "key $2 not in ipcs on the kernel"
	else
		! key_in_ipcs "$2" || bad "key $2 in ipcs in $1 mode"
	fi
}

# server_start MODE NAME ARGS...: starts a server in the background, waits
# for its first line (printed once its objects exist) into $ready, then
# keeps copying its output to $srv_out. Sets $srv_pid.
server_start() {
	local mode="$1" name="$2" fifo="$work/server.pipe"
	shift 2
	prog "$mode" "$name"
	srv_out="$tmp/log/$((++runs)).$name.server.out"
	rm -f "$fifo"
	mkfifo "$fifo" || return 1
	timeout -k 5 "$limit" "${CMD[@]}" "$@" >"$fifo" 2>&1 </dev/null &
	srv_pid=$!
	exec {srv_fd}<"$fifo"
	ready=""
	IFS= read -r -t "$limit" ready <&"$srv_fd"
	printf '%s\n' "$ready" >"$srv_out"
	cat <&"$srv_fd" >>"$srv_out" &
	srv_cat=$!
	exec {srv_fd}<&-
}

# server_wait: waits for the server to end; its status in $rc, output $out.
server_wait() {
	wait "$srv_pid"
	rc=$?
	wait "$srv_cat"
	out="$srv_out"
}

# A server that did not say it was ready: collect it and fail.
server_failed() {
	server_wait
	bad "server not ready: '$ready'"
}

# The key a server printed in its ready line, as ipcs shows keys.
ready_key() {
	sed -n 's/.*(key \(0x[0-9a-f]*\)).*/\1/p' <<<"$ready"
}

# check LABEL MODE FUNCTION: runs one example check in a fresh namespace
# and working directory, then looks for leaked kernel objects.
check() {
	local label="$1 [$2]" mode="$2" fn="$3" before after leaked
	n=$((n + 1))
	work="$tmp/work.$n"
	export IPCKIT_DIR="$tmp/ns.$n"
	mkdir -m 700 "$work" "$IPCKIT_DIR" || exit 1
	out=""
	before=$(kernel_objects)
	local ok=1
	"$fn" "$mode" || ok=0
	after=$(kernel_objects)
	leaked=$(comm -13 <(echo "$before") <(echo "$after") | grep .)
	if [ -n "$leaked" ]; then
		echo "    kernel objects left behind:" "${leaked//$'\n'/, }"
		ipcs | sed 's/^/      | /'
		ok=0
	fi
	if [ "$mode" != kernel ]; then
		leaked=$(ns_objects)
		if [ -n "$leaked" ] && [ -x "$IPCKIT_BIN/ipckit" ]; then
			# What dead processes left is reaped lazily; now, please.
			"$IPCKIT_BIN/ipckit" gc >/dev/null 2>&1
			leaked=$(ns_objects)
		fi
		if [ -n "$leaked" ]; then
			echo "    ipckit objects left behind:" \
				"${leaked//$'\n'/, }"
			ok=0
		fi
	fi
	if [ $ok -eq 1 ]; then
		passed=$((passed + 1))
		printf 'ok    %s\n' "$label"
	else
		failed=$((failed + 1))
		printf 'FAIL  %s\n' "$label"
	fi
}

# ---------------------------------------------------------------- examples

ex_pipe() {
	run "$1" pipe 7
	expect_rc 0 &&
	expect_line '^parent: got: line [0-9] of 7$' 7 &&
	expect_line '^parent: end of file after 7 lines$' 1 &&
	expect_line '^parent: write with no reader: .*\(EPIPE\)$' 1
}

ex_fifo() {
	local fifo="$work/fifo"
	server_start "$1" fifo-server "$fifo"
	[[ "$ready" == "fifo-server: waiting for a writer"* ]] ||
		{ server_failed; return 1; }
	run "$1" fifo-client "$fifo" one "two words" three
	local crc=$rc cout=$out
	server_wait
	out=$cout rc=$crc expect_rc 0 &&
	expect_rc 0 &&
	expect_line '^fifo-server: got: (one|two words|three)$' 3 &&
	expect_line '^fifo-server: end of file' 1 &&
	{ [ ! -e "$fifo" ] || bad "the FIFO was not removed"; }
}

# The blocking rule seen from the writer: with no reader, the client's
# non-blocking open fails with ENXIO and it blocks in open until one comes.
ex_fifo_blocking() {
	local fifo="$work/fifo" pipe="$work/client.pipe" line got
	mkfifo "$fifo" "$pipe" || return 1
	prog "$1" fifo-client
	timeout -k 5 "$limit" "${CMD[@]}" "$fifo" alpha beta >"$pipe" 2>&1 &
	local pid=$!
	exec {fd}<"$pipe"
	IFS= read -r -t "$limit" line <&"$fd"
	if [[ "$line" != *"no reader yet (ENXIO)"* ]]; then
		kill "$pid" 2>/dev/null
		exec {fd}<&-
		wait "$pid"
		bad "client said '$line', expected ENXIO then a blocking open"
		return 1
	fi
	got=$(timeout "$limit" cat "$fifo")
	cat <&"$fd" >/dev/null
	exec {fd}<&-
	wait "$pid"
	rc=$?
	expect_rc 0 &&
	{ [ "$got" = $'alpha\nbeta' ] || bad "reader got '$got'"; }
}

ex_shm_pair() {
	server_start "$1" shm-server "$work"
	local key
	key=$(ready_key)
	[ -n "$key" ] || { server_failed; return 1; }
	where_check "$1" "$key"
	local where=$?

	# A second server on the same key must fail: IPC_EXCL.
	run "$1" shm-server "$work"
	local second=$rc second_out=$out

	run "$1" shm-client "$work" "first message" "second message"
	local crc=$rc cout=$out
	server_wait
	[ "$where" -eq 0 ] &&
	{ out=$second_out rc=$second expect_rc 1; } &&
	{ out=$second_out expect_line 'File exists'; } &&
	{ out=$cout rc=$crc expect_rc 0; } &&
	{ out=$cout expect_line '^shm-client: sent 2 messages'; } &&
	expect_rc 0 &&
	expect_line '^shm-server: client says: (first|second) message$' 2 &&
	expect_line '^shm-server: client done, attachments left: 1$' 1 &&
	expect_line '^shm-server: removed the segment and the semaphores$' 1
}

ex_shm_fork() {
	run "$1" shm-fork "shared hello"
	expect_rc 0 &&
	expect_line '^parent: segment .* attached 2 times after fork' 1 &&
	expect_line '^child: read "shared hello"$' 1 &&
	expect_line '^parent: the child answered "SHARED HELLO", 1 attachment' 1
}

ex_sem_basic() {
	run "$1" sem-basic "$work"
	expect_rc 0 || return 1
	local want
	want=$(cat <<-'EOF'
	after SETVAL 1: value 1
	after P: value 0
	P with IPC_NOWAIT on 0: Resource temporarily unavailable (EAGAIN)
	parent: V, letting the child in
	child: passed P after the parent's V
	after the child's P and V: value 1
	after a child's P with SEM_UNDO and exit: value 1
	EOF
	)
	[ "$(sed -n '2,8p' "$out")" = "$want" ] ||
		bad "unexpected output"
	expect_line '^removed semaphore set [0-9]+$' 1
}

ex_bank() {
	local m="$1"
	server_start "$m" bank-server "$work"
	local key
	key=$(ready_key)
	[ -n "$key" ] || { server_failed; return 1; }
	if ! where_check "$m" "$key"; then
		run "$m" bank-client -k "$work" shutdown
		server_wait
		return 1
	fi

	local steps=(
		"0|account 0: balance 100|open 100"
		"0|account 1: balance 50|open 50"
		"0|account 0: balance 70|transfer 0 1 30"
		"0|account 1: balance 80|balance 1"
		"2|withdraw: insufficient funds|withdraw 0 1000"
		"2|balance: no such account|balance 9"
		"0|account 1: balance 85|deposit 1 5"
		"0|account 0: closed, paid out 70|close 0"
		"0|account 1: closed, paid out 85|close 1"
	)
	local s ok=1
	for s in "${steps[@]}"; do
		local want_rc="${s%%|*}" rest="${s#*|}"
		local want="${rest%%|*}" args="${rest#*|}"
		# shellcheck disable=SC2086 # the arguments are words
		run "$m" bank-client -k "$work" $args
		if ! { expect_rc "$want_rc" && expect_line "$want" 1; }; then
			ok=0
			break
		fi
	done
	if [ "$ok" -eq 1 ]; then
		run "$m" bank-load -k "$work" -c 4 -a 8 -n 1000
		expect_rc 0 && expect_line '^bank-load: money conserved$' 1 ||
			ok=0
	fi
	run "$m" bank-client -k "$work" shutdown
	local crc=$rc cout=$out
	server_wait
	[ "$ok" -eq 1 ] &&
	{ out=$cout rc=$crc expect_rc 0; } &&
	expect_rc 0 &&
	expect_line '^bank-server: shutting down with 0 accounts holding 0' 1 &&
	# A client with no server: a clean error, nothing made.
	run "$m" bank-client -k "$work" balance 0 &&
	expect_rc 1 && expect_line '^msgget: No such file or directory$' 1
}

# SIGTERM to a server that waits for clients: it removes what it made
# (the leak check sees to that) and exits 1.
ex_bank_signal() {
	server_start "$1" bank-server "$work"
	[ -n "$(ready_key)" ] || { server_failed; return 1; }
	kill -TERM "$srv_pid"
	server_wait
	expect_rc 1 &&
	expect_line '^bank-server: stopped by signal 15$' 1
}

ex_shm_signal() {
	server_start "$1" shm-server "$work"
	[ -n "$(ready_key)" ] || { server_failed; return 1; }
	kill -TERM "$srv_pid"
	server_wait
	expect_rc 1 &&
	expect_line '^shm-server: stopped by signal 15$' 1
}

ex_fifo_signal() {
	local fifo="$work/fifo"
	server_start "$1" fifo-server "$fifo"
	[[ "$ready" == "fifo-server: waiting for a writer"* ]] ||
		{ server_failed; return 1; }
	kill -TERM "$srv_pid"
	server_wait
	expect_rc 1 &&
	expect_line '^fifo-server: stopped by a signal$' 1 &&
	{ [ ! -e "$fifo" ] || bad "the FIFO was not removed"; }
}

ex_bounded_buffer() {
	run "$1" bounded-buffer -p 3 -c 2 -n 5000
	expect_rc 0 &&
	expect_line '^bounded-buffer: every item consumed exactly once$' 1
}

ex_philosophers() {
	run "$1" philosophers -p 5 -m 2000
	expect_rc 0 &&
	expect_line '^philosophers: 5 philosophers ate 10000 meals' 1 &&
	expect_line '^philosophers: no two neighbours ever ate at once$' 1
}

ex_shm_ring_file() {
	TMPDIR="$work" run "$1" shm-ring-file -m 32
	expect_rc 0 &&
	expect_line '^shm-ring-file: moved 33554432 bytes' 1 &&
	expect_line '^shm-ring-file: checksums match$' 1 &&
	local left=("$work"/shm-ring-file.*)
	[ ! -e "${left[0]}" ] || bad "temporary files left:" "${left[@]}"
}

# ---------------------------------------------------------------- main

n=0
[ -n "${IPCKIT_EX_PRIVATE_NS:-}" ] ||
	echo "note: no private IPC namespace; counting this user's objects"

# Modes for the System V examples, with a note for each one left out.
modes=(kernel)
compgen -G "$bin/*-ipckit" >/dev/null && modes+=(ipckit) ||
	echo "note: no ipckit builds (NAME-ipckit) in $bin: ipckit mode skipped"
[ -f "$preload" ] && modes+=(preload) ||
	echo "note: no $preload: preload mode skipped"

# NAME:FUNCTION for every check; NAME is the binary that must exist.
sysv_checks=(
	bank-server:ex_bank
	bank-server:ex_bank_signal
	bounded-buffer:ex_bounded_buffer
	philosophers:ex_philosophers
	sem-basic:ex_sem_basic
	shm-fork:ex_shm_fork
	shm-ring-file:ex_shm_ring_file
	shm-server:ex_shm_pair
	shm-server:ex_shm_signal
)
plain_checks=(
	fifo-server:ex_fifo
	fifo-client:ex_fifo_blocking
	fifo-server:ex_fifo_signal
	pipe:ex_pipe
)

for c in "${plain_checks[@]}"; do
	name="${c%%:*}" fn="${c#*:}"
	if [ ! -x "$bin/$name" ]; then
		echo "skip  $fn: no $bin/$name"
		skipped=$((skipped + 1))
		continue
	fi
	check "${fn#ex_}" kernel "$fn"
done
for c in "${sysv_checks[@]}"; do
	name="${c%%:*}" fn="${c#*:}"
	for mode in "${modes[@]}"; do
		suffix=""
		[ "$mode" = ipckit ] && suffix="-ipckit"
		if [ ! -x "$bin/$name$suffix" ]; then
			echo "skip  ${fn#ex_} [$mode]: no $bin/$name$suffix"
			skipped=$((skipped + 1))
			continue
		fi
		check "${fn#ex_}" "$mode" "$fn"
	done
done

echo "examples: $passed passed, $failed failed, $skipped skipped"
[ $failed -eq 0 ] || exit 1
[ $passed -gt 0 ] || { echo "SKIP: no example binaries found"; exit 77; }
exit 0
