#!/usr/bin/env bash
# tests/fuzz/fuzz_test.sh - a bounded session of the object-file fuzzer.
#
# Builds tests/fuzz/fuzz_objects.c and the library with clang's libFuzzer,
# AddressSanitizer and UndefinedBehaviorSanitizer, replays the corpus's
# slow-* inputs with IPCKIT_FUZZ_SLOW_LOCKS=1 (forged lock owners, about a
# second each), then fuzzes from tests/fuzz/corpus for the time left. A
# crash, a hang (-timeout), a sanitizer report or a call returning with a
# lock held fails it; the input that did it is printed in base64 and kept
# with --artifacts. New inputs go to a temporary directory: the corpus in
# the tree only changes by hand (see docs/RELIABILITY.md, "Fuzzing").
#
# usage: tests/fuzz/fuzz_test.sh [--seconds N] [--budget N] [--bin FUZZER]
#                                [--artifacts DIR] [-- LIBFUZZER-FLAGS...]
#   --seconds N     fuzz for N seconds (default 25, $IPCKIT_FUZZ_SECONDS)
#   --budget N      with the build, stop after about N seconds in all
#                   (default 45, so that tests/run's 60 s limit holds
#                   on a slow machine); 0: no budget
#   --bin FUZZER    use this fuzzer (make fuzz builds one) instead of
#                   building one here
#   --artifacts DIR keep crashing inputs and the new corpus in DIR
# Exit status: 0 pass, 1 fail, 77 skip (no clang or libFuzzer runtime).
set -u

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
seconds=${IPCKIT_FUZZ_SECONDS:-25}
budget=45
bin=""
artifacts=""
while [ $# -gt 0 ]; do
	case "$1" in
	--seconds) seconds="$2"; shift 2 ;;
	--budget) budget="$2"; shift 2 ;;
	--bin) bin="$2"; shift 2 ;;
	--artifacts) artifacts="$2"; shift 2 ;;
	--) shift; break ;;
	*) echo "fuzz_test.sh: unknown option $1" >&2; exit 2 ;;
	esac
done

