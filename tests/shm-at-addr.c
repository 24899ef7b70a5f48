/*
 * shm-at-addr.c - shmat at a free SHMLBA-aligned address maps the segment
 * exactly there, with or without SHM_RND.
 */
#include "shm-common.h"

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
