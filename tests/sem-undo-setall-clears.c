/*
 * sem-undo-setall-clears.c - SETALL clears every process's adjustments for
 * the whole set: their later exit leaves the values set.
 */
#include "helpers.h"

#define HOLDERS 2

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);
	int id = T_OK(B->semget(IPC_PRIVATE, 2, 0600));
	struct t_barrier *bar = t_barrier_create(HOLDERS + 1);

	pid_t pid[HOLDERS];
	for (int i = 0; i < HOLDERS; i++) {
		pid[i] = t_fork();
		if (pid[i] == 0) {
			struct sembuf ops[] = {{0, 1, SEM_UNDO},
					       {1, 2, SEM_UNDO}};
			T_OK(B->semop(id, ops, 2));
			t_barrier_wait(bar);
			t_barrier_wait(bar);
			/* Adjustments made after SETALL are kept. */
			struct sembuf more = {1, 1, SEM_UNDO};
			T_OK(B->semop(id, &more, 1));
			_exit(0);
		}
	}
	t_barrier_wait(bar);
	T_EQ(B->semctl(id, 1, GETVAL), 2 * HOLDERS);
	unsigned short vals[] = {7, 9};
	union semun arg = {.array = vals};
	T_OK(B->semctl(id, 0, SETALL, arg));
	t_barrier_wait(bar);
	for (int i = 0; i < HOLDERS; i++)
		t_wait_ok(pid[i]);
	T_EQ(B->semctl(id, 0, GETVAL), 7);
	T_EQ(B->semctl(id, 1, GETVAL), 9);
	return 0;
}
