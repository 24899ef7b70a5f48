# Foundation tests (namespace, keys, ids, locks, hostile files).
TESTS +=
