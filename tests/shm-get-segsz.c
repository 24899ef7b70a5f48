/*
 * shm-get-segsz.c - shmget keeps the size asked for in shm_segsz, yet the
 * segment is made of whole pages: the tail of the last page past the asked
 * size reads as zeros, is writable and is shared like the rest.
 */
#include "helpers.h"

static void check_size(size_t size)
{
	long page = sysconf(_SC_PAGESIZE);
	size_t whole = (size + page - 1) / page * page;
	struct shmid_ds ds;

	int id = T_OK(B->shmget(IPC_PRIVATE, size, IPC_CREAT | 0600));
	T_OK(B->shmctl(id, IPC_STAT, &ds));
	T_EQ(ds.shm_segsz, size);

	unsigned char *a = T_OK(B->shmat(id, NULL, 0));
	unsigned char *b = T_OK(B->shmat(id, NULL, 0));
	for (size_t i = 0; i < whole; i++)
		T_EQ(a[i], 0);
	a[whole - 1] = 0x5a;
	T_EQ(b[whole - 1], 0x5a);

	/* Another process sees the tail too and can write it. */
	pid_t pid = t_fork();
	if (pid == 0) {
		unsigned char *c = T_OK(B->shmat(id, NULL, 0));
		T_EQ(c[whole - 1], 0x5a);
		c[whole - 2] = 0x77;
		_exit(0);
	}
	t_wait_ok(pid);
	T_EQ(a[whole - 2], 0x77);

	/* The size stays what was asked, whatever was written. */
	T_OK(B->shmctl(id, IPC_STAT, &ds));
	T_EQ(ds.shm_segsz, size);

	T_OK(B->shmdt(a));
	T_OK(B->shmdt(b));
	T_OK(B->shmctl(id, IPC_RMID, NULL));
}

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);
	long page = sysconf(_SC_PAGESIZE);

	check_size(1);
	check_size(100);
	check_size(page);
	check_size(page + 1);
	check_size(3 * page - 7);
	return T_EXIT_PASS;
}
