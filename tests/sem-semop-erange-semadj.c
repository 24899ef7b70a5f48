/*
 * sem-semop-erange-semadj.c - an operation with SEM_UNDO that would take
 * the process's adjustment for the semaphore out of [-32768, 32767] fails
 * the call with ERANGE, nothing applied (the adjustment neither).
 */
#include "helpers.h"

static int op(int id, unsigned short num, short val, short flg)
{
	struct sembuf sb = {num, val, flg};
	return B->semop(id, &sb, 1);
}

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);
	int id = T_OK(B->semget(IPC_PRIVATE, 3, 0600));

	/* Adjustment of semaphore 0 down to -32768, the lowest allowed. */
	T_OK(op(id, 0, 32767, SEM_UNDO));
	T_OK(op(id, 0, -32767, 0));
	T_OK(op(id, 0, 1, SEM_UNDO));
	T_OK(op(id, 0, -1, 0));
	T_FAIL_ERRNO(op(id, 0, 1, SEM_UNDO), ERANGE);
	T_EQ(B->semctl(id, 0, GETVAL), 0);
	/* Without SEM_UNDO the same operation is fine. */
	T_OK(op(id, 0, 1, 0));
	T_EQ(B->semctl(id, 0, GETVAL), 1);
	/* The failed call left the adjustment where it was: -1 is fine. */
	T_OK(op(id, 0, -1, SEM_UNDO));
	T_OK(op(id, 0, 1, SEM_UNDO));
	T_FAIL_ERRNO(op(id, 0, 1, SEM_UNDO), ERANGE);

	/* Adjustment of semaphore 1 up to 32767, the highest allowed. */
	T_OK(op(id, 1, 32767, 0));
	T_OK(op(id, 1, -32767, SEM_UNDO));
	T_OK(op(id, 1, 32767, 0));
	T_FAIL_ERRNO(op(id, 1, -1, SEM_UNDO), ERANGE);
	T_EQ(B->semctl(id, 1, GETVAL), 32767);

	/* In a call of several operations nothing is applied. */
	struct sembuf ops[] = {{2, 1, SEM_UNDO}, {1, -1, SEM_UNDO}};
	T_FAIL_ERRNO(B->semop(id, ops, 2), ERANGE);
	T_EQ(B->semctl(id, 2, GETVAL), 0);
	T_EQ(B->semctl(id, 1, GETVAL), 32767);

	/* The adjustments are per semaphore: 2 starts at 0. */
	T_OK(op(id, 2, 32767, SEM_UNDO));
	return 0;
}
