/*
 * shm-ctl-shm-stat.c - SHM_STAT takes an index, not an id: walking every
 * index from 0 to the highest in use (SHM_INFO's return value) finds each
 * of our segments exactly once, answering with its id and the status
 * IPC_STAT gives; a removed segment is no longer found. Index numbers
 * themselves differ between back ends and are not checked.
 */
#include "shm-common.h"

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);
	int ids[3];
	struct shmid_ds ds, want;

	for (int i = 0; i < 3; i++)
		ids[i] = T_OK(B->shmget(t_key(i), 1000 + i, IPC_CREAT | 0600));
	char *p = T_OK(B->shmat(ids[1], NULL, 0));

	int idx[3];
	for (int i = 0; i < 3; i++) {
		idx[i] = index_of(ids[i]);
		T_ASSERT(idx[i] >= 0);
		for (int j = 0; j < i; j++)
			T_ASSERT(idx[i] != idx[j]);
		T_EQ(B->shmctl(idx[i], SHM_STAT, &ds), ids[i]);
		T_OK(B->shmctl(ids[i], IPC_STAT, &want));
		T_EQ(ds.shm_perm.__key, t_key(i));
		T_EQ(ds.shm_perm.mode, want.shm_perm.mode);
		T_EQ(ds.shm_perm.uid, want.shm_perm.uid);
		T_EQ(ds.shm_segsz, 1000 + i);
		T_EQ(ds.shm_nattch, i == 1);
		T_EQ(ds.shm_cpid, want.shm_cpid);
		T_EQ(ds.shm_lpid, want.shm_lpid);
		T_EQ(ds.shm_atime, want.shm_atime);
		T_EQ(ds.shm_ctime, want.shm_ctime);
	}

	/* Gone from the walk once removed; still there while attached. */
	T_OK(B->shmctl(ids[0], IPC_RMID, NULL));
	T_OK(B->shmctl(ids[1], IPC_RMID, NULL));
	T_EQ(index_of(ids[0]), -1);
	T_EQ(index_of(ids[1]), idx[1]);
	T_EQ(B->shmctl(idx[1], SHM_STAT, &ds), ids[1]);
	T_EQ(ds.shm_perm.mode, SHM_DEST | 0600);
	T_OK(B->shmdt(p));
	T_EQ(index_of(ids[1]), -1);
	T_EQ(index_of(ids[2]), idx[2]);

	T_OK(B->shmctl(ids[2], IPC_RMID, NULL));
	return T_EXIT_PASS;
}
