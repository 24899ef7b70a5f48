/*
 * sem-semop-wake-no-starve.c - waiters are not served in strict arrival
 * order: a waiter whose operation can proceed does, even when one that
 * blocked earlier still cannot.
 */
#include "helpers.h"

#include <sys/wait.h>

static pid_t start(int id, short val)
{
	pid_t pid = t_fork();
	if (pid == 0) {
		struct sembuf sb = {0, val, 0};
		struct timespec ts = t_ms((long)(5000 * t_time_mult()));
		T_OK(B->semtimedop(id, &sb, 1, &ts));
		_exit(0);
	}
	t_wait_blocked(pid);
	return pid;
}

static void give(int id, short val)
{
	struct sembuf sb = {0, val, 0};
	T_OK(B->semop(id, &sb, 1));
}

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);
	int id = T_OK(B->semget(IPC_PRIVATE, 1, 0600));

	/* Big first, then small: 1 unit goes to the small one. */
	pid_t big = start(id, -2);
	pid_t small = start(id, -1);
	T_EQ(B->semctl(id, 0, GETNCNT), 2);
	give(id, 1);
	t_wait_ok(small);
	T_EQ(waitpid(big, NULL, WNOHANG), 0);
	T_EQ(B->semctl(id, 0, GETNCNT), 1);
	T_EQ(B->semctl(id, 0, GETVAL), 0);
	give(id, 2);
	t_wait_ok(big);

	/* Small first, then big: 3 units serve both. */
	small = start(id, -1);
	big = start(id, -2);
	give(id, 3);
	t_wait_ok(small);
	t_wait_ok(big);
	T_EQ(B->semctl(id, 0, GETVAL), 0);
	T_EQ(B->semctl(id, 0, GETNCNT), 0);
	return 0;
}
