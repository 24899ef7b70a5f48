/*
 * sem-undo-exit.c - a process's SEM_UNDO adjustments are applied when it
 * calls exit(): every value it changed with SEM_UNDO goes back by what it
 * did, while changes made without SEM_UNDO stay. sempid then names it.
 */
#include "helpers.h"

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);
	int id = T_OK(B->semget(IPC_PRIVATE, 3, 0600));
	unsigned short init[] = {0, 4, 0};
	union semun arg = {.array = init};
	T_OK(B->semctl(id, 0, SETALL, arg));

	pid_t pid = t_fork();
	if (pid == 0) {
		struct sembuf ops[] = {{0, 2, SEM_UNDO},
				       {1, -1, SEM_UNDO},
				       {2, 5, 0},
				       {0, 1, SEM_UNDO}};
		T_OK(B->semop(id, ops, 4));
		T_EQ(B->semctl(id, 0, GETVAL), 3);
		exit(0);
	}
	t_wait_ok(pid);
	/* Always ask the set: the undo may be applied as late as this. */
	T_EQ(B->semctl(id, 0, GETVAL), 0);
	T_EQ(B->semctl(id, 1, GETVAL), 4);
	T_EQ(B->semctl(id, 2, GETVAL), 5);
	T_EQ(B->semctl(id, 0, GETPID), pid);
	T_EQ(B->semctl(id, 1, GETPID), pid);
	return 0;
}
