/*
 * sem-semctl-setval-wakes.c - SETVAL wakes every waiter whose operation
 * its new value lets through, decrements and zero-waits alike, and no
 * other.
 */
#include "sem-common.h"

static void setval(int id, int num, int v)
{
	union semun arg = {.val = v};
	T_OK(B->semctl(id, num, SETVAL, arg));
}

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);
	int id = T_OK(B->semget(IPC_PRIVATE, 2, 0600));

	struct sembuf two = {0, -2, 0};
	pid_t p = waiter_start(id, &two, 1);
	setval(id, 0, 1);
	T_EQ(B->semctl(id, 0, GETNCNT), 1);
	T_EQ(B->semctl(id, 0, GETVAL), 1);
	setval(id, 0, 2);
	t_wait_ok(p);
	T_EQ(B->semctl(id, 0, GETVAL), 0);

	setval(id, 1, 3);
	struct sembuf zero = {1, 0, 0};
	pid_t z1 = waiter_start(id, &zero, 1);
	pid_t z2 = waiter_start(id, &zero, 1);
	setval(id, 1, 1);
	T_EQ(B->semctl(id, 1, GETZCNT), 2);
	setval(id, 1, 0);
	t_wait_ok(z1);
	t_wait_ok(z2);
	T_EQ(B->semctl(id, 1, GETZCNT), 0);

	/* A waiter needing both semaphores. */
	setval(id, 1, 1);
	struct sembuf both[] = {{0, -1, 0}, {1, 0, 0}};
	p = waiter_start(id, both, 2);
	setval(id, 0, 1);
	T_EQ(B->semctl(id, 1, GETZCNT), 1);
	setval(id, 1, 0);
	t_wait_ok(p);
	T_EQ(B->semctl(id, 0, GETVAL), 0);
	T_EQ(B->semctl(id, 0, GETPID), p);
	return 0;
}
