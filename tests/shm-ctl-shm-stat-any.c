/*
 * shm-ctl-shm-stat-any.c - SHM_STAT checks read permission like IPC_STAT
 * (EACCES for a second user without it), SHM_STAT_ANY does not: it answers
 * with the id and status of any segment in use at the index.
 */
#include "shm-common.h"

#include <grp.h>
#include <sys/stat.h>

#define NOBODY 65534

/*
 * Becomes another user for good: no supplementary groups, and real,
 * effective and saved ids all changed, so no privilege is left.
 */
static void become(uid_t uid, gid_t gid)
{
	if (setgroups(0, NULL) < 0 || setresgid(gid, gid, gid) < 0 ||
	    setresuid(uid, uid, uid) < 0)
		t_fail(__FILE__, __LINE__, "becoming %d:%d: %s", (int)uid,
		       (int)gid, strerror(errno));
}

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
		become(NOBODY, NOBODY);
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
