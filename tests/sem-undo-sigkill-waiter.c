/*
 * sem-undo-sigkill-waiter.c - a process blocked on a semaphore held with
 * SEM_UNDO by a process that is then killed with SIGKILL proceeds once the
 * undo gives the value back; and a process that asks for the semaphore
 * only after such a death gets it too.
 */
#include "helpers.h"

#include <signal.h>

static struct timespec patience(void)
{
	return t_ms((long)(5000 * t_time_mult()));
}

/* Takes semaphore 0 with SEM_UNDO, then lives until killed. */
static pid_t start_holder(int id, struct t_barrier *bar)
{
	pid_t pid = t_fork();
	if (pid == 0) {
		struct sembuf take = {0, -1, SEM_UNDO};
		T_OK(B->semop(id, &take, 1));
		t_barrier_wait(bar);
		for (;;)
			pause();
	}
	t_barrier_wait(bar);
	T_EQ(B->semctl(id, 0, GETVAL), 0);
	return pid;
}

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);
	int id = T_OK(B->semget(IPC_PRIVATE, 1, 0600));
	union semun arg = {.val = 1};
	T_OK(B->semctl(id, 0, SETVAL, arg));
	struct t_barrier *bar = t_barrier_create(2);

	/* A waiter already blocked when the holder dies. */
	pid_t holder = start_holder(id, bar);
	pid_t waiter = t_fork();
	if (waiter == 0) {
		struct sembuf take = {0, -1, 0};
		struct timespec ts = patience();
		T_OK(B->semtimedop(id, &take, 1, &ts));
		struct sembuf give = {0, 1, 0};
		T_OK(B->semop(id, &give, 1));
		_exit(0);
	}
	t_wait_blocked(waiter);
	T_OK(kill(holder, SIGKILL));
	T_EQ(t_wait_signal(holder), SIGKILL);
	t_wait_ok(waiter);

	/* The caller itself waits, after the holder's death. */
	holder = start_holder(id, bar);
	T_OK(kill(holder, SIGKILL));
	T_EQ(t_wait_signal(holder), SIGKILL);
	struct sembuf take = {0, -1, 0};
	struct timespec ts = patience();
	T_OK(B->semtimedop(id, &take, 1, &ts));
	T_EQ(B->semctl(id, 0, GETVAL), 0);
	return 0;
}
