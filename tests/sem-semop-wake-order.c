/*
 * sem-semop-wake-order.c - a waiter that can proceed only after another
 * waiter has is woken then, whichever of the two blocked first: A waits
 * for {0: -1, 1: 0} and B for {1: -1}; one call gives {0: +1, 1: +1}, and
 * only B's taking semaphore 1 back to zero lets A through.
 */
#include "sem-common.h"

static void round_trip(int id, bool a_first)
{
	struct sembuf a[] = {{0, -1, 0}, {1, 0, 0}};
	struct sembuf b[] = {{1, -1, 0}};
	pid_t pa, pb;
	if (a_first) {
		pa = waiter_start(id, a, 2);
		pb = waiter_start(id, b, 1);
	} else {
		pb = waiter_start(id, b, 1);
		pa = waiter_start(id, a, 2);
	}
	T_EQ(B->semctl(id, 0, GETNCNT), 1);
	T_EQ(B->semctl(id, 1, GETNCNT), 1);

	struct sembuf give[] = {{0, 1, 0}, {1, 1, 0}};
	T_OK(B->semop(id, give, 2));
	t_wait_ok(pb);
	t_wait_ok(pa);
	T_EQ(B->semctl(id, 0, GETVAL), 0);
	T_EQ(B->semctl(id, 1, GETVAL), 0);
	T_EQ(B->semctl(id, 0, GETPID), pa);
	T_EQ(B->semctl(id, 0, GETNCNT), 0);
	T_EQ(B->semctl(id, 1, GETZCNT), 0);
}

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);
	int id = T_OK(B->semget(IPC_PRIVATE, 2, 0600));
	round_trip(id, true);
	round_trip(id, false);
	return 0;
}
