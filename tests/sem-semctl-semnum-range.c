/*
 * sem-semctl-semnum-range.c - the commands on one semaphore (GETVAL,
 * SETVAL, GETNCNT, GETZCNT, GETPID) give EINVAL for a semnum outside
 * [0, nsems); the commands on the whole set ignore semnum.
 */
#include "helpers.h"

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);
	int id = T_OK(B->semget(IPC_PRIVATE, 3, 0600));
	int one[] = {GETVAL, GETNCNT, GETZCNT, GETPID};
	int bad[] = {3, 4, -1, 65535, 1 << 20};
	union semun v = {.val = 1};

	for (size_t b = 0; b < sizeof(bad) / sizeof(bad[0]); b++) {
		for (int c = 0; c < 4; c++)
			T_FAIL_ERRNO(B->semctl(id, bad[b], one[c]), EINVAL);
		T_FAIL_ERRNO(B->semctl(id, bad[b], SETVAL, v), EINVAL);
	}
	for (int c = 0; c < 4; c++)
		T_OK(B->semctl(id, 2, one[c]));
	T_OK(B->semctl(id, 2, SETVAL, v));

	unsigned short vals[3];
	union semun arr = {.array = vals};
	struct semid_ds ds;
	union semun buf = {.buf = &ds};
	T_OK(B->semctl(id, -1, GETALL, arr));
	T_EQ(vals[2], 1);
	T_OK(B->semctl(id, 3, SETALL, arr));
	T_OK(B->semctl(id, 99, IPC_STAT, buf));
	T_OK(B->semctl(id, -5, IPC_SET, buf));
	T_OK(B->semctl(id, 1 << 20, IPC_RMID));
	return 0;
}
