#!/usr/bin/env bash
# The headline demo (make demo): the message-queue bank from one source on
# the kernel and on ipckit, what `ipckit ls` sees meanwhile, then every IPC
# mechanism of this machine measured side by side.
# usage: tools/demo.sh BUILD_DIR
set -euo pipefail
build=$(cd "${1:-build}" && pwd)
work=$(mktemp -d /tmp/ipckit-demo.XXXXXX)
export IPCKIT_DIR=$(mktemp -d /dev/shm/ipckit-demo.XXXXXX)
server=""
cleanup() {
	[ -n "$server" ] && kill "$server" 2>/dev/null || true
	wait 2>/dev/null || true
	rm -rf "$work" "$IPCKIT_DIR"
}
trap cleanup EXIT

# bank VARIANT: runs bank-server, 4 clients making 2000 transfers, shutdown.
bank() {
	local suffix="$1" keydir="$work/$1"
	mkdir -p "$keydir"
	mkfifo "$keydir/out"
	"$build/examples/bank-server$suffix" "$keydir" >"$keydir/out" &
	server=$!
	exec 3<"$keydir/out"
	read -r ready <&3
	echo "  $ready"
	local start=$(date +%s%N)
	"$build/examples/bank-load$suffix" -k "$keydir" -c 4 -a 8 -n 2000 |
		sed 's/^/  /'
	local took=$((($(date +%s%N) - start) / 1000000))
	if [ -n "$suffix" ]; then
		echo "  meanwhile, ipckit ls -q:"
		"$build/ipckit" ls -q | sed 's/^/    /'
	fi
	"$build/examples/bank-client$suffix" -k "$keydir" shutdown || true
	cat <&3 >/dev/null || true
	exec 3<&-
	wait "$server" 2>/dev/null || true
	server=""
	echo "  4 clients x 2000 transfers: ${took} ms"
}

echo "== The bank (examples/bank-*.c), on the kernel's message queues"
bank ""
echo
echo "== The same source built against ipckit (-DUSE_IPCKIT)"
bank "-ipckit"
echo
echo "== Every IPC mechanism on this machine, side by side (ipckit bench --quick)"
"$build/ipckit" bench --quick
