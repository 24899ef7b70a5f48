/*
 * sem-semget-initial.c - a new set starts with every value, sempid, count
 * and sem_otime at 0, and IPC_STAT shows its key, owner, creator, mode
 * (the low 9 bits of semflg), size and creation time.
 */
#include "helpers.h"

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);
	key_t key = t_key(1);
	time_t before = time(NULL);
	int id = T_OK(B->semget(key, 5, IPC_CREAT | IPC_EXCL | 0751));
	time_t after = time(NULL);

	unsigned short vals[6] = {1, 1, 1, 1, 1, 77};
	union semun arg = {.array = vals};
	T_OK(B->semctl(id, 0, GETALL, arg));
	for (int i = 0; i < 5; i++) {
		T_EQ(vals[i], 0);
		T_EQ(B->semctl(id, i, GETVAL), 0);
		T_EQ(B->semctl(id, i, GETPID), 0);
		T_EQ(B->semctl(id, i, GETNCNT), 0);
		T_EQ(B->semctl(id, i, GETZCNT), 0);
	}
	/* GETALL writes nsems values, no more. */
	T_EQ(vals[5], 77);

	struct semid_ds ds;
	memset(&ds, 0xa5, sizeof(ds));
	arg.buf = &ds;
	T_OK(B->semctl(id, 0, IPC_STAT, arg));
	T_EQ(ds.sem_perm.__key, key);
	T_EQ(ds.sem_perm.uid, geteuid());
	T_EQ(ds.sem_perm.gid, getegid());
	T_EQ(ds.sem_perm.cuid, geteuid());
	T_EQ(ds.sem_perm.cgid, getegid());
	T_EQ(ds.sem_perm.mode, 0751);
	T_EQ(ds.sem_nsems, 5);
	T_EQ(ds.sem_otime, 0);
	T_ASSERT(ds.sem_ctime >= before && ds.sem_ctime <= after);
	return 0;
}
