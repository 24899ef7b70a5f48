/*
 * shm-at-addr.c - shmat at a free SHMLBA-aligned address maps the segment
 * exactly there, with or without SHM_RND.
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

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);
	long page = sysconf(_SC_PAGESIZE);
	size_t size = 3 * page;

	int id = T_OK(B->shmget(IPC_PRIVATE, size, IPC_CREAT | 0600));
	char *want = free_range(size);
	char *a = T_OK(B->shmat(id, want, 0));
	T_EQ((uintptr_t)a, (uintptr_t)want);
	strcpy(a + 2 * page, "there");

	want = free_range(size);
	char *b = T_OK(B->shmat(id, want, SHM_RND));
	T_EQ((uintptr_t)b, (uintptr_t)want);
	T_ASSERT(strcmp(b + 2 * page, "there") == 0);

	T_OK(B->shmdt(a));
	T_OK(B->shmdt(b));
	T_OK(B->shmctl(id, IPC_RMID, NULL));
	return T_EXIT_PASS;
}
