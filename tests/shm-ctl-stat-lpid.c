/*
 * shm-ctl-stat-lpid.c - shm_lpid and shm_dtime as the kernel keeps them
 * across process events: fork() of an attached process counts as an attach
 * by the parent (the kernel copies the mapping in the parent's context);
 * a child's attachments dropped by its exit or by SIGKILL name the child,
 * with shm_dtime set then. Read after waitpid, never assuming timing.
 */
#include "helpers.h"

#include <signal.h>

static struct shmid_ds stat_of(int id)
{
	struct shmid_ds ds;
	T_OK(B->shmctl(id, IPC_STAT, &ds));
	return ds;
}

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);
	struct t_barrier *bar = t_barrier_create(2);

	int id = T_OK(B->shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600));
	T_OK(B->shmat(id, NULL, 0));

	/* fork: the parent is the last to have attached. */
	pid_t pid = t_fork();
	if (pid == 0) {
		t_barrier_wait(bar); /* forked */
		t_barrier_wait(bar); /* parent looked */
		_exit(0);
	}
	t_barrier_wait(bar);
	struct shmid_ds ds = stat_of(id);
	T_EQ(ds.shm_nattch, 2);
	T_EQ(ds.shm_lpid, getpid());
	T_EQ(ds.shm_dtime, 0);
	time_t t0 = time(NULL);
	t_barrier_wait(bar);
	t_wait_ok(pid);

	/*
	 * exit: the child detached last. ipckit sets the time when IPC_STAT
	 * reaps the dead child, so t1 is taken after it.
	 */
	ds = stat_of(id);
	time_t t1 = time(NULL);
	T_EQ(ds.shm_nattch, 1);
	T_EQ(ds.shm_lpid, pid);
	T_ASSERT(ds.shm_dtime >= t0 && ds.shm_dtime <= t1);

	/* SIGKILL: the dead child detached last. */
	pid = t_fork();
	if (pid == 0) {
		T_OK(B->shmat(id, NULL, 0));
		t_barrier_wait(bar);
		for (;;)
			pause();
	}
	t_barrier_wait(bar);
	ds = stat_of(id);
	T_EQ(ds.shm_nattch, 3);
	t0 = time(NULL);
	T_OK(kill(pid, SIGKILL));
	T_EQ(t_wait_signal(pid), SIGKILL);
	ds = stat_of(id);
	t1 = time(NULL);
	T_EQ(ds.shm_nattch, 1);
	T_EQ(ds.shm_lpid, pid);
	T_ASSERT(ds.shm_dtime >= t0 && ds.shm_dtime <= t1);

	T_OK(B->shmctl(id, IPC_RMID, NULL));
	return T_EXIT_PASS;
}
