# Preload library tests (issue 6). Each runs on the kernel back end, so
# tests/run runs it plainly and again under LD_PRELOAD. preload-deepbind
# and preload-dlopen-origin dlopen $(BUILD)/tests/preload-deepbind-lib.so
# and skip without it. The shell scripts tests/preload-*.sh run once.
TESTS += preload-deepbind
TESTS += preload-dlopen-origin
TESTS += preload-eintr-restart
TESTS += preload-fork-exec
TESTS += preload-objects
TESTS += preload-setid-creds
TESTS += preload-signal-reenter
