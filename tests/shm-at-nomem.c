/*
 * shm-at-nomem.c - an aligned address outside the user address space (the
 * kernel half) cannot take the segment: ENOMEM, and nothing is attached.
 */
#include "helpers.h"

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);
	if (sizeof(void *) < 8)
		t_skip("the address used is 64-bit");

	int id = T_OK(B->shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600));
	void *kernel_half = (void *)(uintptr_t)0xffff800000000000ull;
	T_FAIL_ERRNO(B->shmat(id, kernel_half, 0), ENOMEM);
	T_FAIL_ERRNO(B->shmat(id, kernel_half, SHM_RDONLY), ENOMEM);

	struct shmid_ds ds;
	T_OK(B->shmctl(id, IPC_STAT, &ds));
	T_EQ(ds.shm_nattch, 0);
	T_EQ(ds.shm_atime, 0);
	T_OK(B->shmctl(id, IPC_RMID, NULL));
	return T_EXIT_PASS;
}
