#!/usr/bin/env bash
# The kill torture harness's short run (about 40 s): random SIGKILLs over a
# mixed workload on every object kind, invariants checked after each round
# (docs/RELIABILITY.md). Its first line is the seed that replays it:
#   $IPCKIT_BIN/torture --seed SEED
set -u
bin="${IPCKIT_BIN:-build}/torture"
if [ ! -x "$bin" ]; then
	echo "SKIP: $bin not built"
	exit 77
fi
exec "$bin"
