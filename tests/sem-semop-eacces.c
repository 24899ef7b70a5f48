/*
 * sem-semop-eacces.c - semop needs write permission to alter a value and
 * read permission to wait for zero: EACCES otherwise, nothing applied.
 * A sem_num out of range is EFBIG before EACCES.
 */
#include "helpers.h"

#include <sys/stat.h>

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);
	if (geteuid() != 0)
		t_skip("needs root to act as a second user");
	T_OK(chmod(t_dir, 01777));

	int priv = T_OK(B->semget(IPC_PRIVATE, 2, 0600));
	int ro = T_OK(B->semget(IPC_PRIVATE, 2, 0604));
	int wo = T_OK(B->semget(IPC_PRIVATE, 2, 0602));
	union semun arg = {.val = 1};
	T_OK(B->semctl(ro, 1, SETVAL, arg));

	pid_t pid = t_fork();
	if (pid == 0) {
		t_become(T_NOBODY, T_NOBODY);
		struct sembuf zero = {0, 0, IPC_NOWAIT};
		struct sembuf up = {0, 1, 0};
		struct sembuf down = {1, -1, IPC_NOWAIT};
		struct sembuf far = {2, 1, 0};

		T_FAIL_ERRNO(B->semop(priv, &zero, 1), EACCES);
		T_FAIL_ERRNO(B->semop(priv, &up, 1), EACCES);
		T_FAIL_ERRNO(B->semop(priv, &far, 1), EFBIG);

		T_OK(B->semop(ro, &zero, 1));
		T_FAIL_ERRNO(B->semop(ro, &up, 1), EACCES);
		/* EACCES, not EAGAIN: permission comes before the value. */
		T_FAIL_ERRNO(B->semop(ro, &down, 1), EACCES);
		struct sembuf mixed[] = {{0, 0, 0}, {1, -1, 0}};
		T_FAIL_ERRNO(B->semop(ro, mixed, 2), EACCES);
		T_FAIL_ERRNO(B->semop(ro, &far, 1), EFBIG);

		/* Write alone is enough to alter, even a zero-wait mixed in. */
		struct sembuf alter[] = {{0, 0, 0}, {1, 1, 0}};
		T_OK(B->semop(wo, alter, 2));
		T_FAIL_ERRNO(B->semop(wo, &zero, 1), EACCES);
		_exit(0);
	}
	t_wait_ok(pid);
	T_EQ(B->semctl(ro, 0, GETVAL), 0);
	T_EQ(B->semctl(ro, 1, GETVAL), 1);
	T_EQ(B->semctl(wo, 1, GETVAL), 1);
	T_EQ(B->semctl(ro, 0, GETPID), pid);
	return 0;
}
