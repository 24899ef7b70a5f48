/*
 * sem-semctl-eacces.c - semctl's reading commands need read permission and
 * SETVAL and SETALL write permission, EACCES otherwise; IPC_SET and
 * IPC_RMID by neither owner nor creator are EPERM. The kernel checks
 * permission before semnum for the reading commands, after it for SETVAL,
 * and before the values for SETALL.
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
	union semun three = {.val = 3};
	T_OK(B->semctl(priv, 0, SETVAL, three));
	T_OK(B->semctl(ro, 0, SETVAL, three));

	pid_t pid = t_fork();
	if (pid == 0) {
		t_become(T_NOBODY, T_NOBODY);
		struct semid_ds ds;
		unsigned short vals[2] = {1, 1};
		union semun buf = {.buf = &ds}, arr = {.array = vals};
		union semun one = {.val = 1};

		int reads[] = {GETVAL, GETNCNT, GETZCNT, GETPID};
		for (int i = 0; i < 4; i++) {
			T_FAIL_ERRNO(B->semctl(priv, 0, reads[i]), EACCES);
			T_FAIL_ERRNO(B->semctl(priv, 2, reads[i]), EACCES);
			T_OK(B->semctl(ro, 0, reads[i]));
			T_FAIL_ERRNO(B->semctl(ro, 2, reads[i]), EINVAL);
		}
		T_FAIL_ERRNO(B->semctl(priv, 0, GETALL, arr), EACCES);
		T_FAIL_ERRNO(B->semctl(priv, 0, IPC_STAT, buf), EACCES);
		T_OK(B->semctl(ro, 0, GETALL, arr));
		T_EQ(vals[0], 3);
		T_OK(B->semctl(ro, 0, IPC_STAT, buf));

		T_FAIL_ERRNO(B->semctl(priv, 0, SETVAL, one), EACCES);
		T_FAIL_ERRNO(B->semctl(priv, 2, SETVAL, one), EINVAL);
		T_FAIL_ERRNO(B->semctl(ro, 0, SETVAL, one), EACCES);
		T_FAIL_ERRNO(B->semctl(ro, 0, SETALL, arr), EACCES);
		vals[1] = 40000;
		T_FAIL_ERRNO(B->semctl(ro, 0, SETALL, arr), EACCES);

		T_OK(B->semctl(ro, 0, IPC_STAT, buf));
		T_FAIL_ERRNO(B->semctl(ro, 0, IPC_SET, buf), EPERM);
		T_FAIL_ERRNO(B->semctl(priv, 0, IPC_RMID), EPERM);
		T_FAIL_ERRNO(B->semctl(ro, 0, IPC_RMID), EPERM);
		_exit(0);
	}
	t_wait_ok(pid);
	T_EQ(B->semctl(priv, 0, GETVAL), 3);
	T_EQ(B->semctl(ro, 0, GETVAL), 3);
	T_EQ(B->semctl(ro, 1, GETVAL), 0);
	return 0;
}
