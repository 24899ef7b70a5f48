/*
 * shm-ctl-stat-eacces.c - IPC_STAT needs read permission: a second user
 * gets EACCES where the mode gives it no read bit (write alone is not
 * enough) and the full status where it does.
 */
#include "helpers.h"

#include <sys/stat.h>

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);
	if (geteuid() != 0)
		t_skip("needs root to act as a second user");
	/* The second user must be able to use the namespace directory. */
	T_OK(chmod(t_dir, 01777));

	int none = T_OK(B->shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600));
	int wo = T_OK(B->shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0602));
	int ro = T_OK(B->shmget(IPC_PRIVATE, 777, IPC_CREAT | 0604));
	int grp = T_OK(B->shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0640));

	pid_t pid = t_fork();
	if (pid == 0) {
		struct shmid_ds ds;
		t_become(T_NOBODY, T_NOBODY);
		T_FAIL_ERRNO(B->shmctl(none, IPC_STAT, &ds), EACCES);
		T_FAIL_ERRNO(B->shmctl(wo, IPC_STAT, &ds), EACCES);
		T_FAIL_ERRNO(B->shmctl(grp, IPC_STAT, &ds), EACCES);
		T_EQ(B->shmctl(ro, IPC_STAT, &ds), 0);
		T_EQ(ds.shm_segsz, 777);
		T_EQ(ds.shm_perm.uid, 0);
		T_EQ(ds.shm_perm.mode, 0604);
		_exit(0);
	}
	t_wait_ok(pid);

	pid = t_fork();
	if (pid == 0) {
		struct shmid_ds ds;
		t_become(T_NOBODY, 0);
		T_OK(B->shmctl(grp, IPC_STAT, &ds));
		T_FAIL_ERRNO(B->shmctl(none, IPC_STAT, &ds), EACCES);
		_exit(0);
	}
	t_wait_ok(pid);

	T_OK(B->shmctl(none, IPC_RMID, NULL));
	T_OK(B->shmctl(wo, IPC_RMID, NULL));
	T_OK(B->shmctl(ro, IPC_RMID, NULL));
	T_OK(B->shmctl(grp, IPC_RMID, NULL));
	return T_EXIT_PASS;
}
