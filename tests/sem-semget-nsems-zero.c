/*
 * sem-semget-nsems-zero.c - nsems 0 is allowed only when opening an
 * existing set: creating one of 0 semaphores is EINVAL.
 */
#include "helpers.h"

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);

	T_FAIL_ERRNO(B->semget(IPC_PRIVATE, 0, 0600), EINVAL);
	T_FAIL_ERRNO(B->semget(IPC_PRIVATE, 0, IPC_CREAT | 0600), EINVAL);
	T_FAIL_ERRNO(B->semget(t_key(1), 0, IPC_CREAT | 0600), EINVAL);
	T_FAIL_ERRNO(B->semget(t_key(1), 0, IPC_CREAT | IPC_EXCL | 0600),
		     EINVAL);
	/* The failed creations left nothing behind. */
	T_FAIL_ERRNO(B->semget(t_key(1), 0, 0), ENOENT);

	int id = T_OK(B->semget(t_key(1), 3, IPC_CREAT | IPC_EXCL | 0600));
	T_EQ(B->semget(t_key(1), 0, 0), id);
	T_EQ(B->semget(t_key(1), 0, 0600), id);
	T_EQ(B->semget(t_key(1), 0, IPC_CREAT | 0600), id);
	T_FAIL_ERRNO(B->semget(t_key(1), 0, IPC_CREAT | IPC_EXCL | 0600),
		     EEXIST);

	/* Opening with 0 does not change the set. */
	struct semid_ds ds;
	union semun arg = {.buf = &ds};
	T_OK(B->semctl(id, 0, IPC_STAT, arg));
	T_EQ(ds.sem_nsems, 3);
	return 0;
}
