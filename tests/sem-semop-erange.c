/*
 * sem-semop-erange.c - an operation that would take a value above semvmx
 * (32767) fails the call with ERANGE, nothing applied. Operations are
 * judged in array order, so one that would block before it makes the call
 * block (or EAGAIN with IPC_NOWAIT) instead; and a blocked call that finds
 * its operation out of range when it is retried fails with ERANGE.
 */
#include "helpers.h"

#define SEMVMX 32767

static void setval(int id, int num, int v)
{
	union semun arg = {.val = v};
	T_OK(B->semctl(id, num, SETVAL, arg));
}

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);
	int id = T_OK(B->semget(IPC_PRIVATE, 2, 0600));

	struct sembuf up = {0, SEMVMX, 0};
	T_OK(B->semop(id, &up, 1));
	T_EQ(B->semctl(id, 0, GETVAL), SEMVMX);
	up.sem_op = 1;
	T_FAIL_ERRNO(B->semop(id, &up, 1), ERANGE);
	up.sem_flg = IPC_NOWAIT | SEM_UNDO;
	T_FAIL_ERRNO(B->semop(id, &up, 1), ERANGE);
	T_EQ(B->semctl(id, 0, GETVAL), SEMVMX);

	setval(id, 0, 32000);
	struct sembuf pair[] = {{1, 1, 0}, {0, 1000, 0}};
	T_FAIL_ERRNO(B->semop(id, pair, 2), ERANGE);
	T_EQ(B->semctl(id, 1, GETVAL), 0);
	/* Each step fits, the sum does not. */
	struct sembuf steps[] = {{0, 700, 0}, {0, 100, 0}};
	T_FAIL_ERRNO(B->semop(id, steps, 2), ERANGE);
	T_EQ(B->semctl(id, 0, GETVAL), 32000);

	/* Array order: the first operation to fail decides. */
	setval(id, 0, SEMVMX);
	struct sembuf block_first[] = {{1, -1, IPC_NOWAIT}, {0, 1, 0}};
	T_FAIL_ERRNO(B->semop(id, block_first, 2), EAGAIN);
	struct sembuf range_first[] = {{0, 1, 0}, {1, -1, IPC_NOWAIT}};
	T_FAIL_ERRNO(B->semop(id, range_first, 2), ERANGE);

	/* Blocked on 1; once 1 is free, 0 is out of range. */
	pid_t pid = t_fork();
	if (pid == 0) {
		struct sembuf ops[] = {{1, -1, 0}, {0, 1, 0}};
		struct timespec ts = t_ms((long)(5000 * t_time_mult()));
		T_FAIL_ERRNO(B->semtimedop(id, ops, 2, &ts), ERANGE);
		_exit(0);
	}
	t_wait_blocked(pid);
	T_EQ(B->semctl(id, 1, GETNCNT), 1);
	struct sembuf free1 = {1, 1, 0};
	T_OK(B->semop(id, &free1, 1));
	t_wait_ok(pid);
	T_EQ(B->semctl(id, 0, GETVAL), SEMVMX);
	T_EQ(B->semctl(id, 1, GETVAL), 1);
	T_EQ(B->semctl(id, 1, GETNCNT), 0);
	return 0;
}
