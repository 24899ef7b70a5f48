/*
 * sem-undo-exit-waiter.c - a process blocked on a semaphore held with
 * SEM_UNDO proceeds when the holder exits and its undo gives the value
 * back.
 */
#include "helpers.h"

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);
	int id = T_OK(B->semget(IPC_PRIVATE, 1, 0600));
	union semun arg = {.val = 1};
	T_OK(B->semctl(id, 0, SETVAL, arg));
	struct t_barrier *bar = t_barrier_create(2);

	pid_t holder = t_fork();
	if (holder == 0) {
		struct sembuf take = {0, -1, SEM_UNDO};
		T_OK(B->semop(id, &take, 1));
		t_barrier_wait(bar);
		t_barrier_wait(bar);
		exit(0);
	}
	t_barrier_wait(bar);

	pid_t waiter = t_fork();
	if (waiter == 0) {
		struct sembuf take = {0, -1, 0};
		struct timespec ts = t_ms((long)(5000 * t_time_mult()));
		T_OK(B->semtimedop(id, &take, 1, &ts));
		_exit(0);
	}
	t_wait_blocked(waiter);
	T_EQ(B->semctl(id, 0, GETNCNT), 1);
	t_barrier_wait(bar);
	t_wait_ok(holder);
	t_wait_ok(waiter);
	T_EQ(B->semctl(id, 0, GETVAL), 0);
	T_EQ(B->semctl(id, 0, GETPID), waiter);
	return 0;
}
