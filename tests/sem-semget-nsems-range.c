/*
 * sem-semget-nsems-range.c - semget refuses nsems below 0 or above semmsl
 * with EINVAL, before it looks at the key, and accepts semmsl itself.
 */
#include "helpers.h"

#include <limits.h>

static int limit_semmsl(void)
{
	int msl = 0;
	FILE *f = fopen("/proc/sys/kernel/sem", "r");
	T_ASSERT(f);
	T_EQ(fscanf(f, "%d", &msl), 1);
	fclose(f);
	return msl;
}

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);
	int msl = limit_semmsl();

	T_FAIL_ERRNO(B->semget(IPC_PRIVATE, -1, IPC_CREAT | 0600), EINVAL);
	T_FAIL_ERRNO(B->semget(IPC_PRIVATE, msl + 1, IPC_CREAT | 0600), EINVAL);
	T_FAIL_ERRNO(B->semget(t_key(1), -1, IPC_CREAT | 0600), EINVAL);
	T_FAIL_ERRNO(B->semget(t_key(1), msl + 1, IPC_CREAT | 0600), EINVAL);
	T_FAIL_ERRNO(B->semget(t_key(1), INT_MIN, IPC_CREAT | 0600), EINVAL);
	/* Nothing was made under the key. */
	T_FAIL_ERRNO(B->semget(t_key(1), 1, 0), ENOENT);

	/* The range comes first: an existing key does not change it. */
	int id = T_OK(B->semget(t_key(2), 1, IPC_CREAT | 0600));
	T_FAIL_ERRNO(B->semget(t_key(2), -1, 0), EINVAL);
	T_FAIL_ERRNO(B->semget(t_key(2), msl + 1, 0), EINVAL);
	T_FAIL_ERRNO(B->semget(t_key(2), msl + 1, IPC_CREAT | IPC_EXCL | 0600),
		     EINVAL);
	T_EQ(B->semget(t_key(2), 1, 0), id);

	/* semmsl itself is allowed. */
	int big = T_OK(B->semget(IPC_PRIVATE, msl, 0600));
	struct semid_ds ds;
	union semun arg = {.buf = &ds};
	T_OK(B->semctl(big, 0, IPC_STAT, arg));
	T_EQ(ds.sem_nsems, msl);
	T_EQ(B->semctl(big, msl - 1, GETVAL), 0);
	T_FAIL_ERRNO(B->semctl(big, msl, GETVAL), EINVAL);
	T_OK(B->semctl(big, 0, IPC_RMID));
	T_OK(B->semctl(id, 0, IPC_RMID));
	return 0;
}
