/*
 * sem-semget-nsems-fewer.c - opening an existing set while asking for more
 * semaphores than it has is EINVAL; as many or fewer is fine. EEXIST is
 * checked first.
 */
#include "helpers.h"

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);
	key_t key = t_key(1);
	int id = T_OK(B->semget(key, 3, IPC_CREAT | IPC_EXCL | 0600));

	T_FAIL_ERRNO(B->semget(key, 4, 0), EINVAL);
	T_FAIL_ERRNO(B->semget(key, 4, 0600), EINVAL);
	T_FAIL_ERRNO(B->semget(key, 4, IPC_CREAT | 0600), EINVAL);
	T_FAIL_ERRNO(B->semget(key, 4, IPC_CREAT | IPC_EXCL | 0600), EEXIST);

	for (int n = 0; n <= 3; n++)
		T_EQ(B->semget(key, n, IPC_CREAT | 0600), id);

	struct semid_ds ds;
	union semun arg = {.buf = &ds};
	T_OK(B->semctl(id, 0, IPC_STAT, arg));
	T_EQ(ds.sem_nsems, 3);
	return 0;
}
