/*
 * shm-at-remap.c - SHM_REMAP attaches over an existing mapping, whole or
 * partly overlapping, replacing it: the range then shows the segment.
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

/* Maps anonymous memory at exactly `at`, which must be free. */
static char *map_at(char *at, size_t len)
{
	char *p =
	    mmap(at, len, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	if (p != at)
		t_fail(__FILE__, __LINE__, "mmap at %p: %s", (void *)at,
		       p == MAP_FAILED ? strerror(errno) : "elsewhere");
	return p;
}

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
