/*
 * shm-ctl-stat-attach.c - IPC_STAT after attach and detach: shmat counts in
 * shm_nattch and sets shm_atime and shm_lpid to its caller; shmdt uncounts
 * and sets shm_dtime and shm_lpid; neither touches the other time, the
 * creator or shm_ctime.
 */
#include "helpers.h"

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
	struct shmid_ds made = stat_of(id);

	time_t t0 = time(NULL);
	char *a = T_OK(B->shmat(id, NULL, 0));
	time_t t1 = time(NULL);
	struct shmid_ds ds = stat_of(id);
	T_EQ(ds.shm_nattch, 1);
	T_EQ(ds.shm_lpid, getpid());
	T_EQ(ds.shm_cpid, getpid());
	T_ASSERT(ds.shm_atime >= t0 && ds.shm_atime <= t1);
	T_EQ(ds.shm_dtime, 0);
	T_EQ(ds.shm_ctime, made.shm_ctime);
	time_t atime = ds.shm_atime;

	t0 = time(NULL);
	T_OK(B->shmdt(a));
	t1 = time(NULL);
	ds = stat_of(id);
	T_EQ(ds.shm_nattch, 0);
	T_EQ(ds.shm_lpid, getpid());
	T_EQ(ds.shm_atime, atime);
	T_ASSERT(ds.shm_dtime >= t0 && ds.shm_dtime <= t1);
	T_EQ(ds.shm_ctime, made.shm_ctime);

	/* Another process's attach and detach name it in shm_lpid. */
	pid_t pid = t_fork();
	if (pid == 0) {
		char *c = T_OK(B->shmat(id, NULL, 0));
		t_barrier_wait(bar); /* attached */
		t_barrier_wait(bar); /* parent looked */
		T_OK(B->shmdt(c));
		t_barrier_wait(bar); /* detached */
		t_barrier_wait(bar); /* parent looked */
		_exit(0);
	}
	t_barrier_wait(bar);
	ds = stat_of(id);
	T_EQ(ds.shm_nattch, 1);
	T_EQ(ds.shm_lpid, pid);
	T_EQ(ds.shm_cpid, getpid());
	t_barrier_wait(bar);
	t_barrier_wait(bar);
	ds = stat_of(id);
	T_EQ(ds.shm_nattch, 0);
	T_EQ(ds.shm_lpid, pid);
	t_barrier_wait(bar);
	t_wait_ok(pid);

	T_OK(B->shmctl(id, IPC_RMID, NULL));
	return T_EXIT_PASS;
}
