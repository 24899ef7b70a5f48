/*
 * sem-semctl-ipc-stat.c - IPC_STAT fills a semid_ds for any process with
 * read permission, naming the creator's uid and gid as owner and creator;
 * it ignores semnum; a NULL buffer is EFAULT; a removed set is EINVAL.
 */
#include "helpers.h"

#include <sys/stat.h>

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);
	key_t key = t_key(1);
	int id = T_OK(B->semget(key, 3, IPC_CREAT | 0640));
	struct semid_ds ds;
	union semun arg = {.buf = &ds};

	T_EQ(B->semctl(id, 77, IPC_STAT, arg), 0);
	T_EQ(ds.sem_perm.__key, key);
	T_EQ(ds.sem_perm.mode, 0640);
	T_EQ(ds.sem_nsems, 3);

	union semun null = {.buf = NULL};
	T_FAIL_ERRNO(B->semctl(id, 0, IPC_STAT, null), EFAULT);

	/* Made by a second user: root sees that user as owner and creator. */
	if (geteuid() == 0) {
		T_OK(chmod(t_dir, 01777));
		int *made = t_shared_alloc(sizeof(int));
		pid_t pid = t_fork();
		if (pid == 0) {
			t_become(T_NOBODY, T_NOBODY);
			*made = T_OK(B->semget(IPC_PRIVATE, 1, 0600));
			_exit(0);
		}
		t_wait_ok(pid);
		T_OK(B->semctl(*made, 0, IPC_STAT, arg));
		T_EQ(ds.sem_perm.uid, T_NOBODY);
		T_EQ(ds.sem_perm.cuid, T_NOBODY);
		T_EQ(ds.sem_perm.gid, T_NOBODY);
		T_EQ(ds.sem_perm.cgid, T_NOBODY);
		T_EQ(ds.sem_perm.mode, 0600);
		T_EQ(ds.sem_nsems, 1);
		T_OK(B->semctl(*made, 0, IPC_RMID));
	}

	T_OK(B->semctl(id, 0, IPC_RMID));
	T_FAIL_ERRNO(B->semctl(id, 0, IPC_STAT, arg), EINVAL);
	return 0;
}
