/*
 * shm-at-removed.c - a segment marked for destruction (IPC_RMID while
 * attached) can still be attached by id, as Linux allows, by its remover
 * and by another process; once the last attach goes the id is gone and
 * shmat is EINVAL. A segment removed while unattached goes at once.
 */
#include "helpers.h"

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);

	int id = T_OK(B->shmget(t_key(1), 4096, IPC_CREAT | 0600));
	char *a = T_OK(B->shmat(id, NULL, 0));
	strcpy(a, "kept");
	T_OK(B->shmctl(id, IPC_RMID, NULL));

	char *b = T_OK(B->shmat(id, NULL, 0));
	T_ASSERT(strcmp(b, "kept") == 0);
	T_EQ(t_shm_nattch(id), 2);

	pid_t pid = t_fork();
	if (pid == 0) {
		/* Not inherited: drop those, then attach anew by id. */
		T_OK(B->shmdt(a));
		T_OK(B->shmdt(b));
		char *c = T_OK(B->shmat(id, NULL, SHM_RDONLY));
		T_ASSERT(strcmp(c, "kept") == 0);
		T_OK(B->shmdt(c));
		_exit(0);
	}
	t_wait_ok(pid);
	T_EQ(t_shm_nattch(id), 2);

	T_OK(B->shmdt(a));
	T_OK(B->shmdt(b));
	T_FAIL_ERRNO(B->shmat(id, NULL, 0), EINVAL);

	int gone = T_OK(B->shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600));
	T_OK(B->shmctl(gone, IPC_RMID, NULL));
	T_FAIL_ERRNO(B->shmat(gone, NULL, 0), EINVAL);
	return T_EXIT_PASS;
}
