/*
 * shm-rmid-deferred.c - a removed segment lives until its last attach goes,
 * whichever process holds it and however it goes (shmdt, exit, an attach
 * inherited through fork); then the id is gone (IPC_STAT, shmat: EINVAL).
 * Removed while unattached, it goes at once.
 */
#include "helpers.h"

static void check_gone(int id)
{
	struct shmid_ds ds;
	T_FAIL_ERRNO(B->shmctl(id, IPC_STAT, &ds), EINVAL);
	T_FAIL_ERRNO(B->shmat(id, NULL, 0), EINVAL);
}

static void check_dest(int id, unsigned long nattch)
{
	struct shmid_ds ds;
	T_OK(B->shmctl(id, IPC_STAT, &ds));
	T_EQ(ds.shm_perm.mode & SHM_DEST, SHM_DEST);
	T_EQ(ds.shm_nattch, nattch);
}

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);
	struct t_barrier *bar = t_barrier_create(2);

	/* Unattached: gone at once. */
	int id = T_OK(B->shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600));
	T_OK(B->shmctl(id, IPC_RMID, NULL));
	check_gone(id);

	/* Once attached and detached, then removed: gone at once too. */
	id = T_OK(B->shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600));
	char *p = T_OK(B->shmat(id, NULL, 0));
	T_OK(B->shmdt(p));
	T_OK(B->shmctl(id, IPC_RMID, NULL));
	check_gone(id);

	/* The remover detaches first; a child's shmdt is the last. */
	id = T_OK(B->shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600));
	p = T_OK(B->shmat(id, NULL, 0));
	pid_t pid = t_fork();
	if (pid == 0) {
		T_OK(B->shmdt(p));
		char *c = T_OK(B->shmat(id, NULL, 0));
		t_barrier_wait(bar); /* attached */
		t_barrier_wait(bar); /* parent removed and detached */
		T_OK(B->shmdt(c));
		t_barrier_wait(bar); /* detached */
		t_barrier_wait(bar); /* parent checked */
		_exit(0);
	}
	t_barrier_wait(bar);
	T_OK(B->shmctl(id, IPC_RMID, NULL));
	check_dest(id, 2);
	T_OK(B->shmdt(p));
	check_dest(id, 1);
	t_barrier_wait(bar);
	t_barrier_wait(bar);
	check_gone(id);
	t_barrier_wait(bar);
	t_wait_ok(pid);

	/* Removed before fork; the child's inherited attach outlives ours. */
	id = T_OK(B->shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600));
	p = T_OK(B->shmat(id, NULL, 0));
	T_OK(B->shmctl(id, IPC_RMID, NULL));
	pid = t_fork();
	if (pid == 0) {
		t_barrier_wait(bar); /* forked */
		t_barrier_wait(bar); /* parent detached */
		T_ASSERT(strcmp(p, "still here") == 0);
		_exit(0);
	}
	t_barrier_wait(bar);
	check_dest(id, 2);
	strcpy(p, "still here");
	T_OK(B->shmdt(p));
	check_dest(id, 1);
	t_barrier_wait(bar);
	t_wait_ok(pid);
	check_gone(id);
	return T_EXIT_PASS;
}
