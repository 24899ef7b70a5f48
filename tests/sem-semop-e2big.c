/*
 * sem-semop-e2big.c - one call takes up to semopm operations (from
 * /proc/sys/kernel/sem); one more is E2BIG.
 */
#include "helpers.h"

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);
	int l[4];
	FILE *f = fopen("/proc/sys/kernel/sem", "r");
	T_ASSERT(f);
	T_EQ(fscanf(f, "%d %d %d %d", &l[0], &l[1], &l[2], &l[3]), 4);
	fclose(f);
	int opm = l[2];

	int id = T_OK(B->semget(IPC_PRIVATE, 4, 0600));
	struct sembuf *ops = calloc((size_t)opm + 1, sizeof(*ops));
	T_ASSERT(ops);
	for (int i = 0; i <= opm; i++)
		ops[i] = (struct sembuf){(unsigned short)(i % 4), 1, 0};

	T_FAIL_ERRNO(B->semop(id, ops, opm + 1), E2BIG);
	T_EQ(B->semctl(id, 0, GETVAL), 0);
	T_OK(B->semop(id, ops, opm));
	int total = 0;
	for (int i = 0; i < 4; i++)
		total += B->semctl(id, i, GETVAL);
	T_EQ(total, opm);
	free(ops);
	return 0;
}
