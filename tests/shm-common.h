/*
 * shm-common.h - what several shm-*.c tests share: finding a free address
 * range to attach at, mapping memory there (shm-at-*), and finding a
 * segment's SHM_STAT index (shm-ctl-*).
 */
#ifndef T_SHM_COMMON_H
#define T_SHM_COMMON_H

#include "helpers.h"

#include <sys/mman.h>

/*
 * A free SHMLBA-aligned range of `size` bytes, halfway down from where mmap
 * places new mappings. The back end may map files of its own while it
 * attaches; those go top-down near the other mappings, never this far
 * below, so the range is still free when the segment is put there.
 */
static inline char *free_range(size_t size)
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
static inline char *map_at(char *at, size_t len)
{
	char *p =
	    mmap(at, len, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	if (p != at)
		t_fail(__FILE__, __LINE__, "mmap at %p: %s", (void *)at,
		       p == MAP_FAILED ? strerror(errno) : "elsewhere");
	return p;
}

/*
 * The SHM_STAT index of segment `id`: walks every index up to the highest
 * in use (what SHM_INFO returns) and requires exactly one to answer with
 * `id`. Indexes of other segments may answer, unused ones give EINVAL.
 */
static inline int index_of(int id)
{
	struct shm_info info;
	struct shmid_ds ds;
	int found = -1;
	int max = T_OK(B->shmctl(0, SHM_INFO, (struct shmid_ds *)&info));

	for (int i = 0; i <= max; i++) {
		errno = 0;
		int r = B->shmctl(i, SHM_STAT, &ds);
		if (r < 0 && errno != EINVAL && errno != EACCES)
			t_fail(__FILE__, __LINE__, "SHM_STAT %d: %s", i,
			       strerror(errno));
		if (r == id) {
			T_EQ(found, -1);
			found = i;
		}
	}
	return found;
}

#endif
