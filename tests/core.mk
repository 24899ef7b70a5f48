# Foundation tests (namespace, keys, ids, locks, hostile files).
TESTS += core-corrupt-file
TESTS += core-create-race
TESTS += core-creator-killed
TESTS += core-lock-recovery
TESTS += core-ns-safety
TESTS += core-remove-killed
