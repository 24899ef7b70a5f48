/*
 * shm-at-null.c - shmat with a NULL address lets the system choose: the
 * address is SHMLBA-aligned, each attach of the same segment gets its own
 * range, and every range shows the same memory.
 */
#include "helpers.h"

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);
	long page = sysconf(_SC_PAGESIZE);
	size_t size = 2 * page;

	int id = T_OK(B->shmget(IPC_PRIVATE, size, IPC_CREAT | 0600));
	char *a = T_OK(B->shmat(id, NULL, 0));
	char *b = T_OK(B->shmat(id, NULL, 0));
	T_ASSERT(a != NULL);
	T_ASSERT(b != NULL);
	T_EQ((uintptr_t)a % SHMLBA, 0);
	T_EQ((uintptr_t)b % SHMLBA, 0);
	/* Two attaches never overlap. */
	T_ASSERT(a + size <= b || b + size <= a);

	strcpy(a, "hello");
	strcpy(b + page, "world");
	T_ASSERT(strcmp(b, "hello") == 0);
	T_ASSERT(strcmp(a + page, "world") == 0);

	struct shmid_ds ds;
	T_OK(B->shmctl(id, IPC_STAT, &ds));
	T_EQ(ds.shm_nattch, 2);
	T_OK(B->shmdt(a));
	T_ASSERT(strcmp(b, "hello") == 0);
	T_OK(B->shmdt(b));
	T_OK(B->shmctl(id, IPC_RMID, NULL));
	return T_EXIT_PASS;
}
