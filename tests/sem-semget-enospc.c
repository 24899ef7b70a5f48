/*
 * sem-semget-enospc.c - semget fails with ENOSPC once a new set would pass
 * semmni sets or semmns semaphores in all, and with EINVAL past semmsl,
 * as set in /proc/sys/kernel/sem. The test lowers the limits inside an IPC
 * namespace of its own, so that no other program sees them.
 */
#include "helpers.h"

#include <sched.h>

static void write_limits(const char *text)
{
	FILE *f = fopen("/proc/sys/kernel/sem", "w");
	T_ASSERT(f);
	T_ASSERT(fputs(text, f) >= 0);
	T_EQ(fclose(f), 0);
}

static int make(int nsems)
{
	return B->semget(IPC_PRIVATE, nsems, 0600);
}

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);
	if (geteuid() != 0)
		t_skip("needs root to lower the limits");
	/*
	 * The whole test, t_init's cleanup included, runs in the new
	 * namespace, so the kernel sets it records are the ones it made.
	 */
	if (unshare(CLONE_NEWIPC) < 0)
		t_skip("unshare(CLONE_NEWIPC): %s", strerror(errno));
	/* semmsl semmns semopm semmni */
	write_limits("8 10 32 3\n");

	struct seminfo si;
	union semun arg = {.__buf = &si};
	T_OK(B->semctl(0, 0, IPC_INFO, arg));
	T_EQ(si.semmsl, 8);
	T_EQ(si.semmns, 10);
	T_EQ(si.semopm, 32);
	T_EQ(si.semmni, 3);

	T_FAIL_ERRNO(make(9), EINVAL);

	/* semmns: 10 semaphores in all. */
	int a = T_OK(make(8));
	int b = T_OK(make(2));
	T_FAIL_ERRNO(make(1), ENOSPC);
	T_FAIL_ERRNO(B->semget(t_key(1), 1, IPC_CREAT | 0600), ENOSPC);
	T_FAIL_ERRNO(B->semget(t_key(1), 1, 0), ENOENT);
	T_OK(B->semctl(b, 0, IPC_RMID));
	T_FAIL_ERRNO(make(3), ENOSPC);
	int c = T_OK(make(2));

	/* semopm: 32 operations per call. */
	struct sembuf ops[33];
	for (int i = 0; i < 33; i++)
		ops[i] = (struct sembuf){(unsigned short)(i % 8), 0, 0};
	T_OK(B->semop(a, ops, 32));
	T_FAIL_ERRNO(B->semop(a, ops, 33), E2BIG);

	/* semmni: 3 sets. */
	T_OK(B->semctl(a, 0, IPC_RMID));
	T_OK(B->semctl(c, 0, IPC_RMID));
	int key_id = T_OK(B->semget(t_key(2), 1, IPC_CREAT | 0600));
	T_OK(make(1));
	T_OK(make(1));
	T_FAIL_ERRNO(make(1), ENOSPC);
	/* Opening an existing set needs no room. */
	T_EQ(B->semget(t_key(2), 1, IPC_CREAT | 0600), key_id);
	T_OK(B->semctl(key_id, 0, IPC_RMID));
	T_OK(make(1));
	return 0;
}
