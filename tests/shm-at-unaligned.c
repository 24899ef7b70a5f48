/*
 * shm-at-unaligned.c - an address that is not a multiple of SHMLBA is
 * EINVAL unless SHM_RND, which rounds it down to a multiple of SHMLBA.
 */
#include "helpers.h"

#include <sys/mman.h>

/*
 * A free SHMLBA-aligned range of `size` bytes, halfway down from where mmap
 * places new mappings. The back end may map files of its own while it
 * attaches; those go top-down near the other mappings, never this far
 * below, so the range is still free when the segment is put there.
 */
static char *free_range(size_t size)
{
	long page = sysconf(_SC_PAGESIZE);
	char *probe =
	    mmap(NULL, page, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (probe == MAP_FAILED)
		t_fail(__FILE__, __LINE__, "mmap: %s", strerror(errno));
	T_OK(munmap(probe, page));
	uintptr_t at = (uintptr_t)probe / 2 / SHMLBA * SHMLBA;
	for (int i = 0; i < 64; i++, at -= 64 * SHMLBA) {
		char *p = mmap((void *)at, size, PROT_NONE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE |
				   MAP_FIXED_NOREPLACE,
			       -1, 0);
		if (p == MAP_FAILED)
			continue;
		T_OK(munmap(p, size));
		if ((uintptr_t)p == at)
			return p;
	}
	t_fail(__FILE__, __LINE__, "no free range of %zu bytes", size);
}

static unsigned long nattch(int id)
{
	struct shmid_ds ds;
	T_OK(B->shmctl(id, IPC_STAT, &ds));
	return ds.shm_nattch;
}

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
	T_EQ(nattch(id), 0);

	char *a = T_OK(B->shmat(id, base + 1, SHM_RND));
	T_EQ((uintptr_t)a, (uintptr_t)base);
	a[0] = 'x';
	T_OK(B->shmdt(a));

	a = T_OK(B->shmat(id, base + SHMLBA - 1, SHM_RND));
	T_EQ((uintptr_t)a, (uintptr_t)base);
	T_EQ(a[0], 'x');
	T_EQ(nattch(id), 1);
	T_OK(B->shmdt(a));

	T_OK(B->shmctl(id, IPC_RMID, NULL));
	return T_EXIT_PASS;
}
