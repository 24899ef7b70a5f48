#!/bin/sh
# Installs what building and testing ipckit need on Debian 12, as root.
# Used by the README's first command and by .ci/run.
set -e
packages="
	build-essential
	g++
	clang
	libclang-rt-14-dev
	libboost-dev
	perl
	python3
	python3-sysv-ipc
	tmux
	fakeroot
	procps
	util-linux
"
missing=""
for p in $packages; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing="$missing $p"
done
if [ -n "$missing" ]; then
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -q
	# shellcheck disable=SC2086
	apt-get install -y -q --no-install-recommends $missing
fi
