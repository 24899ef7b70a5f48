/*
 * shm-nattch-fork-fails.c - a fork() that fails (EAGAIN at RLIMIT_NPROC)
 * attaches nothing: shm_nattch, shm_lpid and shm_atime stay as they were,
 * in the process that tried and after it ends.
 */
#include "helpers.h"

#include <sys/resource.h>
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
	/* The other user must be able to use the namespace directory. */
	T_OK(chmod(t_dir, 01777));

	int id = T_OK(B->shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0666));
	pid_t pid = t_fork();
	if (pid == 0) {
		/* Root's forks ignore RLIMIT_NPROC: become another user. */
		if (geteuid() == 0)
			t_become(T_NOBODY, T_NOBODY);
		T_OK(B->shmat(id, NULL, 0));
		T_OK(B->shmat(id, NULL, SHM_RDONLY));
		struct shmid_ds before = stat_of(id);
		T_EQ(before.shm_nattch, 2);
		struct rlimit none = {0, 0};
		T_OK(setrlimit(RLIMIT_NPROC, &none));
		T_FAIL_ERRNO(fork(), EAGAIN);
		struct shmid_ds after = stat_of(id);
		T_EQ(after.shm_nattch, 2);
		T_EQ(after.shm_lpid, before.shm_lpid);
		T_EQ(after.shm_atime, before.shm_atime);
		_exit(0);
	}
	t_wait_ok(pid);
	T_EQ(stat_of(id).shm_nattch, 0);
	T_OK(B->shmctl(id, IPC_RMID, NULL));
	return T_EXIT_PASS;
}
