/*
 * shm-ctl-shm-stat-any.c - SHM_STAT checks read permission like IPC_STAT
 * (EACCES for a second user without it), SHM_STAT_ANY does not: it answers
 * with the id and status of any segment in use at the index.
 */
#include "shm-common.h"

#include <sys/stat.h>

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);
	if (geteuid() != 0)
		t_skip("needs root to act as a second user");
	/* The second user must be able to use the namespace directory. */
	T_OK(chmod(t_dir, 01777));

	int id = T_OK(B->shmget(t_key(1), 4242, IPC_CREAT | 0600));
	int idx = index_of(id);
	T_ASSERT(idx >= 0);

	pid_t pid = t_fork();
	if (pid == 0) {
		struct shmid_ds ds;
		t_become(T_NOBODY, T_NOBODY);
		T_FAIL_ERRNO(B->shmctl(idx, SHM_STAT, &ds), EACCES);
		T_FAIL_ERRNO(B->shmctl(id, IPC_STAT, &ds), EACCES);
		memset(&ds, 0, sizeof(ds));
		/*
		 * differs from kernel (docs/DESIGN.md, "Differences"): a
		 * caller with no access cannot open an ipckit segment's file,
		 * not even for SHM_STAT_ANY.
		 */
		if (!t_kernel_serves) {
			T_FAIL_ERRNO(B->shmctl(idx, SHM_STAT_ANY, &ds),
				     EACCES);
			_exit(0);
		}
		T_EQ(B->shmctl(idx, SHM_STAT_ANY, &ds), id);
		T_EQ(ds.shm_perm.__key, t_key(1));
		T_EQ(ds.shm_perm.mode, 0600);
		T_EQ(ds.shm_perm.uid, 0);
		T_EQ(ds.shm_segsz, 4242);
		T_EQ(ds.shm_cpid, getppid());
		_exit(0);
	}
	t_wait_ok(pid);

	/* As the owner the two agree. */
	struct shmid_ds a, b;
	T_EQ(B->shmctl(idx, SHM_STAT, &a), id);
	T_EQ(B->shmctl(idx, SHM_STAT_ANY, &b), id);
	T_EQ(a.shm_segsz, b.shm_segsz);
	T_EQ(a.shm_perm.mode, b.shm_perm.mode);

	T_OK(B->shmctl(id, IPC_RMID, NULL));
	return T_EXIT_PASS;
}
