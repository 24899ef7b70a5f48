/*
 * sem-semget-excl.c - IPC_CREAT | IPC_EXCL on an existing key is EEXIST;
 * IPC_CREAT alone opens the existing set.
 */
#include "helpers.h"

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);
	key_t key = t_key(1);
	int id = T_OK(B->semget(key, 2, IPC_CREAT | IPC_EXCL | 0600));

	T_FAIL_ERRNO(B->semget(key, 2, IPC_CREAT | IPC_EXCL | 0600), EEXIST);
	T_FAIL_ERRNO(B->semget(key, 1, IPC_CREAT | IPC_EXCL), EEXIST);
	T_EQ(B->semget(key, 2, IPC_CREAT | 0600), id);
	/* Opening does not take the new mode. */
	T_EQ(B->semget(key, 2, IPC_CREAT | 0666), id);
	struct semid_ds ds;
	union semun arg = {.buf = &ds};
	T_OK(B->semctl(id, 0, IPC_STAT, arg));
	T_EQ(ds.sem_perm.mode & 0777, 0600);
	T_EQ(ds.sem_perm.__key, key);
	return 0;
}
