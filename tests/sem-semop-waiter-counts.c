/*
 * sem-semop-waiter-counts.c - GETNCNT and GETZCNT count a blocked waiter
 * once, on the first operation of its call that blocks it (judged in array
 * order against the current values), as the kernel does: a waiter for
 * {0: -1, 1: -1} counts on 0 until 0 can be taken, then on 1.
 */
#include "sem-common.h"

static void expect(int id, const int *ncnt, const int *zcnt)
{
	for (int i = 0; i < 4; i++) {
		int n = B->semctl(id, i, GETNCNT);
		int z = B->semctl(id, i, GETZCNT);
		if (n != ncnt[i] || z != zcnt[i])
			t_fail(__FILE__, __LINE__,
			       "sem %d: ncnt %d zcnt %d, expected %d %d", i, n,
			       z, ncnt[i], zcnt[i]);
	}
}

static void give(int id, unsigned short num, short val)
{
	struct sembuf sb = {num, val, 0};
	T_OK(B->semop(id, &sb, 1));
}

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);
	int id = T_OK(B->semget(IPC_PRIVATE, 4, 0600));
	union semun arg = {.val = 1};
	T_OK(B->semctl(id, 3, SETVAL, arg));

	struct sembuf w1[] = {{0, -1, 0}, {1, -1, 0}};
	/* Its zero-wait on 1 passes; it blocks on 2. */
	struct sembuf w2[] = {{1, 0, 0}, {2, -1, 0}};
	/* Blocks on the zero-wait first. */
	struct sembuf w3[] = {{3, 0, 0}, {0, -1, 0}};
	pid_t p1 = waiter_start(id, w1, 2);
	pid_t p2 = waiter_start(id, w2, 2);
	pid_t p3 = waiter_start(id, w3, 2);
	expect(id, (int[]){1, 0, 1, 0}, (int[]){0, 0, 0, 1});

	give(id, 0, 1);
	expect(id, (int[]){0, 1, 1, 0}, (int[]){0, 0, 0, 1});

	/* w1 goes through; w2's zero-wait on 1 still passes after it. */
	give(id, 1, 1);
	t_wait_ok(p1);
	expect(id, (int[]){0, 0, 1, 0}, (int[]){0, 0, 0, 1});

	give(id, 2, 1);
	t_wait_ok(p2);
	expect(id, (int[]){0, 0, 0, 0}, (int[]){0, 0, 0, 1});

	give(id, 3, -1);
	expect(id, (int[]){1, 0, 0, 0}, (int[]){0, 0, 0, 0});
	give(id, 0, 1);
	t_wait_ok(p3);
	expect(id, (int[]){0, 0, 0, 0}, (int[]){0, 0, 0, 0});
	return 0;
}
