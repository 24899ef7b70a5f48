/*
 * shm-ctl-set.c - IPC_SET changes the owner uid and gid and the nine
 * permission bits of the mode, and shm_ctime; nothing else (not the
 * creator, size, counts, times, nor SHM_DEST or SHM_LOCKED). The owner may
 * give the segment away; anyone else gets EPERM.
 */
#include "helpers.h"

#include <sys/stat.h>

static struct shmid_ds stat_of(int id)
{
	struct shmid_ds ds;
	T_OK(B->shmctl(id, IPC_STAT, &ds));
	return ds;
}

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);
	if (geteuid() != 0)
		t_skip("needs root to act as a second user");
	/* The second user must be able to use the namespace directory. */
	T_OK(chmod(t_dir, 01777));

	int id = T_OK(B->shmget(t_key(1), 100, IPC_CREAT | 0600));
	T_OK(B->shmctl(id, SHM_LOCK, NULL));
	struct shmid_ds before = stat_of(id);

	struct shmid_ds ds = before;
	ds.shm_perm.uid = T_NOBODY;
	ds.shm_perm.gid = T_NOBODY;
	ds.shm_perm.mode = 0177640; /* only 0640 may be taken */
	ds.shm_perm.cuid = 1;
	ds.shm_perm.cgid = 1;
	ds.shm_perm.__key = 1;
	ds.shm_segsz = 1;
	ds.shm_nattch = 9;
	ds.shm_cpid = 1;
	ds.shm_lpid = 1;
	ds.shm_atime = 1;
	ds.shm_dtime = 1;
	ds.shm_ctime = 1;
	time_t t0 = time(NULL);
	T_EQ(B->shmctl(id, IPC_SET, &ds), 0);
	time_t t1 = time(NULL);

	ds = stat_of(id);
	T_EQ(ds.shm_perm.uid, T_NOBODY);
	T_EQ(ds.shm_perm.gid, T_NOBODY);
	T_EQ(ds.shm_perm.mode, SHM_LOCKED | 0640);
	T_EQ(ds.shm_perm.cuid, 0);
	T_EQ(ds.shm_perm.cgid, 0);
	T_EQ(ds.shm_perm.__key, t_key(1));
	T_EQ(ds.shm_segsz, 100);
	T_EQ(ds.shm_nattch, 0);
	T_EQ(ds.shm_cpid, getpid());
	T_EQ(ds.shm_lpid, 0);
	T_EQ(ds.shm_atime, 0);
	T_EQ(ds.shm_dtime, 0);
	T_ASSERT(ds.shm_ctime >= t0 && ds.shm_ctime <= t1);
	T_OK(B->shmctl(id, SHM_UNLOCK, NULL));

	/* Neither owner nor creator: EPERM, and nothing changes. */
	pid_t pid = t_fork();
	if (pid == 0) {
		struct shmid_ds mine;
		t_become(T_NOBODY - 1, T_NOBODY);
		T_OK(B->shmctl(id, IPC_STAT, &mine)); /* group may read */
		mine.shm_perm.mode = 0666;
		T_FAIL_ERRNO(B->shmctl(id, IPC_SET, &mine), EPERM);
		_exit(0);
	}
	t_wait_ok(pid);
	T_EQ(stat_of(id).shm_perm.mode, 0640);

	/* The new owner uses its rights, then gives the segment back. */
	pid = t_fork();
	if (pid == 0) {
		struct shmid_ds mine;
		t_become(T_NOBODY, T_NOBODY);
		char *p = T_OK(B->shmat(id, NULL, 0));
		p[0] = 1;
		T_OK(B->shmdt(p));
		T_OK(B->shmctl(id, IPC_STAT, &mine));
		mine.shm_perm.mode = 0604;
		T_OK(B->shmctl(id, IPC_SET, &mine));
		T_EQ(stat_of(id).shm_perm.mode, 0604);
		mine.shm_perm.uid = 0;
		mine.shm_perm.gid = 0;
		mine.shm_perm.mode = 0600;
		T_OK(B->shmctl(id, IPC_SET, &mine));
		/* No longer the owner: no more rights. */
		T_FAIL_ERRNO(B->shmctl(id, IPC_STAT, &mine), EACCES);
		T_FAIL_ERRNO(B->shmctl(id, IPC_SET, &mine), EPERM);
		_exit(0);
	}
	t_wait_ok(pid);
	ds = stat_of(id);
	T_EQ(ds.shm_perm.uid, 0);
	T_EQ(ds.shm_perm.gid, 0);
	T_EQ(ds.shm_perm.mode, 0600);

	T_OK(B->shmctl(id, IPC_RMID, NULL));
	return T_EXIT_PASS;
}
