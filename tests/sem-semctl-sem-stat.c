/*
 * sem-semctl-sem-stat.c - SEM_STAT takes an index instead of an id: walking
 * the indices from 0 to the highest one IPC_INFO returns finds the set
 * exactly once, returning its id and filling its semid_ds, until it is
 * removed. Which index holds it is not part of the test.
 */
#include "helpers.h"

/* How many times the walk meets `id`; fills *found from the last one. */
static int walk(int id, struct semid_ds *found)
{
	struct seminfo si;
	union semun info = {.__buf = &si};
	int max = T_OK(B->semctl(0, 0, IPC_INFO, info));
	int hits = 0;
	for (int i = 0; i <= max; i++) {
		struct semid_ds ds;
		union semun arg = {.buf = &ds};
		errno = 0;
		int r = B->semctl(i, 0, SEM_STAT, arg);
		if (r == id) {
			hits++;
			*found = ds;
		} else if (r < 0) {
			/* Empty slots, or other users' sets on the kernel. */
			T_ASSERT(errno == EINVAL || errno == EACCES);
		}
	}
	return hits;
}

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);
	key_t key = t_key(1);
	int id = T_OK(B->semget(key, 3, IPC_CREAT | 0640));
	int other = T_OK(B->semget(IPC_PRIVATE, 1, 0600));

	struct semid_ds ds;
	T_EQ(walk(id, &ds), 1);
	T_EQ(ds.sem_perm.__key, key);
	T_EQ(ds.sem_perm.mode, 0640);
	T_EQ(ds.sem_nsems, 3);
	T_EQ(walk(other, &ds), 1);
	T_EQ(ds.sem_nsems, 1);

	T_OK(B->semctl(id, 0, IPC_RMID));
	T_EQ(walk(id, &ds), 0);
	T_EQ(walk(other, &ds), 1);
	return 0;
}
