/*
 * shm-ctl-lock-perm.c - without CAP_IPC_LOCK, SHM_LOCK and SHM_UNLOCK are
 * for the owner or creator only (EPERM for anyone else), and SHM_LOCK also
 * needs a nonzero RLIMIT_MEMLOCK (EPERM with 0, while SHM_UNLOCK works).
 */
#include "helpers.h"

#include <sys/resource.h>
#include <sys/stat.h>

static int mode_of(int id)
{
	struct shmid_ds ds;
	T_OK(B->shmctl(id, IPC_STAT, &ds));
	return ds.shm_perm.mode;
}

/* As nobody with RLIMIT_MEMLOCK at `limit` bytes. */
static void become_limited(rlim_t limit)
{
	struct rlimit rl = {limit, limit};
	T_OK(setrlimit(RLIMIT_MEMLOCK, &rl));
	t_become(T_NOBODY, T_NOBODY);
}

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);
	if (geteuid() != 0)
		t_skip("needs root to act as a second user");
	/* The second user must be able to use the namespace directory. */
	T_OK(chmod(t_dir, 01777));

	int roots = T_OK(B->shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0666));
	T_OK(B->shmctl(roots, SHM_LOCK, NULL));
	int *mine = t_shared_alloc(sizeof(int));

	pid_t pid = t_fork();
	if (pid == 0) {
		become_limited(64 * 1024);
		T_FAIL_ERRNO(B->shmctl(roots, SHM_UNLOCK, NULL), EPERM);
		T_FAIL_ERRNO(B->shmctl(roots, SHM_LOCK, NULL), EPERM);
		T_EQ(mode_of(roots), SHM_LOCKED | 0666);

		*mine = T_OK(B->shmget(IPC_PRIVATE, 100, IPC_CREAT | 0600));
		T_OK(B->shmctl(*mine, SHM_LOCK, NULL));
		T_EQ(mode_of(*mine), SHM_LOCKED | 0600);
		_exit(0);
	}
	t_wait_ok(pid);
	T_EQ(mode_of(*mine), SHM_LOCKED | 0600);

	/* With RLIMIT_MEMLOCK 0: may unlock its own, not lock it. */
	pid = t_fork();
	if (pid == 0) {
		become_limited(0);
		T_OK(B->shmctl(*mine, SHM_UNLOCK, NULL));
		T_EQ(mode_of(*mine), 0600);
		T_FAIL_ERRNO(B->shmctl(*mine, SHM_LOCK, NULL), EPERM);
		T_EQ(mode_of(*mine), 0600);
		_exit(0);
	}
	t_wait_ok(pid);

	T_OK(B->shmctl(roots, IPC_RMID, NULL));
	T_OK(B->shmctl(*mine, IPC_RMID, NULL));
	return T_EXIT_PASS;
}
