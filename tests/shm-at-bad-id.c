/*
 * shm-at-bad-id.c - shmat on an id that names no segment (negative, or of
 * a removed segment) fails with EINVAL, whatever the flags.
 */
#include "helpers.h"

#include <limits.h>

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);

	T_FAIL_ERRNO(B->shmat(-1, NULL, 0), EINVAL);
	T_FAIL_ERRNO(B->shmat(INT_MIN, NULL, SHM_RDONLY), EINVAL);

	int id = T_OK(B->shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600));
	T_OK(B->shmctl(id, IPC_RMID, NULL));
	T_FAIL_ERRNO(B->shmat(id, NULL, 0), EINVAL);
	T_FAIL_ERRNO(B->shmat(id, NULL, SHM_RDONLY), EINVAL);
	T_FAIL_ERRNO(B->shmat(id, NULL, SHM_REMAP), EINVAL);

	/* A new segment never answers to the old id's attach. */
	int next = T_OK(B->shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600));
	if (next != id)
		T_FAIL_ERRNO(B->shmat(id, NULL, 0), EINVAL);
	T_OK(B->shmctl(next, IPC_RMID, NULL));
	return T_EXIT_PASS;
}
