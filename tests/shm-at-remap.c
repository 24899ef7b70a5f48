/*
 * shm-at-remap.c - SHM_REMAP attaches over an existing mapping, whole or
 * partly overlapping, replacing it: the range then shows the segment.
 */
#include "shm-common.h"

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);
	long page = sysconf(_SC_PAGESIZE);
	size_t size = 2 * page;
	struct shmid_ds ds;

	int id = T_OK(B->shmget(IPC_PRIVATE, size, IPC_CREAT | 0600));
	char *ref = T_OK(B->shmat(id, NULL, 0));
	memset(ref, 0x11, size);

	char *at = free_range(size);
	memset(map_at(at, size), 0x33, size);
	char *a = T_OK(B->shmat(id, at, SHM_REMAP));
	T_EQ((uintptr_t)a, (uintptr_t)at);
	T_EQ(a[0], 0x11);
	T_EQ(a[size - 1], 0x11);
	a[1] = 0x22;
	T_EQ(ref[1], 0x22);
	T_OK(B->shmctl(id, IPC_STAT, &ds));
	T_EQ(ds.shm_nattch, 2);
	T_OK(B->shmdt(a));

	/* A mapping covering only the second page is replaced as well. */
	memset(map_at(at + page, page), 0x44, page);
	a = T_OK(B->shmat(id, at + 1, SHM_RND | SHM_REMAP));
	T_EQ((uintptr_t)a, (uintptr_t)at);
	T_EQ(a[page], 0x11);
	T_OK(B->shmdt(a));

	T_OK(B->shmctl(id, IPC_STAT, &ds));
	T_EQ(ds.shm_nattch, 1);
	T_OK(B->shmdt(ref));
	T_OK(B->shmctl(id, IPC_RMID, NULL));
	return T_EXIT_PASS;
}
