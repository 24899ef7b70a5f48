/*
 * shm-at-unaligned.c - an address that is not a multiple of SHMLBA is
 * EINVAL unless SHM_RND, which rounds it down to a multiple of SHMLBA.
 */
#include "shm-common.h"

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);
	long page = sysconf(_SC_PAGESIZE);
	size_t size = 2 * page;

	int id = T_OK(B->shmget(IPC_PRIVATE, size, IPC_CREAT | 0600));
	char *base = free_range(size);

	T_FAIL_ERRNO(B->shmat(id, base + 1, 0), EINVAL);
	T_FAIL_ERRNO(B->shmat(id, base + SHMLBA - 1, 0), EINVAL);
	T_FAIL_ERRNO(B->shmat(id, base + SHMLBA / 2, SHM_RDONLY), EINVAL);
	T_EQ(t_shm_nattch(id), 0);

	char *a = T_OK(B->shmat(id, base + 1, SHM_RND));
	T_EQ((uintptr_t)a, (uintptr_t)base);
	a[0] = 'x';
	T_OK(B->shmdt(a));

	a = T_OK(B->shmat(id, base + SHMLBA - 1, SHM_RND));
	T_EQ((uintptr_t)a, (uintptr_t)base);
	T_EQ(a[0], 'x');
	T_EQ(t_shm_nattch(id), 1);
	T_OK(B->shmdt(a));

	T_OK(B->shmctl(id, IPC_RMID, NULL));
	return T_EXIT_PASS;
}
