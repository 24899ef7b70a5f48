/*
 * sem-semctl-bad-cmd.c - an unknown command is EINVAL, as is any command
 * on a removed set or a negative id; removing twice is EINVAL.
 */
#include "helpers.h"

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);
	int id = T_OK(B->semget(IPC_PRIVATE, 2, 0600));
	int cmds[] = {4, 5, 10, 21, 1000, -1};
	union semun arg = {.val = 0};

	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		T_FAIL_ERRNO(B->semctl(id, 0, cmds[i], arg), EINVAL);
	T_EQ(B->semctl(id, 0, GETVAL), 0);

	struct semid_ds ds;
	union semun buf = {.buf = &ds};
	T_FAIL_ERRNO(B->semctl(-1, 0, GETVAL), EINVAL);
	T_FAIL_ERRNO(B->semctl(-1, 0, IPC_STAT, buf), EINVAL);
	T_FAIL_ERRNO(B->semctl(-1, 0, IPC_INFO, buf), EINVAL);
	T_FAIL_ERRNO(B->semctl(-1, 0, IPC_RMID), EINVAL);

	T_OK(B->semctl(id, 0, IPC_RMID));
	T_FAIL_ERRNO(B->semctl(id, 0, IPC_RMID), EINVAL);
	T_FAIL_ERRNO(B->semctl(id, 0, GETVAL), EINVAL);
	T_FAIL_ERRNO(B->semctl(id, 0, GETNCNT), EINVAL);
	T_FAIL_ERRNO(B->semctl(id, 0, IPC_STAT, buf), EINVAL);
	T_FAIL_ERRNO(B->semctl(id, 0, IPC_SET, buf), EINVAL);
	T_FAIL_ERRNO(B->semctl(id, 0, SETVAL, arg), EINVAL);
	T_FAIL_ERRNO(B->semctl(id, 0, 1000, arg), EINVAL);
	return 0;
}
