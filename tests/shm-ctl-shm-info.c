/*
 * shm-ctl-shm-info.c - SHM_INFO fills a struct shm_info counting every
 * segment: used_ids at least our segments, shm_tot (in pages) at least
 * their pages, shm_rss at least the pages we touched; it returns the
 * highest index in use, at least ours. Other processes' segments may add
 * to the counts on the kernel, so only lower bounds are checked.
 */
#include "shm-common.h"

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);
	long page = sysconf(_SC_PAGESIZE);
	struct shm_info info;

	int small = T_OK(B->shmget(IPC_PRIVATE, 1, IPC_CREAT | 0600));
	int big = T_OK(B->shmget(IPC_PRIVATE, 16 * page - 1, IPC_CREAT | 0600));
	char *p = T_OK(B->shmat(big, NULL, 0));
	memset(p, 1, 16 * page);

	int small_index = index_of(small), big_index = index_of(big);
	T_ASSERT(small_index >= 0);
	T_ASSERT(big_index >= 0);
	int top = small_index > big_index ? small_index : big_index;
	memset(&info, 0x5a, sizeof(info));
	int max = T_OK(B->shmctl(0, SHM_INFO, (struct shmid_ds *)&info));
	T_ASSERT(max >= top);
	T_ASSERT(info.used_ids >= 2);
	T_ASSERT(info.shm_tot >= 17);
	T_ASSERT(info.shm_rss >= 16);

	/* The id is not looked at. */
	T_ASSERT(B->shmctl(123456, SHM_INFO, (struct shmid_ds *)&info) >= top);

	T_OK(B->shmdt(p));
	T_OK(B->shmctl(small, IPC_RMID, NULL));
	T_OK(B->shmctl(big, IPC_RMID, NULL));
	return T_EXIT_PASS;
}
