/*
 * shm-ctl-stat-new.c - IPC_STAT of a new segment: key, owner and creator
 * are the caller's, mode is the nine permission bits asked for, shm_segsz
 * the size asked for, shm_cpid the creator (also when it has exited), no
 * attach yet (nattch, lpid, atime, dtime all 0) and shm_ctime the time of
 * creation.
 */
#include "helpers.h"

static void check_new(key_t key, int mode, pid_t creator, time_t t0, time_t t1,
		      int id)
{
	struct shmid_ds ds;
	memset(&ds, 0x5a, sizeof(ds));
	T_EQ(B->shmctl(id, IPC_STAT, &ds), 0);
	T_EQ(ds.shm_perm.__key, key);
	T_EQ(ds.shm_perm.uid, geteuid());
	T_EQ(ds.shm_perm.gid, getegid());
	T_EQ(ds.shm_perm.cuid, geteuid());
	T_EQ(ds.shm_perm.cgid, getegid());
	T_EQ(ds.shm_perm.mode, mode);
	T_EQ(ds.shm_segsz, 12345);
	T_EQ(ds.shm_nattch, 0);
	T_EQ(ds.shm_cpid, creator);
	T_EQ(ds.shm_lpid, 0);
	T_EQ(ds.shm_atime, 0);
	T_EQ(ds.shm_dtime, 0);
	T_ASSERT(ds.shm_ctime >= t0 && ds.shm_ctime <= t1);
}

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);

	time_t t0 = time(NULL);
	int id = T_OK(B->shmget(t_key(1), 12345, IPC_CREAT | IPC_EXCL | 0640));
	/* Flag bits above the permissions are not part of the mode. */
	int priv =
	    T_OK(B->shmget(IPC_PRIVATE, 12345, IPC_CREAT | IPC_EXCL | 0777));
	time_t t1 = time(NULL);
	check_new(t_key(1), 0640, getpid(), t0, t1, id);
	check_new(IPC_PRIVATE, 0777, getpid(), t0, t1, priv);

	/* Made by a child that is gone by the time we look. */
	int *child_id = t_shared_alloc(sizeof(int));
	t0 = time(NULL);
	pid_t pid = t_fork();
	if (pid == 0) {
		*child_id = T_OK(B->shmget(t_key(2), 12345, IPC_CREAT | 0604));
		_exit(0);
	}
	t_wait_ok(pid);
	t1 = time(NULL);
	check_new(t_key(2), 0604, pid, t0, t1, *child_id);

	T_OK(B->shmctl(id, IPC_RMID, NULL));
	T_OK(B->shmctl(priv, IPC_RMID, NULL));
	T_OK(B->shmctl(*child_id, IPC_RMID, NULL));
	return T_EXIT_PASS;
}