# tmpfs when there is one: the fuzzer makes and removes files per input.
base=/dev/shm
[ -d "$base" ] && [ -w "$base" ] || base=${TMPDIR:-/tmp}
work=$(mktemp -d "$base/ipckit-fuzz-test.XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT
[ -n "$artifacts" ] && mkdir -p "$artifacts"
out=${artifacts:-$work}

if [ -z "$bin" ]; then
	cc=${FUZZ_CC:-}
	if [ -z "$cc" ]; then
		for c in clang clang-14 clang-15 clang-16 clang-17 clang-18; do
			command -v "$c" >/dev/null 2>&1 && { cc=$c; break; }
		done
	fi
	if [ -z "$cc" ]; then
		echo "SKIP: no clang (apt-get install clang libclang-rt-14-dev)"
		exit 77
	fi
	san="-fsanitize=fuzzer,address,undefined"
	echo 'int LLVMFuzzerTestOneInput(const char *d, long n) { return 0; }' \
		>"$work/probe.c"
	if ! "$cc" $san -o "$work/probe" "$work/probe.c" >/dev/null 2>&1; then
		echo "SKIP: $cc cannot link libFuzzer (libclang-rt-14-dev)"
		exit 77
	fi
	flags=(-g -O1 -fno-omit-frame-pointer -fno-sanitize-recover=undefined
		-D_GNU_SOURCE -std=gnu11 -I"$top/include" -I"$top/src"
		-Wall -Wextra -Wshadow -Wstrict-prototypes
		-Wmissing-prototypes -Wno-unused-parameter)
	mkdir -p "$work/obj"
	srcs=()
	for f in "$top"/src/*.c; do
		[ "$(basename "$f")" = preload.c ] || srcs+=("$f")
	done
	# One compiler per CPU: the build is most of the time this takes.
	ncpu=$(nproc 2>/dev/null || echo 2)
	for f in "${srcs[@]}"; do
		o="$work/obj/$(basename "$f" .c)"
		"$cc" "${flags[@]}" -fsanitize=fuzzer-no-link,address,undefined \
			-c -o "$o.o" "$f" >"$o.log" 2>&1 &
		while [ "$(jobs -rp | wc -l)" -ge "$ncpu" ]; do wait -n; done
	done
	wait
	for f in "${srcs[@]}"; do
		o="$work/obj/$(basename "$f" .c)"
		[ -f "$o.o" ] && continue
		# inspect.c is optional (the `ipckit` command's snapshots).
		[ "$(basename "$f")" = inspect.c ] && continue
		cat "$o.log"
		echo "FAIL: building $f for the fuzzer"
		exit 1
	done
	# The snapshots behind `ipckit ls` (src/inspect.c), where they exist.
	inspect=()
	[ -f "$work/obj/inspect.o" ] && inspect=(-DFUZZ_INSPECT)
	if ! "$cc" "${flags[@]}" "${inspect[@]}" -Werror \
		-fsanitize=fuzzer,address,undefined -o "$work/fuzz-objects" \
		"$here/fuzz_objects.c" "$work"/obj/*.o -lpthread \
		>"$work/build.log" 2>&1; then
		cat "$work/build.log"
		echo "FAIL: building the fuzzer"
		exit 1
	fi
	bin=$work/fuzz-objects
	echo "built $bin with $cc in ${SECONDS}s${inspect:+ (with inspect.c)}"
fi

export TMPDIR=$work
corpus=("$here/corpus/msg" "$here/corpus/sem" "$here/corpus/shm")
status=0

# fail LOG: says why, with the input that did it.
fail() {
	grep -E 'ERROR|runtime error|SUMMARY|fuzz_objects:|Test unit' \
		-e '^ +#[0-9]+ ' "$1" | head -n 40
	for a in "$out"/crash-* "$out"/timeout-* "$out"/oom-* "$out"/leak-*; do
		[ -f "$a" ] || continue
		echo "input $(basename "$a") (base64):"
		base64 -w 76 "$a"
	done
	status=1
}

slow=()
for d in "${corpus[@]}"; do
	for f in "$d"/slow-*; do [ -f "$f" ] && slow+=("$f"); done
done
if [ ${#slow[@]} -gt 0 ]; then
	if ! IPCKIT_FUZZ_SLOW_LOCKS=1 "$bin" -timeout=10 \
		-detect_leaks=0 -artifact_prefix="$out/" "${slow[@]}" \
		>"$work/slow.log" 2>&1; then
		echo "FAIL: replaying the slow-* inputs"
		fail "$work/slow.log"
	else
		echo "replayed ${#slow[@]} slow-* inputs (forged lock owners)"
	fi
fi

if [ "$budget" -gt 0 ]; then
	left=$((budget - SECONDS))
	[ "$left" -lt "$seconds" ] && seconds=$left
	[ "$seconds" -lt 5 ] && seconds=5
fi
mkdir -p "$out/new"
"$bin" -max_total_time="$seconds" -timeout=5 -rss_limit_mb=2048 \
	-print_final_stats=1 -artifact_prefix="$out/" "$@" \
	"$out/new" "${corpus[@]}" >"$work/fuzz.log" 2>&1
rc=$?
runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/fuzz.log")
cov=$(grep -oE 'cov: [0-9]+' "$work/fuzz.log" | tail -n 1)
if [ $rc -ne 0 ]; then
	echo "FAIL: the fuzzer stopped (exit $rc) after ${runs:-?} inputs"
	fail "$work/fuzz.log"
else
	echo "fuzzed ${seconds}s: ${runs:-?} inputs, ${cov:-cov: ?} edges," \
		"no crash, hang or sanitizer report"
fi
exit $status
