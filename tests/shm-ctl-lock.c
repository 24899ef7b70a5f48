/*
 * shm-ctl-lock.c - SHM_LOCK and SHM_UNLOCK (as root) set and clear
 * SHM_LOCKED in shm_perm.mode, each any number of times, on attached and
 * removed segments too, without touching the data or the other bits.
 */
#include "helpers.h"

static int mode_of(int id)
{
	struct shmid_ds ds;
	T_OK(B->shmctl(id, IPC_STAT, &ds));
	return ds.shm_perm.mode;
}

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);
	if (geteuid() != 0)
		t_skip("SHM_LOCK of any size needs root (CAP_IPC_LOCK)");

	int id = T_OK(B->shmget(IPC_PRIVATE, 8192, IPC_CREAT | 0640));
	T_EQ(mode_of(id), 0640);
	T_EQ(B->shmctl(id, SHM_LOCK, NULL), 0);
	T_EQ(mode_of(id), SHM_LOCKED | 0640);
	T_EQ(B->shmctl(id, SHM_LOCK, NULL), 0);
	T_EQ(mode_of(id), SHM_LOCKED | 0640);
	T_EQ(B->shmctl(id, SHM_UNLOCK, NULL), 0);
	T_EQ(mode_of(id), 0640);
	T_EQ(B->shmctl(id, SHM_UNLOCK, NULL), 0);
	T_EQ(mode_of(id), 0640);

	char *p = T_OK(B->shmat(id, NULL, 0));
	strcpy(p, "locked");
	T_OK(B->shmctl(id, SHM_LOCK, NULL));
	T_OK(B->shmctl(id, IPC_RMID, NULL));
	T_EQ(mode_of(id), SHM_DEST | SHM_LOCKED | 0640);
	T_OK(B->shmctl(id, SHM_UNLOCK, NULL));
	T_EQ(mode_of(id), SHM_DEST | 0640);
	T_OK(B->shmctl(id, SHM_LOCK, NULL));
	T_EQ(mode_of(id), SHM_DEST | SHM_LOCKED | 0640);
	T_ASSERT(strcmp(p, "locked") == 0);

	/* Seen by another process as well. */
	pid_t pid = t_fork();
	if (pid == 0) {
		T_EQ(mode_of(id), SHM_DEST | SHM_LOCKED | 0640);
		_exit(0);
	}
	t_wait_ok(pid);

	T_OK(B->shmdt(p));
	T_FAIL_ERRNO(B->shmctl(id, SHM_LOCK, NULL), EINVAL);
	T_FAIL_ERRNO(B->shmctl(id, SHM_UNLOCK, NULL), EINVAL);
	return T_EXIT_PASS;
}
