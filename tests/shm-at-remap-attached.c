/*
 * shm-at-remap-attached.c - SHM_REMAP over the attach of another segment
 * replaces that attach: the old segment's shm_nattch goes down, the range
 * shows the new segment, and shmdt there detaches the new one.
 */
#include "helpers.h"

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);
	long page = sysconf(_SC_PAGESIZE);
	size_t size = 2 * page;

	int prev = T_OK(B->shmget(IPC_PRIVATE, size, IPC_CREAT | 0600));
	int next = T_OK(B->shmget(IPC_PRIVATE, size, IPC_CREAT | 0600));
	char *n = T_OK(B->shmat(next, NULL, 0));
	strcpy(n, "next");

	char *at = T_OK(B->shmat(prev, NULL, 0));
	strcpy(at, "old");
	T_EQ(t_shm_nattch(prev), 1);

	char *a = T_OK(B->shmat(next, at, SHM_REMAP));
	T_EQ((uintptr_t)a, (uintptr_t)at);
	T_ASSERT(strcmp(a, "next") == 0);
	T_EQ(t_shm_nattch(prev), 0);
	T_EQ(t_shm_nattch(next), 2);

	T_OK(B->shmdt(a));
	T_EQ(t_shm_nattch(next), 1);
	T_EQ(t_shm_nattch(prev), 0);
	T_FAIL_ERRNO(B->shmdt(a), EINVAL);

	/* The old segment kept its data. */
	char *o = T_OK(B->shmat(prev, NULL, 0));
	T_ASSERT(strcmp(o, "old") == 0);
	T_OK(B->shmdt(o));
	T_OK(B->shmdt(n));
	T_OK(B->shmctl(prev, IPC_RMID, NULL));
	T_OK(B->shmctl(next, IPC_RMID, NULL));
	return T_EXIT_PASS;
}
