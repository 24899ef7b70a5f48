/*
 * shm-get-open-size.c - opening an existing segment by key checks the size
 * against the size it was made with (shm_segsz, not the page-rounded size):
 * larger is EINVAL, even with IPC_CREAT; equal, smaller and 0 open it.
 */
#include "helpers.h"

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);
	long page = sysconf(_SC_PAGESIZE);
	key_t key = t_key(1);

	int id = T_OK(B->shmget(key, 100, IPC_CREAT | 0600));

	T_FAIL_ERRNO(B->shmget(key, 101, 0), EINVAL);
	T_FAIL_ERRNO(B->shmget(key, page, 0), EINVAL);
	T_FAIL_ERRNO(B->shmget(key, 101, IPC_CREAT | 0600), EINVAL);
	/* IPC_EXCL reports the segment exists before any size check. */
	T_FAIL_ERRNO(B->shmget(key, 101, IPC_CREAT | IPC_EXCL | 0600), EEXIST);

	T_EQ(T_OK(B->shmget(key, 100, 0)), id);
	T_EQ(T_OK(B->shmget(key, 99, 0)), id);
	T_EQ(T_OK(B->shmget(key, 1, 0)), id);
	T_EQ(T_OK(B->shmget(key, 0, 0)), id);
	T_EQ(T_OK(B->shmget(key, 0, IPC_CREAT | 0600)), id);

	/* Opening never changes the recorded size. */
	struct shmid_ds ds;
	T_OK(B->shmctl(id, IPC_STAT, &ds));
	T_EQ(ds.shm_segsz, 100);
	return T_EXIT_PASS;
}
