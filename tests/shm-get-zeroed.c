/*
 * shm-get-zeroed.c - a new segment reads as zeros, to the end of its last
 * page, even when it is made right after a segment of the same key and
 * size was filled and removed (memory is never handed on dirty).
 */
#include "helpers.h"

static void check_zero(int id, size_t whole)
{
	unsigned char *p = T_OK(B->shmat(id, NULL, 0));
	for (size_t i = 0; i < whole; i++)
		if (p[i] != 0)
			t_fail(__FILE__, __LINE__, "byte %zu is %d", i, p[i]);
	memset(p, 0xff, whole);
	T_OK(B->shmdt(p));
}

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);
	long page = sysconf(_SC_PAGESIZE);
	size_t size = 3 * page + 5;
	size_t whole = 4 * page;

	for (int round = 0; round < 4; round++) {
		int id = T_OK(
		    B->shmget(t_key(1), size, IPC_CREAT | IPC_EXCL | 0600));
		check_zero(id, whole);
		T_OK(B->shmctl(id, IPC_RMID, NULL));

		id = T_OK(B->shmget(IPC_PRIVATE, size, IPC_CREAT | 0600));
		check_zero(id, whole);
		T_OK(B->shmctl(id, IPC_RMID, NULL));
	}

	/* A larger one, read in a process that did not make it. */
	size_t big = 4u << 20;
	int id = T_OK(B->shmget(IPC_PRIVATE, big, IPC_CREAT | 0600));
	pid_t pid = t_fork();
	if (pid == 0) {
		check_zero(id, big);
		_exit(0);
	}
	t_wait_ok(pid);
	T_OK(B->shmctl(id, IPC_RMID, NULL));
	return T_EXIT_PASS;
}
