/*
 * shm-nattch-attach.c - shm_nattch counts every attach exactly: each shmat
 * (read-write or read-only, same process or another) adds one, each shmdt
 * takes one off, failed calls change nothing.
 */
#include "helpers.h"

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);
	struct t_barrier *bar = t_barrier_create(2);
	char *p[5];

	int id = T_OK(B->shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600));
	T_EQ(t_shm_nattch(id), 0);
	for (int i = 0; i < 5; i++) {
		p[i] = T_OK(B->shmat(id, NULL, i % 2 ? SHM_RDONLY : 0));
		T_EQ(t_shm_nattch(id), i + 1);
	}
	T_FAIL_ERRNO(B->shmat(id, p[0], 0), EINVAL);
	T_FAIL_ERRNO(B->shmdt(p[0] + 1), EINVAL);
	T_EQ(t_shm_nattch(id), 5);

	/* A second process's own attaches add to the same count. */
	pid_t pid = t_fork();
	if (pid == 0) {
		for (int i = 0; i < 5; i++)
			T_OK(B->shmdt(p[i]));
		T_EQ(t_shm_nattch(id), 5); /* the parent's five remain */
		char *a = T_OK(B->shmat(id, NULL, 0));
		char *b = T_OK(B->shmat(id, NULL, 0));
		t_barrier_wait(bar); /* attached */
		t_barrier_wait(bar); /* parent looked */
		T_OK(B->shmdt(a));
		T_OK(B->shmdt(b));
		t_barrier_wait(bar); /* detached */
		t_barrier_wait(bar);
		_exit(0);
	}
	t_barrier_wait(bar);
	T_EQ(t_shm_nattch(id), 7);
	t_barrier_wait(bar);
	t_barrier_wait(bar);
	T_EQ(t_shm_nattch(id), 5);
	t_barrier_wait(bar);
	t_wait_ok(pid);

	for (int i = 4; i >= 0; i--) {
		T_OK(B->shmdt(p[i]));
		T_EQ(t_shm_nattch(id), i);
	}
	T_OK(B->shmctl(id, IPC_RMID, NULL));
	return T_EXIT_PASS;
}
