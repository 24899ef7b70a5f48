/*
 * sem-undo-_exit.c - SEM_UNDO adjustments are applied when the process
 * ends with _exit(), which runs no atexit handlers.
 */
#include "helpers.h"

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);
	int id = T_OK(B->semget(IPC_PRIVATE, 2, 0600));
	union semun arg = {.val = 3};
	T_OK(B->semctl(id, 1, SETVAL, arg));

	pid_t pid = t_fork();
	if (pid == 0) {
		struct sembuf ops[] = {{0, 2, SEM_UNDO}, {1, -3, SEM_UNDO}};
		T_OK(B->semop(id, ops, 2));
		_exit(0);
	}
	t_wait_ok(pid);
	T_EQ(B->semctl(id, 0, GETVAL), 0);
	T_EQ(B->semctl(id, 1, GETVAL), 3);
	return 0;
}
