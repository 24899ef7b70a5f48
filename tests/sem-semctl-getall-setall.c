/*
 * sem-semctl-getall-setall.c - SETALL sets every value of the set at once
 * (each 0 to 32767; one out of range is ERANGE and none is set) and makes
 * the caller every semaphore's sempid; GETALL reads them all, writing
 * nsems values and no more. Both ignore semnum; a NULL array is EFAULT.
 */
#include "helpers.h"

static void expect_all(int id, int a, int b, int c)
{
	unsigned short v[4] = {9, 9, 9, 4242};
	union semun arg = {.array = v};
	T_EQ(B->semctl(id, 1234, GETALL, arg), 0);
	T_EQ(v[0], a);
	T_EQ(v[1], b);
	T_EQ(v[2], c);
	T_EQ(v[3], 4242);
}

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);
	int id = T_OK(B->semget(IPC_PRIVATE, 3, 0600));

	unsigned short vals[] = {1, 2, 32767};
	union semun arg = {.array = vals};
	T_EQ(B->semctl(id, 99, SETALL, arg), 0);
	expect_all(id, 1, 2, 32767);
	for (int i = 0; i < 3; i++) {
		T_EQ(B->semctl(id, i, GETVAL), vals[i]);
		T_EQ(B->semctl(id, i, GETPID), getpid());
	}

	unsigned short high[] = {5, 32768, 1};
	arg.array = high;
	T_FAIL_ERRNO(B->semctl(id, 0, SETALL, arg), ERANGE);
	unsigned short top[] = {5, 6, 65535};
	arg.array = top;
	T_FAIL_ERRNO(B->semctl(id, 0, SETALL, arg), ERANGE);
	expect_all(id, 1, 2, 32767);

	arg.array = NULL;
	T_FAIL_ERRNO(B->semctl(id, 0, SETALL, arg), EFAULT);
	T_FAIL_ERRNO(B->semctl(id, 0, GETALL, arg), EFAULT);
	expect_all(id, 1, 2, 32767);

	/* From another process. */
	pid_t pid = t_fork();
	if (pid == 0) {
		unsigned short zero[] = {0, 0, 0};
		union semun a = {.array = zero};
		T_OK(B->semctl(id, 0, SETALL, a));
		_exit(0);
	}
	t_wait_ok(pid);
	expect_all(id, 0, 0, 0);
	T_EQ(B->semctl(id, 2, GETPID), pid);
	return 0;
}
