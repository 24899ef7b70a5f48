/*
 * sem-undo-sigkill.c - SEM_UNDO adjustments are applied when the process
 * is killed by SIGKILL, here while it is blocked in another semop.
 */
#include "helpers.h"

#include <signal.h>

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);
	int id = T_OK(B->semget(IPC_PRIVATE, 3, 0600));
	union semun arg = {.val = 4};
	T_OK(B->semctl(id, 1, SETVAL, arg));

	pid_t pid = t_fork();
	if (pid == 0) {
		struct sembuf ops[] = {{0, 2, SEM_UNDO}, {1, -1, SEM_UNDO}};
		T_OK(B->semop(id, ops, 2));
		struct sembuf never = {2, -1, SEM_UNDO};
		B->semop(id, &never, 1);
		_exit(1);
	}
	t_wait_blocked(pid);
	T_EQ(B->semctl(id, 0, GETVAL), 2);
	T_EQ(B->semctl(id, 1, GETVAL), 3);
	T_OK(kill(pid, SIGKILL));
	T_EQ(t_wait_signal(pid), SIGKILL);
	T_EQ(B->semctl(id, 0, GETVAL), 0);
	T_EQ(B->semctl(id, 1, GETVAL), 4);
	T_EQ(B->semctl(id, 2, GETNCNT), 0);
	return 0;
}
