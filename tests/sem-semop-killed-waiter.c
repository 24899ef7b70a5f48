/*
 * sem-semop-killed-waiter.c - a waiter killed while blocked takes nothing
 * and no longer counts in GETNCNT or GETZCNT; a live waiter queued behind
 * it gets the value.
 */
#include "sem-common.h"

#include <signal.h>

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);
	int id = T_OK(B->semget(IPC_PRIVATE, 2, 0600));
	union semun arg = {.val = 1};
	T_OK(B->semctl(id, 1, SETVAL, arg));

	struct sembuf down = {0, -1, 0}, zero = {1, 0, 0};
	pid_t dead_down = waiter_start(id, &down, 1);
	pid_t dead_zero = waiter_start(id, &zero, 1);
	pid_t live = waiter_start(id, &down, 1);
	T_EQ(B->semctl(id, 0, GETNCNT), 2);
	T_EQ(B->semctl(id, 1, GETZCNT), 1);

	T_OK(kill(dead_down, SIGKILL));
	T_OK(kill(dead_zero, SIGKILL));
	T_EQ(t_wait_signal(dead_down), SIGKILL);
	T_EQ(t_wait_signal(dead_zero), SIGKILL);
	T_EQ(B->semctl(id, 0, GETVAL), 0);
	T_EQ(B->semctl(id, 0, GETNCNT), 1);
	T_EQ(B->semctl(id, 1, GETZCNT), 0);

	struct sembuf up = {0, 1, 0};
	T_OK(B->semop(id, &up, 1));
	t_wait_ok(live);
	T_EQ(B->semctl(id, 0, GETVAL), 0);
	T_EQ(B->semctl(id, 0, GETPID), live);
	T_EQ(B->semctl(id, 0, GETNCNT), 0);
	return 0;
}
