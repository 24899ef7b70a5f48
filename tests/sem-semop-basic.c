/*
 * sem-semop-basic.c - semop without blocking: a positive sem_op adds, a
 * negative one subtracts when the value allows, 0 passes at value 0, and
 * one call may touch several semaphores. semtimedop with a NULL timeout
 * is semop.
 */
#include "helpers.h"

static int op(int id, unsigned short num, short val, short flg)
{
	struct sembuf sb = {num, val, flg};
	return B->semop(id, &sb, 1);
}

static void expect_all(int id, int a, int b, int c)
{
	unsigned short v[3];
	union semun arg = {.array = v};
	T_OK(B->semctl(id, 0, GETALL, arg));
	T_EQ(v[0], a);
	T_EQ(v[1], b);
	T_EQ(v[2], c);
}

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);
	int id = T_OK(B->semget(IPC_PRIVATE, 3, 0600));

	T_EQ(op(id, 0, 3, 0), 0);
	expect_all(id, 3, 0, 0);
	T_EQ(op(id, 0, -2, 0), 0);
	expect_all(id, 1, 0, 0);
	T_FAIL_ERRNO(op(id, 0, 0, IPC_NOWAIT), EAGAIN);
	T_EQ(op(id, 0, -1, 0), 0);
	T_EQ(op(id, 0, 0, 0), 0);
	T_EQ(op(id, 0, 0, SEM_UNDO), 0);
	expect_all(id, 0, 0, 0);

	struct sembuf many[] = {{0, 1, 0}, {1, 2, 0}, {2, 0, 0}};
	T_EQ(B->semop(id, many, 3), 0);
	expect_all(id, 1, 2, 0);
	T_EQ(B->semtimedop(id, many, 3, NULL), 0);
	expect_all(id, 2, 4, 0);
	struct timespec zero = {0, 0};
	T_EQ(B->semtimedop(id, many, 3, &zero), 0);
	expect_all(id, 3, 6, 0);

	struct sembuf take[] = {{1, -6, 0}, {0, -3, IPC_NOWAIT}};
	T_EQ(B->semop(id, take, 2), 0);
	expect_all(id, 0, 0, 0);
	return 0;
}
