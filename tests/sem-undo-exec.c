/*
 * sem-undo-exec.c - SEM_UNDO adjustments survive exec(): a process that
 * operates with SEM_UNDO and then execs /bin/true has them applied when
 * /bin/true exits.
 */
#include "helpers.h"

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);
	int id = T_OK(B->semget(IPC_PRIVATE, 2, 0600));
	union semun arg = {.val = 2};
	T_OK(B->semctl(id, 1, SETVAL, arg));

	pid_t pid = t_fork();
	if (pid == 0) {
		struct sembuf ops[] = {{0, 3, SEM_UNDO}, {1, -2, SEM_UNDO}};
		T_OK(B->semop(id, ops, 2));
		execl("/bin/true", "true", (char *)NULL);
		_exit(127);
	}
	t_wait_ok(pid);
	T_EQ(B->semctl(id, 0, GETVAL), 0);
	T_EQ(B->semctl(id, 1, GETVAL), 2);
	return 0;
}
