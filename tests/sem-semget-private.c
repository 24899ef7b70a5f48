/*
 * sem-semget-private.c - IPC_PRIVATE makes a new set on every call, with
 * or without IPC_CREAT and IPC_EXCL, and records key 0.
 */
#include "helpers.h"

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);
	int ids[4];
	ids[0] = T_OK(B->semget(IPC_PRIVATE, 1, 0600));
	ids[1] = T_OK(B->semget(IPC_PRIVATE, 1, 0600));
	ids[2] = T_OK(B->semget(IPC_PRIVATE, 2, IPC_CREAT | 0600));
	ids[3] = T_OK(B->semget(IPC_PRIVATE, 2, IPC_CREAT | IPC_EXCL | 0600));

	for (int i = 0; i < 4; i++) {
		for (int j = 0; j < i; j++)
			T_ASSERT(ids[i] != ids[j]);
		struct semid_ds ds;
		union semun arg = {.buf = &ds};
		T_OK(B->semctl(ids[i], 0, IPC_STAT, arg));
		T_EQ(ds.sem_perm.__key, IPC_PRIVATE);
		T_EQ(ds.sem_nsems, i < 2 ? 1 : 2);
	}

	/* They are distinct sets, not one under four names. */
	struct sembuf up = {0, 1, 0};
	T_OK(B->semop(ids[0], &up, 1));
	T_EQ(B->semctl(ids[0], 0, GETVAL), 1);
	for (int i = 1; i < 4; i++)
		T_EQ(B->semctl(ids[i], 0, GETVAL), 0);
	return 0;
}
