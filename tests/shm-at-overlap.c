/*
 * shm-at-overlap.c - without SHM_REMAP, an address whose range overlaps an
 * existing mapping (another mapping, part of one, or an attach) is EINVAL
 * and leaves that mapping alone; SHM_REMAP with a NULL address is EINVAL.
 */
#include "shm-common.h"

#include <sys/mman.h>

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);
	long page = sysconf(_SC_PAGESIZE);
	size_t size = 2 * page;

	int id = T_OK(B->shmget(IPC_PRIVATE, size, IPC_CREAT | 0600));

	/* A whole anonymous mapping where the segment would go. */
	char *at = free_range(size);
	char *m = map_at(at, size);
	memset(m, 0x33, size);
	T_FAIL_ERRNO(B->shmat(id, at, 0), EINVAL);
	T_FAIL_ERRNO(B->shmat(id, at, SHM_RDONLY), EINVAL);
	T_FAIL_ERRNO(B->shmat(id, at + 1, SHM_RND), EINVAL);
	T_EQ(at[0], 0x33);
	T_EQ(at[size - 1], 0x33);
	T_OK(munmap(m, size));

	/* Only the last page of the range is mapped: still an overlap. */
	char *tail = map_at(at + size - page, page);
	tail[0] = 0x44;
	T_FAIL_ERRNO(B->shmat(id, at, 0), EINVAL);
	T_EQ(tail[0], 0x44);
	T_OK(munmap(tail, page));
	T_EQ(t_shm_nattch(id), 0);

	/* An attach of the same segment is in the way too. */
	char *a = T_OK(B->shmat(id, NULL, 0));
	a[0] = 0x55;
	T_FAIL_ERRNO(B->shmat(id, a, 0), EINVAL);
	T_FAIL_ERRNO(B->shmat(id, a + page, 0), EINVAL);
	T_EQ(t_shm_nattch(id), 1);
	T_EQ(a[0], 0x55);

	T_FAIL_ERRNO(B->shmat(id, NULL, SHM_REMAP), EINVAL);
	T_EQ(t_shm_nattch(id), 1);

	T_OK(B->shmdt(a));
	T_OK(B->shmctl(id, IPC_RMID, NULL));
	return T_EXIT_PASS;
}
