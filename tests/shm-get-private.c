/*
 * shm-get-private.c - IPC_PRIVATE always makes a new segment, with or
 * without IPC_CREAT and IPC_EXCL; its key reads back as IPC_PRIVATE and
 * the segments do not share memory.
 */
#include "helpers.h"

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);
	struct shmid_ds ds;
	int ids[4];

	ids[0] = T_OK(B->shmget(IPC_PRIVATE, 4096, 0600));
	ids[1] = T_OK(B->shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600));
	ids[2] =
	    T_OK(B->shmget(IPC_PRIVATE, 4096, IPC_CREAT | IPC_EXCL | 0600));
	ids[3] = T_OK(B->shmget(IPC_PRIVATE, 4096, IPC_EXCL | 0600));
	for (int i = 0; i < 4; i++) {
		for (int j = 0; j < i; j++)
			T_ASSERT(ids[i] != ids[j]);
		T_OK(B->shmctl(ids[i], IPC_STAT, &ds));
		T_EQ(ds.shm_perm.__key, IPC_PRIVATE);
	}

	char *p[4];
	for (int i = 0; i < 4; i++) {
		p[i] = T_OK(B->shmat(ids[i], NULL, 0));
		p[i][0] = (char)('a' + i);
	}
	for (int i = 0; i < 4; i++) {
		T_EQ(p[i][0], 'a' + i);
		T_OK(B->shmdt(p[i]));
		T_OK(B->shmctl(ids[i], IPC_RMID, NULL));
	}
	return T_EXIT_PASS;
}
