/*
 * sem-undo-clamp.c - an adjustment applied at exit that would take a
 * value past semvmx (32767) or below 0 leaves it at that bound.
 */
#include "helpers.h"

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);
	int id = T_OK(B->semget(IPC_PRIVATE, 2, 0600));
	struct sembuf one = {0, 1, 0};
	T_OK(B->semop(id, &one, 1));
	struct t_barrier *bar = t_barrier_create(2);

	pid_t pid = t_fork();
	if (pid == 0) {
		/* Adjustments: +1 on 0, -5 on 1. */
		struct sembuf ops[] = {{0, -1, SEM_UNDO}, {1, 5, SEM_UNDO}};
		T_OK(B->semop(id, ops, 2));
		t_barrier_wait(bar);
		t_barrier_wait(bar);
		_exit(0);
	}
	t_barrier_wait(bar);
	/* Without SEM_UNDO, so SETVAL's clearing plays no part. */
	struct sembuf fill[] = {{0, 32767, 0}, {1, -5, 0}};
	T_OK(B->semop(id, fill, 2));
	t_barrier_wait(bar);
	t_wait_ok(pid);
	T_EQ(B->semctl(id, 0, GETVAL), 32767);
	T_EQ(B->semctl(id, 1, GETVAL), 0);
	return 0;
}
