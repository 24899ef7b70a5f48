/*
 * shm-nattch-fork.c - fork() of an attached process adds one to shm_nattch
 * per attach it holds (the child inherits the mappings, same addresses,
 * same memory); the child may shmdt them itself, and its exit drops the
 * rest.
 */
#include "helpers.h"

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);
	struct t_barrier *bar = t_barrier_create(2);

	int id = T_OK(B->shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600));
	int other = T_OK(B->shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600));
	char *a = T_OK(B->shmat(id, NULL, 0));
	char *b = T_OK(B->shmat(id, NULL, SHM_RDONLY));
	char *o = T_OK(B->shmat(other, NULL, 0));
	T_EQ(t_shm_nattch(id), 2);

	pid_t pid = t_fork();
	if (pid == 0) {
		/* Counted as soon as fork() returns, in either process. */
		T_EQ(t_shm_nattch(id), 4);
		T_EQ(t_shm_nattch(other), 2);
		strcpy(a, "from child");
		T_ASSERT(strcmp(b, "from child") == 0);
		t_barrier_wait(bar); /* wrote */
		t_barrier_wait(bar); /* parent checked */
		T_OK(B->shmdt(b));
		T_OK(B->shmdt(o));
		t_barrier_wait(bar); /* detached */
		t_barrier_wait(bar); /* parent checked */
		/* Ends still holding the inherited a. */
		_exit(0);
	}
	T_EQ(t_shm_nattch(id), 4);
	t_barrier_wait(bar);
	T_ASSERT(strcmp(a, "from child") == 0);
	t_barrier_wait(bar);
	t_barrier_wait(bar);
	T_EQ(t_shm_nattch(id), 3);
	T_EQ(t_shm_nattch(other), 1);
	t_barrier_wait(bar);
	t_wait_ok(pid);
	T_EQ(t_shm_nattch(id), 2);
	T_EQ(t_shm_nattch(other), 1);

	/* Grandchildren inherit too. */
	pid = t_fork();
	if (pid == 0) {
		pid_t g = t_fork();
		if (g == 0) {
			T_EQ(t_shm_nattch(id), 6);
			_exit(0);
		}
		t_wait_ok(g);
		T_EQ(t_shm_nattch(id), 4);
		_exit(0);
	}
	t_wait_ok(pid);
	T_EQ(t_shm_nattch(id), 2);

	T_OK(B->shmdt(a));
	T_OK(B->shmdt(b));
	T_OK(B->shmdt(o));
	T_EQ(t_shm_nattch(id), 0);
	T_EQ(t_shm_nattch(other), 0);
	T_OK(B->shmctl(id, IPC_RMID, NULL));
	T_OK(B->shmctl(other, IPC_RMID, NULL));
	return T_EXIT_PASS;
}
