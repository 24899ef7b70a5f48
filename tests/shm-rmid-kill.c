/*
 * shm-rmid-kill.c - a removed segment whose last attach belongs to a
 * process killed by SIGKILL is gone once that process is: IPC_STAT after
 * waitpid is EINVAL (ipckit must notice the death itself, before it
 * answers), and the key was free all along.
 */
#include "helpers.h"

#include <signal.h>

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);
	struct t_barrier *bar = t_barrier_create(2);
	struct shmid_ds ds;

	int id = T_OK(B->shmget(t_key(1), 1 << 20, IPC_CREAT | 0600));
	pid_t pid = t_fork();
	if (pid == 0) {
		char *a = T_OK(B->shmat(id, NULL, 0));
		char *b = T_OK(B->shmat(id, NULL, SHM_RDONLY));
		memset(a, 7, 1 << 20);
		T_EQ(b[12345], 7);
		t_barrier_wait(bar);
		for (;;)
			pause();
	}
	t_barrier_wait(bar);
	T_OK(B->shmctl(id, IPC_RMID, NULL));
	T_OK(B->shmctl(id, IPC_STAT, &ds));
	T_EQ(ds.shm_nattch, 2);
	T_EQ(ds.shm_perm.mode, SHM_DEST | 0600);
	T_FAIL_ERRNO(B->shmget(t_key(1), 0, 0), ENOENT);

	T_OK(kill(pid, SIGKILL));
	T_EQ(t_wait_signal(pid), SIGKILL);
	T_FAIL_ERRNO(B->shmctl(id, IPC_STAT, &ds), EINVAL);
	T_FAIL_ERRNO(B->shmat(id, NULL, 0), EINVAL);
	T_FAIL_ERRNO(B->shmget(t_key(1), 0, 0), ENOENT);
	return T_EXIT_PASS;
}
