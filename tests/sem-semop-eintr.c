/*
 * sem-semop-eintr.c - a blocked semop or semtimedop fails with EINTR when
 * a signal handler runs, even one installed with SA_RESTART; nothing is
 * applied and the waiter no longer counts.
 */
#include "helpers.h"

#include <signal.h>

static volatile sig_atomic_t caught;

static void on_usr1(int sig)
{
	(void)sig;
	caught++;
}

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);
	int id = T_OK(B->semget(IPC_PRIVATE, 3, 0600));
	union semun arg = {.val = 1};
	T_OK(B->semctl(id, 2, SETVAL, arg));
	struct t_barrier *bar = t_barrier_create(2);

	pid_t pid = t_fork();
	if (pid == 0) {
		t_signal(SIGUSR1, on_usr1, SA_RESTART);
		struct sembuf down[] = {{1, 1, SEM_UNDO}, {0, -1, 0}};
		T_FAIL_ERRNO(B->semop(id, down, 2), EINTR);
		T_EQ(caught, 1);
		t_barrier_wait(bar);

		struct timespec ts = t_ms((long)(10000 * t_time_mult()));
		T_FAIL_ERRNO(B->semtimedop(id, down, 2, &ts), EINTR);
		T_EQ(caught, 2);
		t_barrier_wait(bar);

		struct sembuf zero = {2, 0, 0};
		T_FAIL_ERRNO(B->semop(id, &zero, 1), EINTR);
		T_EQ(caught, 3);
		T_EQ(B->semctl(id, 1, GETVAL), 0);
		_exit(0);
	}
	for (int i = 0; i < 3; i++) {
		t_wait_blocked(pid);
		T_EQ(B->semctl(id, 0, GETNCNT) + B->semctl(id, 2, GETZCNT), 1);
		T_OK(kill(pid, SIGUSR1));
		if (i < 2)
			t_barrier_wait(bar);
	}
	t_wait_ok(pid);
	T_EQ(B->semctl(id, 1, GETVAL), 0);
	T_EQ(B->semctl(id, 1, GETPID), 0);
	T_EQ(B->semctl(id, 0, GETNCNT), 0);
	T_EQ(B->semctl(id, 2, GETZCNT), 0);
	return 0;
}
