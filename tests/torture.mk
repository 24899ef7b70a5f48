# Issue 9: hostile callers and exhaustion (docs/RELIABILITY.md). The kill
# torture harness and the fuzzer run from tests/torture-short.sh and
# tests/fuzz/fuzz_test.sh.
TESTS += exhaust-fs-full
TESTS += exhaust-ns-limits
TESTS += exhaust-rlimits
TESTS += hostile-uid
