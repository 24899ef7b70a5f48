/*
 * sem-semget-rmid-key.c - IPC_RMID frees the key at once: it is ENOENT,
 * can be created again, and the old id no longer reaches any set.
 */
#include "helpers.h"

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);
	key_t key = t_key(1);
	int old = T_OK(B->semget(key, 2, IPC_CREAT | IPC_EXCL | 0600));
	union semun arg = {.val = 9};
	T_OK(B->semctl(old, 0, SETVAL, arg));
	T_OK(B->semctl(old, 0, IPC_RMID));

	T_FAIL_ERRNO(B->semget(key, 0, 0), ENOENT);
	T_FAIL_ERRNO(B->semctl(old, 0, GETVAL), EINVAL);

	int id = T_OK(B->semget(key, 1, IPC_CREAT | IPC_EXCL | 0600));
	T_EQ(B->semctl(id, 0, GETVAL), 0);
	/* The stale id does not reach the new set. */
	T_FAIL_ERRNO(B->semctl(old, 0, GETVAL), EINVAL);
	struct sembuf up = {0, 1, 0};
	T_FAIL_ERRNO(B->semop(old, &up, 1), EINVAL);
	T_EQ(B->semctl(id, 0, GETVAL), 0);
	return 0;
}
