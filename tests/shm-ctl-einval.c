/*
 * shm-ctl-einval.c - shmctl fails with EINVAL for an unknown command, for
 * a negative id with any command (even IPC_INFO and SHM_INFO, which
 * otherwise ignore it), and for the id of a removed segment; the id and
 * command are checked before the buffer is used.
 */
#include "helpers.h"

#include <limits.h>

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);
	struct shmid_ds ds;
	static const int bad_cmds[] = {-1, 4, 5, 10, 16, 999, INT_MAX, INT_MIN};
	static const int cmds[] = {IPC_STAT,	 IPC_SET,  IPC_RMID,
				   IPC_INFO,	 SHM_INFO, SHM_STAT,
				   SHM_STAT_ANY, SHM_LOCK, SHM_UNLOCK};

	int id = T_OK(B->shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600));
	for (size_t i = 0; i < sizeof(bad_cmds) / sizeof(bad_cmds[0]); i++) {
		T_FAIL_ERRNO(B->shmctl(id, bad_cmds[i], &ds), EINVAL);
		T_FAIL_ERRNO(B->shmctl(id, bad_cmds[i], NULL), EINVAL);
	}
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		T_FAIL_ERRNO(B->shmctl(-1, cmds[i], &ds), EINVAL);
		T_FAIL_ERRNO(B->shmctl(INT_MIN, cmds[i], &ds), EINVAL);
	}

	T_OK(B->shmctl(id, IPC_RMID, NULL));
	T_FAIL_ERRNO(B->shmctl(id, IPC_STAT, &ds), EINVAL);
	T_FAIL_ERRNO(B->shmctl(id, IPC_STAT, NULL), EINVAL);
	T_FAIL_ERRNO(B->shmctl(id, IPC_RMID, NULL), EINVAL);
	T_FAIL_ERRNO(B->shmctl(id, SHM_LOCK, NULL), EINVAL);
	T_FAIL_ERRNO(B->shmctl(id, SHM_UNLOCK, NULL), EINVAL);
	memset(&ds, 0, sizeof(ds));
	ds.shm_perm.mode = 0600;
	T_FAIL_ERRNO(B->shmctl(id, IPC_SET, &ds), EINVAL);
	return T_EXIT_PASS;
}
